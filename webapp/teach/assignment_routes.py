"""Assignments: create, change dates, more time for one person, newer versions, progress."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from curriculum import template
from webapp import authz, localtime
from webapp.extensions import db
from webapp.language import LANGUAGES
from webapp.learn import queries as learn_queries
from webapp.models import Extension, Group, ModuleVersionRow
from webapp.roles import PATIENT_PARTNER
from webapp.teach import assignments, bp, nudges, queries
from webapp.teach.forms import AssignmentForm, DatesForm, ExtendForm, NudgeForm, VersionForm
from webapp.web import attempt, change, form_problem, small_int


def _versions():
    """Every module version, with the payload that says what each one replaces."""
    return db.session.scalars(select(ModuleVersionRow).options(
        undefer(ModuleVersionRow.payload)).order_by(
        ModuleVersionRow.title, ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
        ModuleVersionRow.patch.desc())).all()


def _about(rows, replaced) -> list[dict]:
    """Each module's summary, and what each version changed, to choose knowingly."""
    modules: dict[str, dict] = {}
    for row in rows:  # newest version of each module first
        entry = modules.setdefault(row.slug, {"title": row.title, "summary": row.summary,
                                              "minutes": row.minutes, "changes": [],
                                              "replaced": [], "language": row.language})
        changes = (row.payload or {}).get("changes") if isinstance(row.payload, dict) else None
        if changes:
            entry["changes"].append((row.version, changes))
        if (row.slug, row.version) in replaced:
            entry["replaced"].append((row.version, replaced[(row.slug, row.version)]))
    return list(modules.values())


def _choices(rows, replaced, show_all: bool) -> list[tuple[int, str, dict]]:
    """The versions offered: those replaced by a newer one only when asked for. Each option
    says the language its module is written in (``lang``: the title is in it)."""
    out = []
    for row in rows:
        gone = replaced.get((row.slug, row.version))
        # the language a version is written in, named in itself ("English", "Svenska")
        spoken = LANGUAGES.get(row.language, row.language)
        if gone is None:
            out.append((row.id, f"{row.title} — {row.version} — {spoken}",
                        {"lang": row.language}))
        elif show_all:
            out.append((row.id, _("%(title)s — %(version)s — %(language)s (replaced by "
                                  "%(newer)s)", title=row.title, version=row.version,
                                  language=spoken, newer=gone.by), {"lang": row.language}))
    return out


DATE_FIELDS = ("opens_at", "due_at", "review_due_at")


def _stored(form, where) -> tuple[dict, list[str]]:
    """The form's dates, typed in the programme's time zone, as stored; and a notice for each
    time that fell in the hour the clocks skip (read as an hour later)."""
    values, notices = {}, []
    for name in DATE_FIELDS:
        typed = getattr(form, name).data
        values[name] = localtime.to_utc(typed, where)
        shown = localtime.read_as(typed, where)
        if shown is not None:
            notices.append(_("%(label)s: %(typed)s does not exist in %(place)s because the "
                             "clocks go forward that night, so it was saved as %(shown)s.",
                             label=getattr(form, name).label.text,
                             typed=typed.strftime("%H:%M"), place=localtime.place(where),
                             shown=shown.strftime("%H:%M")))
    return values, notices


