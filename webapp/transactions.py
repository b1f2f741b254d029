"""One change, one transaction: the caller owns it, operations only flush.

``run`` takes the write lock first (on SQLite ``BEGIN IMMEDIATE``, so two writers queue
instead of failing half way; PostgreSQL rows are locked by the operations themselves),
runs the operation, and commits once — or rolls back once if anything is raised. Operations
re-check their conditions inside it, because what the request read before may have changed.
"""

from __future__ import annotations

from sqlalchemy import text

_BEGIN_IMMEDIATE = text("BEGIN IMMEDIATE")


def begin_write(session, *, keep_loaded: bool = False) -> None:
    """Start a write transaction; on SQLite take the write lock first (BEGIN IMMEDIATE).

    Whatever the request read so far is committed first; objects loaded before are expired
    and reload on next use — unless ``keep_loaded``: for an operation that decides only on
    what it reads again under the lock itself (conditional updates, its own queries), the
    objects the request already holds are kept as they are, and nothing is read twice. Then,
    when the request has changed nothing yet, there is nothing to commit either: the write
    goes on on the same connection (SQLite's reads ran outside any transaction; PostgreSQL
    reads each statement afresh, so the lock is taken by the operation's own statements).
    """
    if keep_loaded and not _has_changes(session):
        if _dialect(session) == "sqlite":
            session.execute(_BEGIN_IMMEDIATE)
        return
    real = _session(session)
    if keep_loaded:
        real.expire_on_commit = False
    try:
        session.commit()
    finally:
        real.expire_on_commit = True
    if _dialect(session) == "sqlite":
        session.execute(_BEGIN_IMMEDIATE)


def _dialect(session) -> str:
    return session.get_bind().dialect.name


def _has_changes(session) -> bool:
    """Whether this session has changed anything yet: objects to flush, or (SQLite) a
    transaction the driver opened for a write already made."""
    if session.new or session.dirty or session.deleted:
        return True
    if _dialect(session) != "sqlite":
        return False
    return session.connection().connection.driver_connection.in_transaction


def run(session, operation, *args, keep_loaded: bool = False, **kwargs):
    """``operation(session, *args, **kwargs)`` as one transaction: committed, or rolled back
    and the error raised again. ``keep_loaded``: see ``begin_write``; the objects are kept
    after the commit too (the caller answers from the operation's result)."""
    begin_write(session, keep_loaded=keep_loaded)
    real = _session(session)
    try:
        result = operation(session, *args, **kwargs)
        if keep_loaded:
            real.expire_on_commit = False
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        real.expire_on_commit = True
    return result


def _session(session):
    """The Session itself behind a scoped session (whose settings live on the Session)."""
    registry = getattr(session, "registry", None)
    return registry() if registry is not None else session
