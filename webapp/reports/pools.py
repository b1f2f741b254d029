"""Pool decisions worked out once per data version, kept in the database for every process.

A cell's fate depends only on its pool: one module version × respondent type (or lens)
across a programme's cohorts. So the decisions of every table of a module version in a
programme — which cells are shown, with what, and why not — are worked out once and kept in
``report_pool`` under (programme, module version, k) with the module version's data version
(``webapp.reports.versions``: a counter the database raises in the transaction of every change
that could alter them). A report reads, in one statement, each module version's current data
version and the decisions kept for exactly that version; only the module versions without
them are counted again (one GROUP BY statement per table for all of them) and their decisions
stored. A cohort report then costs a handful of small statements, whatever the programme's
size, and pages, CSVs and PDFs of both reports read the same decisions.

Why a table and not a memo in each process: nothing lives in process memory (docs/
architecture.md); many processes on several hosts share one database, so one request fills the
cache for all of them, and a restart loses nothing. The decisions are what may be published —
hidden cells hold no figures — so the table holds nothing a report could not show.

Never stale: the data version is read before the figures are counted, in the same session, so
stored decisions are at least as new as their key; a newer key never meets older decisions (an
older fill that arrives late is refused). A request whose own transaction has written anything
(its counts could include changes that are never committed) counts without storing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from curriculum.aggregate import Publication, Shown
from webapp.clock import now
from webapp.models import ModuleVersionRow, ReportDataVersion, ReportPool

log = logging.getLogger(__name__)

#: The tables of a report decided per pool, in the order they are stored.
TABLES = ("survey", "confidence", "checks", "rubric", "log")


@dataclass
class Pools:
    """The decisions of one module version in one programme: a Publication per table, and
    per cohort the submissions whose two lenses differ."""

    tables: dict[str, Publication]
    differ: dict[int, int] = field(default_factory=dict)


def _dump(pools: Pools) -> str:
    def publication(pub: Publication) -> dict:
        return {"cells": [[key[1], key[2], s.n, s.answers, s.hidden_because]
                          for key, s in pub.cells.items()],
                "pooled": [[key[1], s.n, s.answers, s.hidden_because]
                           for key, s in pub.pooled.items()]}
    return json.dumps({"tables": {name: publication(pools.tables[name]) for name in TABLES},
                       "differ": sorted(pools.differ.items())}, separators=(",", ":"))


def _load(mv: int, k: int, stored: str) -> Pools | None:
    """The kept decisions, or None when they were kept before a table was added (they are
    then counted again)."""
    data, key = json.loads(stored), str(mv)
    if any(name not in data["tables"] for name in TABLES):
        return None
    tables = {}
    for name in TABLES:
        pub = Publication(k)
        for cohort, kind, n, answers, why in data["tables"][name]["cells"]:
            cell = (key, cohort, kind)
            pub.cells[cell] = Shown(cell, n, answers, why)
        for kind, n, answers, why in data["tables"][name]["pooled"]:
            pub.pooled[(key, kind)] = Shown((key, kind), n, answers, why)
        tables[name] = pub
    return Pools(tables, {cohort: n for cohort, n in data["differ"]})


def split(publication: Publication, version_ids) -> dict[int, Publication]:
    """One publication per module version (pools never span module versions)."""
    parts = {mv: Publication(publication.k) for mv in version_ids}
    for key, shown in publication.cells.items():
        parts[int(key[0])].cells[key] = shown
    for key, shown in publication.pooled.items():
        parts[int(key[0])].pooled[key] = shown
    return parts


def decisions(session, programme_id: int, version_ids, k: int, count) -> dict[int, Pools]:
    """The decisions of these module versions' pools; ``count(session, ids)`` works out those
    not kept for the current data version (a dict of ``Pools`` by module version)."""
    ids = sorted(set(version_ids))
    # A pool holds a version and its editions in other languages: its data version is the
    # sum of theirs, which grows whenever any of them changes.
    pool = func.coalesce(ModuleVersionRow.edition_of_id, ModuleVersionRow.id)
    versions = (select(pool.label("pool"),
                       func.sum(func.coalesce(ReportDataVersion.version, 0)).label("version"))
                .outerjoin(ReportDataVersion,
                           ReportDataVersion.module_version_id == ModuleVersionRow.id)
                .where(pool.in_(ids)).group_by(pool).subquery())
    rows = session.connection().execute(
        select(versions.c.pool, versions.c.version, ReportPool.decisions)
        .outerjoin(ReportPool, and_(ReportPool.programme_id == programme_id, ReportPool.k == k,
                                    ReportPool.module_version_id == versions.c.pool,
                                    ReportPool.version == versions.c.version))).all()
    current = {mv: version for mv, version, _stored in rows}
    kept = {mv: _load(mv, k, stored) for mv, _version, stored in rows if stored is not None}
    found = {mv: pools for mv, pools in kept.items() if pools is not None}
    missing = [mv for mv in ids if mv not in found]
    if missing:
        counted = count(session, missing)
        found.update(counted)
        # No counter yet (0): nothing was written since the counters began. The first
        # change starts it at 1, so decisions kept under 0 are never read after a change.
        if _unwritten(session):
            _store(session, programme_id, k, {mv: (current[mv], counted[mv])
                                              for mv in missing if mv in current})
    return found


def _unwritten(session) -> bool:
    """Whether this session's transaction has written nothing (what it counted is committed).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(select(func.pg_current_xact_id_if_assigned())).scalar() \
            is None
    return not connection.connection.driver_connection.in_transaction


def _store(session, programme_id: int, k: int, pools: dict[int, tuple[int, Pools]]) -> None:
    """Keep the decisions, in a transaction of their own; a newer version is never replaced
    by an older one. A report that cannot store them (the database busy) still shows them."""
    engine = session.get_bind()
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(ReportPool)
    statement = statement.on_conflict_do_update(
        index_elements=["programme_id", "module_version_id", "k"],
        set_={"version": statement.excluded.version, "decisions": statement.excluded.decisions,
              "made_at": statement.excluded.made_at},
        where=ReportPool.version < statement.excluded.version)
    made = now()
    try:
        with engine.begin() as connection:
            connection.execute(statement, [
                {"programme_id": programme_id, "module_version_id": mv, "k": k,
                 "version": version, "decisions": _dump(pools_), "made_at": made}
                for mv, (version, pools_) in sorted(pools.items())])
    except SQLAlchemyError:  # pragma: no cover - a busy or read-only database
        log.warning("report pool decisions not stored", exc_info=True)
