"""The page budget: every GET page of every journey on the synthetic programme, on SQLite and
on a throwaway PostgreSQL 15 cluster.

The programme is ``bench.synthetic``'s (2,000 learners, 200 groups, 200,000 survey answers,
20,000 reviews) with what a term in progress adds (``bench.pages_world``). Each page in
``PAGES`` is requested as the role a journey reaches it as, on a realistic object: one
warm-up request, then the median of ``REPEAT`` requests (``BENCH_QUICK=1``: ``QUICK_REPEAT``)
and the SQL statements of one request. A page over ``BUDGET_MS`` is over budget. Downloads
(PDFs, CSVs, ZIPs: ``DOWNLOADS``) are measured the same way in their own section and are not
held to the budget; their first request (a PDF is rendered then, and cached) is given too.

Every GET endpoint of the app is in ``PAGES``, ``DOWNLOADS`` or ``NOT_MEASURED`` with the
reason (a test holds the lists to the app's endpoints, so a new page is budgeted).
Figures go to ``bench/results/pages.json``; the slowest ten pages of each database and any
page over budget are printed.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, select, text

from bench.autosave import PGBIN, _postgres
from bench.foundation import _sign_in
from bench.pages_world import add_page_objects
from bench.reports import _app
from bench.synthetic import build_programme
from webapp.extensions import db
from webapp.models import GuideVersionRow, ModuleVersionRow

BUDGET_MS = 300
REPEAT = 7
QUICK_REPEAT = 3
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Page:
    endpoint: str
    role: str  # who asks: a key of the world's "emails", or ANONYMOUS
    path: str  # formatted with the world's ids


_MOD = "/modules/{slug}/{version}"
_GUIDE = "/guides/{guide_slug}/{guide_version}"

#: Pages held to the budget, as the journeys reach them (JOURNEYS.md).
PAGES = [
    # everyone (signed out)
    Page("auth.sign_in", ANONYMOUS, "/sign-in"),
    Page("auth.forgot_password", ANONYMOUS, "/forgot-password"),
    Page("auth.request_link", ANONYMOUS, "/sign-in-link"),
    Page("home.help_page", ANONYMOUS, "/help"),
    Page("home.accessibility", ANONYMOUS, "/accessibility"),
    Page("people.privacy", ANONYMOUS, "/privacy"),
    # home, for every role
    *[Page("home.index", role, "/") for role in (
        "student", "partner", "coteacher", "educator", "programme_educator", "lead", "admin")],
    # student: the module, the group's case, feedback, surveys, their data
    Page("learn.catalogue", "student", "/modules"),
    Page("notices.index", "student", "/whats-new"),
    Page("lti.waiting", "student", "/lti/waiting"),
    Page("notices.index", "coteacher", "/whats-new"),
    Page("learn.module", "student", _MOD),
    Page("learn.lesson", "student", _MOD + "/lessons/{lesson}"),
    Page("learn.case", "student", _MOD + "/case"),
    Page("learn.checks", "student", _MOD + "/checks"),
    Page("learn.guides", "student", "/guides"),
    Page("teach.assignment", "student", "/assignments/{A}"),
    Page("teach.group", "student", "/groups/{G}"),
    Page("casework.start", "starter", "/assignments/{A}/case"),
    Page("casework.case", "student", "/cases/{K}"),
    Page("casework.history", "student", "/cases/{K}/sections/situation/history"),
    Page("review.self_rating", "student", "/cases/{K}/self-rating"),
    Page("review.feedback", "student", "/cases/{KF}/feedback"),
    Page("review.confidence", "student", "/assignments/{AF}/confidence"),
    Page("reports.survey", "student", "/assignments/{AF}/module-feedback"),
    Page("auth.account", "student", "/account"),
    Page("auth.change_password", "student", "/account/password"),
    Page("people.my_data", "student", "/my-data"),
    Page("people.remove_me", "student", "/my-data/remove"),
    Page("log.index", "student", "/log"),
    Page("log.new", "student", "/log/new?place=lesson&module={MV}&at={lesson}"),
    Page("log.entry", "student", "/log/{LE}"),
    Page("log.share", "student", "/log/{LE}/share"),
    Page("log.journey", "student", "/log/journey"),
    Page("log.cohort_learning", "student", "/cohorts/{C}/learning"),
    Page("log.cohort_learning", "educator", "/cohorts/{C}/learning"),
    # patient partner
    Page("learn.guide_page", "partner", _GUIDE + "/{guide_page}"),
    Page("casework.consent", "partner", "/cases/{K}/consent"),
    Page("casework.case", "partner", "/cases/{K}"),
    Page("teach.agreement", "partner", "/agreements/{AG}"),
    Page("review.contributions", "partner", "/contributions"),
    # patient co-teacher
    Page("review.queue", "coteacher", "/reviews"),
    Page("review.review", "coteacher", "/reviews/{R}"),
    Page("review.practice", "coteacher", "/reviews/practice/patient"),
    # educator of the cohort
    Page("teach.cohort", "educator", "/cohorts/{C}"),
    Page("teach.progress", "educator", "/assignments/{A}/progress"),
    Page("teach.nudge", "educator", "/assignments/{A}/nudge?group={G}"),
    Page("teach.groups_page", "educator", "/cohorts/{C}/groups"),
    Page("teach.roster", "educator", "/cohorts/{C}/roster"),
    Page("teach.add_member", "educator", "/cohorts/{C}/members/new"),
    Page("teach.invite", "educator", "/cohorts/{C}/invite"),
    Page("teach.new_assignment", "educator", "/cohorts/{C}/assignments/new"),
    Page("teach.agreements_page", "educator", "/cohorts/{C}/agreements"),
    Page("reports.screening", "educator", "/cohorts/{C}/comments"),
    Page("review.cohort_contributions", "educator", "/cohorts/{C}/contributions"),
    Page("review.manage", "educator", "/assignments/{AF}/reviews"),
    Page("review.report", "educator", "/assignments/{AF}/review-report"),
    Page("learn.versions", "educator", "/modules/{slug}/versions"),
    Page("learn.plan", "educator", _MOD + "/plan"),
    Page("learn.compare", "educator", "/modules/{cmp_slug}/compare?old={cmp_old}&new={cmp_new}"),
    # programme educator (the programme's named contact)
    Page("teach.programmes", "programme_educator", "/programmes"),
    Page("teach.programme", "programme_educator", "/programmes/{P}"),
    Page("teach.programme_settings", "programme_educator", "/programmes/{P}/settings"),
    Page("people.retention_settings", "programme_educator", "/programmes/{P}/retention"),
    Page("casework.on_behalf_page", "programme_educator", "/cohorts/{C}/on-behalf"),
    Page("casework.on_behalf_page", "programme_educator",
         "/cohorts/{C}/on-behalf?person={PARTNER}"),
    # programme lead
    Page("reports.programme_reports", "lead", "/programmes/{P}/reports"),
    Page("reports.module_report", "lead", "/programmes/{P}/reports/modules/{MVF}"),
    Page("reports.cohort_report", "lead", "/cohorts/{C}/report"),
    Page("reports.review_log", "lead", "/programmes/{P}/review-log"),
    Page("reports.report_job", "lead", "/programmes/{P}/reports/jobs/{J}"),
    Page("reports.report_job_status", "lead", "/programmes/{P}/reports/jobs/{J}/status.json"),
    # admin
    Page("people.admin_people", "admin", "/admin/people?email=syn"),
    Page("people.audit", "admin", "/admin/audit"),
    Page("lti.setup", "admin", "/lti/setup"),
    Page("lti.jwks", ANONYMOUS, "/lti/jwks.json"),
    Page("people.admin_erase", "admin", "/admin/people/{S}/erase"),
]

_REPORT = "/programmes/{P}/reports/modules/{MVF}"
#: Files to download: measured, not held to the budget.
DOWNLOADS = [
    # calendar feeds, read by a calendar app with the private link (no sign-in)
    Page("calendar.read", ANONYMOUS, "/calendar/{FEED_STUDENT}.ics"),
    Page("calendar.read", ANONYMOUS, "/calendar/{FEED_COTEACHER}.ics"),
    Page("calendar.read", ANONYMOUS, "/calendar/{FEED_COHORT}.ics"),
    Page("reports.module_report_csv", "lead", _REPORT + "/report.csv"),
    Page("reports.module_report_pdf", "lead", _REPORT + "/report.pdf"),
    Page("reports.cohort_report_csv", "lead", "/cohorts/{C}/report.csv"),
    Page("reports.cohort_report_pdf", "lead", "/cohorts/{C}/report.pdf"),
    Page("review.contributions_csv", "educator", "/cohorts/{C}/contributions.csv"),
    Page("review.certificate", "partner", "/contributions/certificate.pdf?cohort={C}"),
    Page("teach.roster_template", "educator", "/roster-template.csv"),
    Page("learn.module_pdf", "student", _MOD + ".pdf"),
    Page("learn.case_large_print", "student", _MOD + "/case-large-print.pdf"),
    Page("learn.guide_large_print", "partner", _GUIDE + "/large-print.pdf"),
    Page("people.export_zip", "student", "/my-data/export.zip"),
    Page("people.admin_export", "admin", "/admin/people/{S}/export.zip"),
    Page("people.audit_csv", "admin", "/admin/audit.csv"),
    Page("reports.report_job_file", "lead", "/programmes/{P}/reports/jobs/{J}/file"),
]

_EMAILED = "opened from an emailed single-use link: needs the token that only the email holds"
#: GET endpoints not measured, and why.
NOT_MEASURED = {
    "static": "files served as they are (stylesheets, scripts, images), not pages",
    "auth.accept_invitation": _EMAILED,
    "auth.reset_password": _EMAILED,
    "auth.use_link": _EMAILED,
    "lti.login": "a learning platform's login request: a redirect back to the platform, "
                 "timed in the LTI tests' launches",
    "lti.join_account": "opened from a launch with a single-use token only that launch holds",
    "lti.deep_link": "opened in the platform's frame with a single-use token only the "
                     "instructor's deep-linking launch holds",
    "lti.synced_roster": "the roster a finished sync job fetched from a learning platform "
                         "(its preview is the CSV roster's, counted on the roster pages)",
    "lti.link_course": "reached only right after an instructor's launch (the browser's "
                       "session holds the course)",
}


def _names(world: dict) -> dict:
    """Slugs and versions for the content pages: the current assignment's module, the patient
    partner's welcome guide, and a module with two versions to compare."""
    module = db.session.get(ModuleVersionRow, world["MV"])
    guide = db.session.scalars(select(GuideVersionRow).where(
        GuideVersionRow.slug == "patient-partner-welcome").order_by(
        GuideVersionRow.major.desc(), GuideVersionRow.minor.desc())).first()
    older = db.session.get(ModuleVersionRow, world["MVF"])
    newest = db.session.scalars(select(ModuleVersionRow).where(
        ModuleVersionRow.slug == older.slug).order_by(
        ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
        ModuleVersionRow.patch.desc())).first()
    return {"slug": module.slug, "version": module.version,
            "lesson": module.content().lessons[0].id, "guide_slug": guide.slug,
            "guide_version": guide.version, "guide_page": guide.content().pages[0].id,
            "cmp_slug": older.slug, "cmp_old": older.version, "cmp_new": newest.version}


