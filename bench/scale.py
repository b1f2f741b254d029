"""Growth: the same pages and saves on the synthetic programme at 1× and at 10× its size, each
on its own throwaway PostgreSQL 15 cluster.

For each scale in ``SCALES``: the synthetic programme (``bench.synthetic``, ``scale``: at 10×
200 cohorts, 20,000 learners, 2,000,000 survey answers, 200,000 reviews) and a term in
progress in its last cohort (``bench.pages_world``), loaded with COPY, then ``VACUUM
ANALYZE``; all timed. Then, in process (Flask's test client):

- the lead's module report (clinical-microsystems 1.0.0, taken by half the cohorts) and the
  last cohort's report: the first request, the median of ``COLD`` requests each the first
  after one new survey answer for a module version the page shows (its kept small-cell
  decisions are worked out again), and the median of ``WARM`` requests (read back);
- the cohort educator's progress board of the current assignment: first and median of
  ``WARM``. (A cohort has 100 learners at both sizes.)

Every SQL statement of these requests is timed and counted. The slowest statement shape at
the largest scale (by its median) is run with ``EXPLAIN (ANALYZE, BUFFERS)`` beside the same
statement at the smallest: ``bench/results/scale-explain.txt``. Then ``WRITERS`` students
in their own cases in progress save back to back for ``SOAK_SECONDS`` through gunicorn, as
``bench.autosave`` serves them: saves/s, p50/p95 and server CPU per save. Figures per scale
and the ratio of largest to smallest go to ``bench/results/scale.json``, with a table.
``BENCH_QUICK=1``: fewer repeats and a shorter soak (the 10× build still happens).
"""

from __future__ import annotations

import os
import re
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select, text, update
from werkzeug.security import generate_password_hash

from bench import autosave
from bench.autosave import PGBIN, Client, _postgres
from bench.foundation import PASSWORD, _sign_in
from bench.pages_world import add_page_objects
from bench.reports import _app
from bench.synthetic import HASH_METHOD, build_programme
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    FeedbackAnswer,
    FeedbackResponse,
    GroupMember,
    Membership,
    ModuleVersionRow,
    SectionDraft,
    SurveyVersionRow,
)
from webapp.reports.operations import term_of

SCALES = (1, 10)
QUICK = autosave.QUICK
COLD = 3 if QUICK else 5
WARM = 5 if QUICK else 15
SOAK_SECONDS = float(os.environ.get("BENCH_SCALE_SOAK_SECONDS") or (10 if QUICK else 25))
WRITERS = 8
EXPLAIN_FILE = Path(__file__).parent / "results" / "scale-explain.txt"


# --- statements ---------------------------------------------------------------------------

class Recorder:
    """Every statement the app runs while ``label`` is set: (label, SQL, parameters, s)."""

    def __init__(self, engine) -> None:
        self.engine, self.label, self.seen = engine, None, []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, params, _context, _many) -> None:
        took = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        if self.label is not None:
            self.seen.append((self.label, statement, params, took))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def shape(statement: str) -> str:
    """The statement without its parameters (an IN list of any length is one ``?…``)."""
    out = re.sub(r"%\(\w+\)s", "?", statement)
    return re.sub(r"\s+", " ", re.sub(r"\?(?:, \?)+", "?…", out)).strip()


def _slowest(seen: list, count: int = 5) -> list[dict]:
    """Statement shapes by the median time of their runs, slowest first (a median, so that
    one run slowed by a cold cache or a busy machine does not decide it)."""
    runs: dict[str, list[tuple]] = {}
    for label, statement, params, took in seen:
        runs.setdefault(shape(statement), []).append((label, statement, params, took))
    ranked = []
    for key, rows in runs.items():
        times = [row[3] for row in rows]
        label, statement, params, _took = rows[-1]
        ranked.append({"page": label.split(",")[0],
                       "ms_median": round(statistics.median(times) * 1000, 1),
                       "ms_max": round(max(times) * 1000, 1), "runs": len(rows),
                       "shape": key, "statement": statement, "params": params})
    return sorted(ranked, key=lambda row: -row["ms_median"])[:count]


def _explain(url_app, statement: str, params) -> str:
    with url_app.app_context(), db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        raw.rollback()  # in case it wrote
    return plan


# --- pages ----------------------------------------------------------------------------------

def _request(client, path: str, recorder: Recorder, label: str) -> tuple[float, int]:
    before = len(recorder.seen)
    recorder.label = label
    start = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - start
    recorder.label = None
    assert response.status_code == 200, (path, response.status_code)
    return took * 1000, len(recorder.seen) - before


