"""Course content as frozen dataclasses: what the loader builds and the app stores.

``to_data`` and ``from_data`` turn any of these into plain JSON-ready data and back, so a
published version can be kept in the database exactly as it was loaded.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field

#: Themes shared by every rubric criterion and survey item (CONTENT-GUIDE §4), so the two
#: review lenses can be shown side by side.
THEMES = ("context", "person", "knowledge", "system", "partnership", "action")
#: Roles a guide can be written for.
AUDIENCES = ("educator", "student", "patient_partner", "patient_coteacher", "lead")
#: Whether the patient partner speaks from their own experience or from the case persona.
PATIENT_VOICES = ("own_experience", "persona")


@dataclass(frozen=True)
class Reference:
    key: str
    text: str
    short: str
    url: str = ""
    #: "required" or "optional" when the module asks people to read it; "" when only cited.
    reading: str = ""
    #: For a reading: whether anyone can read it free of charge (None when not a reading).
    open_access: bool | None = None
    #: For a reading: the language it is written in, as a two-letter code ("en", "sv", "fr").
    language: str = ""
    #: For a reading: the key of another reference to read instead (in English, or open).
    alternative: str = ""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    #: Rubric criteria that assess this objective, as "rubric-id/criterion-id".
    rubric_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    minutes: int
    file: str
    body: str


@dataclass(frozen=True)
class CaseSection:
    key: str
    prompt: str


@dataclass(frozen=True)
class Case:
    title: str
    scenario: str
    patient_voice: str
    sections: tuple[CaseSection, ...]
    content_note: str = ""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class CheckItem:
    id: str
    objective: str
    question: str
    options: tuple[Option, ...]


#: How a session is held.
SESSION_FORMATS = ("in person", "online", "in person or online", "self-study")
#: Student hours behind one credit: Swedish högskolepoäng (1.5 hp = 40 h) and UK credits.
HOURS_PER_HP = 40 / 1.5
HOURS_PER_UK_CREDIT = 10


@dataclass(frozen=True)
class PlannedSession:
    """One session of a module's plan: who does what, for how long, and what it needs."""

    id: str
    title: str
    week: int
    format: str
    #: The session itself, as held (0 for self-study).
    minutes: int
    #: Each student's time for it, preparation included.
    student_minutes: int
    #: The educator's time for it, preparation included.
    educator_minutes: int
    #: A patient partner's time for it, preparation and travel included (0: not asked).
    partner_minutes: int
    who: str
    objectives: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    partner_preparation: str = ""
    breaks: str = ""
    #: The session works with the case, so its content note and the support routes apply.
    content_note: bool = False
    support: str = ""
    catch_up: str = ""


@dataclass(frozen=True)
class SessionPlan:
    weeks: int
    sessions: tuple[PlannedSession, ...]

    @property
    def student_hours(self) -> float:
        return sum(s.student_minutes for s in self.sessions) / 60

    @property
    def educator_hours(self) -> float:
        return sum(s.educator_minutes for s in self.sessions) / 60

    @property
    def partner_sessions(self) -> int:
        return sum(1 for s in self.sessions if s.partner_minutes)

    @property
    def partner_hours(self) -> float:
        return sum(s.partner_minutes for s in self.sessions) / 60

    @property
    def hp(self) -> float:
        """The student workload in Swedish högskolepoäng."""
        return self.student_hours / HOURS_PER_HP

    @property
    def uk_credits(self) -> float:
        return self.student_hours / HOURS_PER_UK_CREDIT


@dataclass(frozen=True)
class ModuleVersion:
    slug: str
    version: str
    title: str
    summary: str
    minutes: int
    objectives: tuple[Objective, ...]
    lessons: tuple[Lesson, ...]
    case: Case
    checks: tuple[CheckItem, ...]
    references: tuple[Reference, ...]
    #: What changed since the previous version, in a sentence or two.
    changes: str = ""
    content_hash: str = ""
    #: Earlier versions this one replaces for new use, and why (shown to educators).
    supersedes: tuple[str, ...] = ()
    superseded_because: str = ""
    #: How the module runs over a term (``plan.toml``); None in versions written before plans.
    plan: SessionPlan | None = None
    #: The language the version is written in ("en", "sv"). A Swedish edition of a module
    #: is a module of its own (its own id and versions); see docs/content-authoring.md.
    language: str = "en"
    #: (module id, version) this version is an edition of, in another language: its
    #: cohorts' figures are pooled with that version's. () when it is no edition.
    edition_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuidePage:
    id: str
    title: str
    file: str
    body: str


