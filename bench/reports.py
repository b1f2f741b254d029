"""Curriculum-review reports on a synthetic programme (``bench.synthetic``: 2,000 learners in
200 groups, 8 module versions, 200,000 survey answers, 20,000 reviews), on SQLite and on a
throwaway PostgreSQL 15 cluster.

For each database (PostgreSQL is analysed after the bulk load, as autovacuum would):
- the lead's module-version report page (clinical-microsystems 1.0.0, taken by 10 cohorts):
  its first request (which works out and stores the pools' decisions), then the median of
  20 requests and its SQL statements; beside it the same statements, captured from
  one request and replayed raw on the driver connection (median of 20 replays, taken in turn
  with the requests), so the page's overhead over its own queries shows;
- the same report's CSV (median of 5) and PDF (rendered afresh each time: median of 3, with
  the peak Python memory of one render from tracemalloc);
- a cohort report page (the last cohort): its first request, which works out and stores the
  decisions of the pools it shows (its module versions were not reported on yet), then the
  median of 20 requests that read them back, with its statements replayed raw as above; and
  the first request again after one new survey answer (the changed module version's pools
  are worked out again, the others read back);
- ``coproduce report`` for the whole programme (SQLite only, in its own process): time,
  pages and the process's peak memory (``BENCH_REPORTS_NO_PDF=1`` leaves it out).
"""

# ruff: noqa: S603 (runs only this interpreter with the coproduce command)
from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import event, select, text

from bench.autosave import PGBIN, _postgres
from bench.foundation import _sign_in
from bench.synthetic import HASH_METHOD, build_programme
from bench.workspace import ROOT
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    FeedbackAnswer,
    FeedbackResponse,
    ModuleVersionRow,
    SurveyVersionRow,
)

PAGE_REPEAT = 20


def _app(url: str, tmp: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False,
                      "TESTING": True, "PASSWORD_HASH_METHOD": HASH_METHOD,
                      "PDF_CACHE_DIR": str(tmp / "pdf-cache")})
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    return app


