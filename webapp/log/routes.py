"""The learning log's pages: a person's own log, writing an entry from wherever it matters,
answering it when it comes back, and sharing it (one entry at a time, by choice)."""

from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from curriculum import reexposure, template
from webapp import authz
from webapp.casework import safeguards
from webapp.extensions import db
from webapp.log import bp, operations, places, queries, sharing
from webapp.models import PLACES, STAGES, ModuleVersionRow
from webapp.refusals import Refused
from webapp.web import attempt, change, small_int

#: Which question an entry answers first, by where it is written from.
FIRST_STAGE = {"lesson": "what", "check": "so_what", "case": "so_what",
               "feedback": "now_what", "placement": "what", "own": "what"}


def _today() -> date:
    """Today on the signed-in person's calendar: the same day their home page uses."""
    if "log_today" not in g:
        g.log_today = queries.person_today(queries.zone_of(db.session, current_user.id))
    return g.log_today


def _day(text: str | None, what: str) -> date | None:
    """A date from a date box ("2026-12-04"), None when empty; a refusal saying what to fix."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]) if len(text) <= 10 else date.fromisoformat(text)
    except ValueError:
        raise Refused(_("%(what)s: give a date as year-month-day, for example 2026-12-04.",
                        what=what)) from None


def _log_on() -> bool:
    return queries.log_is_on(current_user, authz.roles_of(current_user))


@bp.route("/log")
def index():
    if not _log_on():
        return render_template("log/off.html")
    stage = request.args.get("stage", "")
    place = request.args.get("place", "")
    filters = queries.Filters(module=request.args.get("module", "")[:100],
                              stage=stage if stage in STAGES else "",
                              objective=request.args.get("objective", "")[:100],
                              place=place if place in PLACES else "")
    rows = queries.timeline(db.session, current_user.id, filters)
    tags = sorted({tag for row in rows for tag in (row[0].tags or ())
                   if tag not in template.KEYS})
    return render_template("log/index.html", rows=rows, filters=filters, stages=STAGES,
                           places=PLACES,
                           modules=queries.modules_in_log(db.session, current_user.id),
                           objectives=tags, label=_label, parts=template.BY_KEY,
                           reminders=queries.reminders_on(current_user,
                                                          authz.roles_of(current_user)))


@bp.route("/log/new", methods=["GET", "POST"])
def new():
    source = request.form if request.method == "POST" else request.args
    place = source.get("place", "own")
    place = place if place in FIRST_STAGE else "own"
    module = _module(small_int(source.get("module")))
    place_id = (source.get("at") or "")[:100] or None
    follows = small_int(source.get("follows"))
    context = dict(place=place, module=module, place_id=place_id,
                   case_id=small_int(source.get("case")),
                   where=_label(module, place, place_id), plans=_plans())
    if request.method == "GET":
        if not _log_on():
            return render_template("log/off.html")
        typed = {"stage": "what_happened" if follows else FIRST_STAGE[place],
                 "follows": follows or "", "tags": _first_tags(module, place, place_id)}
        return render_template("log/new.html", typed=typed,
                               **_form_context(module, typed["tags"]), **context)
    if not _log_on():
        flash(_("Your learning log is off. Turn it on first; nothing was saved."), "error")
        return render_template("log/off.html"), 400
    try:
        written_on = _day(request.form.get("written_on"), _("Date"))
        come_back_on = _day(request.form.get("come_back_on"), _("Come back on"))
    except Refused as refusal:
        return _new_again(context, refusal.message)
    saved = attempt(operations.record, current_user, _today(),
                    text=request.form.get("text", ""), stage=request.form.get("stage", ""),
                    place=place, module_version_id=module.id if module else None,
                    place_id=place_id, tags=request.form.getlist("tag"),
                    written_on=written_on, come_back_on=come_back_on,
                    follows_id=small_int(request.form.get("follows")))
    if saved.refusal:
        return _new_again(context, saved.message)
    entry = saved.result
    flash(_("Saved in your learning log. Only you can see it."), "info")
    _check_identifiers(entry.text)
    back = _back_to_case(small_int(request.form.get("case")), place, place_id) \
        or _back_to(module, place, place_id)
    return redirect(back or url_for("log.entry", entry_id=entry.id), 303)


def _new_again(context, message):
    flash(message, "error")
    return render_template("log/new.html", typed=request.form,
                           **_form_context(context["module"], request.form.getlist("tag")),
                           **context), 400


def _first_tags(module, place, place_id) -> list[str]:
    """Tags ticked at first: the case part written from, or the objective a check tests."""
    if place == "case" and place_id in template.KEYS:
        return [place_id]
    if place == "check" and module is not None:
        return [item.objective for item in module.content().checks if item.id == place_id]
    return []


def _form_context(module, typed_tags) -> dict:
    """What the entry fields offer: the module's objectives and the nine parts as tags."""
    objectives = [(o.id, o.text) for o in module.content().objectives] if module else []
    return dict(max_chars=operations.MAX_ENTRY_CHARS, typed_tags=set(typed_tags or ()),
                objectives=objectives, tag_parts=template.SECTIONS,
                module_language=module.language if module else None,
                today_iso=_today().isoformat())


