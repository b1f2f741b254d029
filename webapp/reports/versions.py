"""The reports' data version: a counter per module version, raised by database triggers.

Every figure a report shows for a module version comes from rows of the tables below. Each
insert, update and delete of such a row raises ``report_data_version.version`` for the module
versions the row belongs to, in the same transaction, by a trigger of the database itself. So
no path can forget it: the ORM, bulk statements (erasure, retention, allocation), raw SQL and
the database's own ``ON DELETE CASCADE`` / ``SET NULL`` (deleting an account, a cohort, a
group) all fire the triggers. The cached pool decisions (``webapp.reports.pools``) are keyed by
this counter, so they are never read after a change that could alter them.

What raises which module versions (``r`` is each row written, before and after the change):

- survey responses, answers and comments (a comment's screening too), knowledge-check
  attempts, assignments: ``r.module_version_id``;
- confidence answers and submissions (a reopened submission drops out of the rubric figures):
  the module version of their assignment;
- reviews, when submitted before or after the change (drafts are in no report, so saving a
  draft raises nothing): the module version of their submission's assignment;
- memberships of a cohort (the knowledge-check figures count a cohort's students) and cohorts
  (moving to another programme): every module version the cohort took;
- learning log entries: the module version of their assignment; the answers given when an
  entry came back: that of their entry's assignment.

Rows removed with their assignment (its submissions, reviews, confidence answers) no longer
find it; the assignment's own delete raises its module version. The threshold ``k`` is part of
the cache key, not of this counter.

SQLite runs a trigger per row. PostgreSQL runs one per statement over its transition tables
(``new_rows``, ``old_rows``) and raises each counter at most once per transaction
(``_ONCE``). Each raise takes the counter rows in module-version order. Alembic's batch
mode rebuilds a SQLite table without its triggers: a migration that does so must call
``install`` again (a test checks that the migrated schema has every trigger).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

#: Every trigger raises these; they read no other table than ``assignment`` / ``submission``
#: (an answer in the learning log also its ``log_entry``).
_DIRECT = "SELECT r.module_version_id AS mv FROM {rows} AS r"
_ASSIGNMENT = ("SELECT a.module_version_id AS mv FROM {rows} AS r "
               "JOIN assignment AS a ON a.id = r.assignment_id")
_COHORT = ("SELECT a.module_version_id AS mv FROM {rows} AS r "
           "JOIN assignment AS a ON a.cohort_id = r.{cohort}")
_REVIEW = ("SELECT a.module_version_id AS mv FROM {rows} AS r "
           "JOIN submission AS s ON s.id = r.submission_id "
           "JOIN assignment AS a ON a.id = s.assignment_id WHERE r.submitted_at IS NOT NULL")

_LOG_ANSWER = ("SELECT a.module_version_id AS mv FROM {rows} AS r "
               "JOIN log_entry AS e ON e.id = r.entry_id "
               "JOIN assignment AS a ON a.id = e.assignment_id")

EVENTS = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Watch:
    table: str
    #: the columns the query reads from a written row
    columns: tuple[str, ...]
    #: module versions raised, from the written rows ``{rows}`` (aliased ``r``)
    query: str
    events: tuple[str, ...] = EVENTS


WATCHED = (
    Watch("feedback_response", ("module_version_id",), _DIRECT),
    Watch("feedback_answer", ("module_version_id",), _DIRECT),
    Watch("feedback_comment", ("module_version_id",), _DIRECT),
    Watch("knowledge_check_attempt", ("module_version_id",), _DIRECT),
    Watch("assignment", ("module_version_id",), _DIRECT),
    Watch("confidence_answer", ("assignment_id",), _ASSIGNMENT),
    Watch("submission", ("assignment_id",), _ASSIGNMENT),
    Watch("review", ("submission_id", "submitted_at"), _REVIEW),
    Watch("membership", ("cohort_id",), _COHORT.replace("{cohort}", "cohort_id")),
    # A new cohort has taken nothing yet; a deleted one takes its assignments with it.
    Watch("cohort", ("id",), _COHORT.replace("{cohort}", "id"), ("UPDATE",)),
    # The learning log's counts: entries about an assignment, and the answers given to them.
    Watch("log_entry", ("assignment_id",), _ASSIGNMENT),
    Watch("log_revisit", ("entry_id",), _LOG_ANSWER),
)


def trigger_names() -> list[str]:
    return [_name(w, event) for w in WATCHED for event in w.events]


def _name(watch: Watch, event: str) -> str:
    return f"report_version_{watch.table}_{event.lower()}"


#: On PostgreSQL a counter is raised once per transaction: a row updated again and again in
#: one transaction leaves a chain of row versions that every later update walks (a bulk load
#: of 300,000 rows took minutes), and once is enough — readers only ever see committed
#: versions, and a transaction's raise differs from every version committed before it. The
#: row notes the (64-bit, never reused) transaction id that last raised it.
_WRITER = {"postgresql": "txid_current()", "sqlite": "NULL"}
_ONCE = {"postgresql": " WHERE report_data_version.raised_by IS DISTINCT FROM txid_current()",
         "sqlite": ""}


def _raise(sources: list[str], dialect: str) -> str:
    """Raise the counter of every module version the written rows belong to."""
    affected = " UNION ".join(sources)  # fixed text of this module, no input
    return ("INSERT INTO report_data_version "  # noqa: S608
            "(module_version_id, version, raised_by) "
            f"SELECT DISTINCT mv, 1, {_WRITER[dialect]} FROM ({affected}) AS affected "
            "WHERE mv IS NOT NULL ORDER BY mv ON CONFLICT (module_version_id) DO UPDATE "
            "SET version = report_data_version.version + 1, raised_by = excluded.raised_by"
            + _ONCE[dialect])


def _sides(event: str) -> list[str]:
    return {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]


def sqlite_ddl(watch: Watch, event: str) -> list[str]:
    sources = []
    for side in _sides(event):
        row = ", ".join(f"{side}.{c} AS {c}" for c in watch.columns)
        sources.append(watch.query.format(rows=f"(SELECT {row})"))
    name = _name(watch, event)
    return [f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {watch.table} "
            f"BEGIN {_raise(sources, 'sqlite')}; END"]


def postgresql_ddl(watch: Watch, event: str) -> list[str]:
    tables = {"OLD": "old_rows", "NEW": "new_rows"}
    sources = [watch.query.format(rows=tables[side]) for side in _sides(event)]
    referencing = " ".join(f"{side} TABLE AS {tables[side]}" for side in _sides(event))
    name = _name(watch, event)
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_raise(sources, 'postgresql')}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {name} ON {watch.table}",
            f"CREATE TRIGGER {name} AFTER {event} ON {watch.table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


def _watched(tables) -> list[Watch]:
    return [w for w in WATCHED if tables is None or w.table in tables]


def install(connection, tables=None) -> None:
    """Create (or re-create) the triggers of ``tables`` (default: all) on this connection's
    database. A migration names its tables, so it never reaches for a later one's."""
    ddl = postgresql_ddl if connection.dialect.name == "postgresql" else sqlite_ddl
    for watch in _watched(tables):
        for event in watch.events:
            for statement in ddl(watch, event):
                connection.execute(text(statement))


def uninstall(connection, tables=None) -> None:
    """Drop the triggers of ``tables`` (default: all; on PostgreSQL, their functions too)."""
    postgresql = connection.dialect.name == "postgresql"
    for watch in _watched(tables):
        for event in watch.events:
            name = _name(watch, event)
            if postgresql:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {watch.table}"))
                connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
            else:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def installed(connection) -> set[str]:
    """The names of the report triggers present in the database."""
    if connection.dialect.name == "postgresql":
        query = "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'report_version_%'"
    else:
        query = ("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                 "AND name LIKE 'report_version_%'")
    return {row[0] for row in connection.execute(text(query))}