def _page(client, path: str, recorder: Recorder, label: str, touch=None) -> dict:
    """First request, then ``COLD`` requests each after ``touch()`` (a data change), then
    ``WARM`` requests: medians (ms) and statements of one request of each kind."""
    first, first_n = _request(client, path, recorder, label + ", first")
    out = {"first_ms": round(first, 1), "first_statements": first_n}
    if touch is not None:
        cold = []
        for _ in range(COLD):
            touch()
            cold.append(_request(client, path, recorder, label + ", cold"))
        out["cold_ms_median"] = round(statistics.median(t for t, _n in cold), 1)
        out["cold_statements"] = cold[-1][1]
    warm = [_request(client, path, recorder, label) for _ in range(WARM)]
    out["warm_ms_median"] = round(statistics.median(t for t, _n in warm), 1)
    out["warm_statements"] = warm[-1][1]
    return out


def _touch(app, module_version_id: int, cohort_id: int):
    """A function that adds one anonymous student answer for the module version in the
    cohort (in the term of its assignment) and commits: a data change for the reports."""
    def touch() -> None:
        with app.app_context():
            session = db.session
            due = session.scalar(select(Assignment.due_at).where(
                Assignment.cohort_id == cohort_id,
                Assignment.module_version_id == module_version_id).limit(1))
            survey = session.scalar(select(SurveyVersionRow.id).where(
                SurveyVersionRow.slug == "module-feedback").order_by(
                SurveyVersionRow.id.desc()).limit(1))
            response = FeedbackResponse(id=secrets.token_hex(16),
                                        module_version_id=module_version_id,
                                        cohort_id=cohort_id, survey_version_id=survey,
                                        respondent="student", term=term_of(due))
            session.add(response)
            session.flush()
            session.add(FeedbackAnswer(response_id=response.id, item="clear", value=3,
                                       module_version_id=module_version_id,
                                       cohort_id=cohort_id, respondent="student"))
            session.commit()
            session.remove()
    return touch


def _pages(app, world: dict, ids: dict, recorder: Recorder) -> dict:
    with app.app_context():
        module = db.session.scalar(select(ModuleVersionRow.id).where(
            ModuleVersionRow.slug == "clinical-microsystems",
            ModuleVersionRow.version == "1.0.0"))
        shown = db.session.scalar(select(Assignment.module_version_id).where(
            Assignment.cohort_id == world["C"], Assignment.id != world["A"]).order_by(
            Assignment.opens_at).limit(1))
    lead, educator = app.test_client(), app.test_client()
    assert _sign_in(lead, world["emails"]["lead"]).status_code == 302
    assert _sign_in(educator, world["emails"]["educator"]).status_code == 302
    lead.get(f"/programmes/{world['P']}/reports")  # the process's templates and content
    return {
        "module_report": _page(lead, f"/programmes/{world['P']}/reports/modules/{module}",
                               recorder, "module report",
                               _touch(app, module, ids["cohort_ids"][0])),
        "cohort_report": _page(lead, f"/cohorts/{world['C']}/report", recorder,
                               "cohort report", _touch(app, shown, world["C"])),
        "progress_board": _page(educator, f"/assignments/{world['A']}/progress", recorder,
                                "progress board"),
    }


# --- saves under load -------------------------------------------------------------------

def _writers(app, assignment_id: int) -> list[tuple[str, int, int]]:
    """(email, case id, version of its part) of one student in each of the first
    ``WRITERS`` cases in progress, with a password to sign in with."""
    with app.app_context():
        session = db.session
        cases = session.execute(select(CaseWork.id, CaseWork.group_id).where(
            CaseWork.assignment_id == assignment_id).order_by(CaseWork.id)
            .limit(WRITERS)).all()
        writers = []
        for case_id, group_id in cases:
            student = session.scalar(select(Account).join(
                GroupMember, GroupMember.account_id == Account.id).join(
                Membership, Membership.account_id == Account.id).where(
                GroupMember.group_id == group_id, Membership.role == "student")
                .order_by(Account.id).limit(1))
            version = session.scalar(select(SectionDraft.version).where(
                SectionDraft.case_work_id == case_id,
                SectionDraft.section == autosave.SECTION))
            writers.append((student.email, case_id, version))
        session.execute(update(Account).where(Account.email.in_([w[0] for w in writers]))
                        .values(password_hash=generate_password_hash(PASSWORD, HASH_METHOD)))
        session.commit()
        session.remove()
    assert len(writers) == WRITERS, writers
    return writers


