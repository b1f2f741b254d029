"""Configuration, migrations, demo data and the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from tests.conftest import app_config
from webapp import config, create_app
from webapp.extensions import db, not_the_queue
from webapp.models import Account, GroupMember, Membership
from webapp.reports import versions


def test_outside_development_the_app_refuses_to_start_without_a_secret_key(monkeypatch,
                                                                        tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("COPRODUCE_ENV", "production")
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set"):
        config.from_environment(tmp_path)


def test_development_key_file_is_created_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("COPRODUCE_ENV", "development")
    first = config.from_environment(tmp_path)["SECRET_KEY"]
    second = config.from_environment(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.iterdir()) == [key_file]  # no temporary files left behind


def test_cookies_are_secure_outside_development(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("COPRODUCE_ENV", "production")
    assert config.from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_a_bad_number_in_the_environment_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "half an hour")
    with pytest.raises(config.ConfigError, match="SESSION_IDLE_MINUTES must be a whole number"):
        config.from_environment(tmp_path)


def test_a_time_zone_that_does_not_exist_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "Europe/Stockhol")
    with pytest.raises(config.ConfigError, match="DEFAULT_TIME_ZONE must be a time zone name"):
        config.from_environment(tmp_path)
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "Europe/London")
    assert config.from_environment(tmp_path)["DEFAULT_TIME_ZONE"] == "Europe/London"


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    embedded = create_app(app_config(f"sqlite:///{tmp_path / 'pragmas.sqlite'}"))
    with embedded.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.session.remove()
        db.engine.dispose()


def test_migrations_build_exactly_the_schema_the_models_describe(app, tmp_path):
    url = _empty_database(tmp_path)
    migrated = create_app(app_config(url))
    with migrated.app_context():
        from flask_migrate import upgrade

        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"include_name": not_the_queue}), db.metadata)
            tables = set(inspect(conn).get_table_names())
            triggers = versions.installed(conn)
        db.engine.dispose()
    assert diff == []
    # the reports' data version (a later batch migration on SQLite would drop them)
    assert triggers == set(versions.trigger_names())
    assert {"account", "login_session", "membership", "invitation", "outbox"} <= tables


def _empty_database(tmp_path) -> str:
    """A fresh, empty database of the kind this run tests (SQLite file or PostgreSQL)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS coproduce_migrated"))
        conn.execute(text("CREATE DATABASE coproduce_migrated"))
    admin.dispose()
    return make_url(url).set(database="coproduce_migrated").render_as_string(
        hide_password=False)


def test_make_run_on_another_port_uses_that_address_in_links_and_logins(app, monkeypatch):
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(["make", "-n", "run", "PORT=5103"], cwd=root, capture_output=True,
                          text=True, timeout=60, env={k: v for k, v in os.environ.items()
                                                      if k != "BASE_URL"})
    assert plan.returncode == 0, plan.stderr
    steps = [line for line in plan.stdout.splitlines()
             if "coproduce demo" in line or "coproduce send-mail" in line]
    assert len(steps) == 2 and all("BASE_URL=http://127.0.0.1:5103" in s for s in steps)
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5103")
    printed = app.test_cli_runner().invoke(args=["demo"])
    assert "Demo logins for http://127.0.0.1:5103" in printed.output


def test_demo_data_is_created_once_however_often_it_runs(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "educator@example.org" in first.output and "coproduce-demo-2026" in first.output
    with app.app_context():
        counts = _counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert _counts() == counts
    assert counts[0] == 10  # one account per role, four students, two patient partners


def _counts():
    return tuple(db.session.scalar(select(func.count(model.id)))
                 for model in (Account, Membership, GroupMember))


def test_cli_commands_create_structure_and_explain_bad_input(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["create-programme", "Nursing BSc"])
    assert made.exit_code == 0, made.output
    programme_id = made.output.split()[1].rstrip(":")
    cohort = runner.invoke(args=["create-cohort", programme_id, "2026 intake"])
    assert cohort.exit_code == 0, cohort.output
    unknown = runner.invoke(args=["create-cohort", "999", "x"])
    assert unknown.exit_code == 2 and "no programme with id 999" in unknown.output
    empty = runner.invoke(args=["create-programme", "   "])
    assert empty.exit_code == 2 and "must not be empty" in empty.output
    twice = runner.invoke(args=["create-programme", "Nursing BSc"])
    assert twice.exit_code == 1 and "already exists" in twice.output
    weak = runner.invoke(args=["create-account", "x@example.org", "X", "--password", "short"])
    assert weak.exit_code == 2 and "at least 12" in weak.output
    bad_email = runner.invoke(args=["create-account", "not-an-email", "X", "--password",
                                    "meadow-copper-violin-88"])
    assert bad_email.exit_code == 2
    ok = runner.invoke(args=["create-account", "x@example.org", "X", "--password",
                             "meadow-copper-violin-88"])
    assert ok.exit_code == 0, ok.output
    member = runner.invoke(args=["add-member", "x@example.org", "educator", "--programme",
                                 programme_id])
    assert member.exit_code == 0, member.output
    again = runner.invoke(args=["add-member", "x@example.org", "educator", "--programme",
                                programme_id])
    assert again.exit_code == 1 and "already has that role" in again.output
    both = runner.invoke(args=["add-member", "x@example.org", "lead"])
    assert both.exit_code == 2 and "exactly one of --programme or --cohort" in both.output


def test_console_script_refuses_to_start_without_a_secret_key_outside_development(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "COPRODUCE_ENV")}
    coproduce = Path(sys.executable).parent / "coproduce"
    result = subprocess.run([str(coproduce), "routes"], env=env, capture_output=True,
                            text=True, cwd=tmp_path, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr + result.stdout
