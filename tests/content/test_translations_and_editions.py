"""Rubrics and surveys in another language (``<version>.sv.toml``: the same ids, other
words) and module editions in another language (``edition_of``): what ``content check``
accepts, what it refuses and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curriculum.loader import load_tree

VALID = Path(__file__).parent / "fixtures" / "valid"
SURVEY = "assessments/surveys/example-survey"
RUBRIC = "assessments/rubrics/example-rubric"
MODULE = "content/example-module/1.0.0"

SWEDISH_SURVEY = '''id = "example-survey"
version = "1.0.0"
language = "sv"
title = "Exempel på återkoppling"
intro = "Dina svar är anonyma."
scale = ["Instämmer inte alls", "Instämmer inte", "Varken eller", "Instämmer", "Instämmer helt"]

[[items]]
id = "clear"
text = "Modulen var tydlig."
theme = "knowledge"
respondent = "student"
kind = "rating"

[[items]]
id = "keep"
text = "Vad ska vi behålla?"
theme = "action"
respondent = "all"
kind = "text"
'''


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(VALID, tmp_path / "tree")
    return tmp_path / "tree"


def _messages(tree) -> str:
    return "\n".join(f"{p.path}:{p.line}: {p.message} — {p.fix}" for p in tree.report.errors)


def test_a_swedish_survey_loads_beside_its_version_with_the_same_ids(root):
    (root / SURVEY / "1.0.0.sv.toml").write_text(SWEDISH_SURVEY)
    tree = load_tree(root)
    assert not tree.report.errors, _messages(tree)
    survey = next(s for s in tree.surveys if s.id == "example-survey")
    assert len(tree.surveys) == 1  # a translation is not a version of its own
    swedish = survey.translations["sv"]
    assert swedish["title"] == "Exempel på återkoppling"
    assert [i["id"] for i in swedish["items"]] == [i.id for i in survey.items]


@pytest.mark.parametrize("old, new, says", [
    ('id = "clear"', 'id = "tydlig"', "same ids, keys and structure"),
    ('kind = "rating"', 'kind = "text"', "same ids, keys and structure"),
    ('language = "sv"\n', "", "says language = 'en'"),
    ('"Varken eller", ', "", "same ids, keys and structure"),
])
def test_a_translation_that_changes_more_than_words_is_refused(root, old, new, says):
    (root / SURVEY / "1.0.0.sv.toml").write_text(SWEDISH_SURVEY.replace(old, new, 1))
    tree = load_tree(root)
    assert says in _messages(tree)
    assert "1.0.0.sv.toml" in _messages(tree)
    survey = next(s for s in tree.surveys if s.id == "example-survey")
    assert survey.translations == {}  # the English still loads, without the bad Swedish


def test_a_translation_of_a_version_that_does_not_exist_and_stray_files_are_named(root):
    (root / SURVEY / "2.0.0.sv.toml").write_text(SWEDISH_SURVEY.replace("1.0.0", "2.0.0"))
    (root / SURVEY / "draft.toml").write_text(SWEDISH_SURVEY)
    messages = _messages(load_tree(root))
    assert "translates version 2.0.0, which did not load" in messages
    assert "'draft.toml' is neither a version nor a translation of one" in messages


def test_a_swedish_rubric_keeps_its_levels_and_cites_swedish_descriptors(root):
    english = (root / RUBRIC / "1.0.0.toml").read_text()
    tree = load_tree(root)
    rubric = tree.rubrics[0]
    swedish = english.replace('version = "1.0.0"', 'version = "1.0.0"\nlanguage = "sv"', 1)
    for criterion in rubric.criteria:
        for key, text in criterion.descriptors.items():
            swedish = swedish.replace(text, f"Gruppen gör {key} på sitt eget sätt. "
                                             "Nästa steg: fråga personen.")
    for exemplar in rubric.exemplars:
        for rating in exemplar.ratings:
            swedish = swedish.replace(f'meets = "{rating.meets}"',
                                      f'meets = "gör {rating.level} på"')
    (root / RUBRIC / "1.0.0.sv.toml").write_text(swedish)
    tree = load_tree(root)
    assert not tree.report.errors, _messages(tree)
    assert "sv" in tree.rubrics[0].translations
    # A phrase that is not in the Swedish descriptor is refused, as in English.
    (root / RUBRIC / "1.0.0.sv.toml").write_text(
        swedish.replace(f"gör {exemplar.ratings[0].level} på", "något helt annat här", 1))
    assert "which is not a phrase of its descriptor" in _messages(load_tree(root))


def _edition(root: Path, **changes) -> Path:
    """A Swedish edition of the example module (its words left English: the check is of its
    shape)."""
    folder = root / "content/example-module-sv/1.0.0"
    shutil.copytree(root / MODULE, folder)
    text = (folder / "module.toml").read_text().replace(
        'id = "example-module"', 'id = "example-module-sv"', 1).replace(
        'minutes = 45', 'minutes = 45\nlanguage = "sv"\n'
        + changes.get("edition_of", 'edition_of = { id = "example-module", version = "1.0.0" }'),
        1)
    (folder / "module.toml").write_text(text)
    return folder


def test_an_edition_in_another_language_with_the_same_objectives_and_checks_loads(root):
    _edition(root)
    tree = load_tree(root)
    assert not tree.report.errors, _messages(tree)
    edition = next(m for m in tree.modules if m.slug == "example-module-sv")
    assert edition.edition_of == ("example-module", "1.0.0") and edition.language == "sv"


@pytest.mark.parametrize("edition_of, says", [
    ('edition_of = { id = "no-such-module", version = "1.0.0" }',
     "edition_of names no-such-module 1.0.0, which is not in this content"),
    ('edition_of = { id = "example-module-sv", version = "1.0.0" }',
     "cannot be an edition of its own module"),
    ('edition_of = { id = "example-module" }', "edition_of"),
    ('edition_of = "example-module"', "edition_of"),
])
def test_an_edition_must_name_a_module_version_in_this_content(root, edition_of, says):
    _edition(root, edition_of=edition_of)
    tree = load_tree(root)
    assert says in _messages(tree)
    assert "example-module-sv" not in {m.slug for m in tree.modules}


def test_an_edition_must_keep_the_objectives_and_checks_so_figures_can_pool(root):
    folder = _edition(root)
    checks = (folder / "checks.toml").read_text()
    first_id = checks.split('id = "', 1)[1].split('"', 1)[0]
    (folder / "checks.toml").write_text(checks.replace(f'id = "{first_id}"', 'id = "annan"', 1))
    messages = _messages(load_tree(root))
    assert "the objectives or knowledge checks differ from example-module 1.0.0" in messages


def test_an_edition_in_the_same_language_is_refused(root):
    folder = _edition(root)
    module = folder / "module.toml"
    module.write_text(module.read_text().replace('language = "sv"\n', ""))
    assert "is in the same language ('en')" in _messages(load_tree(root))
