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