def _check_identifiers(text: str) -> None:
    warning = safeguards.saved_but_check(text, entry=True)
    if warning:
        flash(warning, "warning")


@bp.route("/log/<int:entry_id>", methods=["GET", "POST"])
def entry(entry_id: int):
    entry = authz.target()
    module = _module(entry.module_version_id)
    if request.method == "POST":
        try:
            written_on = _day(request.form.get("written_on"), _("Date"))
            come_back_on = _day(request.form.get("come_back_on"), _("Come back on"))
        except Refused as refusal:
            return _entry_page(entry, module, refusal.message, 400)
        saved = attempt(operations.edit, current_user, entry, _today(),
                        version=small_int(request.form.get("version")) or 0,
                        text=request.form.get("text", ""), stage=request.form.get("stage", ""),
                        tags=request.form.getlist("tag"), written_on=written_on,
                        come_back_on=come_back_on,
                        follows_id=small_int(request.form.get("follows")))
        if saved.refusal:
            theirs = getattr(saved.refusal, "theirs", None)
            return _entry_page(db.session.get(type(entry), entry.id) if theirs else entry,
                               module, saved.message, saved.refusal.status,
                               conflict=theirs is not None)
        flash(_("Entry saved."), "info")
        _check_identifiers(request.form.get("text", ""))
        return redirect(url_for("log.entry", entry_id=entry.id), 303)
    return _entry_page(entry, module)


def _entry_page(entry, module, problem=None, status=200, conflict=False, note=None):
    from webapp.models import LogEntry, LogRevisit

    if problem:
        flash(problem, "error")
    if problem and note is None:
        typed, tags = request.form, request.form.getlist("tag")
    else:
        typed = {"stage": entry.stage, "text": entry.text, "follows": entry.follows_id or "",
                 "written_on": entry.written_on.isoformat(),
                 "come_back_on": entry.come_back_on.isoformat() if entry.come_back_on else ""}
        tags = entry.tags
    schedule = queries.schedule_of(db.session, entry)
    answers = db.session.scalars(db.select(LogRevisit).where(LogRevisit.entry_id == entry.id)
                                 .order_by(LogRevisit.id)).all()
    followed_by = db.session.scalars(db.select(LogEntry).where(
        LogEntry.follows_id == entry.id, LogEntry.account_id == current_user.id)).all()
    return render_template(
        "log/entry.html", entry=entry, module=module,
        where=_label(module, entry.place, entry.place_id),
        back=_back_to(module, entry.place, entry.place_id), answers=answers,
        next_return=reexposure.next_return(schedule, _today()), followed_by=followed_by,
        due_today=reexposure.is_due(schedule, _today()), note=note,
        plans=_plans(exclude=entry.id), typed=typed, problem=bool(problem) and note is None,
        conflict=conflict,
        can_send_back=sharing.feedback_case(db.session, entry) is not None,
        **_form_context(module, tags)), status


@bp.route("/log/<int:entry_id>/back", methods=["POST"])
def revisit(entry_id: int):
    entry = authz.target()
    done = attempt(operations.revisit, current_user, entry, _today(),
                   request.form.get("answer", ""), request.form.get("note", ""))
    if done.refusal:  # the entry's page again, with the note as typed
        return _entry_page(entry, _module(entry.module_version_id), done.message, 400,
                           note=request.form.get("note", ""))
    else:
        flash({reexposure.STILL_TRUE: _("Noted: still true."),
               reexposure.CHANGED_MIND: _("Noted: you changed your mind."),
               reexposure.DID_IT: _("Well done. It will not come back again."),
               reexposure.NOT_TODAY: _("It will come back tomorrow."),
               reexposure.STOP: _("It will not come back again. It stays in your log.")}
              [done.result.answer], "info")
    if request.form.get("from") == "home":
        return redirect(url_for("home.index"), 303)
    return redirect(url_for("log.entry", entry_id=entry.id), 303)


