"""The Coproduce web application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from webapp import (
    authz,
    clock,
    config,
    errors,
    language,
    localtime,
    partner_names,
    request_guard,
    security,
)
from webapp.extensions import babel, csrf, db, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app; ``overrides`` (tests) is applied over the environment settings."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config.from_environment(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)

    config.check_ready(app.config)
    clock.allow_moving(bool(app.config.get("DEVELOPMENT") or app.config.get("TESTING")))
    if app.config.get("CLOCK_OFFSET"):
        clock.move_to(app.config["CLOCK_OFFSET"])
    request_guard.init_app(app)  # first: before CSRF protection and before any route
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=language.select_locale)
    language.init_app(app)
    partner_names.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    localtime.init_app(app)
    from webapp.review import themes

    themes.init_app(app)
    _sqlite_pragmas(app)

    from webapp.auth import bp as auth_bp
    from webapp.calendar import bp as calendar_bp
    from webapp.calendar import hide_tokens_in_logs
    from webapp.casework import bp as casework_bp
    from webapp.home import bp as home_bp
    from webapp.learn import bp as learn_bp
    from webapp.log import bp as log_bp
    from webapp.lti import bp as lti_bp
    from webapp.notices import bp as notices_bp
    from webapp.people import bp as people_bp
    from webapp.reports import bp as reports_bp
    from webapp.review import bp as review_bp
    from webapp.teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(teach_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(log_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(lti_bp)
    hide_tokens_in_logs()
    app.register_blueprint(casework_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(people_bp)
    app.before_request(authz.enforce_endpoint_policy)

    from webapp.home.queries import ROLE_NAMES

    app.jinja_env.globals["role_names"] = ROLE_NAMES
    app.jinja_env.globals["language_names"] = language.LANGUAGES
    app.jinja_env.globals["script_text"] = language.script_text
    app.jinja_env.globals["page_language"] = language.current
    app.jinja_env.globals["is_staff"] = _is_staff
    app.jinja_env.globals["is_reviewer"] = _is_reviewer
    app.jinja_env.globals["my_contacts"] = _my_contacts
    from webapp.home.welcome import support_for

    app.jinja_env.globals["support_for"] = support_for
    from webapp.authz import can

    app.jinja_env.globals["can"] = can

    from webapp.cli import register

    register(app)
    return app


def _is_staff() -> bool:
    """Educators, leads and admins see the programmes link in the site header."""
    from flask_login import current_user

    from webapp import authz

    return authz.holds(current_user, authz.STAFF)


def _is_reviewer() -> bool:
    """Educators, patient co-teachers and admins see the reviews link in the site header."""
    from flask_login import current_user

    from webapp import authz

    return authz.holds(current_user, authz.REVIEWER)


def _my_contacts():
    """The signed-in person's named contacts, looked up once per request (header and footer)."""
    from flask import g
    from flask_login import current_user

    from webapp.home.welcome import contacts_for

    if "my_contacts" not in g:
        g.my_contacts = contacts_for(db.session, current_user)
    return g.my_contacts


def _sqlite_pragmas(app: Flask) -> None:
    """Foreign keys on, WAL and a busy timeout for every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            if ":memory:" not in app.config["SQLALCHEMY_DATABASE_URI"]:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
