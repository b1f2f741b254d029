"""Backup while people write, restore into an empty database: every saved version committed
before the backup started comes back, and the restored database passes the start-up check.
Runs on SQLite and on PostgreSQL."""

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests.conftest import app_config, csrf_from, sign_in, start_case
from webapp import backup, create_app
from webapp.extensions import db
from webapp.models import SectionRevision


@pytest.fixture
def stamped(app):
    """The test database carries a schema revision, as one built by `init-db` does."""
    from flask_migrate import stamp

    with app.app_context():
        stamp()
        db.session.remove()


@pytest.fixture
def empty_target(tmp_path):
    """A second, empty database of the kind this run tests, and an app on it."""
    url = os.environ.get("TEST_DATABASE_URL")
    admin = None
    if url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS coproduce_restored"))
            conn.execute(text("CREATE DATABASE coproduce_restored"))
        target = make_url(url).set(database="coproduce_restored").render_as_string(
            hide_password=False)
    else:
        target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    restored = create_app(app_config(target))
    yield restored
    with restored.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS coproduce_restored"))
        admin.dispose()


def _writer(app, case_id, key, stop, saved):
    client = app.test_client()
    assert sign_in(client, "student@example.org").status_code == 302
    token = csrf_from(client.get(f"/cases/{case_id}").get_data(as_text=True))
    version = 0
    while not stop.is_set():
        answer = client.post(f"/cases/{case_id}/sections/{key}",
                             json={"text": f"{key} {version}", "version": version},
                             headers={"X-CSRFToken": token})
        if answer.status_code == 200:
            version = answer.get_json()["version"]
            saved.append(version)


def _revision_ids(app) -> set[int]:
    with app.app_context():
        ids = set(db.session.scalars(select(SectionRevision.id)))
        db.session.remove()
        return ids


def test_a_backup_taken_while_people_write_restores_every_earlier_save(
        app, assigned, stamped, empty_target, tmp_path):  # noqa: F811
    _client, case_id = start_case(app, assigned)
    stop, saved = threading.Event(), []
    writers = [threading.Thread(target=_writer, args=(app, case_id, key, stop, saved))
               for key in ("situation", "emotions")]
    for thread in writers:
        thread.start()
    try:
        while len(saved) < 20:
            time.sleep(0.05)
        before = _revision_ids(app)
        path = tmp_path / "coproduce.backup"
        made = app.test_cli_runner().invoke(args=["backup", str(path)])
        time.sleep(0.3)  # writing goes on after the backup
    finally:
        stop.set()
        for thread in writers:
            thread.join()
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output
    assert len(before) >= 20 and len(_revision_ids(app)) > len(before)
    restored = empty_target.test_cli_runner().invoke(args=["restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert "Restored from" in restored.output
    assert before <= _revision_ids(empty_target)
    with empty_target.app_context():
        assert backup.check_database() == []


def test_restore_refuses_a_database_with_data_unless_forced(app, assigned, stamped,  # noqa: F811
                                                            tmp_path):
    path = tmp_path / "copy.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output
    again = runner.invoke(args=["backup", str(path)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_restore_refuses_a_backup_from_a_newer_version(app, world, stamped, empty_target,
                                                       tmp_path):
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        db.session.commit()
    try:
        path = tmp_path / "future.backup"
        assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    finally:
        from flask_migrate import stamp

        with app.app_context():
            stamp(revision="heads", purge=True)
    refused = empty_target.test_cli_runner().invoke(args=["restore", str(path)])
    assert refused.exit_code == 1 and "newer version of Coproduce" in refused.output
    with empty_target.app_context():
        assert backup.holds_data() is False


def test_a_file_that_is_not_a_backup_is_refused_clearly(empty_target, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    refused = empty_target.test_cli_runner().invoke(args=["restore", str(path)])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "not a Coproduce backup" in refused.output or "failed" in refused.output


def test_missing_postgresql_tools_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backup, "PG_VERSIONS", tmp_path)
    with pytest.raises(backup.BackupError, match="pg_dump is not installed"):
        backup._pg_tool("pg_dump")


def test_sqlite_copy_is_one_consistent_file_that_passes_its_check(tmp_path):
    import sqlite3

    source = tmp_path / "live.sqlite"
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (n INTEGER)")
        conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1000)])
    backup.backup_sqlite(source, tmp_path / "copy.sqlite")
    with sqlite3.connect(tmp_path / "copy.sqlite") as copy:
        assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 1000
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (tmp_path / "copy.sqlite-wal").exists()

