"""The learning log at programme size: 2,000 learners with 20 entries each, on SQLite and on a
throwaway PostgreSQL 15 cluster.

The synthetic programme (``bench.synthetic``: 2,000 learners in 20 cohorts of 100, fewer
answers and reviews, which these pages do not read) gets ``ENTRIES`` learning log entries per
student and patient partner: a third shared with their cohort, a third with their group, the
rest private; every fifth comes back today; a quarter were answered once. Then, as a student
of the last cohort:

- the home page with one or two entries coming back, and the cohort's "What we are learning"
  page (first page of shared entries): median of ``REPEAT`` requests and SQL statements;
- the log's own queries (what comes back today; one page of the cohort's shared entries, and
  their count) through the product's query functions, against the same statements written
  by hand as SQL text on the same connection ("raw": ``exec_driver_sql``): medians, and
  their ratio, which should stay under ``MAX_RATIO``; and against the driver's own cursor
  (``driver_ms``), which shows the fixed cost of going through SQLAlchemy at all (about
  0.1 ms a statement: more than a whole indexed query on SQLite);
- the statements of both pages again after every learner's log has doubled: the same count.

Figures go to ``bench/results/log.json``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, insert, select, update
from werkzeug.security import generate_password_hash

from bench.autosave import PGBIN, _postgres
from bench.foundation import PASSWORD, _sign_in
from bench.reports import _app
from bench.synthetic import HASH_METHOD, build_programme
from curriculum import reexposure
from webapp.clock import now
from webapp.extensions import db
from webapp.log import queries
from webapp.models import Account, Assignment, GroupMember, LogEntry, LogRevisit, Membership

ENTRIES = 20
REPEAT = 7
QUICK_REPEAT = 3
MAX_RATIO = 2.0
STAGES = ("what", "so_what", "now_what", "what_happened")


def _back_on(written, chosen, today):
    """The day an entry comes back, as the product keeps it (``back_on``)."""
    return reexposure.next_return(reexposure.Schedule(written, chosen), today)


def _add_entries(session, programme: dict, per_person: int, offset: int = 0) -> None:
    """``per_person`` entries for each student and patient partner of the programme."""
    people = session.execute(
        select(Membership.account_id, Membership.cohort_id, GroupMember.group_id)
        .join(GroupMember, GroupMember.account_id == Membership.account_id)
        .where(Membership.cohort_id.in_(programme["cohort_ids"]),
               Membership.role.in_(("student", "patient_partner")))).all()
    assignment_of = dict(session.execute(
        select(Assignment.cohort_id, Assignment.id)
        .where(Assignment.cohort_id.in_(programme["cohort_ids"]))).all())
    today, moment = now().date(), now()
    batch = []
    for account, cohort, group in people:
        for k in range(offset, offset + per_person):
            shared = ("cohort", "group", None)[k % 3]
            batch.append({
                "account_id": account, "place": "own", "stage": STAGES[k % 4],
                "text": f"Entry {k}: what I noticed when we listened first.", "tags": [],
                "written_on": today - timedelta(days=k + 1), "version": 1,
                "assignment_id": assignment_of.get(cohort) if k % 2 else None,
                "come_back_on": today if k % 5 == 0 else None,
                "back_on": _back_on(today - timedelta(days=k + 1),
                                    today if k % 5 == 0 else None, today),
                "created_at": moment, "updated_at": moment, "shared_with": shared,
                "share_group_id": group if shared == "group" else None,
                "share_cohort_id": cohort if shared else None, "share_named": k % 2 == 0,
                "shared_at": moment - timedelta(minutes=k) if shared else None})
        if len(batch) >= 20_000:
            session.execute(insert(LogEntry), batch)
            batch = []
    if batch:
        session.execute(insert(LogEntry), batch)
    ids = session.scalars(select(LogEntry.id).where(LogEntry.id % 4 == 0)).all()
    session.execute(insert(LogRevisit), [
        {"entry_id": i, "answer": "still_true", "on_day": today - timedelta(days=1),
         "at": moment} for i in ids])


def _reader(session, programme: dict) -> tuple[int, int, str]:
    """A student of the last cohort (their account, the cohort, their email)."""
    cohort = programme["cohort_ids"][-1]
    account = session.scalar(select(Account).join(Membership).where(
        Membership.cohort_id == cohort, Membership.role == "student").order_by(Account.id)
        .limit(1))
    session.execute(update(Account).where(Account.id == account.id).values(
        password_hash=generate_password_hash(PASSWORD, HASH_METHOD)))
    return account.id, cohort, account.email


def _page(app, client, path: str, repeat: int) -> dict:
    with app.app_context():
        engine = db.engine
    seen: list[int] = []
    listener = lambda *_a: seen.append(1)  # noqa: E731
    assert client.get(path).status_code == 200, path
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert client.get(path).status_code == 200, path
        times.append(time.perf_counter() - start)
    return {"ms": round(statistics.median(times) * 1000, 1), "statements": len(seen)}


def _median_ms(action, repeat: int) -> float:
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 3)


#: The log's queries written by hand: what comes back today, and one page of a cohort's
#: shared entries with their count.
RAW_DUE = """
SELECT e.id, e.stage, e.text, e.written_on, mv.title FROM log_entry AS e
LEFT JOIN module_version AS mv ON mv.id = e.module_version_id
WHERE e.account_id = {me} AND e.ended_on IS NULL AND e.back_on <= '{today}'
ORDER BY e.back_on, e.id LIMIT 2
"""
_VISIBLE = """e.share_cohort_id = {cohort} AND e.hidden_at IS NULL AND (e.shared_with = 'cohort'
 OR (e.shared_with = 'group' AND e.share_group_id IN (SELECT m.group_id FROM group_member AS m
     JOIN study_group AS g ON g.id = m.group_id
     WHERE m.account_id = {me} AND g.cohort_id = {cohort})))"""
RAW_COUNT = "SELECT count(e.id) FROM log_entry AS e WHERE " + _VISIBLE  # noqa: S608 (fixed text, ids)
RAW_PAGE = """
SELECT e.id, e.text, e.stage, e.written_on, e.shared_at, e.shared_with, e.share_named,
       e.account_id, a.display_name, mv.title, e.module_version_id, e.pin_state
