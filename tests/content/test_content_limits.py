"""Content that checks also loads: every limit the database enforces is a rule of
`content check` (with file:line and how to fix), and `content load` never prints a traceback
— a database refusal is one line and the database is unchanged. Runs on both databases."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError

from curriculum import limits
from webapp.extensions import db
from webapp.models import ModuleVersionRow, RubricVersionRow

VALID = Path(__file__).parent / "fixtures" / "valid"
MODULE = "content/example-module/1.0.0"
RUBRIC = "assessments/rubrics/example-rubric/1.0.0.toml"
LESSON = f"{MODULE}/lessons/01-why-together.md"


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["content", *args])


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _move_module(root: Path, slug: str, version: str) -> str:
    target = root / "content" / slug / version
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(root / MODULE), str(target))
    rel = f"content/{slug}/{version}/module.toml"
    if slug != "example-module":
        shutil.rmtree(root / "content" / "example-module")
        _edit(root, rel, 'id = "example-module"', f'id = "{slug}"')
    _edit(root, rel, 'version = "1.0.0"', f'version = "{version}"')
    return rel


def _rows(app):
    with app.app_context():
        return sorted((r.slug, r.version) for model in (ModuleVersionRow, RubricVersionRow)
                      for r in db.session.scalars(select(model)))


LONG_SLUG = "a" + "-module" * 17  # 120 characters


def _title(root):
    _edit(root, f"{MODULE}/module.toml", 'title = "', 'title = "' + "T" * 400)
    return f"{MODULE}/module.toml", 'title = "T', "'title'"


def _slug(root):
    return _move_module(root, LONG_SLUG, "1.0.0"), 'id = "a-module', "'id'"


def _huge_version(root):
    return (_move_module(root, "example-module", "1.0.99999999999999999999"),
            'version = "1.0.9', "'version'")


def _int_version(root):
    return (_move_module(root, "example-module", "1.0.3000000000"),
            'version = "1.0.3', "larger than 2147483647")


def _minutes(root):
    _edit(root, f"{MODULE}/module.toml", "minutes = 45", "minutes = 3000000000")
    return f"{MODULE}/module.toml", "minutes = 3000000000", "outside the numbers"


def _rubric_title(root):
    _edit(root, RUBRIC, 'title = "', 'title = "' + "R" * 301)
    return RUBRIC, 'title = "R', "'title'"


def _nul(root):
    _edit(root, LESSON, "- Ask the person", "- Ask the\x00 person")
    return LESSON, "Ask the\x00", "NUL character"


BROKEN = {"400-character title": _title, "120-character slug": _slug,
          "20-digit version part": _huge_version, "version part over 2^31": _int_version,
          "minutes over 2^31": _minutes, "301-character rubric title": _rubric_title,
          "NUL character in a lesson": _nul}


@pytest.mark.parametrize("name", BROKEN)
def test_content_over_a_database_limit_fails_check_and_load_alike(app, tmp_path, name):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    rel, marker, message = BROKEN[name](root)
    checked = _cli(app, "check", str(root))
    assert checked.exit_code == 1, checked.output
    line = _line_of(root, rel, marker)
    assert any(ln.startswith(f"error: {rel}:{line}: ") and message in ln and " — " in ln
               for ln in checked.output.splitlines()), (line, checked.output)
    before = _rows(app)
    loaded = _cli(app, "load", str(root))
    assert loaded.exit_code == 1 and "Traceback" not in loaded.output
    assert "Nothing was loaded" in loaded.output
    assert _rows(app) == before


def test_content_at_the_limits_loads_on_this_database(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    slug = ("m-" * 50)[: limits.SLUG_CHARS - 1] + "z"
    rel = _move_module(root, slug, f"1.0.{limits.WHOLE_NUMBER_MAX}"[: limits.VERSION_CHARS])
    _edit(root, rel, 'title = "', 'title = "' + "T" * (limits.TITLE_CHARS - 40))
    checked = _cli(app, "check", str(root))
    assert checked.exit_code == 0, checked.output
    loaded = _cli(app, "load", str(root))
    assert loaded.exit_code == 0, loaded.output
    assert (slug, f"1.0.{limits.WHOLE_NUMBER_MAX}") in _rows(app)


def test_a_database_refusal_during_load_is_one_line_and_changes_nothing(app, monkeypatch):
    from webapp.teach import publishing

    real = publishing.publish

    def refusing(session, tree):
        real(session, tree)
        raise DataError("INSERT …", {}, Exception("value too long for type character "
                                                 "varying(20)\nDETAIL: more"))

    monkeypatch.setattr(publishing, "publish", refusing)
    loaded = _cli(app, "load", str(VALID))
    assert loaded.exit_code == 1
    assert "Traceback" not in loaded.output
    lines = [ln for ln in loaded.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "value too long" in lines[0] and "Nothing was loaded" in lines[0]
    assert _rows(app) == []