def _measure(app, client, path: str, repeat: int) -> dict:
    """The first request (timed: a PDF is rendered then), a second one whose statements are
    counted, then the median of ``repeat`` more."""
    start = time.perf_counter()
    status = client.get(path).status_code
    first_ms = (time.perf_counter() - start) * 1000
    seen: list[int] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *_a: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    times = []
    for _ in range(repeat if status == 200 else 1):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return {"status": status, "first_ms": round(first_ms, 1),
            "ms_median": round(statistics.median(times) * 1000, 1), "statements": len(seen)}


def build_world(app, programme: dict | None = None, objects: dict | None = None) -> dict:
    """The synthetic programme and the page objects (sizes: the keywords of
    ``build_programme`` and ``add_page_objects``); the ids and names the paths take."""
    with app.app_context():
        start = time.perf_counter()
        ids = build_programme(db.session, **(programme or {}))
        world = add_page_objects(db.session, ids, **(objects or {}))
        db.session.commit()
        built = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load; without it the planner guesses blind.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE"))
        world.update(_names(world))
    world["build_s"] = round(built, 1)
    return world


def sign_in_all(app, world: dict) -> dict:
    """A signed-in test client for each role of the world (and one signed out)."""
    clients = {ANONYMOUS: app.test_client()}
    for role, email in world["emails"].items():
        clients[role] = app.test_client()
        answer = _sign_in(clients[role], email)
        assert answer.status_code == 302, (role, answer.status_code)
    return clients


