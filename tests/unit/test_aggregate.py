"""Small-cell suppression: no published figure, alone or combined, narrows a hidden cell.

The interval check: for every hidden cell, solve the linear programs "minimise / maximise this
cell subject to every published fact" (scipy linprog). The facts are every shown cell, every
pooled total, and what the published rule itself tells a reader: hidden cells are the
smallest of their pool, so none is larger than the smallest shown cell beside it. The
feasible range must be at least k - 1 wide, as wide as a lone cell under k would be.

A second check goes further: a reader who knows the whole algorithm tries every possible
set of hidden sizes and keeps those for which the algorithm publishes exactly what was
published (the same figures, the same single reason). Their ranges must be as wide.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from curriculum.aggregate import AggregateError, Cell, publish


def _order_limits(cells, publication, index):
    """Hidden cells are the smallest of their pool: each is at most the smallest shown one."""
    rows, limits = [], []
    for key, shown in publication.cells.items():
        if shown.shown:
            continue
        beside = [s.n for other, s in publication.cells.items()
                  if s.shown and other[0] == key[0] and other[2] == key[2]]
        if beside:
            row = np.zeros(len(index))
            row[index[key]] = 1
            rows.append(row)
            limits.append(min(beside))
    return rows, limits


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
        upper, limits = _order_limits(cells, publication, index)
        if upper:
            kwargs |= {"A_ub": np.array(upper), "b_ub": limits}
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
    assert all(w >= k - 1 for w in _interval_widths(cells, pub).values())


@pytest.mark.parametrize("k", [5, 10])
def test_two_cohorts_with_2_and_6_patients_show_only_the_pool(k):
    cells = _cells([("m1", "c1", "patient", 2), ("m1", "c2", "patient", 6 if k == 5 else 9)])
    pub = publish(cells, k)
    assert not pub.cells[("m1", "c1", "patient")].shown
    assert not pub.cells[("m1", "c2", "patient")].shown
    assert pub.pooled[("m1", "patient")].shown
    assert all(w >= k - 1 for w in _interval_widths(cells, pub).values())


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
    assert four.pooled[("m1", "patient")].hidden_because == "hidden to protect small groups"


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
        assert width >= k - 1, (key, width, spec)


def test_rubric_cells_from_one_reviewer_are_hidden_even_when_large():
    """Patient-lens figures are never one reviewer's ratings: a cohort whose 12 reviews all
    came from one co-teacher is hidden, and so are the others: with 12 and 6 hidden beside a
    shown 9, a reader who takes hidden cells to be the smallest would put both at 9."""
    cells = [Cell("m", "c1", "patient", 12, {"x": {"a": 12}}, frozenset({7})),
             Cell("m", "c2", "patient", 9, {"x": {"a": 9}}, frozenset({8, 9})),
             Cell("m", "c3", "patient", 6, {"x": {"a": 6}}, frozenset({10, 11})),
             Cell("m", "c1", "educator", 12, {"x": {"a": 12}}, frozenset({1}))]
    out = publish(cells, types=("educator", "patient"), min_sources={"patient": 2})
    assert out.cells[("m", "c1", "patient")].hidden_because == "hidden to protect small groups"
    assert not out.cells[("m", "c3", "patient")].shown, "complementary suppression"
    assert not out.cells[("m", "c2", "patient")].shown
    assert out.pooled[("m", "patient")].n == 27
    assert out.pooled[("m", "educator")].n == 12, "the rule is for the patient lens"
    with pytest.raises(AggregateError):
        publish([Cell("m", "c1", "student", 5)], types=("educator", "patient"))


def _reasons(publication) -> set[str]:
    return {s.hidden_because for s in [*publication.cells.values(), *publication.pooled.values()]
            if not s.shown}


def test_hidden_cells_all_give_one_reason_that_names_no_rule():
    """k = 10: a cohort of 3 students and a cohort of 11 students + 1 patient. If the first
    said "fewer than 10" and the second "hidden to protect a smaller group", a reader would
    know the second holds 10 or more, and so the first 1 to 4."""
    cells = _cells([("m", "a", "student", 3), ("m", "b", "student", 11),
                    ("m", "b", "patient", 1), ("m", "a", "patient", 0)])
    pub = publish(cells, 10)
    assert not pub.cells[("m", "a", "student")].shown
    assert not pub.cells[("m", "b", "student")].shown
    assert pub.pooled[("m", "student")].n == 14
    assert _reasons(pub) == {"hidden to protect small groups"}
    assert all(w >= 9 for w in _interval_widths(cells, pub).values())
    # k = 5, patients: a cell hidden only to protect the others looked different from them
    patients = publish(_cells([("m", "a", "patient", 2), ("m", "b", "patient", 1),
                               ("m", "c", "patient", 6)]))
    assert _reasons(patients) == {"hidden to protect small groups"}


def test_a_hidden_cell_is_not_pinned_by_the_order_the_rule_hides_in():
    """4, 5 and 5 at k = 5: hiding the 4 and then one 5 (the smallest left) would leave a
    shown 5 beside a hidden pair of 9, so the reader knows the pair is 4 + 5 exactly."""
    cells = _cells([("m", "a", "student", 4), ("m", "b", "student", 5),
                    ("m", "c", "student", 5)])
    pub = publish(cells, 5)
    assert all(w >= 4 for w in _interval_widths(cells, pub).values())
    assert all(w >= 4 for w in _reader_who_knows_the_rule(cells, 5).values())


def _published(cells, k):
    pub = publish(cells, k)
    return (sorted((key, s.n, s.hidden_because) for key, s in pub.cells.items()),
            sorted((key, s.n, s.hidden_because) for key, s in pub.pooled.items()))


def _reader_who_knows_the_rule(cells, k):
    """Every hidden cell's range over all sizes for which the algorithm publishes exactly
    what it published (one pool, so every candidate is a split of what is hidden)."""
    seen = _published(cells, k)
    pub = publish(cells, k)
    hidden = [i for i, c in enumerate(cells) if not pub.cells[c.key].shown]
    pool = pub.pooled[(cells[0].module_version, cells[0].respondent)]
    shown_sum = sum(c.n for c in cells if pub.cells[c.key].shown)
    totals = [pool.n - shown_sum] if pool.shown else range(k)
    low = {i: None for i in hidden}
    high = dict(low)
    for total in totals:
        for split in itertools.product(range(total + 1), repeat=len(hidden)):
            if sum(split) != total:
                continue
            trial = list(cells)
            for i, n in zip(hidden, split, strict=True):
                trial[i] = Cell(cells[i].module_version, cells[i].cohort, cells[i].respondent,
                                n)
            if _published(trial, k) == seen:
                for i, n in zip(hidden, split, strict=True):
                    low[i] = n if low[i] is None else min(low[i], n)
                    high[i] = n if high[i] is None else max(high[i], n)
    return {cells[i].key: high[i] - low[i] for i in hidden}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=3), st.sampled_from([5, 7]))
def test_a_reader_who_knows_the_rule_cannot_narrow_a_hidden_cell(sizes, k):
    cells = [Cell("m", f"c{i}", "student", n) for i, n in enumerate(sizes)]
    for key, width in _reader_who_knows_the_rule(cells, k).items():
        assert width >= k - 1, (key, width, sizes, k)