@bp.route("/log/<int:entry_id>/share", methods=["GET", "POST"])
def share(entry_id: int):
    entry = authz.target()
    choices = operations.sharing_choices(db.session, current_user)
    if request.method == "POST":
        if request.form.get("asked") != "yes":
            flash(_("Tick the box to say the entry does not repeat someone else's words, or "
                    "that they agreed."), "error")
            return render_template("log/share.html", entry=entry, choices=choices,
                                   typed=request.form), 400
        done = attempt(operations.share, current_user, entry, request.form.get("audience", ""),
                       request.form.get("named") == "yes")
        if done.refusal:
            flash(done.message, "error")
            return render_template("log/share.html", entry=entry, choices=choices,
                                   typed=request.form), 400
        flash(_("Shared. You can take it back at any time."), "info")
        return redirect(url_for("log.entry", entry_id=entry.id), 303)
    return render_template("log/share.html", entry=entry, choices=choices, typed={})


@bp.route("/log/<int:entry_id>/withdraw", methods=["POST"])
def withdraw(entry_id: int):
    entry = authz.target()
    return change(lambda: operations.withdraw(db.session, current_user, entry),
                  _("Taken back. Nobody else sees it now."),
                  url_for("log.entry", entry_id=entry.id))


@bp.route("/log/<int:entry_id>/delete", methods=["POST"])
def delete(entry_id: int):
    entry = authz.target()
    return change(lambda: operations.delete(db.session, current_user, entry),
                  _("Entry deleted."), url_for("log.index"))


@bp.route("/log/choices", methods=["POST"])
def choices():
    log_on = request.form.get("log") == "on"
    reminders = request.form.get("reminders") == "on"
    attempt(operations.set_choices, current_user, log_on=log_on, reminders=reminders)
    flash(_("Your learning log is on.") if log_on else _("Your learning log is off. Your "
          "entries are kept; you can turn it on again at any time."), "info")
    return redirect(url_for("log.index") if log_on else url_for("auth.account"), 303)


# --- helpers -----------------------------------------------------------------------------------


def _module(module_version_id: int | None):
    """The module version an entry is about; course content is for members only."""
    if not module_version_id or not authz.holds(current_user, authz.MEMBER):
        return None
    return db.session.get(ModuleVersionRow, module_version_id)


def _label(module, place, place_id) -> str:
    return places.label(module, place, place_id)


def _back_to_case(case_id: int | None, place: str, place_id: str | None) -> str | None:
    """Back to the group's case (the part) or its feedback, for a member of the group."""
    from webapp.models import CaseWork

    if case_id is None or place not in ("case", "feedback"):
        return None
    case = db.session.get(CaseWork, case_id)
    if case is None or not authz.allowed(current_user, "write", case):
        return None
    if place == "feedback":
        return url_for("review.feedback", case_id=case.id)
    return url_for("casework.case", case_id=case.id) + (f"#part-{place_id}" if place_id else "")


def _back_to(module, place, place_id) -> str | None:
    """The page the entry was written from, to go back to after saving it."""
    if module is None:
        return None
    args = {"slug": module.slug, "version": module.version}
    if place == "lesson" and place_id:
        return url_for("learn.lesson", lesson_id=place_id, **args)
    if place == "check":
        return url_for("learn.checks", **args) + (f"#check-{place_id}" if place_id else "")
    return url_for("learn.module", **args)


def _plans(exclude: int | None = None):
    """The person's "Now what?" plans, newest first, for a "What happened?" entry to follow."""
    from webapp.models import LogEntry

    return db.session.execute(
        db.select(LogEntry.id, LogEntry.text, LogEntry.written_on)
        .where(LogEntry.account_id == current_user.id, LogEntry.stage == "now_what",
               LogEntry.id != (exclude or 0))
        .order_by(LogEntry.written_on.desc(), LogEntry.id.desc()).limit(50)).all()
