"""``coproduce backup PATH`` and ``coproduce restore PATH``: one consistent copy while the app
serves, and a checked way back.

Copying the SQLite file while people write can miss their latest work (the write-ahead log
holds it), so SQLite is copied with its online backup API in a single step, which reads one
consistent snapshot and does not stop writers. PostgreSQL is copied with ``pg_dump -Fc``,
which also reads one snapshot. A restore runs with the app stopped, refuses to overwrite a
database that holds data unless told to, and leaves the schema at the revision this version
of the app expects (upgrading an older backup; refusing a newer one).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore are the PostgreSQL tools for this)
from pathlib import Path

import click
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, inspect, literal, select
from sqlalchemy.engine import URL

from webapp.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
#: Where Debian keeps each PostgreSQL version's tools when they are not on PATH.
PG_VERSIONS = Path("/usr/lib/postgresql")


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead; the message says what to do."""


def _url() -> URL:
    return db.engine.url


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("this database lives in memory only; there is nothing to back up"))
    return Path(url.database)


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


# --- backup --------------------------------------------------------------------------------


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` as one snapshot (``pages=-1``: a single step)."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        problem = _integrity(dst)
    finally:
        dst.close()
        src.close()
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupError(_("the copy failed its integrity check (%(problem)s); nothing "
                            "written", problem=problem))
    os.replace(partial, target)


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in sorted(PG_VERSIONS.glob(f"*/bin/{name}"),
                                reverse=True)), None)
    if not found:
        raise BackupError(_("%(name)s is not installed. Install the PostgreSQL client tools "
                            "(on Debian: apt-get install postgresql-client) and try again.",
                            name=name))
    return found


def _pg_args(url: URL) -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment."""
    args = ["--dbname", url.set(drivername="postgresql", password=None)
            .render_as_string(hide_password=False)]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict, what: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(_("%(what)s failed: %(detail)s", what=what, detail=detail))
    return result.stdout


def backup_postgres(url: URL, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    args, env = _pg_args(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial),
          *args], env, "pg_dump")
    os.replace(partial, target)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup(path: str, force: bool):
    """Write a consistent copy of the database to PATH while the app keeps serving."""
    target = Path(path).resolve()
    if target.exists() and not force:
        raise BackupError(_("%(path)s already exists; choose a new name (a date in it helps) "
                            "or add --force to replace it", path=path))
    if not target.parent.is_dir():
        raise BackupError(_("the folder %(folder)s does not exist; create it first",
                            folder=target.parent))
    url = _url()
    if url.get_backend_name() == "sqlite":
        backup_sqlite(_sqlite_file(url), target)
    else:
        backup_postgres(url, target)
    size = target.stat().st_size
    click.echo(_("Backup written: %(file)s (%(size)s bytes). Restore it with "
                 "`coproduce restore %(path)s` (with the app stopped).", file=target,
                 size=f"{size:,}", path=path))


# --- restore -------------------------------------------------------------------------------


def _integrity(connection: sqlite3.Connection) -> str | None:
    rows = [r[0] for r in connection.execute("PRAGMA integrity_check")]
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _sqlite_backup_revision(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            problem = _integrity(conn)
            if problem:
                raise BackupError(_("%(path)s is damaged (%(problem)s); use another backup",
                                    path=path, problem=problem))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("%(path)s is not a Coproduce backup of a SQLite database "
                            "(%(why)s)", path=path, why=exc)) from None
    return row[0] if row else None


def _postgres_backup_revision(url: URL, path: Path) -> str | None:
    _args, env = _pg_args(url)
    dump = _run([_pg_tool("pg_restore"), "--data-only", "--table=alembic_version",
                 "--file=-", str(path)], env, "reading the backup")
    lines = dump.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _check_revision(revision: str | None) -> None:
    if revision is None:
        raise BackupError(_("this file has no schema revision: it is not a Coproduce backup"))
    try:
        known = _scripts().get_revision(revision)
    except Exception:  # noqa: BLE001  (alembic raises several kinds for an unknown id)
        known = None
    if known is None:
        raise BackupError(_("this backup comes from a newer version of Coproduce (schema "
                            "%(revision)s); install that version, then restore it",
                            revision=revision))


def holds_data() -> bool:
    """Whether any of the app's tables in the current database has a row."""
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        for name, table in db.metadata.tables.items():
            if name in present and conn.execute(
                    select(literal(1)).select_from(table).limit(1)).first():
                return True
    return False


def restore_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


def restore_postgres(url: URL, source: Path) -> None:
    args, env = _pg_args(url)
    clean = ["--clean", "--if-exists"] if inspect(db.engine).get_table_names() else []
    _run([_pg_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
          *clean, *args, str(source)], env, "pg_restore")


def check_database() -> list[str]:
    """What is wrong with the current database as this app would use it (empty if nothing)."""
    problems = []
    if db.engine.url.get_backend_name() == "sqlite":
        with db.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.append("integrity check: " + "; ".join(rows[:3]))
    present = set(inspect(db.engine).get_table_names())
    missing = sorted(set(db.metadata.tables) - present)
    if missing:
        problems.append("missing tables: " + ", ".join(missing))
    with db.engine.connect() as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
            if "alembic_version" in present else None
    heads = set(_scripts().get_heads())
    if revision not in heads:
        problems.append(f"schema revision {revision} is not the current one ({', '.join(heads)})")
    return problems


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Replace a database that already holds data (everything in it is lost).")
@with_appcontext
def restore(path: str, force: bool):
    """Restore the database from a backup made by `coproduce backup` (stop the app first)."""
    from flask_migrate import upgrade

    from webapp.models import Account, SectionRevision

    source, url = Path(path).resolve(), _url()
    sqlite = url.get_backend_name() == "sqlite"
    revision = (_sqlite_backup_revision(source) if sqlite
                else _postgres_backup_revision(url, source))
    _check_revision(revision)
    if holds_data() and not force:
        raise BackupError(_("this database already holds data. Stop the app, make a backup of "
                            "it if you may need it, then run restore again with --force"))
    db.session.remove()
    db.engine.dispose()
    if sqlite:
        restore_sqlite(source, _sqlite_file(url))
    else:
        restore_postgres(url, source)
    db.engine.dispose()
    upgrade()
    problems = check_database()
    if problems:
        raise BackupError(_("the restored database did not pass the start-up check: "
                            "%(problems)s", problems="; ".join(problems)))
    accounts = db.session.scalar(select(func.count(Account.id)))
    revisions = db.session.scalar(select(func.count(SectionRevision.id)))
    click.echo(_("Restored from %(source)s: %(accounts)d accounts, %(revisions)d saved versions "
                 "of case parts; schema up to date. Start the app again.", source=source,
                 accounts=accounts, revisions=revisions))
