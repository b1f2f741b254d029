"""The command line speaks the terminal's language (``LANG``), or ``COPRODUCE_LANGUAGE``."""

from __future__ import annotations

from tests.content.test_translations_and_editions import VALID

SWEDISH = {"LANG": "sv_SE.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "COPRODUCE_LANGUAGE": ""}


def test_commands_answer_in_swedish_in_a_swedish_terminal(app):
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["content", "check", str(VALID)], env=SWEDISH)
    assert checked.exit_code == 0
    assert checked.output.startswith("Innehållet är OK: 1 modulversioner")
    made = runner.invoke(args=["create-programme", "Ett program"], env=SWEDISH)
    assert made.output.startswith("Program ") and made.exit_code == 0
    again = runner.invoke(args=["create-programme", "Ett program"], env=SWEDISH)
    assert again.exit_code == 1
    assert "det finns redan ett program som heter ”Ett program”" in again.output
    missing = runner.invoke(args=["create-cohort", "999", "HT"], env=SWEDISH)
    assert "det finns inget program med id 999" in missing.output
    loaded = runner.invoke(args=["content", "load", str(VALID)], env=SWEDISH)
    assert "Innehållet är inladdat: " in loaded.output


def test_the_product_setting_wins_over_the_terminal_and_english_is_the_default(app):
    runner = app.test_cli_runner()
    english = runner.invoke(args=["content", "check", str(VALID)],
                            env=dict(SWEDISH, COPRODUCE_LANGUAGE="en"))
    assert english.output.startswith("Content OK: 1 module versions")
    plain = runner.invoke(args=["content", "check", str(VALID)],
                          env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": "",
                               "COPRODUCE_LANGUAGE": ""})
    assert plain.output.startswith("Content OK")


def test_content_checks_problems_are_in_swedish_too(app, tmp_path):
    import shutil

    shutil.copytree(VALID, tmp_path / "tree")
    module = tmp_path / "tree/content/example-module/1.0.0/module.toml"
    module.write_text(module.read_text().replace("minutes = 45", 'minutes = 45\ncolour = "red"'))
    runner = app.test_cli_runner()
    swedish = runner.invoke(args=["content", "check", str(tmp_path / "tree")], env=SWEDISH)
    assert swedish.exit_code == 1
    assert "fel: content/example-module/1.0.0/module.toml:6: okänd nyckel 'colour'" in \
        swedish.output
    english = runner.invoke(args=["content", "check", str(tmp_path / "tree")],
                            env=dict(SWEDISH, COPRODUCE_LANGUAGE="en"))
    assert "error: content/example-module/1.0.0/module.toml:6: unknown key 'colour'" in \
        english.output
