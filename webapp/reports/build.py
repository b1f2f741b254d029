"""The two curriculum-review reports — a module version across a programme's cohorts, and a
cohort across its modules — as plain data that the page, the CSV and the PDF all render."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.language import LANGUAGES
from webapp.models import (
    Assignment,
    Cohort,
    FeedbackComment,
    ModuleVersionRow,
    ReviewLogEntry,
    SurveyVersionRow,
)
from webapp.reports import figures as figures_mod
from webapp.reports import tables
from webapp.reports.operations import SURVEY

#: What a report section holds. Pages, PDFs and CSVs decide by this, never by the
#: (translated) title: ``part`` heads one module version in a cohort report.
SECTION_KINDS = ("part", "feedback", "comments", "assessment", "learning")


@dataclass
class Section:
    title: str
    tables: list[tables.Table] = field(default_factory=list)
    kind: str = "part"
    #: screened comments shown in this section: (question, [texts])
    comments: list[tuple[str, list[str]]] = field(default_factory=list)
    comments_hidden: str = ""


@dataclass
class Report:
    title: str
    subtitle: str
    k: int
    sections: list[Section] = field(default_factory=list)
    chart: tables.RunChart | None = None
    #: every version of the module, pooled, side by side (module reports only)
    versions: tables.Table | None = None
    log: list[ReviewLogEntry] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Changes whenever anything the report shows changes (the PDF cache key)."""
        data = [self.title, self.subtitle, self.k,
                [[s.kind, s.title, [[t.anchor, t.about, t.columns, t.rows, t.hidden_because]
                            for t in s.tables], s.comments, s.comments_hidden]
                 for s in self.sections],
                [self.chart.points, self.chart.median] if self.chart else None,
                self.versions.rows if self.versions else None,
                [[e.id, e.finding, e.decision, e.summary, e.evidence,
                  e.carried_by.version if e.carried_by else None] for e in self.log]]
        return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def configured_k() -> int:
    """The small-cell threshold for every report (``REPORT_MIN_CELL``, at least 5)."""
    return current_app.config.get("REPORT_MIN_CELL", 5)


def _surveys(session) -> tuple:
    """The latest module-feedback and confidence surveys (None where not published)."""
    latest = {}
    for row in session.scalars(select(SurveyVersionRow).where(
            SurveyVersionRow.slug.in_((SURVEY, "confidence")))):
        if row.slug not in latest or (row.major, row.minor, row.patch) > \
                (latest[row.slug].major, latest[row.slug].minor, latest[row.slug].patch):
            latest[row.slug] = row
    return tuple(latest[slug].content() if slug in latest else None
                 for slug in (SURVEY, "confidence"))


def _comments(session, programme_id, version_ids, cohort_id=None):
    query = (select(FeedbackComment.module_version_id, FeedbackComment.cohort_id,
                    FeedbackComment.respondent, FeedbackComment.item, FeedbackComment.text)
             .join(Cohort, Cohort.id == FeedbackComment.cohort_id)
             .where(Cohort.programme_id == programme_id, FeedbackComment.status == "approved",
                    FeedbackComment.module_version_id.in_(version_ids)))
    if cohort_id is not None:
        query = query.where(FeedbackComment.cohort_id == cohort_id)
    return session.execute(query.order_by(FeedbackComment.item, FeedbackComment.text)).all()


def _comment_section(figures, survey, comments, mv: int, cohort: int | None) -> Section:
    section = Section(_("Comments (screened)"), kind="comments")
    if survey is None:
        return section
    questions = {i.id: i.text for i in survey.items if i.kind == "text"}
    hidden = []
    for kind in ("student", "patient"):
        shown = tables._scope(figures, figures.survey, mv, cohort, kind)
        if not shown.shown:
            why = tables.why_hidden(shown.hidden_because)
            hidden.append(f"{tables.respondent_label(kind)}: {why}")
            continue
        for item, text in questions.items():
            said = [c.text for c in comments
                    if figures.pool_of.get(c.module_version_id, c.module_version_id) == mv
                    and c.respondent == kind and c.item == item
                    and (cohort is None or c.cohort_id == cohort)]
            if said:
                section.comments.append(
                    (f"{text} ({tables.respondent_label(kind)})", said))
    section.comments_hidden = "; ".join(hidden)
    return section


