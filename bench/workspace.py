"""Educator workspace at cohort scale: roster import and the progress board.

- roster import of a 2,000-row CSV (1,800 students + 200 patient partners in 200 existing
  groups) into an empty cohort: ``roster.plan`` (the preview) and ``roster.apply`` + commit,
  median of 3 runs each on a fresh SQLite database, SQL statements of each, peak memory
  (tracemalloc) of apply in a separate run; then re-importing the same file, whose plan must
  report 0 changes;
- the progress board (GET /assignments/<id>/progress as a signed-in educator) for a cohort of
  2,000 learners in 200 groups, half of them with case work and section drafts: median over 20
  requests and SQL statements per request, compared with 20 groups to show the count does not
  grow with the cohort.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, func, select

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")

from bench.foundation import PASSWORD, _app, _measure, _sign_in  # noqa: E402
from curriculum import template  # noqa: E402
from webapp.auth.passwords import hash_password  # noqa: E402
from webapp.clock import now  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    Account,
    Assignment,
    CaseWork,
    Cohort,
    GroupMember,
    Invitation,
    Membership,
    ModuleVersionRow,
    Outbox,
    Programme,
    SectionDraft,
)
from webapp.models import Group as StudyGroup  # noqa: E402
from webapp.teach import roster  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GROUPS = 200
STUDENTS_PER_GROUP = 9  # and one patient partner: 10 learners a group
RUNS = 3


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@contextmanager
def _counting():
    """Count SQL statements sent to the current app's engine; yields a one-item list."""
    count = [0]

    def tick(*_args):
        count[0] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", tick)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", tick)


def _roster_csv(groups: int = GROUPS) -> bytes:
    lines = ["email,name,role,group"]
    for g in range(1, groups + 1):
        for s in range(STUDENTS_PER_GROUP):
            n = (g - 1) * STUDENTS_PER_GROUP + s
            lines.append(f"student{n}@example.org,Student {n},student,Group {g}")
        lines.append(f"partner{g}@example.org,Partner {g},patient partner,Group {g}")
    return ("\n".join(lines) + "\n").encode()


def _educator(programme: Programme, tag: str) -> Account:
    email = f"educator-{tag}@example.org"
    educator = Account(email=email, email_key=email, display_name="Educator",
                       password_hash=hash_password(PASSWORD))
    db.session.add(Membership(account=educator, programme=programme, role="educator"))
    return educator


def _empty_cohort(app) -> tuple[int, int]:
    """A programme, an educator and a cohort with 200 empty groups; (educator id, cohort id)."""
    with app.app_context():
        programme = Programme(name="Roster programme")
        educator = _educator(programme, "roster")
        cohort = Cohort(programme=programme, name="Roster cohort")
        db.session.add_all([programme, cohort])
        db.session.add_all(StudyGroup(cohort=cohort, name=f"Group {g}")
                           for g in range(1, GROUPS + 1))
        db.session.commit()
        return educator.id, cohort.id


