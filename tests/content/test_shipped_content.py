"""The course as shipped: everything in content/ and assessments/ loads and meets the rules."""

from pathlib import Path

import pytest

from curriculum import template
from curriculum.loader import load_tree
from curriculum.versions import version_key

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["services-are-coproduced", "primary-care-coproduction", "clinical-microsystems",
           "measurable-improvement", "learning-health-systems", "coproduction-in-jonkoping",
           "learning-doing-sharing", "patients-as-partners-in-education"]
GUIDES = ["educator-facilitation", "patient-partner-welcome", "patient-coteacher-reviewing",
          "student-preparation", "debrief", "programme-lead"]


@pytest.fixture(scope="module")
def tree():
    return load_tree(ROOT)


def test_shipped_content_has_no_errors_or_warnings(tree):
    assert [str(p) for p in tree.report.problems] == []


def test_the_first_edition_is_complete(tree):
    first = {m.slug for m in tree.modules if m.version == "1.0.0" and m.language == "en"}
    assert first == set(MODULES)
    assert {g.slug for g in tree.guides if g.language == "en"} == set(GUIDES)
    english = {g.slug: g for g in tree.guides if g.language == "en"}
    for edition in (g for g in tree.guides if g.language == "sv"):
        # a Swedish edition: the English guide's id with "-sv", for the same people and pages
        source = english[edition.slug.removesuffix("-sv")]
        assert edition.slug.endswith("-sv") and edition.audience == source.audience
        assert [p.id for p in edition.pages] == [p.id for p in source.pages], edition.slug
    assert {r.id for r in tree.rubrics} == {"case-rubric", "patient-review"}
    assert {s.id for s in tree.surveys} == {"confidence", "module-feedback"}


def test_some_module_has_a_later_version_that_says_what_changed(tree):
    later = [m for m in tree.modules if version_key(m.version) > (1, 0, 0)]
    assert later and all(m.changes for m in later)


@pytest.mark.parametrize("slug", MODULES)
def test_each_module_has_the_shape_the_course_needs(tree, slug):
    module = next(m for m in tree.modules if m.slug == slug and m.version == "1.0.0")
    assert 3 <= len(module.objectives) <= 6
    assert 2 <= len(module.lessons) <= 4
    assert 4 <= len(module.checks) <= 8
    assert [s.key for s in module.case.sections] == list(template.KEYS)
    assert all(len(option.explanation) > 20 for item in module.checks for option in item.options)
    words = [len(lesson.body.split()) for lesson in module.lessons]
    assert all(450 <= n <= 1500 for n in words), words
    cited = {key for lesson in module.lessons for key in _cited(lesson.body)}
    assert cited, "lessons cite their sources"
    assert "fictional" in module.case.scenario.lower()


def _cited(text):
    from curriculum.text_rules import citations

    return {key for _line, key in citations(text)}


def test_rubrics_carry_themes_and_exemplars(tree):
    rubrics = {r.id: r for r in tree.rubrics}
    educator, patient = rubrics["case-rubric"], rubrics["patient-review"]
    assert educator.lens == "educator" and len(educator.criteria) == 6
    assert [lv.label for lv in educator.levels] == ["Beginning", "Developing", "Proficient",
                                                    "Exemplary"]
    assert patient.lens == "patient" and len(patient.criteria) == 7
    assert [lv.label for lv in patient.levels] == ["Not yet", "Partly", "Mostly", "Fully"]
    assert patient.open_question
    for rubric in (educator, patient):
        assert rubric.exemplars
        assert {c.theme for c in rubric.criteria} <= {"context", "person", "knowledge", "system",
                                                      "partnership", "action"}


def _newest(items, slug):
    from curriculum.versions import version_key

    return max((i for i in items if i.id == slug), key=lambda i: version_key(i.version))


@pytest.mark.parametrize("slug", ["case-rubric", "patient-review"])
def test_reviewers_calibrate_on_a_range_of_levels(tree, slug):
    """The newest rubric has a second exemplar at another level, and every rating quotes what
    its own level's description says (the check enforces the quote)."""
    rubric = _newest(tree.rubrics, slug)
    assert len(rubric.exemplars) >= 2
    order = [lv.key for lv in rubric.levels]
    typical = [sorted(order.index(r.level) for r in ex.ratings)[len(ex.ratings) // 2]
               for ex in rubric.exemplars]
    assert len(set(typical)) >= 2, "the exemplars sit at different levels"
    assert all(r.meets for ex in rubric.exemplars for r in ex.ratings)


def test_the_rubrics_never_count_what_a_person_has(tree):
    """Descriptors judge what the group did with what was shared, not how many supports or
    strengths a person has, and both rubrics offer "not assessed" by the partner's choice."""
    for slug in ("case-rubric", "patient-review"):
        rubric = _newest(tree.rubrics, slug)
        text = " ".join(d for c in rubric.criteria for d in c.descriptors.values()).lower()
        assert "assets and supports" not in text and "strengths and supports are" not in text
        assert "one strength or support is named" not in text
        assert "not assessed" in rubric.intro.lower()


def test_module_1_and_the_jonkoping_module_run_a_term_in_swedish(tree):
    """The two Swedish editions a Swedish term needs: each an edition of the English version
    it follows, with its nine parts, and rubrics and surveys all have Swedish text."""
    editions = {m.slug: m for m in tree.modules if m.language == "sv"}
    assert editions.keys() == {"services-are-coproduced-sv", "coproduction-in-jonkoping-sv"}
    english = {(m.slug, m.version): m for m in tree.modules}
    for module in editions.values():
        source = english[tuple(module.edition_of)]
        assert source.language == "en"
        assert [s.key for s in module.case.sections] == [s.key for s in source.case.sections]
        assert len(module.case.sections) == 9
        assert "påhittat" in module.case.scenario  # says it is fictional, in Swedish
    for item in (*tree.rubrics, *tree.surveys):
        newest = max((i for i in (*tree.rubrics, *tree.surveys) if i.id == item.id),
                     key=lambda i: tuple(int(p) for p in i.version.split(".")))
        if item is newest:
            assert "sv" in item.translations, item.id