def _module_sections(figures, feedback, confidence, comments, mv, cohorts, cohort):
    sections = [Section(_("Module feedback"), tables.survey_tables(figures, feedback, mv, cohort)
                        if feedback else [], kind="feedback")]
    if cohort is None:
        sections[0].tables.append(tables.respondents_table(figures, mv, cohorts))
    sections.append(_comment_section(figures, feedback, comments, mv, cohort))
    sections.append(Section(_("Assessment"), tables.rubric_tables(figures, mv, cohort)
                            + [tables.differ_table(figures, mv, cohorts, cohort)],
                            kind="assessment"))
    sections.append(Section(_("Learning"), [tables.confidence_table(figures, confidence, mv,
                                                                    cohort),
                                            tables.checks_table(figures, mv, cohort),
                                            tables.log_table(figures, mv, cohort)],
                            kind="learning"))
    return sections


def module_report(session, programme, version: ModuleVersionRow, k: int) -> Report:
    """One module version pooled across the programme's cohorts, with the run chart over all
    versions of the module. Cohorts that took an edition of it in another language are in the
    same pool (the report of an edition is the report of the version it is an edition of),
    and the report says which language each cohort used."""
    if version.edition_of_id is not None:
        version = session.get(ModuleVersionRow, version.edition_of_id)
    version_ids = list(session.scalars(select(ModuleVersionRow.id).where(
        ModuleVersionRow.slug == version.slug)))
    feedback, confidence = _surveys(session)
    figures = figures_mod.load(session, programme.id, version_ids, k, confidence)
    took = [t for t in figures.taken if t.module_version_id == version.id]
    cohorts = [(t.cohort_id, _cohort_label(t, figures.taken)) for t in took]
    report = Report(f"{version.title} {version.version}",
                    ngettext("%(programme)s · %(num)d cohort pooled",
                             "%(programme)s · %(num)d cohorts pooled", len(cohorts),
                             programme=programme.name) + _languages_used(took), k)
    members = [mv for mv, pool in figures.pool_of.items() if pool == version.id]
    report.sections = _module_sections(figures, feedback, confidence,
                                       _comments(session, programme.id, members),
                                       version.id, cohorts, None)
    report.chart = tables.run_chart(figures, feedback, version.slug) if feedback else None
    report.versions = tables.versions_table(figures, feedback, version.slug)
    slugs = {figures.versions[mv].slug for mv in figures.pool_of if mv in figures.versions}
    report.log = log_entries(session, programme.id, sorted(slugs))
    return report


def _cohort_label(taken, every) -> str:
    """A cohort's name, with the language it worked in when the module's cohorts used more
    than one (or not English)."""
    if {t.language for t in every} == {"en"}:
        return taken.cohort
    return f"{taken.cohort} ({LANGUAGES.get(taken.language, taken.language)})"


def _languages_used(took) -> str:
    """" · in English and Svenska": the languages the pooled cohorts worked in, when any
    cohort worked in another language than English."""
    used = sorted({t.language for t in took})
    if not used or used == ["en"]:
        return ""
    return " · " + _("cohorts worked in %(languages)s",
                     languages=", ".join(LANGUAGES.get(code, code) for code in used))


def cohort_report(session, cohort, k: int) -> tuple[Report, list[tuple[str, int]]]:
    """Every module version the cohort took, each with this cohort's own (published) cells
    (those of an edition in another language come from its pool)."""
    taken = session.execute(select(Assignment.module_version_id).where(
        Assignment.cohort_id == cohort.id)).scalars().all()
    feedback, confidence = _surveys(session)
    figures = figures_mod.load(session, cohort.programme_id, taken, k, confidence)
    comments = _comments(session, cohort.programme_id, taken or [0], cohort.id)
    report = Report(cohort.name, _("Cohort report · %(programme)s",
                                   programme=cohort.programme.name), k)
    contents = []
    for mv in sorted(taken, key=lambda i: (figures.versions[i].title, i)):
        row = figures.versions[mv]
        header = Section(f"{row.title} {row.version}", kind="part")
        report.sections.append(header)
        contents.append((header.title, len(report.sections) - 1))
        report.sections += _module_sections(figures, feedback, confidence, comments,
                                            figures.pool_of[mv],
                                            [(cohort.id, cohort.name)], cohort.id)
    return report, contents


def log_entries(session, programme_id: int, slug=None) -> list[ReviewLogEntry]:
    """The review log ("you said, we did"), of one module (``slug``: its id, or a list of
    the ids of a module and its editions) or of every module."""
    query = select(ReviewLogEntry).where(ReviewLogEntry.programme_id == programme_id).options(
        joinedload(ReviewLogEntry.about), joinedload(ReviewLogEntry.carried_by))
    if isinstance(slug, str):
        query = query.where(ReviewLogEntry.module_slug == slug)
    elif slug is not None:
        query = query.where(ReviewLogEntry.module_slug.in_(slug))
    return list(session.scalars(query.order_by(ReviewLogEntry.created_at.desc(),
                                               ReviewLogEntry.id.desc())))