FROM log_entry AS e JOIN account AS a ON a.id = e.account_id
LEFT JOIN module_version AS mv ON mv.id = e.module_version_id
WHERE """ + _VISIBLE + " ORDER BY e.shared_at DESC, e.id DESC LIMIT 20 OFFSET 0"


def _queries(app, me: int, cohort: int, repeat: int) -> dict:
    """Each of the log's queries through the product's function, and written by hand as SQL
    text on the same connection, and on its driver's cursor: medians and ratios."""
    today = now().date()
    pairs = {
        "coming_back": (lambda: queries.due_back(db.session, me, today),
                        [RAW_DUE.format(me=me, today=today.isoformat())]),
        "cohort_page": (lambda: queries.shared_in_cohort(db.session, me, cohort),
                        [RAW_COUNT.format(me=me, cohort=cohort),
                         RAW_PAGE.format(me=me, cohort=cohort)]),
    }
    out = {}
    with app.app_context():
        driver = db.session.connection().connection.driver_connection

        def raw(statements):
            def run():
                cursor = driver.cursor()
                for statement in statements:
                    cursor.execute(statement)
                    cursor.fetchall()
                cursor.close()
            return run
        def plain(statements):
            def run():
                connection = db.session.connection()
                for statement in statements:
                    connection.exec_driver_sql(statement).fetchall()
            return run
        for name, (action, statements) in pairs.items():
            product_ms = _median_ms(action, repeat * 5)
            raw_ms = _median_ms(plain(statements), repeat * 5)
            driver_ms = _median_ms(raw(statements), repeat * 5)
            out[name] = {"product_ms": product_ms, "raw_ms": raw_ms,
                         "ratio": round(product_ms / raw_ms, 2) if raw_ms else None,
                         "driver_ms": driver_ms,
                         "ratio_to_driver": round(product_ms / driver_ms, 2)
                         if driver_ms else None}
        db.session.rollback()
    return out


def _database(url: str, tmp: Path, repeat: int) -> dict:
    app = _app(url, tmp)
    started = time.perf_counter()
    with app.app_context():
        programme = build_programme(db.session, learners=2000, groups=200, answers=2000,
                                    reviews=200)
        _add_entries(db.session, programme, ENTRIES)
        me, cohort, email = _reader(db.session, programme)
        db.session.commit()
        entries = db.session.scalar(select(LogEntry.id).order_by(LogEntry.id.desc()).limit(1))
    built = round(time.perf_counter() - started, 1)
    client = app.test_client()
    _sign_in(client, email)
    pages = {"home": _page(app, client, "/", repeat),
             "cohort_learning": _page(app, client, f"/cohorts/{cohort}/learning", repeat)}
    figures = {"build_s": built, "entries": entries, "pages": pages,
               "queries": _queries(app, me, cohort, repeat)}
    with app.app_context():
        _add_entries(db.session, programme, ENTRIES, offset=ENTRIES)
        db.session.commit()
    doubled = {"home": _page(app, client, "/", 1),
               "cohort_learning": _page(app, client, f"/cohorts/{cohort}/learning", 1)}
    figures["statements_when_doubled"] = {k: v["statements"] for k, v in doubled.items()}
    figures["fixed_statements"] = all(
        doubled[k]["statements"] == pages[k]["statements"] for k in pages)
    figures["within_ratio"] = all(q["ratio"] is not None and q["ratio"] <= MAX_RATIO
                                  for q in figures["queries"].values())
    with app.app_context():
        db.engine.dispose()
    return figures


def run() -> dict:
    repeat = QUICK_REPEAT if os.environ.get("BENCH_QUICK") else REPEAT
    figures: dict = {"learners": 2000, "entries_each": ENTRIES, "max_ratio": MAX_RATIO}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = _database(f"sqlite:///{Path(tmp) / 'log.sqlite'}", Path(tmp),
                                      repeat)
    if not (PGBIN / "initdb").exists():
        figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
        return figures
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        figures["postgresql"] = _database(url, Path(tmp), repeat)
    return figures