def _import_once(tmp: Path, run: int, data: bytes, trace: bool = False) -> dict:
    """One import into a fresh database; with ``trace``, only apply's peak memory."""
    app = _app(tmp / f"roster-{run}.sqlite", cheap=True)
    educator_id, cohort_id = _empty_cohort(app)
    out: dict = {}
    with app.test_request_context():
        session = db.session
        actor, cohort = session.get(Account, educator_id), session.get(Cohort, cohort_id)
        with _counting() as sql:
            start = time.perf_counter()
            preview = roster.plan(session, cohort, data)
            out["plan_s"] = time.perf_counter() - start
        out["plan_sql"] = sql[0]
        assert not preview.problems, preview.problems[:3]
        assert len(preview.new_people) == len(data.splitlines()) - 1
        upload = roster.store_upload(session, actor, cohort, "roster.csv", data)
        session.commit()
        if trace:
            tracemalloc.start()
        with _counting() as sql:
            start = time.perf_counter()
            roster.apply(session, actor, cohort, upload, app.config)
            session.commit()
            out["apply_s"] = time.perf_counter() - start
        if trace:
            out["apply_peak_bytes"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        out["apply_sql"] = sql[0]
        assert session.scalar(select(func.count()).select_from(Outbox)) == 2000
        assert session.scalar(select(func.count()).select_from(Invitation)) == 2000
        assert session.scalar(select(func.count()).select_from(GroupMember)) == 2000

        # The same file again: nothing to change.
        again = roster.store_upload(session, actor, cohort, "roster.csv", data)
        session.commit()
        with _counting() as sql:
            start = time.perf_counter()
            repeat = roster.plan(session, cohort, data)
            out["replan_s"] = time.perf_counter() - start
        out["replan_sql"] = sql[0]
        assert repeat.changes == 0 and repeat.unchanged == 2000, (repeat.changes, repeat.unchanged)
        out["replan_changes"] = repeat.changes
        with _counting() as sql:
            start = time.perf_counter()
            roster.apply(session, actor, cohort, again, app.config)
            session.commit()
            out["reapply_s"] = time.perf_counter() - start
        out["reapply_sql"] = sql[0]
        assert session.scalar(select(func.count()).select_from(Outbox)) == 2000
    with app.app_context():
        db.engine.dispose()
    return out


def _roster_figures(tmp: Path) -> dict:
    data = _roster_csv()
    runs = [_import_once(tmp, run, data) for run in range(RUNS)]
    traced = _import_once(tmp, RUNS, data, trace=True)

    def median(key):
        return _ms(statistics.median(r[key] for r in runs))

    def sql(key):
        counts = {r[key] for r in runs}
        assert len(counts) == 1, (key, counts)  # the same every run
        return counts.pop()

    print(f"  roster re-import: plan reports {runs[0]['replan_changes']} changes")
    return {
        "roster_rows": len(data.splitlines()) - 1,
        "roster_bytes": len(data),
        "roster_plan_2000_rows_ms_median": median("plan_s"),
        "roster_plan_2000_rows_sql_statements": sql("plan_sql"),
        "roster_apply_commit_2000_rows_ms_median": median("apply_s"),
        "roster_apply_commit_2000_rows_sql_statements": sql("apply_sql"),
        "roster_apply_2000_rows_peak_memory_mib": round(traced["apply_peak_bytes"] / 2**20, 1),
        "roster_reimport_plan_changes": runs[0]["replan_changes"],
        "roster_reimport_plan_ms_median": median("replan_s"),
        "roster_reimport_plan_sql_statements": sql("replan_sql"),
        "roster_reimport_apply_commit_ms_median": median("reapply_s"),
        "roster_reimport_apply_commit_sql_statements": sql("reapply_sql"),
    }


def _board_cohort(programme, educator, version, groups: int) -> int:
    """A cohort of ``groups`` groups of 10 learners, an assignment, case work in every other
    group (1 to 9 section drafts, some written, some submitted); returns the assignment id."""
    cohort = Cohort(programme=programme, name=f"Board cohort {groups}")
    opens = now() - timedelta(days=7)
    assignment = Assignment(cohort=cohort, module_slug=version.slug, module_version=version,
                            opens_at=opens, due_at=opens + timedelta(days=14),
                            review_due_at=opens + timedelta(days=21), created_by_id=educator.id)
    db.session.add_all([cohort, assignment])
    db.session.flush()
    for g in range(1, groups + 1):
        group = StudyGroup(cohort=cohort, name=f"Group {g}")
        for m in range(STUDENTS_PER_GROUP + 1):
            email = f"b{groups}-{g}-{m}@example.org"
            person = Account(email=email, email_key=email, display_name=f"Learner {g}-{m}")
            role = "patient_partner" if m == 0 else "student"
            db.session.add_all([Membership(account=person, cohort=cohort, role=role),
                                GroupMember(group=group, account=person)])
        if g % 2:
            continue
        db.session.add(group)
        db.session.flush()
        work = CaseWork(group_id=group.id, assignment_id=assignment.id,
                        submitted_at=now() if g % 10 == 0 else None)
        for i, key in enumerate(template.KEYS[: g % len(template.KEYS) + 1]):
            db.session.add(SectionDraft(case_work=work, section=key,
                                        text="" if i % 3 == 2 else f"Draft of {key}.",
                                        written=i % 3 == 0))
    db.session.flush()
    return assignment.id


def _board_figures(tmp: Path) -> dict:
    app = _app(tmp / "board.sqlite", cheap=True)
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        version = db.session.scalars(select(ModuleVersionRow).order_by(ModuleVersionRow.id)
                                     ).first()
        programme = Programme(name="Board programme")
        educator = _educator(programme, "board")
        db.session.add(programme)
        db.session.flush()
        ids = {groups: _board_cohort(programme, educator, version, groups)
               for groups in (20, GROUPS)}
        db.session.commit()
    client = app.test_client()
    assert _sign_in(client, "educator-board@example.org").status_code == 302
    figures: dict = {}
    for groups, assignment_id in ids.items():
        path = f"/assignments/{assignment_id}/progress"
        page = client.get(path).get_data(as_text=True)
        unsubmitted = groups - groups // 10
        assert page.count('name="group_id"') == unsubmitted, "a nudge per unsubmitted group"
        ms, sql = _measure(app, client, path, repeat=20)
        figures[f"progress_board_{groups}_groups_{groups * 10}_learners_ms_median"] = ms
        figures[f"progress_board_{groups}_groups_sql_statements"] = sql
        figures[f"progress_board_{groups}_groups_html_kib"] = round(len(page.encode()) / 1024, 1)
    with app.app_context():
        db.engine.dispose()
    return figures


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        figures = _roster_figures(Path(tmp))
        figures.update(_board_figures(Path(tmp)))
    return figures
