"""`coproduce content check`: every rule fails with the exact file:line, and valid content passes.

Each broken fixture is the valid worked example (tests/content/fixtures/valid) with one thing
broken, so each test shows one rule.
"""

import shutil
from pathlib import Path

import pytest

VALID = Path(__file__).parent / "fixtures" / "valid"
MODULE = "content/example-module/1.0.0"
RUBRIC = "assessments/rubrics/example-rubric/1.0.0.toml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def _check(app, path: Path):
    return app.test_cli_runner().invoke(args=["content", "check", str(path)])


def _line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


# (rule, file, old text, new text, line marker in the broken file, message fragment)
BROKEN = [
    ("unknown key", f"{MODULE}/module.toml", "minutes = 45", 'minutes = 45\ncolour = "red"',
     "colour =", "unknown key 'colour'"),
    ("language not offered", f"{MODULE}/module.toml", "minutes = 45",
     'minutes = 45\nlanguage = "de"', 'language = "de"', "language 'de' is not offered"),
    ("missing key", f"{MODULE}/module.toml",
     'summary = "A short module that shows every part of the content format."\n', "",
     None, "missing key 'summary'"),
    ("bad version string", f"{MODULE}/module.toml", 'version = "1.0.0"', 'version = "1.0"',
     'version = "1.0"', "is not a version"),
    ("duplicate id", f"{MODULE}/module.toml", 'id = "plan-together"', 'id = "name-the-parts"',
     None, "duplicate objective id 'name-the-parts'"),
    ("case sections out of order", f"{MODULE}/case.toml", 'key = "emotions"',
     'key = "navigation_x"', '[[sections]]', "nine template sections in order"),
    ("objective not assessed", f"{MODULE}/module.toml",
     'rubric_criteria = ["example-rubric/plans-made-together"]\n', "",
     None, "objective 'plan-together' is not assessed"),
    ("citation without reference", f"{MODULE}/lessons/01-why-together.md", "[@batalden2016]",
     "[@nobody2020]", "[@nobody2020]", "citation [@nobody2020] has no reference"),
    ("criterion without theme", RUBRIC, 'theme = "partnership"\n', "", "[[criteria]]",
     "missing key 'theme'"),
    ("criterion without a descriptor for each level", RUBRIC,
     'proficient = "The plan shows the patient partner\'s own words and choices."\n', "",
     "[criteria.descriptors]", "has no descriptor for proficient"),
    ("unknown theme", RUBRIC, 'theme = "partnership"', 'theme = "vibes"', 'theme = "vibes"',
     "theme 'vibes' is not known"),
    ("raw HTML", f"{MODULE}/lessons/01-why-together.md", "- Ask the person",
     "<script>alert(1)</script>\n\n- Ask the person", "<script>", "raw HTML is not allowed"),
    ("script link", f"{MODULE}/lessons/01-why-together.md", "(https://qualitysafety.bmj.com/)",
     "(javascript:alert(1))", "javascript:", "script or file address"),
    ("non-http link", f"{MODULE}/lessons/01-why-together.md",
     "(https://qualitysafety.bmj.com/)", "(ftp://example.org/notes)", "ftp://",
     "is not an http(s) address"),
    ("file link", f"{MODULE}/lessons/01-why-together.md", "(https://qualitysafety.bmj.com/)",
     "(file:///etc/passwd)", "file:///", "file address"),
    ("TOML syntax", f"{MODULE}/checks.toml", 'question = "Which part', 'question = Which part',
     "question = Which", "not valid TOML"),
    ("id not matching folder", f"{MODULE}/module.toml", 'id = "example-module"',
     'id = "other-module"', 'id = "other-module"', "does not match its folder"),
    ("case not fictional", f"{MODULE}/case.toml", "fictional = true", "fictional = false",
     "fictional = false", "the case must be fictional"),
    ("check item without a correct option", f"{MODULE}/checks.toml", "correct = true",
     "correct = false", "[[items]]", "exactly one correct"),
    ("exemplar that skips a criterion", RUBRIC, 'criterion = "plans-made-together"',
     'criterion = "nothing-here"', "[[exemplars.ratings]]", "names an unknown criterion"),
    ("exemplar rating that does not cite its descriptor", RUBRIC,
     'meets = "the patient partner\'s own words and choices"\n', "", "[[exemplars.ratings]]",
     "cites no descriptor phrase"),
    ("exemplar rating citing another level's words", RUBRIC,
     'meets = "the patient partner\'s own words and choices"',
     'meets = "show where the patient partner shaped the plan"', "meets =",
     "which is not a phrase of its descriptor"),
    ("exemplar rated below its own evidence", RUBRIC, 'level = "proficient"\nmeets',
     'level = "beginning"\nmeets', "meets =", "which is not a phrase of its descriptor"),
    ("reading without its language", f"{MODULE}/module.toml", 'language = "en"\n', "",
     "[[references]]", "does not say its language"),
    ("reading in a language nobody may read, alone", f"{MODULE}/module.toml",
     'language = "en"', 'language = "fr"', 'language = "fr"', "with nothing beside it"),
    ("reading flag on a plain reference", f"{MODULE}/module.toml", 'reading = "required"\n',
     "", "open_access =", "open_access is only for a reading"),
    ("plan whose student time differs from the module's minutes", f"{MODULE}/plan.toml",
     "student_minutes = 30", "student_minutes = 40", None,
     "the sessions give students 55 minutes but module.toml says minutes = 45"),
    ("plan that leaves a lesson out", f"{MODULE}/plan.toml", 'lessons = ["why-together"]\n',
     "", None, "lesson 'why-together' is in 0 sessions"),
    ("plan that works on no objective", f"{MODULE}/plan.toml",
     'objectives = ["plan-together"]\n', "", None,
     "objective 'plan-together' is worked on in no session"),
    ("plan naming an unknown objective", f"{MODULE}/plan.toml", 'objectives = ["plan-together"]',
     'objectives = ["plan-together", "fly"]', 'objectives = ["plan-together", "fly"]',
     "objective 'fly' is not in this module"),
    ("plan asking a partner's time without their preparation", f"{MODULE}/plan.toml",
     'partner_preparation = "Read the case brief (10 minutes). Travel is paid as agreed."\n',
     "", "partner_minutes = 60", "says nothing of their preparation and travel"),
    ("long session without breaks", f"{MODULE}/plan.toml", "minutes = 30\nstudent_minutes = 30",
     "minutes = 90\nstudent_minutes = 30", "minutes = 90", "with no breaks written down"),
    ("unknown session format", f"{MODULE}/plan.toml", 'format = "in person"',
     'format = "by pigeon"', 'format = "by pigeon"', "format 'by pigeon' is not known"),
    ("superseding a version that does not exist", f"{MODULE}/module.toml", "minutes = 45",
     'minutes = 45\nsupersedes = ["0.9.0"]\nsuperseded_because = "It lacks a measure."',
     "supersedes =", "which is not a version of this module"),
]


