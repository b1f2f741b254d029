"""Suggested mixed groups: even sizes, a patient partner in every group while they last."""

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.teach.grouping import Person, group_names, suggest


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
