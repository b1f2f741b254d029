"""The floor for the autosave benchmark: a bare Flask app served by the same gunicorn settings.

One endpoint does what the heart of ``save_section`` does to the database, with raw sqlite3 or
psycopg and one connection per worker: the conditional UPDATE of ``section_draft`` (``… WHERE
id = ? AND version = ?``) and the ``section_revision`` INSERT in one transaction, which on
SQLite begins IMMEDIATE. No sign-in, session, CSRF, ORM, authorisation or role queries.
The database comes from ``BENCH_BARE_DATABASE_URL`` (a SQLAlchemy URL).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

from flask import Flask, jsonify, request

URL = os.environ.get("BENCH_BARE_DATABASE_URL", "")
SQLITE = URL.startswith("sqlite:///")

UPDATE = ("UPDATE section_draft SET text = ?, version = version + 1, updated_at = ?, "
          "updated_by_id = ?, written = ?, student_voice = ? WHERE id = ? AND version = ?")
INSERT = ("INSERT INTO section_revision (draft_id, version, text, account_id, role, "
          "created_at) VALUES (?, ?, ?, ?, 'student', ?)")
CURRENT = "SELECT version FROM section_draft WHERE id = ?"

app = Flask(__name__)
_connection = None


def _sql(statement: str) -> str:
    return statement if SQLITE else statement.replace("?", "%s")


def connection():
    """This worker's connection, opened on first use (as SQLAlchemy's pool would)."""
    global _connection
    if _connection is None:
        if SQLITE:
            _connection = sqlite3.connect(URL[len("sqlite:///"):], isolation_level=None,
                                          check_same_thread=False)
            for pragma in ("foreign_keys=ON", "busy_timeout=5000", "journal_mode=WAL"):
                _connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            _connection = psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"))
    return _connection


@app.get("/")
def ready():
    return "ok"


@app.post("/drafts/<int:draft_id>")
def save(draft_id: int):
    data = request.get_json()
    text, version, account = data["text"], data["version"], data["account"]
    moment = datetime.now(UTC).replace(tzinfo=None)
    conn = connection()
    if SQLITE:
        moment = moment.isoformat(" ")  # as SQLAlchemy stores a DateTime on SQLite
        conn.execute("BEGIN IMMEDIATE")
    false, true = (0, 1) if SQLITE else (False, True)
    try:
        changed = conn.execute(_sql(UPDATE), (text, moment, account, false, true, draft_id,
                                              version)).rowcount
        if changed != 1:
            conn.rollback()
            current = conn.execute(_sql(CURRENT), (draft_id,)).fetchone()[0]
            if SQLITE is False:
                conn.rollback()
            return jsonify(error="conflict", version=current), 409
        conn.execute(_sql(INSERT), (draft_id, version + 1, text, account, moment))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return jsonify(version=version + 1)
