"""The whole-programme report: every module version across the programme's cohorts, then
every cohort across its modules, as one PDF rendered part by part (memory stays that of one
part). ``coproduce report`` writes it on the command line; a job makes it for the web page.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.jobs import JobFailed, JobKind, register
from webapp.models import (
    Assignment,
    Cohort,
    ConfidenceAnswer,
    FeedbackComment,
    FeedbackResponse,
    KnowledgeCheckAttempt,
    Membership,
    ModuleVersionRow,
    Programme,
    Review,
    ReviewLogEntry,
    RubricVersionRow,
    Submission,
    SurveyVersionRow,
)

#: Changes when the report's layout changes, so that older files are not handed out.
LAYOUT = 1


def parts(programme, k: int) -> list[tuple[str, Callable]]:
    """(title, make report) for every module version taken, then every cohort."""
    from webapp.reports import build, log

    versions = log.versions_taken(db.session, programme.id)
    cohorts = list(db.session.scalars(select(Cohort).where(
        Cohort.programme_id == programme.id).order_by(Cohort.name, Cohort.id)))
    jobs = [(v.title + " " + v.version, lambda v=v: build.module_report(
        db.session, programme, v, k)) for v in versions]
    jobs += [(c.name, lambda c=c: build.cohort_report(db.session, c, k)[0]) for c in cohorts]
    return jobs


def write(programme, k: int, target: Path, progress: Callable | None = None,
          announce: Callable | None = None, folder: Path | None = None) -> tuple[int, int]:
    """Render the report into ``target``; ``progress(done, total)`` after each part (the
    title page and contents count as one more), ``announce(number, count, title)`` before
    each. Parts are kept in ``folder`` (default: a temporary one). Returns (pages, parts)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="coproduce-report-") as temporary:
            return write(programme, k, target, progress, announce, Path(temporary))
    from webapp.pdf import merge_pdfs, page_count, render_pdf

    made = parts(programme, k)
    total = len(made) + 1
    if progress:
        progress(0, total)
    pages, files = [], []
    for number, (title, make) in enumerate(made, start=1):
        if announce:
            announce(number, len(made), title)
        pdf = render_pdf(render_template("reports/report_pdf.html", report=make(),
                                         where=programme))
        files.append(Path(folder) / f"part-{number}.pdf")
        files[-1].write_bytes(pdf)
        pages.append((title, page_count(pdf)))
        if progress:
            progress(number, total)
    cover = _cover(programme, k, pages, offset=0)
    cover = _cover(programme, k, pages, offset=page_count(cover))
    title = _("Curriculum review report: %(p)s", p=programme.name)
    count = merge_pdfs([cover, *files], target, title=title)
    if progress:
        progress(total, total)
    return count, len(made)


def _cover(programme, k: int, parts: list[tuple[str, int]], offset: int) -> bytes:
    """The title page and contents; each part's first page counted from the file's start."""
    from webapp.pdf import render_pdf

    starts, page = [], offset + 1
    for title, count in parts:
        starts.append((title, page))
        page += count
    return render_pdf(render_template("reports/programme_pdf.html", programme=programme,
                                      parts=starts, k=k))


def data_version(session, programme, k: int) -> str:
    """A cheap fingerprint of everything the report shows: a few counts and latest ids of
    the programme's answers, screening decisions, reviews, members and review log, and of
    the published course content. Any answer given, comment screened, review handed in,
    member added or removed, log entry written or carried, or content published changes it.
    """
    cohorts = select(Cohort.id).where(Cohort.programme_id == programme.id)
    assignments = select(Assignment.id).where(Assignment.cohort_id.in_(cohorts))
    taken = select(Assignment.module_version_id).where(Assignment.cohort_id.in_(cohorts))
    submissions = select(Submission.id).where(Submission.assignment_id.in_(assignments))

    def state(*columns, where):
        return list(session.execute(select(*columns).where(where)).one())

    figures = [
        LAYOUT, k, programme.name,
        session.execute(select(Cohort.id, Cohort.name).where(Cohort.programme_id ==
                        programme.id).order_by(Cohort.id)).all(),
        session.execute(select(Assignment.id, Assignment.module_version_id).where(
            Assignment.id.in_(assignments)).order_by(Assignment.id)).all(),
        state(func.count(), where=FeedbackResponse.cohort_id.in_(cohorts)),
        session.execute(select(FeedbackComment.status, func.count(), func.max(
            FeedbackComment.id)).where(FeedbackComment.cohort_id.in_(cohorts)).group_by(
            FeedbackComment.status).order_by(FeedbackComment.status)).all(),
        state(func.count(), func.max(ConfidenceAnswer.id),
              where=ConfidenceAnswer.assignment_id.in_(assignments)),
        state(func.count(), func.max(KnowledgeCheckAttempt.id),
              where=KnowledgeCheckAttempt.module_version_id.in_(taken)),
        state(func.count(), func.max(Review.id), func.max(Review.submitted_at),
              where=Review.submission_id.in_(submissions)),
        state(func.count(), func.max(Membership.id), where=Membership.cohort_id.in_(cohorts)),
        state(func.count(), func.max(ReviewLogEntry.id),
              func.count(ReviewLogEntry.carried_by_id),
              where=ReviewLogEntry.programme_id == programme.id),
        [session.scalar(select(func.max(model.id))) for model in
         (ModuleVersionRow, SurveyVersionRow, RubricVersionRow)],
    ]
    return hashlib.sha256(json.dumps(figures, default=str).encode()).hexdigest()


def _run(session, programme, k: int, progress, folder: Path) -> tuple[str, bytes]:
    from webapp.pdf import PdfUnavailable

    target = folder / "report.pdf"
    try:
        write(programme, k, target, progress, folder=folder)
    except PdfUnavailable as exc:
        raise JobFailed(_("PDF files cannot be made on this server yet. Tell the people "
                          "who run this site.")) from exc
    return f"programme-report-{programme.id}.pdf", target.read_bytes()


PROGRAMME_REPORT = register(JobKind(
    name="programme_report",
    subject=lambda session, subject_id: session.get(Programme, subject_id),
    data_version=data_version,
    run=_run,
))
