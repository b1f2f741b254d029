"""Feedback aggregation with small-cell suppression: every rule in one place. Pure.

A *cell* is the respondents of one module version × cohort × respondent type (student /
patient). The primary unit of report is the module version pooled across cohorts, per
respondent type. The rules:

- One threshold ``k`` for everyone: default 5, may be raised, never below 5.
- A cell with fewer than ``k`` respondents is hidden, and so is everything about it: a
  distribution is shown whole or not at all.
- Complementary suppression: when a pooled total is published and one of its cells is hidden,
  more cells are hidden (smallest first) until at least two are hidden, the hidden cells
  together hold at least ``k`` respondents, *and* — for a reader who knows this rule, and so
  knows that hidden cells are the pool's smallest — each hidden cell could still be anything
  from 0 to ``k - 1`` (``_safe``). No published figure, difference of figures, or knowledge
  of the rule narrows a hidden cell more than its own smallness would.
- Every hidden figure gives the same reason (``HIDDEN``): which rule hid it is never shown.
- Each cell's fate is decided here once; every page and export reads the same decisions, so
  no two reports can be subtracted to reveal a cell.
- Nothing is ever totalled across respondent types below the pooled level, so a cohort's
  students cannot be subtracted from a cohort total to reveal its few patients.
- Where a cell's figures come from reviewers rather than respondents (rubric levels per lens),
  a cell drawn from fewer than ``min_sources`` distinct people is hidden too, so patient-lens
  figures are never one reviewer's ratings.

The same rules serve every table of a report: module feedback by respondent type, then/now
confidence, knowledge-check first tries (students) and rubric levels by lens (``types``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

MIN_K = 5
RESPONDENT_TYPES = ("student", "patient", "coteacher")
LENS_TYPES = ("educator", "patient")


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
    #: the distinct people the figures come from, where that differs from respondents
    #: (reviewers); empty when every respondent is their own source
    sources: frozenset = frozenset()

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


#: The one reason every hidden figure gives. Which rule hid a cell is never published: a
#: reason that named it ("fewer than k answered" beside "hidden so that a smaller group
#: cannot be worked out") would tell a reader which cells are small and bound their sizes.
HIDDEN = "hidden to protect small groups"


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


def _too_few(cells, k: int, min_sources: int) -> str:
    """``HIDDEN`` when these cells, taken together, may not be published ("" when they may)."""
    if sum(c.n for c in cells) < k:
        return HIDDEN
    if min_sources > 1 and len(frozenset().union(*(c.sources for c in cells))) < min_sources:
        return HIDDEN
    return ""


def _safe(hidden: list[Cell], smallest_visible: float, k: int, min_sources: int) -> bool:
    """Whether hiding ``hidden`` (and showing the rest of their pool) protects every one.

    A reader knows the pooled total, every shown cell, and this rule: at least one hidden
    cell is small (under ``k``), and the others were hidden smallest first, so none is above
    the smallest shown cell (one below it, when a tie was broken by cohort). Every hidden
    cell must still be able to be anything from 0 to ``k - 1`` — a range as wide as a lone
    small cell's — so the other hidden cells must be able to hold all that is hidden between
    them: ``S <= (h - 1) * (V - 1)`` for ``h`` hidden cells holding ``S`` people, ``V`` the
    smallest shown cell. At least two cells are hidden and, together, they must be
    publishable themselves (``k`` people, enough reviewers).
    """
    if len(hidden) < 2 or _too_few(hidden, k, min_sources):
        return False
    total = sum(c.n for c in hidden)
    return total <= (len(hidden) - 1) * (smallest_visible - 1)


def publish(cells: list[Cell], k: int | None = None, *, types: tuple[str, ...] = RESPONDENT_TYPES,
            min_sources: dict[str, int] | None = None) -> Publication:
    """Decide, once, what of ``cells`` may be published. ``types`` are the respondent types
    (or lenses) the cells may have; ``min_sources`` the fewest distinct people behind a shown
    cell, per type (1 where respondents are their own source)."""
    k = threshold(k)
    min_sources = min_sources or {}
    for cell in cells:
        if cell.respondent not in types:
            raise AggregateError(f"unknown respondent type {cell.respondent!r}")
        if cell.n < 0:
            raise AggregateError("a cell cannot have fewer than 0 respondents")
    result = Publication(k)
    groups: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for cell in sorted(cells, key=lambda c: c.key):
        groups[(cell.module_version, cell.respondent)].append(cell)
    for pool_key, members in sorted(groups.items()):
        sources = min_sources.get(pool_key[1], 1)
        hidden: dict[tuple, str] = {}
        for c in members:
            reason = _too_few([c], k, sources)
            if reason:
                hidden[c.key] = reason
        pooled_reason = _too_few(members, k, sources)
        if hidden and not pooled_reason:
            visible = sorted((c for c in members if c.key not in hidden),
                             key=lambda c: (c.n, c.key))
            while visible and not _safe([c for c in members if c.key in hidden],
                                        visible[0].n, k, sources):
                hidden[visible.pop(0).key] = HIDDEN
        for cell in members:
            reason = hidden.get(cell.key, "")
            result.cells[cell.key] = Shown(cell.key, None if reason else cell.n,
                                           None if reason else cell.answers, reason)
        if not pooled_reason:
            result.pooled[pool_key] = Shown(pool_key, sum(c.n for c in members),
                                            _sum_answers(members))
        else:
            result.pooled[pool_key] = Shown(pool_key, None, None, pooled_reason)
    return result