@bp.route("/cohorts/<int:cohort_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(cohort_id: int):
    cohort = authz.target()
    form = AssignmentForm()
    rows = _versions()
    replaced = learn_queries.replaced(rows)
    show_all = request.args.get("all") == "1"
    form.module_version_id.choices = _choices(rows, replaced, show_all)
    if form.validate_on_submit():
        values, notices = _stored(form, cohort)
        made = attempt(assignments.create, current_user, cohort,
                       module_version_id=form.module_version_id.data, **values)
        if made.refusal:
            # each problem sits under the field it is about (the due date when unsure)
            getattr(form, made.refusal.reason or "due_at", form.due_at).errors.append(
                made.message)
        else:
            assignment = made.result
            flash(_("Module assigned. Groups see it on their home page from the opening date."),
                  "info")
            for notice in notices:
                flash(notice, "warning")
            return redirect(url_for("teach.assignment", assignment_id=assignment.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("teach/new_assignment.html", cohort=cohort, form=form,
                           empty=not form.module_version_id.choices,
                           about=_about(rows, replaced), show_all=show_all,
                           any_replaced=bool(replaced)), status


@bp.route("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    assignment = authz.target()
    manage = authz.allowed(current_user, "manage", assignment)
    staff = authz.allowed(current_user, "see_progress", assignment)
    newer = assignments.newer_version(db.session, assignment)
    extensions = db.session.scalars(select(Extension).where(
        Extension.assignment_id == assignment.id)).all()
    mine = next((e for e in extensions if e.account_id == current_user.id), None)
    dates = DatesForm(**{name: localtime.for_form(getattr(assignment, name), assignment)
                         for name in DATE_FIELDS})
    extend = ExtendForm()
    people = [line for line in queries.roster(db.session, assignment.cohort_id)
              if set(line.roles) & {"student", PATIENT_PARTNER}]
    extend.account_id.choices = [(line.account_id, line.name) for line in people]
    in_group = bool(queries.own_group_ids(db.session, current_user.id, assignment.cohort_id))
    return render_template(
        "teach/assignment.html", assignment=assignment, manage=manage, staff=staff,
        in_group=in_group,
        newer=newer, started=assignments.has_started(db.session, assignment),
        extensions=extensions if staff else [], mine=mine, dates=dates, extend=extend,
        version_form=VersionForm(module_version_id=newer.id if newer else ""))


@bp.route("/assignments/<int:assignment_id>/dates", methods=["POST"])
def edit_assignment(assignment_id: int):
    assignment = authz.target()
    form = DatesForm()
    back = url_for("teach.assignment", assignment_id=assignment.id)
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(back, 303)
    values, notices = _stored(form, assignment)
    outcome = attempt(lambda session: assignments.change_dates(session, assignment, **values))
    if outcome.refusal:
        flash(outcome.message, "error")
    else:
        flash(_("Dates changed."), "info")
        for notice in notices:
            flash(notice, "warning")
    return redirect(back, 303)


@bp.route("/assignments/<int:assignment_id>/extend", methods=["POST"])
def extend(assignment_id: int):
    assignment = authz.target()
    form = ExtendForm()
    form.account_id.choices = []
    back = url_for("teach.assignment", assignment_id=assignment.id) + "#more-time"
    account_id = small_int(request.form.get("account_id"))
    if not form.validate_on_submit() or account_id is None:
        flash(form_problem(form) or _("Choose a person."), "error")
        return redirect(back, 303)
    if form.extra_days.data:
        due = localtime.add_days(assignment.due_at, form.extra_days.data, assignment)
    elif form.extended_until.data:
        due = localtime.to_utc(form.extended_until.data, assignment)
    else:
        due = None
    done = (_("{result} now has until %(due)s.", due=localtime.when(due, assignment))
            if due else _("{result} is back on the cohort's due date."))
    return change(lambda: assignments.extend(db.session, current_user, assignment, account_id,
                                             due).display_name, done, back)


@bp.route("/assignments/<int:assignment_id>/version", methods=["POST"])
def change_version(assignment_id: int):
    assignment = authz.target()
    form = VersionForm()
    back = url_for("teach.assignment", assignment_id=assignment.id)
    version_id = small_int(form.module_version_id.data) if form.validate_on_submit() else None
    if version_id is None:
        flash(_("Choose a version."), "error")
        return redirect(back, 303)
    return change(lambda: assignments.change_version(db.session, assignment, version_id).version,
                  _("The assignment now uses version {result}."), back)


@bp.route("/assignments/<int:assignment_id>/progress")
def progress(assignment_id: int):
    assignment = authz.target()
    rows = queries.progress_board(db.session, assignment)
    return render_template("teach/progress.html", assignment=assignment, rows=rows,
                           parts=template.SECTIONS,
                           nudged=nudges.last_nudged(db.session, assignment.id),
                           manage=authz.allowed(current_user, "manage", assignment))


@bp.route("/assignments/<int:assignment_id>/nudge", methods=["GET", "POST"])
def nudge(assignment_id: int):
    """GET asks "remind these people?"; POST sends (at most once an hour per group)."""
    assignment = authz.target()
    form = NudgeForm()
    back = url_for("teach.progress", assignment_id=assignment.id)
    raw = request.args.get("group") if request.method == "GET" else (
        form.group_id.data if form.validate_on_submit() else None)
    group_id = small_int(raw)
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.cohort_id != assignment.cohort_id:
        flash(_("Choose a group."), "error")
        return redirect(back, 303)
    if request.method == "GET":
        form.group_id.data = group.id
        return render_template("teach/nudge.html", assignment=assignment, group=group,
                               form=form, people=nudges.recipients(db.session, group),
                               last=nudges.last_nudged(db.session, assignment.id).get(group.id))
    return change(lambda: nudges.nudge(db.session, current_user, assignment, group,
                                       current_app.config),
                  _("Reminder queued for {result} people in %(group)s.", group=group.name), back)
