"""The ``coproduce`` command: Flask's commands plus the product's own."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.language import speaking_at_the_command_line
from webapp.roles import PATIENT_PARTNER


def main() -> None:
    from webapp import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="Coproduce: run, set up and manage.")
    cli(prog_name="coproduce")


def register(app) -> None:
    from webapp.backup import backup, restore
    from webapp.content_cli import content
    from webapp.jobs.worker import worker
    from webapp.lti.cli import lti
    from webapp.notices.cli import notices
    from webapp.people.cli import retention
    from webapp.reports.cli import report

    app.cli.add_command(content)
    app.cli.add_command(report)
    app.cli.add_command(worker)
    app.cli.add_command(retention)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(notices)
    app.cli.add_command(lti)
    for command in (init_db, demo, send_mail, create_programme, create_cohort, create_group,
                    create_account, add_member):
        app.cli.add_command(command)
    for command in (content, report, worker, retention, backup, restore, notices, lti, init_db,
                    demo,
                    send_mail, create_programme, create_cohort, create_group, create_account,
                    add_member):
        speaking_at_the_command_line(command)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (runs the migrations)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo(_("Database is up to date: %(url)s", url=_safe_url()))


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
    click.echo("\n" + _("Demo logins for %(base)s (password for all: %(password)s)", base=base,
                          password=DEMO_PASSWORD))
    for email, role in logins:
        click.echo(f"  {email:<28} {role}")


@click.command("send-mail")
@with_appcontext
def send_mail():
    """Send the mail waiting in the outbox (prints it when MAIL_BACKEND=console)."""
    from webapp.mail import send_pending

    sent, failed = send_pending(echo=click.echo)
    click.echo(_("Mail: %(sent)d sent, %(failed)d failed (failures stay queued).", sent=sent,
                 failed=failed))
    if failed:
        raise SystemExit(1)


def _get(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        raise click.BadParameter({
            "Programme": _("there is no programme with id %(id)d", id=ident),
            "Cohort": _("there is no cohort with id %(id)d", id=ident),
            "Group": _("there is no group with id %(id)d", id=ident)}[model.__name__])
    return obj


@click.command("create-programme")
@with_appcontext
@click.argument("name")
def create_programme(name: str):
    """Create a programme called NAME."""
    from webapp.models import Programme

    name = _clean(name, "NAME", 200)
    if db.session.scalar(select(Programme).where(Programme.name == name)):
        raise click.ClickException(_("a programme called “%(name)s” already exists", name=name))
    programme = Programme(name=name)
    db.session.add(programme)
    db.session.commit()
    click.echo(_("Programme %(id)d: %(name)s", id=programme.id, name=name))


@click.command("create-cohort")
@with_appcontext
@click.argument("programme_id", type=int)
@click.argument("name")
def create_cohort(programme_id: int, name: str):
    """Create a cohort called NAME in programme PROGRAMME_ID."""
    from webapp.models import Cohort, Programme

    programme = _get(Programme, programme_id)
    name = _clean(name, "NAME", 200)
    if db.session.scalar(select(Cohort).where(Cohort.programme_id == programme.id,
                                              Cohort.name == name)):
        raise click.ClickException(_("programme %(id)d already has a cohort “%(name)s”",
                                       id=programme.id, name=name))
    cohort = Cohort(programme=programme, name=name)
    db.session.add(cohort)
    db.session.commit()
    click.echo(_("Cohort %(id)d: %(name)s (programme %(programme)s)", id=cohort.id, name=name,
                 programme=programme.name))


@click.command("create-group")
@with_appcontext
@click.argument("cohort_id", type=int)
@click.argument("name")
def create_group(cohort_id: int, name: str):
    """Create a group called NAME in cohort COHORT_ID."""
    from webapp.models import Cohort, Group

    cohort = _get(Cohort, cohort_id)
    name = _clean(name, "NAME", 120)
    if db.session.scalar(select(Group).where(Group.cohort_id == cohort.id, Group.name == name)):
        raise click.ClickException(_("cohort %(id)d already has a group “%(name)s”", id=cohort.id,
                                       name=name))
    group = Group(cohort=cohort, name=name)
    db.session.add(group)
    db.session.commit()
    click.echo(_("Group %(id)d: %(name)s (cohort %(cohort)s)", id=group.id, name=name,
                 cohort=cohort.name))


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
        raise click.ClickException(_("an account for %(email)s already exists", email=email))
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise click.BadParameter(problems[0], param_hint="--password")
    account = Account(email=email, email_key=email.lower(), display_name=name,
                      password_hash=hash_password(password), admin=admin)
    db.session.add(account)
    db.session.commit()
    click.echo(_("Account %(id)d: %(email)s (admin)", id=account.id, email=email) if admin
               else _("Account %(id)d: %(email)s", id=account.id, email=email))


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
    from webapp.home.queries import ROLE_NAMES
    from webapp.models import Cohort, Group, GroupMember, Membership, Programme

    account = find_account(db.session, email)
    if account is None:
        raise click.BadParameter(_("no account for %(email)s; create it first", email=email),
                                 param_hint="EMAIL")
    if (programme_id is None) == (cohort_id is None):
        raise click.UsageError(_("give exactly one of --programme or --cohort"))
    programme = _get(Programme, programme_id) if programme_id else None
    cohort = _get(Cohort, cohort_id) if cohort_id else None
    group = _get(Group, group_id) if group_id else None
    if group is not None and (cohort is None or group.cohort_id != cohort.id):
        raise click.UsageError(_("--group must belong to the cohort given with --cohort"))
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
        raise click.ClickException(_("%(email)s already has that role or group",
                                       email=email)) from exc
    click.echo(_("%(email)s is now %(role)s", email=email, role=ROLE_NAMES[role]))


def _clean(value: str, param: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise click.BadParameter(_("must not be empty"), param_hint=param)
    if len(value) > limit:
        raise click.BadParameter(_("must be at most %(n)d characters", n=limit), param_hint=param)
    return value