def test_the_worked_example_passes(app):
    result = _check(app, VALID)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Content OK: 1 module versions")


@pytest.mark.parametrize("rule,rel,old,new,marker,message", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_rule_fails_with_file_and_line(app, tmp_path, rule, rel, old, new, marker,
                                            message):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _edit(root, rel, old, new)
    result = _check(app, root)
    assert result.exit_code == 1, result.output
    line = _line_of(root, rel, marker) if marker else 1
    expected_prefix = f"error: {rel}:"
    matching = [ln for ln in result.output.splitlines()
                if ln.startswith(expected_prefix) and message in ln]
    assert matching, result.output
    if rule not in ("duplicate id", "objective not assessed"):
        assert any(ln.startswith(f"{expected_prefix}{line}: ") for ln in matching), (
            line, result.output)
    assert " — " in matching[0]  # every problem says how to fix it


def test_duplicate_and_unassessed_objectives_point_at_their_own_entry(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _edit(root, f"{MODULE}/module.toml",
          'rubric_criteria = ["example-rubric/plans-made-together"]\n', "")
    result = _check(app, root)
    second_objective = [n for n, ln in enumerate(
        (root / MODULE / "module.toml").read_text().splitlines(), start=1)
        if ln.startswith("[[objectives]]")][1]
    assert f"{MODULE}/module.toml:{second_objective}: objective 'plan-together' is not assessed" \
        in result.output


def test_every_problem_is_reported_at_once(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _edit(root, f"{MODULE}/module.toml", "minutes = 45", 'minutes = 45\ncolour = "red"')
    _edit(root, f"{MODULE}/lessons/01-why-together.md", "[@batalden2016]", "[@nobody2020]")
    _edit(root, RUBRIC, 'theme = "partnership"', 'theme = "vibes"')
    result = _check(app, root)
    assert result.exit_code == 1
    assert result.output.count("error: ") == 3
    assert "3 error(s)" in result.output


def test_hard_patient_facing_text_is_a_warning_that_can_be_acknowledged(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    dense = ("Notwithstanding considerable interdisciplinary heterogeneity, multimorbidity "
             "management necessitates comprehensive individualised pharmacological "
             "optimisation alongside longitudinal psychosocial accompaniment. ") * 8
    _edit(root, f"{MODULE}/case.toml", "Ana is 34.", dense + "Ana is 34.")
    warned = _check(app, root)
    assert warned.exit_code == 0
    line = _line_of(root, f"{MODULE}/case.toml", "scenario =")
    assert f"warning: {MODULE}/case.toml:{line}: the scenario reads at grade" in warned.output
    assert "1 warning(s)" in warned.output
    _edit(root, f"{MODULE}/case.toml", "fictional = true",
          'fictional = true\nplain_language_checked = "read by two patient partners, 2026-11"')
    acknowledged = _check(app, root)
    assert acknowledged.exit_code == 0 and "warning:" not in acknowledged.output


def test_a_path_outside_any_content_tree_is_explained(app, tmp_path):
    result = _check(app, tmp_path)
    assert result.exit_code == 2
    assert "not inside a folder with content/ or assessments/" in result.output


def test_checking_one_module_reports_only_its_problems(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _edit(root, RUBRIC, 'theme = "partnership"', 'theme = "vibes"')
    result = _check(app, root / "content" / "example-module")
    assert "vibes" not in result.output


def _agreements(*roles: str) -> str:
    return "".join(f'\n[[exemplars.agreed]]\nrole = "{role}"\nname = "P{i}"\n'
                   f'date = "2027-01-1{i}"\n' for i, role in enumerate(roles))


@pytest.mark.parametrize("roles,provisional", [
    ((), True),
    (("patient_coteacher", "educator"), True),
    (("patient_coteacher", "patient_coteacher"), True),
    (("patient_coteacher", "educator", "patient_coteacher"), False),
])
def test_an_exemplar_stays_provisional_until_two_coteachers_and_an_educator_agree(
        tmp_path, roles, provisional):
    from curriculum.loader import load_tree

    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    path = root / RUBRIC
    path.write_text(path.read_text() + _agreements(*roles))
    tree = load_tree(root)
    assert not tree.report.errors, tree.report.errors
    exemplar = tree.rubrics[0].exemplars[0]
    assert exemplar.provisional is provisional
    assert [a.role for a in exemplar.agreed] == list(roles)


def test_an_agreement_by_someone_who_cannot_agree_is_refused(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    path = root / RUBRIC
    path.write_text(path.read_text() + _agreements("student").replace("2027-01-10", "soon"))
    result = _check(app, root)
    assert result.exit_code == 1
    assert "role 'student' cannot agree an exemplar" in result.output


def test_only_the_newest_rubric_version_must_cite_descriptors(app, tmp_path):
    """An earlier, published version is history: it loads without the newer rule."""
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    old = root / RUBRIC
    newer = old.with_name("1.1.0.toml")
    newer.write_text(old.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    _edit(root, RUBRIC, 'meets = "the patient partner\'s own words and choices"\n', "")
    result = _check(app, root)
    assert result.exit_code == 0, result.output
    newer.unlink()
    assert _check(app, root).exit_code == 1


def test_the_newest_module_version_needs_a_session_plan_earlier_ones_do_not(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    (root / MODULE / "plan.toml").unlink()
    result = _check(app, root)
    assert result.exit_code == 1 and "plan.toml is missing" in result.output
    newer = root / "content" / "example-module" / "1.1.0"
    shutil.copytree(root / MODULE, newer)
    shutil.copy(VALID / MODULE / "plan.toml", newer / "plan.toml")
    toml = newer / "module.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    assert _check(app, root).exit_code == 0, "1.0.0 was written before plans"


def test_a_plan_sums_students_educators_and_partners_time(tmp_path):
    from curriculum.loader import load_tree

    module = load_tree(VALID).modules[0]
    plan = module.plan
    assert [s.id for s in plan.sessions] == ["read", "meet"]
    assert plan.student_hours == 0.75 and plan.educator_hours == 0.75
    assert (plan.partner_sessions, plan.partner_hours) == (1, 1.0)
    assert round(plan.hp, 3) == round(0.75 * 1.5 / 40, 3)
    assert plan.uk_credits == 0.075