def _database(url: str, tmp: Path, repeat: int) -> dict:
    app = _app(url, tmp)
    world = build_world(app)
    clients = sign_in_all(app, world)
    figures: dict = {"build_s": world["build_s"], "pages": [], "downloads": []}
    for section, pages, times in (("pages", PAGES, repeat), ("downloads", DOWNLOADS, 1)):
        for page in pages:
            path = page.path.format(**world)
            row = {"endpoint": page.endpoint, "url": path, "role": page.role,
                   **_measure(app, clients[page.role], path, times)}
            if section == "pages":
                row["over_budget"] = row["ms_median"] > BUDGET_MS
            figures[section].append(row)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return figures


def _report(name: str, figures: dict) -> None:
    pages = figures["pages"]
    print(f"{name}: {len(pages)} pages, {len(figures['downloads'])} downloads "
          f"(programme built in {figures['build_s']} s)")
    print("  slowest ten pages:")
    for row in sorted(pages, key=lambda r: -r["ms_median"])[:10]:
        print(f"    {row['ms_median']:8.1f} ms {row['statements']:4d} statements  "
              f"{row['endpoint']} as {row['role']} ({row['url']})")
    over = [r for r in pages if r["over_budget"]]
    print(f"  over {BUDGET_MS} ms: " + (", ".join(
        f"{r['endpoint']} as {r['role']} ({r['ms_median']} ms)" for r in over) or "none"))
    wrong = [r for r in pages + figures["downloads"] if r["status"] != 200]
    if wrong:
        print("  NOT 200: " + ", ".join(f"{r['url']} as {r['role']}: {r['status']}"
                                       for r in wrong))
    for row in figures["downloads"]:
        print(f"    download {row['ms_median']:8.1f} ms (first {row['first_ms']} ms) "
              f"{row['statements']:4d} statements  {row['endpoint']}")


def run() -> dict:
    repeat = QUICK_REPEAT if os.environ.get("BENCH_QUICK") else REPEAT
    figures: dict = {"budget_ms": BUDGET_MS, "repeat": repeat, "not_measured": NOT_MEASURED}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        figures["sqlite"] = _database(f"sqlite:///{path / 'pages.sqlite'}", path, repeat)
    _report("sqlite", figures["sqlite"])
    if not (PGBIN / "initdb").exists():
        figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
        return figures
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        figures["postgresql"] = _database(url, Path(tmp), repeat)
    _report("postgresql", figures["postgresql"])
    return figures
