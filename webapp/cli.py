"""The ``coproduce`` command: Flask's commands plus the product's own."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.roles import PATIENT_PARTNER


def main() -> None:
    from webapp import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="Coproduce: run, set up and manage.")
    cli(prog_name="coproduce")


def register(app) -> None:
    from webapp.backup import backup, restore
    from webapp.content_cli import content
    from webapp.jobs.worker import worker
    from webapp.people.cli import retention
    from webapp.reports.cli import report

    app.cli.add_command(content)
    app.cli.add_command(report)
    app.cli.add_command(worker)
    app.cli.add_command(retention)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    for command in (init_db, demo, send_mail, create_programme, create_cohort, create_group,
                    create_account, add_member):
        app.cli.add_command(command)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (runs the migrations)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo(f"Database is up to date: {_safe_url()}")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


@click.command("demo")
@with_appcontext
def demo():
    """Create the demo programme, cohort, groups and accounts (safe to run again)."""
    from webapp.demo import DEMO_PASSWORD, create_demo

    logins = create_demo(db.session)
    db.session.commit()
    base = current_app.config["BASE_URL"]
    click.echo(f"\nDemo logins for {base} (password for all: {DEMO_PASSWORD})")
    for email, role in logins:
        click.echo(f"  {email:<28} {role}")


@click.command("send-mail")
@with_appcontext
def send_mail():
    """Send the mail waiting in the outbox (prints it when MAIL_BACKEND=console)."""
    from webapp.mail import send_pending

    sent, failed = send_pending(echo=click.echo)
    click.echo(f"Mail: {sent} sent, {failed} failed (failures stay queued).")
    if failed:
        raise SystemExit(1)


def _get(model, ident: int, what: str):
    obj = db.session.get(model, ident)
    if obj is None:
        raise click.BadParameter(f"there is no {what} with id {ident}")
    return obj


@click.command("create-programme")
@with_appcontext
@click.argument("name")
def create_programme(name: str):
    """Create a programme called NAME."""
    from webapp.models import Programme

    name = _clean(name, "NAME", 200)
    if db.session.scalar(select(Programme).where(Programme.name == name)):
        raise click.ClickException(f"a programme called {name!r} already exists")
    programme = Programme(name=name)
    db.session.add(programme)
    db.session.commit()
    click.echo(f"Programme {programme.id}: {name}")


@click.command("create-cohort")
@with_appcontext
@click.argument("programme_id", type=int)
@click.argument("name")
def create_cohort(programme_id: int, name: str):
    """Create a cohort called NAME in programme PROGRAMME_ID."""
    from webapp.models import Cohort, Programme

    programme = _get(Programme, programme_id, "programme")
    name = _clean(name, "NAME", 200)
    if db.session.scalar(select(Cohort).where(Cohort.programme_id == programme.id,
                                              Cohort.name == name)):
        raise click.ClickException(f"programme {programme.id} already has a cohort {name!r}")
    cohort = Cohort(programme=programme, name=name)
    db.session.add(cohort)
    db.session.commit()
    click.echo(f"Cohort {cohort.id}: {name} (programme {programme.name})")


@click.command("create-group")
@with_appcontext
@click.argument("cohort_id", type=int)
@click.argument("name")
def create_group(cohort_id: int, name: str):
    """Create a group called NAME in cohort COHORT_ID."""
    from webapp.models import Cohort, Group

    cohort = _get(Cohort, cohort_id, "cohort")
    name = _clean(name, "NAME", 120)
    if db.session.scalar(select(Group).where(Group.cohort_id == cohort.id, Group.name == name)):
        raise click.ClickException(f"cohort {cohort.id} already has a group {name!r}")
    group = Group(cohort=cohort, name=name)
    db.session.add(group)
    db.session.commit()
    click.echo(f"Group {group.id}: {name} (cohort {cohort.name})")


@click.command("create-account")
@with_appcontext
@click.argument("email")
@click.argument("name")
@click.option("--admin", is_flag=True, help="Give the account the site-wide admin flag.")
@click.password_option(help="Password (asked for when not given).")
def create_account(email: str, name: str, admin: bool, password: str):
    """Create an account for EMAIL shown as NAME."""
    from email_validator import EmailNotValidError, validate_email

    from webapp.auth.operations import find_account
    from webapp.auth.passwords import hash_password, password_problems
    from webapp.models import Account

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    name = _clean(name, "NAME", 120)
    if find_account(db.session, email):
        raise click.ClickException(f"an account for {email} already exists")
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise click.BadParameter(problems[0], param_hint="--password")
    account = Account(email=email, email_key=email.lower(), display_name=name,
                      password_hash=hash_password(password), admin=admin)
    db.session.add(account)
    db.session.commit()
    click.echo(f"Account {account.id}: {email}{' (admin)' if admin else ''}")


@click.command("add-member")
@with_appcontext
@click.argument("email")
@click.argument("role", type=click.Choice(
    ["educator", "student", PATIENT_PARTNER, "patient_coteacher", "lead"]))
@click.option("--programme", "programme_id", type=int, help="Programme id (educator, lead).")
@click.option("--cohort", "cohort_id", type=int, help="Cohort id.")
@click.option("--group", "group_id", type=int, help="Group id (students, patient partners).")
def add_member(email, role, programme_id, cohort_id, group_id):
    """Give the account EMAIL a ROLE in a programme or cohort (and optionally a group)."""
    from webapp.auth.operations import find_account
    from webapp.models import Cohort, Group, GroupMember, Membership, Programme

    account = find_account(db.session, email)
    if account is None:
        raise click.BadParameter(f"no account for {email}; create it first", param_hint="EMAIL")
    if (programme_id is None) == (cohort_id is None):
        raise click.UsageError("give exactly one of --programme or --cohort")
    programme = _get(Programme, programme_id, "programme") if programme_id else None
    cohort = _get(Cohort, cohort_id, "cohort") if cohort_id else None
    group = _get(Group, group_id, "group") if group_id else None
    if group is not None and (cohort is None or group.cohort_id != cohort.id):
        raise click.UsageError("--group must belong to the cohort given with --cohort")
    db.session.add(Membership(account=account, role=role, programme=programme, cohort=cohort))
    if group is not None:
        db.session.add(GroupMember(group=group, account=account))
    from webapp import audit

    audit.record(db.session, "role_added", subject_id=account.id, role=role,
                 programme=programme.id if programme else None,
                 cohort=cohort.id if cohort else None, how="command line")
    try:
        db.session.commit()
    except IntegrityError as exc:  # a unique constraint: already a member
        db.session.rollback()
        raise click.ClickException(f"{email} already has that role or group") from exc
    click.echo(f"{email} is now {role}")


def _clean(value: str, param: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise click.BadParameter("must not be empty", param_hint=param)
    if len(value) > limit:
        raise click.BadParameter(f"must be at most {limit} characters", param_hint=param)
    return value
