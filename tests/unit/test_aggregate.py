"""Small-cell suppression: no published figure, alone or combined, narrows a hidden cell.

The interval check: for every hidden cell, solve the linear programs "minimise / maximise this
cell subject to every published figure" (scipy linprog). The feasible range must be wider
than k - 1, or the published figures would pin the cell down.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from curriculum.aggregate import AggregateError, Cell, publish


def _interval_widths(cells, publication):
    """For each hidden cell: max - min of its size over everything published."""
    keys = [c.key for c in cells]
    index = {key: i for i, key in enumerate(keys)}
    equalities, values = [], []
    for key, shown in publication.cells.items():
        if shown.shown:
            row = np.zeros(len(keys))
            row[index[key]] = 1
            equalities.append(row)
            values.append(shown.n)
    for (mv, respondent), shown in publication.pooled.items():
        if shown.shown:
            row = np.zeros(len(keys))
            for key in keys:
                if key[0] == mv and key[2] == respondent:
                    row[index[key]] = 1
            equalities.append(row)
            values.append(shown.n)
    widths = {}
    for key, shown in publication.cells.items():
        if shown.shown:
            continue
        goal = np.zeros(len(keys))
        goal[index[key]] = 1
        bounds = [(0, None)] * len(keys)
        kwargs = {"A_eq": np.array(equalities), "b_eq": values} if equalities else {}
        low = linprog(goal, bounds=bounds, method="highs", **kwargs)
        high = linprog(-goal, bounds=bounds, method="highs", **kwargs)
        top = float("inf") if high.status == 3 else -high.fun
        widths[key] = top - low.fun
    return widths


def _cells(spec):
    return [Cell(mv, cohort, who, n, {"clear": {"agree": n}}) for mv, cohort, who, n in spec]


@pytest.mark.parametrize("k", [5, 10])
def test_a_cohort_of_three_never_shows_but_counts_in_the_pool(k):
    cells = _cells([("m1", "c1", "student", 3), ("m1", "c2", "student", 20),
                    ("m1", "c3", "student", 30)])
    pub = publish(cells, k)
    assert not pub.cells[("m1", "c1", "student")].shown
    assert pub.pooled[("m1", "student")].n == 53
    assert all(w > k - 1 for w in _interval_widths(cells, pub).values())


@pytest.mark.parametrize("k", [5, 10])
def test_two_cohorts_with_2_and_6_patients_show_only_the_pool(k):
    cells = _cells([("m1", "c1", "patient", 2), ("m1", "c2", "patient", 6 if k == 5 else 9)])
    pub = publish(cells, k)
    assert not pub.cells[("m1", "c1", "patient")].shown
    assert not pub.cells[("m1", "c2", "patient")].shown
    assert pub.pooled[("m1", "patient")].shown
    assert all(w > k - 1 for w in _interval_widths(cells, pub).values())


def test_a_lone_patient_in_a_cohort_of_twelve_cannot_be_recovered():
    cells = _cells([("m1", "c1", "student", 11), ("m1", "c1", "patient", 1),
                    ("m1", "c2", "patient", 7), ("m1", "c3", "patient", 9)])
    pub = publish(cells)
    assert pub.cells[("m1", "c1", "student")].shown
    assert not pub.cells[("m1", "c1", "patient")].shown
    assert all(w > 4 for w in _interval_widths(cells, pub).values())
    assert ("m1", "c1") not in pub.pooled, "never totalled across respondent types"


def test_a_pooled_cell_of_five_shows_and_four_does_not():
    assert publish(_cells([("m1", "c1", "patient", 5)])).pooled[("m1", "patient")].shown
    four = publish(_cells([("m1", "c1", "patient", 2), ("m1", "c2", "patient", 2)]))
    assert not four.pooled[("m1", "patient")].shown
    assert four.pooled[("m1", "patient")].hidden_because == "fewer than 5 people answered"


def test_distributions_are_whole_or_absent_and_k_never_drops_below_5():
    pub = publish(_cells([("m1", "c1", "student", 4), ("m1", "c2", "student", 9)]))
    for shown in pub.cells.values():
        assert (shown.answers is None) == (not shown.shown)
    with pytest.raises(AggregateError, match="at least 5"):
        publish([], k=4)


@st.composite
def programmes(draw):
    spec = []
    for mv in range(draw(st.integers(1, 3))):
        for cohort in range(draw(st.integers(1, 6))):
            for who in ("student", "patient"):
                if draw(st.booleans()):
                    spec.append((f"m{mv}", f"c{cohort}", who, draw(st.integers(0, 25))))
    return spec, draw(st.sampled_from([5, 5, 7, 10]))


@settings(max_examples=200, deadline=None)
@given(programmes())
def test_no_published_combination_narrows_a_hidden_cell(data):
    spec, k = data
    cells = _cells(spec)
    pub = publish(cells, k)
    for key, shown in pub.cells.items():
        cell = next(c for c in cells if c.key == key)
        if cell.n < k:
            assert not shown.shown
    for key, width in _interval_widths(cells, pub).items():
        assert width > k - 1, (key, width, spec)


def test_rubric_cells_from_one_reviewer_are_hidden_even_when_large():
    """Patient-lens figures are never one reviewer's ratings: a cohort whose 12 reviews all
    came from one co-teacher is hidden, and so is a second cell to protect it."""
    cells = [Cell("m", "c1", "patient", 12, {"x": {"a": 12}}, frozenset({7})),
             Cell("m", "c2", "patient", 9, {"x": {"a": 9}}, frozenset({8, 9})),
             Cell("m", "c3", "patient", 6, {"x": {"a": 6}}, frozenset({10, 11})),
             Cell("m", "c1", "educator", 12, {"x": {"a": 12}}, frozenset({1}))]
    out = publish(cells, types=("educator", "patient"), min_sources={"patient": 2})
    assert out.cells[("m", "c1", "patient")].hidden_because.startswith("fewer than 2 reviewers")
    assert not out.cells[("m", "c3", "patient")].shown, "complementary suppression"
    assert out.cells[("m", "c2", "patient")].n == 9
    assert out.pooled[("m", "patient")].n == 27
    assert out.pooled[("m", "educator")].n == 12, "the rule is for the patient lens"
    with pytest.raises(AggregateError):
        publish([Cell("m", "c1", "student", 5)], types=("educator", "patient"))