def _saves(url: str, writers: list[tuple[str, int, int]], logs: Path, name: str) -> dict:
    with autosave._gunicorn("webapp:create_app()", autosave._env(url), logs, name) as server:
        clients = [Client(server.port) for _ in writers]
        for client, (email, case_id, _version) in zip(clients, writers, strict=True):
            client.sign_in(email, case_id)
        versions = [version for _e, _c, version in writers]

        def save_once(i: int) -> int:
            status, answer = clients[i].save(writers[i][1], autosave._text(versions[i]),
                                             versions[i])
            if isinstance(answer.get("version"), int):
                versions[i] = answer["version"]
            return status

        out = autosave._step(len(writers), server, save_once, SOAK_SECONDS)
        out["log"] = autosave._log_summary(server.error_log)
    return {"writers": len(writers), "seconds": SOAK_SECONDS, **out}


# --- one scale --------------------------------------------------------------------------

def _build(app, scale: int) -> tuple[dict, dict, dict]:
    """The programme at ``scale`` and its term in progress, committed and analysed."""
    with app.app_context():
        start = time.perf_counter()
        ids = build_programme(db.session, scale=scale)
        db.session.commit()
        built = time.perf_counter()
        world = add_page_objects(db.session, ids)
        db.session.commit()
        objects = time.perf_counter()
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))
        analysed = time.perf_counter()
        size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
        db.session.remove()
    rows = ids["counts"]
    return {"programme_s": round(built - start, 1), "page_objects_s": round(objects - built, 1),
            "vacuum_analyze_s": round(analysed - objects, 1),
            "cohorts": len(ids["cohort_ids"]), "rows": rows,
            "rows_total": sum(rows.values()), "database_mib": round(size / 2**20)}, ids, world