def _timed(client, path: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return round(statistics.median(times) * 1000, 1)


def _captured(app, client, path: str) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine
    listener = lambda _c, _cur, statement, params, *_a: seen.append((statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def _page_and_raw(app, client, path: str, statements, repeat: int) -> tuple[float, float]:
    """Medians of the page and of its own statements replayed raw on the driver connection
    (every row fetched), taken in turns so that both meet the same machine state."""
    pages, raws = [], []
    with app.app_context(), db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        for _ in range(repeat):
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            pages.append(time.perf_counter() - start)
            start = time.perf_counter()
            for statement, params in statements:
                cursor = raw.cursor()
                cursor.execute(statement, params)
                if cursor.description is not None:
                    cursor.fetchall()
                cursor.close()
            raws.append(time.perf_counter() - start)
            raw.rollback()
    return (round(statistics.median(pages) * 1000, 1), round(statistics.median(raws) * 1000, 1))


def _pdf(app, client, path: str, tmp: Path) -> dict:
    times, size = [], 0
    for _ in range(3):
        shutil.rmtree(tmp / "pdf-cache", ignore_errors=True)
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        size = len(response.data)
    shutil.rmtree(tmp / "pdf-cache", ignore_errors=True)
    tracemalloc.start()
    client.get(path)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"ms_median_uncached": round(statistics.median(times) * 1000, 1),
            "cached_ms": _timed(client, path, 3), "bytes": size,
            "peak_python_mib": round(peak / 2**20, 1)}


def _database(url: str, tmp: Path, whole_pdf: bool) -> dict:
    app = _app(url, tmp)
    with app.app_context():
        start = time.perf_counter()
        ids = build_programme(db.session)
        db.session.commit()
        built = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load; without it the planner guesses blind.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE"))
        lead = db.session.get(Account, ids["lead_id"]).email
        version = db.session.scalar(select(ModuleVersionRow.id).where(
            ModuleVersionRow.slug == "clinical-microsystems",
            ModuleVersionRow.version == "1.0.0"))
        figures: dict = {"build_s": round(built, 1), "rows": ids["counts"]}
    client = app.test_client()
    assert _sign_in(client, lead).status_code == 302
    page = f"/programmes/{ids['programme_id']}/reports/modules/{version}"
    # also warms the process (templates, content parsing), so it counts more than the pools
    first = _first(app, client, page)
    statements = _captured(app, client, page)
    page_ms, raw_ms = _page_and_raw(app, client, page, statements, PAGE_REPEAT)
    figures["module_report_page"] = {"first_request": first,
                                     "ms_median": page_ms, "statements": len(statements),
                                     "raw_queries_ms_median": raw_ms,
                                     "page_over_raw": round(page_ms / raw_ms, 2)}
    figures["module_report_csv_ms_median"] = _timed(client, page + "/report.csv", 5)
    figures["module_report_pdf"] = _pdf(app, client, page + "/report.pdf", tmp)
    figures["cohort_report_page"] = _cohort_page(app, client, ids)
    if whole_pdf and os.environ.get("BENCH_REPORTS_NO_PDF", "") in ("", "0"):
        figures["programme_pdf_cli"] = _whole_programme(url, ids["programme_id"], tmp)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return figures


def _first(app, client, path: str) -> dict:
    start = time.perf_counter()
    statements = _captured(app, client, path)
    return {"ms": round((time.perf_counter() - start) * 1000, 1),
            "statements": len(statements)}


def _cohort_page(app, client, ids) -> dict:
    """The last cohort's report: its first request (the module report above filled only
    clinical-microsystems 1.0.0, which this cohort did not take), then warm requests against
    their own statements, then the first request after a new answer."""
    cohort = f"/cohorts/{ids['cohort_ids'][-1]}/report"
    first = _first(app, client, cohort)
    statements = _captured(app, client, cohort)
    page_ms, raw_ms = _page_and_raw(app, client, cohort, statements, PAGE_REPEAT)
    with app.app_context():
        one_answer(db.session, ids["cohort_ids"][-1])
        db.session.commit()
    return {"first_request": first, "ms_median": page_ms, "statements": len(statements),
            "raw_queries_ms_median": raw_ms, "page_over_raw": round(page_ms / raw_ms, 2),
            "first_after_one_answer": _first(app, client, cohort)}


def one_answer(session, cohort_id: int) -> None:
    """One more anonymous student answer for one of the cohort's module versions."""
    mv = session.scalar(select(Assignment.module_version_id).where(
        Assignment.cohort_id == cohort_id).order_by(Assignment.opens_at).limit(1))
    survey = session.scalar(select(SurveyVersionRow.id).where(
        SurveyVersionRow.slug == "module-feedback").order_by(SurveyVersionRow.id.desc())
        .limit(1))
    response = FeedbackResponse(id=secrets.token_hex(16), module_version_id=mv,
                                cohort_id=cohort_id, survey_version_id=survey,
                                respondent="student", term="2026-autumn")
    session.add(response)
    session.flush()
    session.add(FeedbackAnswer(response_id=response.id, item="clear", value=3,
                               module_version_id=mv, cohort_id=cohort_id,
                               respondent="student"))


def _whole_programme(url: str, programme_id: int, tmp: Path) -> dict:
    """``coproduce report`` in its own process, so its peak memory is its own."""
    out = tmp / "programme.pdf"
    env = dict(os.environ, DATABASE_URL=url, COPRODUCE_ENV="development")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()",  # noqa: S603
                             "report", str(programme_id), "--output", str(out)],
                            env=env, capture_output=True, text=True, cwd=tmp)
    assert result.returncode == 0, result.stderr[-2000:]
    return {"s": round(time.perf_counter() - start, 1), "bytes": out.stat().st_size,
            "output": result.stdout.strip().splitlines()[-1]}


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        figures["sqlite"] = _database(f"sqlite:///{path / 'reports.sqlite'}", path, True)
    if not (PGBIN / "initdb").exists():
        figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
        return figures
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        figures["postgresql"] = _database(url, Path(tmp), False)
    return figures
