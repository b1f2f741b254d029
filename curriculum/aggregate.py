"""Feedback aggregation with small-cell suppression: every rule in one place. Pure.

A *cell* is the respondents of one module version × cohort × respondent type (student /
patient). The primary unit of report is the module version pooled across cohorts, per
respondent type. The rules:

- One threshold ``k`` for everyone: default 5, may be raised, never below 5.
- A cell with fewer than ``k`` respondents is hidden, and so is everything about it: a
  distribution is shown whole or not at all.
- Complementary suppression: when a pooled total is published and one of its cells is hidden,
  more cells are hidden (smallest first) until at least two are hidden *and* the hidden cells
  together hold at least ``k`` respondents, so no published figure, or difference of
  published figures, narrows a hidden cell below ``k``.
- Each cell's fate is decided here once; every page and export reads the same decisions, so
  no two reports can be subtracted to reveal a cell.
- Nothing is ever totalled across respondent types below the pooled level, so a cohort's
  students cannot be subtracted from a cohort total to reveal its few patients.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

MIN_K = 5
RESPONDENT_TYPES = ("student", "patient")


class AggregateError(ValueError):
    """Inputs that cannot be aggregated (a threshold below 5, an unknown respondent type)."""


@dataclass(frozen=True)
class Cell:
    module_version: str
    cohort: str
    respondent: str
    n: int
    #: item id → option → count (the answers of this cell's respondents)
    answers: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.module_version, self.cohort, self.respondent)


@dataclass(frozen=True)
class Shown:
    """A published figure: the respondents and their whole distributions, or why not."""

    key: tuple[str, ...]
    n: int | None
    answers: dict[str, dict[str, int]] | None
    #: empty when shown; otherwise the reason, in words a reader understands
    hidden_because: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden_because


@dataclass
class Publication:
    k: int
    #: (module version, cohort, respondent) → Shown
    cells: dict[tuple[str, str, str], Shown] = field(default_factory=dict)
    #: (module version, respondent) → Shown, pooled across cohorts
    pooled: dict[tuple[str, str], Shown] = field(default_factory=dict)


FEWER_THAN_K = "fewer than {k} people answered"
COMPLEMENTARY = "hidden so that a smaller group elsewhere cannot be worked out"


def threshold(k: int | None) -> int:
    if k is None:
        return MIN_K
    if k < MIN_K:
        raise AggregateError(f"the threshold k is at least {MIN_K}; {k} would expose people")
    return k


def _sum_answers(cells) -> dict[str, dict[str, int]]:
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in cells:
        for item, options in cell.answers.items():
            for option, count in options.items():
                total[item][option] += count
    return {item: dict(options) for item, options in total.items()}


def publish(cells: list[Cell], k: int | None = None) -> Publication:
    """Decide, once, what of ``cells`` may be published."""
    k = threshold(k)
    for cell in cells:
        if cell.respondent not in RESPONDENT_TYPES:
            raise AggregateError(f"unknown respondent type {cell.respondent!r}")
        if cell.n < 0:
            raise AggregateError("a cell cannot have fewer than 0 respondents")
    result = Publication(k)
    groups: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for cell in sorted(cells, key=lambda c: c.key):
        groups[(cell.module_version, cell.respondent)].append(cell)
    for pool_key, members in sorted(groups.items()):
        hidden: dict[tuple, str] = {c.key: FEWER_THAN_K.format(k=k) for c in members
                                    if c.n < k}
        total = sum(c.n for c in members)
        if hidden and total >= k:
            visible = sorted((c for c in members if c.key not in hidden),
                             key=lambda c: (c.n, c.key))
            while visible and (len(hidden) < 2 or
                               sum(c.n for c in members if c.key in hidden) < k):
                hidden[visible.pop(0).key] = COMPLEMENTARY
        for cell in members:
            reason = hidden.get(cell.key, "")
            result.cells[cell.key] = Shown(cell.key, None if reason else cell.n,
                                           None if reason else cell.answers, reason)
        if total >= k:
            result.pooled[pool_key] = Shown(pool_key, total, _sum_answers(members))
        else:
            result.pooled[pool_key] = Shown(pool_key, None, None, FEWER_THAN_K.format(k=k))
    return result
