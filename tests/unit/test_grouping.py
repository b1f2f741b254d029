"""Suggested mixed groups: even sizes, a patient partner in every group while they last."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.teach.grouping import Person, group_names, sensible_count, suggest


def _people(students: int, partners: int) -> list[Person]:
    return ([Person(i, f"S{i}", "student") for i in range(students)]
            + [Person(1000 + i, f"P{i}", "patient_partner") for i in range(partners)])


@settings(max_examples=300, deadline=None)
@given(students=st.integers(0, 60), partners=st.integers(0, 20), groups=st.integers(1, 25),
       seed=st.integers(0, 2**31 - 1))
def test_suggestions_are_even_mixed_and_complete(students, partners, groups, seed):
    people = _people(students, partners)
    result = suggest(people, groups, seed)
    assert len(result) == groups
    sizes = [len(g) for g in result]
    assert max(sizes) - min(sizes) <= 1
    placed = [p.account_id for g in result for p in g]
    assert sorted(placed) == sorted(p.account_id for p in people)  # everyone, once
    with_partner = sum(any(p.role == "patient_partner" for p in g) for g in result)
    assert with_partner == min(groups, partners)


def test_the_same_inputs_give_the_same_groups_and_a_new_seed_can_differ():
    people = _people(16, 4)
    assert suggest(people, 4, 7) == suggest(list(reversed(people)), 4, 7)
    assert any(suggest(people, 4, seed) != suggest(people, 4, 7) for seed in range(8, 20))


def test_new_group_names_skip_names_in_use():
    assert group_names(3, {"Group 2"}) == ["Group 1", "Group 3", "Group 4"]


@settings(max_examples=300, deadline=None)
@given(students=st.integers(0, 80), partners=st.integers(0, 30))
def test_the_offered_number_makes_groups_of_at_most_seven_with_two_partners_where_possible(
        students, partners):
    people = _people(students, partners)
    count = sensible_count(people)
    groups = suggest(people, count, 0)
    total = students + partners
    assert max(len(g) for g in groups) <= 7
    if total >= 5:
        assert min(len(g) for g in groups) >= min(5, total // count)
    possible = [n for n in range(-(-total // 7) or 1, max(-(-total // 7), total // 5) + 1)
                if partners >= 2 * n]
    if possible:  # two patient partners in every group whenever some sensible count allows
        assert all(sum(p.role == "patient_partner" for p in g) >= 2 for g in groups)


@pytest.mark.parametrize("students, partners, expected", [
    (20, 10, 5),  # 30 people: five groups of six, two patient partners each
    (24, 6, 6),   # six partners cannot pair up in groups of at most seven: one each
    (0, 0, 1),
    (3, 1, 1),
])
def test_worked_examples_of_the_offered_number(students, partners, expected):
    assert sensible_count(_people(students, partners)) == expected
