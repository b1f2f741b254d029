"""Reviewer allocation: capacity, never one's own group, balanced, covered where possible."""

from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.allocation import Reviewer, Sub, allocate


@st.composite
def cohorts(draw):
    groups = draw(st.integers(1, 80))
    subs = [Sub(i, draw(st.integers(0, groups - 1))) for i in range(draw(st.integers(1, 400)))]
    reviewers = []
    for i in range(draw(st.integers(0, 30))):
        own = draw(st.frozensets(st.integers(0, groups - 1), max_size=2))
        reviewers.append(Reviewer(1000 + i, draw(st.integers(0, 20)), own))
    return subs, reviewers, draw(st.integers(0, 2**31 - 1))


def _check(subs, reviewers, result):
    by_id = {r.id: r for r in reviewers}
    group_of = {s.id: s.group_id for s in subs}
    assert set(result.assigned) | set(result.uncovered) == {s.id for s in subs}
    assert not set(result.assigned) & set(result.uncovered)
    load = {r.id: 0 for r in reviewers}
    for sub, reviewer in result.assigned.items():
        assert group_of[sub] not in by_id[reviewer].groups, "never one's own group"
        load[reviewer] += 1
    for reviewer in reviewers:
        assert load[reviewer.id] <= reviewer.capacity
    # Uncovered only when nobody eligible had room.
    for sub in result.uncovered:
        assert all(load[r.id] >= r.capacity or group_of[sub] in r.groups for r in reviewers)
    # Balanced: no reviewer with room could take a submission from one carrying 2 more.
    for heavy in reviewers:
        for light in reviewers:
            if load[heavy.id] - load[light.id] >= 2 and load[light.id] < light.capacity:
                assert all(group_of[s] in light.groups
                           for s, r in result.assigned.items() if r == heavy.id)


@settings(max_examples=150, deadline=None)
@given(cohorts())
def test_random_cohorts_meet_every_rule(data):
    subs, reviewers, seed = data
    _check(subs, reviewers, allocate(subs, reviewers, seed))


@settings(max_examples=50, deadline=None)
@given(cohorts())
def test_the_same_inputs_give_the_same_allocation(data):
    subs, reviewers, seed = data
    first = allocate(subs, reviewers, seed)
    again = allocate(list(reversed(subs)), list(reversed(reviewers)), seed)
    assert first.assigned == again.assigned and first.uncovered == again.uncovered


def test_no_patient_coteachers_leaves_every_submission_listed():
    subs = [Sub(i, i) for i in range(5)]
    result = allocate(subs, [])
    assert result.assigned == {} and result.uncovered == [0, 1, 2, 3, 4]


def test_one_group_and_capacity_below_demand():
    subs = [Sub(i, 7) for i in range(10)]
    reviewers = [Reviewer(1, 3), Reviewer(2, 2), Reviewer(3, 5, frozenset({7}))]
    result = allocate(subs, reviewers, seed=4)
    _check(subs, reviewers, result)
    assert len(result.assigned) == 5 and len(result.uncovered) == 5


def test_even_spread_when_there_is_room():
    subs = [Sub(i, i % 9) for i in range(40)]
    reviewers = [Reviewer(r, 20) for r in range(1, 7)]
    result = allocate(subs, reviewers, seed=1)
    loads = sorted(result.load(r.id) for r in reviewers)
    assert loads[-1] - loads[0] <= 1 and not result.uncovered


def test_hand_swaps_are_kept_even_when_they_unbalance():
    subs = [Sub(i, i) for i in range(6)]
    reviewers = [Reviewer(1, 10), Reviewer(2, 10)]
    result = allocate(subs, reviewers, seed=2, existing={0: 2, 1: 2, 2: 2, 3: 2, 4: 2})
    assert all(result.assigned[i] == 2 for i in range(5)) and result.assigned[5] == 1