def _plans(app, best: list[dict], shapes_too: bool) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the three slowest statements, and with ``shapes_too``
    of every SELECT seen (a smaller scale's plan to set beside a larger one's)."""
    chosen = best[:3] + ([row for row in best[3:] if row["statement"].lstrip().upper()
                          .startswith(("SELECT", "WITH"))] if shapes_too else [])
    return {row["shape"]: _explain(app, row["statement"], row["params"]) for row in chosen
            if isinstance(row["params"], dict)}


def _scale(scale: int, logs: Path) -> tuple[dict, list[dict], dict]:
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        print(f"  {scale}×: building …", flush=True)
        app = _app(url, Path(tmp))
        build, ids, world = _build(app, scale)
        print(f"  {scale}×: {build['rows_total']:,} rows in {build['programme_s']} s "
              f"(+ {build['page_objects_s']} s, analyse {build['vacuum_analyze_s']} s); "
              "pages …", flush=True)
        with app.app_context():
            recorder = Recorder(db.engine)
        try:
            figures = {"build": build, **_pages(app, world, ids, recorder)}
        finally:
            recorder.close()
        every = _slowest(recorder.seen, count=10_000)
        plans = _plans(app, every, shapes_too=scale == min(SCALES))
        writers = _writers(app, world["A"])
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        print(f"  {scale}×: {len(writers)} writers saving for {SOAK_SECONDS:g} s …", flush=True)
        figures["save_under_load"] = _saves(url, writers, logs, f"scale-{scale}")
    figures["slowest_statements"] = [{k: v for k, v in row.items() if k != "params"}
                                     for row in every[:5]]
    figures["slowest_statements"][0]["statement"] = every[0]["statement"]
    for row in figures["slowest_statements"][1:]:
        row.pop("statement")
    return figures, every, plans


# --- growth -------------------------------------------------------------------------------

MEASURES = (
    ("rows, all tables", ("build", "rows_total")),
    ("build: programme (s)", ("build", "programme_s")),
    ("VACUUM ANALYZE (s)", ("build", "vacuum_analyze_s")),
    ("module report, cold (ms)", ("module_report", "cold_ms_median")),
    ("module report, warm (ms)", ("module_report", "warm_ms_median")),
    ("module report statements, cold", ("module_report", "cold_statements")),
    ("cohort report, cold (ms)", ("cohort_report", "cold_ms_median")),
    ("cohort report, warm (ms)", ("cohort_report", "warm_ms_median")),
    ("cohort report statements, cold", ("cohort_report", "cold_statements")),
    ("progress board (ms)", ("progress_board", "warm_ms_median")),
    ("progress board statements", ("progress_board", "warm_statements")),
    ("save p50 (ms)", ("save_under_load", "p50_ms")),
    ("save p95 (ms)", ("save_under_load", "p95_ms")),
    ("saves/s", ("save_under_load", "saves_per_s")),
    ("server CPU per save (ms)", ("save_under_load", "server_cpu_ms_per_save")),
)


def _growth(scales: dict) -> list[dict]:
    small, large = scales[str(min(SCALES))], scales[str(max(SCALES))]
    rows = []
    for name, (section, key) in MEASURES:
        a, b = small[section].get(key), large[section].get(key)
        rows.append({"measure": name, f"{min(SCALES)}x": a, f"{max(SCALES)}x": b,
                     "ratio": round(b / a, 2) if a and b is not None else None})
    return rows


def _slowest_pair(large: list[dict], small: list[dict], plans: dict) -> dict:
    """The slowest statement at the largest scale and the same statement at the smallest."""
    top = large[0]
    before = next((row for row in small if row["shape"] == top["shape"]), None)
    low, high = f"{min(SCALES)}x", f"{max(SCALES)}x"
    out = {"page": top["page"], f"{high}_ms_median": top["ms_median"],
           f"{low}_ms_median": before["ms_median"] if before else None,
           "ratio": round(top["ms_median"] / before["ms_median"], 1)
           if before and before["ms_median"] else None}
    lines = [f"The slowest statement at {high} by its median time ({top['page']}: median "
             f"{top['ms_median']} ms, runs: {top['runs']}; at {low}: "
             f"{out[f'{low}_ms_median']} ms), from `python -m bench scale`",
             "", top["statement"], "", f"Parameters at {high}: {top['params']!r}", "",
             f"--- EXPLAIN (ANALYZE, BUFFERS) at {high}", "",
             plans["large"].get(top["shape"], "(not explained)"), "",
             f"--- EXPLAIN (ANALYZE, BUFFERS) at {low}", "",
             plans["small"].get(top["shape"], "(not seen at this scale)"), ""]
    EXPLAIN_FILE.parent.mkdir(exist_ok=True)
    EXPLAIN_FILE.write_text("\n".join(lines))
    return out


def _statement_growth(large: list[dict], small: list[dict], count: int = 5) -> list[dict]:
    """The slowest statements at the largest scale beside the same ones at the smallest."""
    before = {row["shape"]: row["ms_median"] for row in small}
    return [{"page": row["page"], "shape": row["shape"][:240],
             f"{max(SCALES)}x_ms_median": row["ms_median"],
             f"{min(SCALES)}x_ms_median": before.get(row["shape"]),
             "ratio": round(row["ms_median"] / before[row["shape"]], 1)
             if before.get(row["shape"]) else None} for row in large[:count]]


def _print(rows: list[dict]) -> None:
    low, high = f"{min(SCALES)}x", f"{max(SCALES)}x"
    print(f"  {'measure':40} {low:>12} {high:>12} {'ratio':>7}")
    for row in rows:
        print(f"  {row['measure']:40} {row[low]!s:>12} {row[high]!s:>12} {row['ratio']!s:>7}")


def run() -> dict:
    figures: dict = {"settings": {"scales": list(SCALES), "cold_repeat": COLD,
                                  "warm_repeat": WARM, "writers": WRITERS,
                                  "soak_seconds": SOAK_SECONDS, "quick": QUICK,
                                  "cpus": os.cpu_count(), "gunicorn_workers": autosave.WORKERS},
                     "code": autosave._code()}
    if not (PGBIN / "initdb").exists():
        figures["skipped"] = f"no PostgreSQL binaries in {PGBIN}"
        return figures
    scales, seen, plans = {}, {}, {}
    figures["host_load_1min_before"] = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(os.environ.get("BENCH_AUTOSAVE_LOGS") or tmp)
        logs.mkdir(parents=True, exist_ok=True)
        for scale in SCALES:
            scales[str(scale)], seen[scale], plans[scale] = _scale(scale, logs)
    figures["host_load_1min_after"] = round(os.getloadavg()[0], 2)
    figures["scales"] = scales
    figures["growth"] = _growth(scales)
    figures["slowest_statement"] = _slowest_pair(
        seen[max(SCALES)], seen[min(SCALES)],
        {"large": plans[max(SCALES)], "small": plans[min(SCALES)]})
    figures["slowest_statements_growth"] = _statement_growth(seen[max(SCALES)],
                                                             seen[min(SCALES)])
    _print(figures["growth"])
    for row in figures["slowest_statements_growth"]:
        print(f"  statement ({row['page']}): {row}")
    print(f"  slowest statement at {max(SCALES)}×: {figures['slowest_statement']}; plans in "
          f"{EXPLAIN_FILE}")
    return figures
