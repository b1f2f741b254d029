"""Scoring: ratings become levels in words, never sums; withheld parts are not assessed; the two
lenses meet per theme, and opposite directions are flagged."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.loader import load_tree
from curriculum.scoring import (
    NOT_ASSESSED,
    Bands,
    ScoringError,
    bands_differ,
    perspectives_differ,
    score,
    side_by_side,
    stored_profile,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rubrics():
    tree = load_tree(ROOT)
    return {r.id: r for r in tree.rubrics}


def _all(rubric, level):
    return {c.id: level for c in rubric.criteria}


def test_a_profile_gives_each_criterion_its_level_and_next_step(rubrics):
    educator = rubrics["case-rubric"]
    ratings = _all(educator, "developing") | {"so-what-now-what": "exemplary"}
    profile = score(educator, ratings)
    by_id = {r.criterion_id: r for r in profile.results}
    assert by_id["situation-and-roles"].label == "Developing"
    assert "To reach Proficient" in by_id["situation-and-roles"].next_step
    assert by_id["so-what-now-what"].position == 3
    assert not hasattr(profile, "total") and not hasattr(profile, "score")


def test_withheld_parts_make_a_criterion_not_assessed_never_lower(rubrics):
    educator = rubrics["case-rubric"]
    ratings = _all(educator, "proficient")
    profile = score(educator, ratings, withheld={"reflection"})
    by_id = {r.criterion_id: r for r in profile.results}
    assert by_id["so-what-now-what"].label == NOT_ASSESSED
    assert by_id["so-what-now-what"].position is None
    # A criterion that still has parts to read keeps its rating.
    assert by_id["coproduction-stance"].label == "Proficient"


def test_a_statement_marked_not_assessed_is_no_level_and_no_band(rubrics):
    from curriculum.scoring import NOT_ASSESSED_KEY, Bands

    patient = rubrics["patient-review"]
    ratings = _all(patient, "fully") | {"strengths-visible": NOT_ASSESSED_KEY}
    by_id = {r.criterion_id: r for r in score(patient, ratings).results}
    assert by_id["strengths-visible"].label == NOT_ASSESSED
    assert not by_id["strengths-visible"].assessed
    assert by_id["whole-person"].label == "Fully"
    assert Bands(patient).of(ratings)["person"] == "top", "the rest of the theme still counts"


def test_ratings_that_do_not_fit_the_rubric_are_refused(rubrics):
    educator = rubrics["case-rubric"]
    with pytest.raises(ScoringError, match="no such criterion"):
        score(educator, _all(educator, "proficient") | {"made-up": "proficient"})
    with pytest.raises(ScoringError, match="not a level"):
        score(educator, _all(educator, "fully"))
    with pytest.raises(ScoringError, match="has no rating"):
        score(educator, {})


def test_lenses_side_by_side_per_theme_and_opposite_directions_flagged(rubrics):
    educator, patient = rubrics["case-rubric"], rubrics["patient-review"]
    high = score(educator, _all(educator, "exemplary"))
    low = score(patient, _all(patient, "not_yet"))
    rows = side_by_side(high, low)
    themes = [row.theme for row in rows]
    assert themes == ["context", "person", "knowledge", "system", "partnership", "action"]
    person = next(row for row in rows if row.theme == "person")
    assert len(person.educator) == 1 and len(person.patient) == 3
    # Context and knowledge have no patient-lens statement, so they cannot differ.
    assert perspectives_differ(high, low) == ["person", "system", "partnership", "action"]
    middling = score(patient, _all(patient, "mostly"))
    assert perspectives_differ(high, middling) == []
    assert perspectives_differ(high, None) == []


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_theme_bands_flag_exactly_what_side_by_side_flags(rubrics, data):
    """Reports compare thousands of review pairs with ``Bands``; they must agree with the
    feedback page's ``perspectives_differ`` on every pair, withheld criteria included."""
    educator, patient = rubrics["case-rubric"], rubrics["patient-review"]

    def ratings(rubric):
        levels = [level.key for level in rubric.levels]
        chosen = data.draw(st.lists(st.sampled_from([c.id for c in rubric.criteria]),
                                    unique=True))
        return {c: data.draw(st.sampled_from(levels)) for c in chosen}

    e, p = ratings(educator), ratings(patient)
    expected = bool(perspectives_differ(stored_profile(educator, e), stored_profile(patient, p)))
    assert bands_differ(Bands(educator).of(e), Bands(patient).of(p)) == expected


def test_practice_compares_each_statement_with_the_agreed_level(rubrics):
    from curriculum.scoring import compare_with_agreed

    rubric = rubrics["patient-review"]
    exemplar = rubric.exemplars[0]
    agreed = {r.criterion: r.level for r in exemplar.ratings}
    order = [level.key for level in rubric.levels]
    first, second = rubric.criteria[0].id, rubric.criteria[1].id
    one_up = order[min(order.index(agreed[first]) + 1, len(order) - 1)]
    rows = compare_with_agreed(rubric, exemplar, {first: one_up, second: agreed[second]})
    assert [row.title for row in rows] == [c.title for c in rubric.criteria]
    assert rows[0].gap == order.index(one_up) - order.index(agreed[first])
    assert rows[1].gap == 0 and rows[1].yours == rows[1].agreed
    assert all(row.gap is None and row.yours == "—" for row in rows[2:]), "left unrated"
    assert rows[0].comment == {r.criterion: r.comment for r in exemplar.ratings}[first]
