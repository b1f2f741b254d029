"""One change, one transaction: the caller owns it, operations only flush.

``run`` takes the write lock first (on SQLite ``BEGIN IMMEDIATE``, so two writers queue
instead of failing half way; PostgreSQL rows are locked by the operations themselves),
runs the operation, and commits once — or rolls back once if anything is raised. Operations
re-check their conditions inside it, because what the request read before may have changed.
"""

from __future__ import annotations

from sqlalchemy import text


def begin_write(session) -> None:
    """Start a write transaction; on SQLite take the write lock first (BEGIN IMMEDIATE).

    Whatever the request read so far is committed first; objects loaded before are expired
    and reload on next use.
    """
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))


def run(session, operation, *args, **kwargs):
    """``operation(session, *args, **kwargs)`` as one transaction: committed, or rolled back
    and the error raised again."""
    begin_write(session)
    try:
        result = operation(session, *args, **kwargs)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result
