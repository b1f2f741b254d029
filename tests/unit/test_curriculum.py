"""The pure curriculum package: template, versions, hashes, diffs and stored round-trips."""

import ast
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import model, template
from curriculum.loader import load_tree
from curriculum.versions import content_hash, diff_modules, parse_version, version_key

PACKAGE = Path(__file__).resolve().parents[2] / "curriculum"
VALID = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"
MODULE = VALID / "content" / "example-module" / "1.0.0"


def test_curriculum_imports_neither_flask_nor_sqlalchemy():
    for file in PACKAGE.glob("*.py"):
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root not in ("flask", "sqlalchemy", "webapp") and not root.startswith(
                    "flask_"), f"{file.name} imports {name}"


def test_loading_content_pulls_in_no_web_framework():
    code = ("import sys; from pathlib import Path; from curriculum.loader import load_tree; "
            f"load_tree(Path({str(VALID)!r})); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'webapp')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_template_has_nine_parts_in_order_with_voices_and_links():
    assert [s.number for s in template.SECTIONS] == list(range(1, 10))
    assert template.KEYS[0] == "situation" and template.KEYS[-1] == "reflection"
    assert template.BY_KEY["patient_reality"].first_voice == "patient"
    assert template.BY_KEY["condition"].first_voice == "professional"
    assert all(s.first_voice in template.FIRST_VOICES for s in template.SECTIONS)
    assert all(len(s.questions) >= 3 for s in template.SECTIONS)
    assert template.linked("patient_reality") == ("condition", "illness_experience")
    assert template.linked("navigation") == ("microsystem",)
    assert template.linked("emotions") == ()


@pytest.mark.parametrize("text,parsed", [("1.0.0", (1, 0, 0)), ("10.2.33", (10, 2, 33)),
                                         ("1.0", None), ("01.0.0", None), ("1.0.0-beta", None),
                                         ("v1.0.0", None), ("", None)])
def test_versions_are_three_plain_numbers(text, parsed):
    assert parse_version(text) == parsed


def test_versions_sort_by_number_not_text():
    assert sorted(["1.10.0", "1.2.0", "1.9.1"], key=version_key) == ["1.2.0", "1.9.1", "1.10.0"]


def test_hash_ignores_line_endings_and_trailing_spaces_but_not_words(tmp_path):
    copy = tmp_path / "1.0.0"
    shutil.copytree(MODULE, copy)
    original = content_hash(copy)
    lesson = copy / "lessons" / "01-why-together.md"
    lesson.write_bytes(lesson.read_bytes().replace(b"\n", b"  \r\n"))
    assert content_hash(copy) == original
    lesson.write_text(lesson.read_text().replace("nurse", "pharmacist"))
    assert content_hash(copy) != original
    assert content_hash(copy) == content_hash(copy)  # stable


def test_diff_names_what_changed_between_versions(tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    new = root / "content" / "example-module" / "1.1.0"
    shutil.copytree(root / "content" / "example-module" / "1.0.0", new)
    module_toml = new / "module.toml"
    text = module_toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"')
    text = text.replace("Name the nine parts", "Name and explain the nine parts")
    text = text.replace("[[references]]", '[[lessons]]\nid = "second"\ntitle = "Second"\n'
                        'minutes = 5\nfile = "lessons/02-second.md"\n\n[[references]]')
    text = text.replace("minutes = 45", "minutes = 50")
    module_toml.write_text(text.replace('reading = "required"', 'reading = "optional"'))
    plan = new / "plan.toml"
    plan.write_text(plan.read_text().replace('lessons = ["why-together"]',
                                             'lessons = ["why-together", "second"]')
                    .replace("student_minutes = 15", "student_minutes = 20"))
    (new / "lessons" / "02-second.md").write_text("A second, short lesson.\n")
    tree = load_tree(root)
    assert tree.report.errors == []
    old_v, new_v = sorted(tree.modules, key=lambda m: version_key(m.version))
    diff = diff_modules(old_v, new_v)
    assert [(c.part, c.id, c.status) for c in diff.changes] == [
        ("about", "minutes", "changed"), ("objective", "name-the-parts", "changed"),
        ("lesson", "second", "added"), ("reference", "batalden2016", "changed"),
        ("session", "read", "changed")]
    assert "+Lessons: why-together, second" in diff.by_part("session")[0].diff
    assert any("optional reading" in line for line in diff.by_part("reference")[0].diff)
    changed = diff.by_part("objective")[0].diff
    assert "-Name the nine parts of the coproduction case template." in changed
    assert "+Name and explain the nine parts of the coproduction case template." in changed
    assert diff_modules(old_v, old_v).changes == ()


def test_every_model_round_trips_through_stored_data():
    tree = load_tree(VALID)
    for obj in tree.modules + tree.guides + tree.rubrics + tree.surveys:
        data = model.to_data(obj)
        assert model.from_data(type(obj), data) == obj
        assert dataclasses.is_dataclass(obj)


def test_side_by_side_pairs_each_removed_line_with_its_replacement():
    from curriculum.versions import _text_diff, side_by_side

    diff = _text_diff("one\ntwo\nthree\nfour\nfive\nsix\nseven",
                      "one\n2\nthree\nfour\nfive\nsix\nseven\neight", "x")
    rows = side_by_side(diff)
    assert ("two", "2", "changed") in rows
    assert ("", "eight", "added") in rows
    assert ("", "", "gap") in rows  # the unchanged middle is left out between hunks