@dataclass(frozen=True)
class Guide:
    slug: str
    version: str
    title: str
    summary: str
    audience: tuple[str, ...]
    pages: tuple[GuidePage, ...]
    references: tuple[Reference, ...] = ()
    content_hash: str = ""
    #: The language the guide is written in ("en", "sv"); a Swedish guide has its own id.
    language: str = "en"


@dataclass(frozen=True)
class Level:
    key: str
    label: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    theme: str
    #: The template parts this criterion looks at.
    sections: tuple[str, ...]
    #: level key → what the level looks like, written as a next step.
    descriptors: dict[str, str] = field(default_factory=dict)
    guidance: str = ""


@dataclass(frozen=True)
class ExemplarRating:
    criterion: str
    level: str
    comment: str
    #: The phrase of the level's descriptor that the exemplar's work meets, word for word.
    meets: str = ""


#: Who must agree an exemplar's ratings before it stops being provisional.
EXEMPLAR_AGREEMENT = {"patient_coteacher": 2, "educator": 1}


@dataclass(frozen=True)
class Agreement:
    """One person who agreed an exemplar's ratings."""

    role: str
    name: str
    date: str


@dataclass(frozen=True)
class Exemplar:
    id: str
    title: str
    #: template part key → the exemplar group's text.
    case: dict[str, str]
    ratings: tuple[ExemplarRating, ...]
    agreed: tuple[Agreement, ...] = ()

    @property
    def provisional(self) -> bool:
        """True until two patient co-teachers and an educator have agreed the ratings."""
        return any(sum(1 for a in self.agreed if a.role == role) < needed
                   for role, needed in EXEMPLAR_AGREEMENT.items())


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: str
    #: ``educator`` or ``patient``.
    lens: str
    intro: str
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    exemplars: tuple[Exemplar, ...]
    open_question: str = ""
    content_hash: str = ""
    #: The language of this text ("en"; a translation says its own).
    language: str = "en"
    #: Translations of this version, by language: the same ids and keys, other words
    #: (``to_data`` of a Rubric, from ``<version>.<language>.toml``).
    translations: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyItem:
    id: str
    text: str
    theme: str
    #: ``student``, ``patient_partner`` or ``all``.
    respondent: str
    #: ``rating`` (on the survey's scale), ``text`` (open answer) or ``then_now`` (0–10 twice).
    kind: str


@dataclass(frozen=True)
class Survey:
    id: str
    version: str
    title: str
    intro: str
    scale: tuple[str, ...]
    items: tuple[SurveyItem, ...]
    content_hash: str = ""
    #: The language of this text ("en"; a translation says its own).
    language: str = "en"
    #: Translations of this version, by language (``to_data`` of a Survey).
    translations: dict[str, dict] = field(default_factory=dict)


def translated_hashes(content) -> str:
    """"sv:<hash>,…": what a published version's translations are, to tell a changed one."""
    return ",".join(f"{lang}:{data['content_hash']}"
                    for lang, data in sorted(content.translations.items()))


def to_data(obj):
    """Plain JSON-ready data (dicts, lists, strings, numbers) for a model object."""
    return dataclasses.asdict(obj)


def from_data(cls, data):
    """Rebuild a model object of type ``cls`` from ``to_data`` output."""
    return _build(cls, data)


def _build(tp, value):
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _build(hints[f.name], value[f.name])
                     for f in dataclasses.fields(tp) if f.name in value})
    if origin is tuple:
        (inner, _ellipsis) = typing.get_args(tp)
        return tuple(_build(inner, v) for v in value)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)][0]
        return None if value is None else _build(inner, value)
    if origin is dict:
        return dict(value)
    return value
