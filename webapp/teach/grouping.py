"""Suggesting mixed groups: pure, so it can be tested over many random cohorts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from webapp.roles import PATIENT_PARTNER


@dataclass(frozen=True)
class Person:
    account_id: int
    name: str
    role: str  # "student" or PATIENT_PARTNER


def suggest(people: list[Person], groups: int, seed: int = 0) -> list[list[Person]]:
    """Spread people over ``groups`` groups.

    Patient partners are dealt first, one per group while they last, then students continue
    the same round, so group sizes differ by at most one and every group has a patient partner
    whenever there are at least as many patient partners as groups. The order within each role
    is shuffled with ``seed`` (the same inputs always give the same groups).
    """
    if groups < 1:
        raise ValueError("at least one group")
    rng = random.Random(seed)
    partners = sorted((p for p in people if p.role == PATIENT_PARTNER),
                      key=lambda p: p.account_id)
    students = sorted((p for p in people if p.role != PATIENT_PARTNER),
                      key=lambda p: p.account_id)
    rng.shuffle(partners)
    rng.shuffle(students)
    result: list[list[Person]] = [[] for _ in range(groups)]
    for index, person in enumerate(partners + students):
        result[index % groups].append(person)
    return result


def group_names(count: int, taken: set[str]) -> list[str]:
    """Names "Group 1", "Group 2", … skipping names the cohort already uses."""
    names, number = [], 1
    while len(names) < count:
        name = f"Group {number}"
        if name not in taken:
            names.append(name)
        number += 1
    return names


#: A mixed group works best with five to seven people.
SMALLEST, LARGEST = 5, 7


def sensible_count(people: list[Person]) -> int:
    """How many groups to suggest: groups of five to seven, with two patient partners in
    each where numbers allow (nobody should be the only patient among professionals), else
    one each, else as few groups without one as the sizes allow."""
    total = len(people)
    if total == 0:
        return 1
    partners = sum(1 for p in people if p.role == PATIENT_PARTNER)
    fewest = max(1, -(-total // LARGEST))  # ceiling: no group above seven
    most = max(fewest, total // SMALLEST)  # no group below five, where that is possible
    sizes = range(fewest, most + 1)
    for per_group in (2, 1):
        fits = [count for count in sizes if partners >= per_group * count]
        if fits:
            return max(fits)
    return fewest
