"""Rubric ratings → per-criterion results, a profile in words, and the two lenses side by side.

Pure. Levels are words and positions, never points: nothing here adds levels up. A criterion
whose template parts were all withheld by a patient partner is "not assessed", which is
neither a level nor a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from curriculum.model import Rubric

THEMES = ("context", "person", "knowledge", "system", "partnership", "action")


class ScoringError(ValueError):
    """Ratings that do not fit the rubric (an unknown criterion or level)."""


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    title: str
    theme: str
    #: The level key, or None when not assessed.
    level: str | None
    #: The level's label ("Proficient"), or "Not assessed".
    label: str
    #: What the level says, as a next step ("to reach Exemplary, …"); empty if not assessed.
    next_step: str
    #: 0 = lowest level … len(levels) - 1 = highest; None when not assessed.
    position: int | None
    comment: str = ""

    @property
    def assessed(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Profile:
    rubric_id: str
    rubric_version: str
    lens: str
    level_count: int
    results: tuple[CriterionResult, ...]

    def by_theme(self) -> dict[str, list[CriterionResult]]:
        out: dict[str, list[CriterionResult]] = {}
        for result in self.results:
            out.setdefault(result.theme, []).append(result)
        return out


NOT_ASSESSED = "Not assessed"
#: The value a reviewer stores for a criterion they leave unassessed because the patient
#: partner chose not to share what it looks at. Never a level key (content check refuses it).
NOT_ASSESSED_KEY = "not_assessed"


def score(rubric: Rubric, ratings: dict[str, str], *, withheld: set[str] = frozenset(),
          comments: dict[str, str] | None = None) -> Profile:
    """The profile of one review. ``ratings``: criterion id → level key. ``withheld``: template
    parts a patient partner held back; a criterion all of whose parts are withheld is not
    assessed (any rating given for it is ignored), and so is one the reviewer marked
    ``NOT_ASSESSED_KEY``."""
    levels = [level.key for level in rubric.levels]
    labels = {level.key: level.label for level in rubric.levels}
    known = {criterion.id for criterion in rubric.criteria}
    unknown = set(ratings) - known
    if unknown:
        raise ScoringError(f"no such criterion in {rubric.id} {rubric.version}: "
                           f"{', '.join(sorted(unknown))}")
    results = []
    for criterion in rubric.criteria:
        comment = (comments or {}).get(criterion.id, "")
        if criterion.sections and set(criterion.sections) <= set(withheld) \
                or ratings.get(criterion.id) == NOT_ASSESSED_KEY:
            results.append(CriterionResult(criterion.id, criterion.title, criterion.theme, None,
                                           NOT_ASSESSED, "", None, comment))
            continue
        level = ratings.get(criterion.id)
        if level is None:
            raise ScoringError(f"criterion {criterion.id!r} has no rating")
        if level not in labels:
            raise ScoringError(f"{level!r} is not a level of {rubric.id} {rubric.version}")
        results.append(CriterionResult(criterion.id, criterion.title, criterion.theme, level,
                                       labels[level], criterion.descriptors.get(level, ""),
                                       levels.index(level), comment))
    return Profile(rubric.id, rubric.version, rubric.lens, len(levels), tuple(results))


class Bands:
    """Per theme, whether a stored review sits in the top two or bottom two levels: what
    ``perspectives_differ`` compares, worked out without building whole profiles (reports
    compare thousands of pairs)."""

    def __init__(self, rubric: Rubric) -> None:
        self.count = len(rubric.levels)
        self.position = {level.key: i for i, level in enumerate(rubric.levels)}
        self.theme = {criterion.id: criterion.theme for criterion in rubric.criteria}

    def of(self, ratings: dict[str, str]) -> dict[str, str | None]:
        positions: dict[str, list[int]] = {}
        for criterion, level in ratings.items():
            theme, position = self.theme.get(criterion), self.position.get(level)
            if theme is not None and position is not None:
                positions.setdefault(theme, []).append(position)
        return {theme: ("top" if all(p >= self.count - 2 for p in found) else
                        "bottom" if all(p <= 1 for p in found) else None)
                for theme, found in positions.items()}


def bands_differ(educator: dict[str, str | None], patient: dict[str, str | None]) -> bool:
    """True when on some theme one lens is at its top two levels and the other at its bottom
    two (the rule of ``side_by_side``)."""
    return any({band, patient.get(theme)} == {"top", "bottom"}
               for theme, band in educator.items())


def stored_profile(rubric: Rubric, ratings: dict[str, str]) -> Profile:
    """The profile of a submitted review as stored: a criterion without a rating was not
    assessed (its parts were withheld); ratings that no longer fit the rubric are ignored."""
    levels = [level.key for level in rubric.levels]
    results = []
    for criterion in rubric.criteria:
        level = ratings.get(criterion.id)
        position = levels.index(level) if level in levels else None
        results.append(CriterionResult(criterion.id, criterion.title, criterion.theme,
                                       level if position is not None else None, "", "",
                                       position))
    return Profile(rubric.id, rubric.version, rubric.lens, len(levels), tuple(results))


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    educator: tuple[CriterionResult, ...]
    patient: tuple[CriterionResult, ...]
    #: One lens at its top two levels and the other at its bottom two, on this theme.
    differ: bool


def _band(results, level_count) -> str | None:
    """"top" if every assessed result is in the top two levels, "bottom" if every one is in
    the bottom two, else None (mixed, or nothing assessed)."""
    positions = [r.position for r in results if r.assessed]
    if not positions:
        return None
    if all(p >= level_count - 2 for p in positions):
        return "top"
    if all(p <= 1 for p in positions):
        return "bottom"
    return None


def side_by_side(educator: Profile | None, patient: Profile | None) -> list[ThemeRow]:
    """The two lenses per theme, in the course's theme order; no arithmetic across scales."""
    edu = educator.by_theme() if educator else {}
    pat = patient.by_theme() if patient else {}
    rows = []
    for theme in THEMES:
        e, p = tuple(edu.get(theme, ())), tuple(pat.get(theme, ()))
        if not e and not p:
            continue
        bands = {_band(e, educator.level_count) if educator else None,
                 _band(p, patient.level_count) if patient else None}
        rows.append(ThemeRow(theme, e, p, bands == {"top", "bottom"}))
    return rows


def perspectives_differ(educator: Profile | None, patient: Profile | None) -> list[str]:
    """Themes on which the two lenses point in opposite directions."""
    return [row.theme for row in side_by_side(educator, patient) if row.differ]


@dataclass(frozen=True)
class PracticeRow:
    """One statement of a practice round: the reviewer's level beside the agreed one."""

    title: str
    yours: str
    agreed: str
    #: How many levels the reviewer was above (+) or below (−) the agreed one; None unrated.
    gap: int | None
    comment: str
    #: The words of the agreed level's description that the example meets.
    meets: str = ""


def compare_with_agreed(rubric: Rubric, exemplar, mine: dict[str, str]) -> list[PracticeRow]:
    """A practice rating of an exemplar against the ratings its authors agreed."""
    agreed = {rating.criterion: rating for rating in exemplar.ratings}
    order = [level.key for level in rubric.levels]
    labels = {level.key: level.label for level in rubric.levels}
    rows = []
    for criterion in rubric.criteria:
        yours, theirs = mine.get(criterion.id), agreed[criterion.id].level
        gap = (order.index(yours) - order.index(theirs)) if yours in order else None
        rows.append(PracticeRow(criterion.title, labels.get(yours, "—"), labels[theirs], gap,
                                agreed[criterion.id].comment, agreed[criterion.id].meets))
    return rows
