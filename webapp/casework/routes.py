"""Case work pages: start with promises, consent, the nine-part workspace, saves, history."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from curriculum import template
from webapp import authz, localtime
from webapp.casework import bp, operations, queries, rules, safeguards, submission
from webapp.casework.forms import ConsentForm, PromisesForm, SectionForm
from webapp.casework.visibility import CaseWords, purpose_for
from webapp.extensions import db
from webapp.models import Account, CaseWork, Group, GroupMember
from webapp.notices.operations import opened_case
from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER
from webapp.web import attempt, wants_json


def _own_group(assignment):
    return db.session.scalar(
        select(Group).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.account_id == current_user.id,
               Group.cohort_id == assignment.cohort_id))


@bp.route("/assignments/<int:assignment_id>/case", methods=["GET", "POST"])
def start(assignment_id: int):
    assignment = authz.target()
    group = _own_group(assignment)
    if group is None:
        flash(_("Cases are written by the students and patient partners of a group. "
                "Educators open a group's case from the progress board."), "error")
        return redirect(url_for("teach.assignment", assignment_id=assignment.id), 303)
    case = db.session.scalar(select(CaseWork).where(CaseWork.group_id == group.id,
                                                    CaseWork.assignment_id == assignment.id))
    if case is not None:
        return redirect(url_for("casework.case", case_id=case.id), 303)
    module = assignment.module_version.content()
    form = PromisesForm()
    if form.validate_on_submit():
        started = attempt(operations.start_case, current_user, group, assignment, {
            "ourselves": form.ourselves.data, "each_other": form.each_other.data,
            "person": form.person.data})
        if started.refusal:
            form.person.errors.append(started.message)
        else:
            case = started.result
            flash(_("Your working agreement is saved. It stays at the top of the case."), "info")
            return redirect(url_for("casework.case", case_id=case.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("casework/start.html", assignment=assignment, group=group,
                           module=module, form=form), status


def _needs_consent(standing) -> bool:
    return standing.role == PATIENT_PARTNER and standing.consent is None


def _render_case(case, overrides=None, status=200):
    module = case.assignment.module_version.content()
    view = queries.workspace(db.session, case, module)
    standing = rules.Standing.of(db.session, current_user, case)
    role, consent = standing.role, standing.consent
    words = CaseWords(db.session, case)
    for section in view.sections:
        key = section.part.key
        if not words.visible(key, None, purpose_for(role), current_user.id):
            section.text, section.held = "", "hidden"
        elif role is not None and words.held_for_withdrawal(key):
            section.held = "withdrawn"
        if overrides and key in overrides:
            section.text, section.error = overrides[key]
    def may(action):
        return bool(rules.may(db.session, current_user, case, action, standing))

    confirmed = submission.confirmations(db.session, case)
    made = submission.current_submission(db.session, case)
    return render_template(
        "casework/case.html", case=case, module=module, view=view, role=role, consent=consent,
        confirmed=confirmed, waiting=[m for m in view.members if m.account_id not in confirmed],
        submitted=made,
        held_from_reviewers=len(words.withheld(made)) if made is not None else 0,
        empty_parts=submission.empty_parts(db.session, case),
        can_write=may("save"), can_mark=may("mark_written"), can_confirm=may("confirm"),
        can_share=may("share"), max_chars=operations.MAX_SECTION_CHARS,
        reminder_keys=("patient_reality", "emotions", "illness_experience"),
        form=SectionForm()), status


@bp.route("/cases/<int:case_id>")
def case(case_id: int):
    case = authz.target()
    if _needs_consent(rules.Standing.of(db.session, current_user, case)):
        return redirect(url_for("casework.consent", case_id=case.id), 303)
    operations.log_staff_read(db.session, current_user, case, "case")
    opened_case(db.session, current_user.id, case.id)
    db.session.commit()
    return _render_case(case)


@bp.route("/cases/<int:case_id>/consent", methods=["GET", "POST"])
def consent(case_id: int):
    case = authz.target()
    standing = rules.Standing.of(db.session, current_user, case)
    current = standing.consent
    form = ConsentForm()
    if request.method == "GET" and current is not None:
        for name in ("share_group", "share_reviewers", "exemplar", "quote"):
            getattr(form, name).data = "yes" if getattr(current, name) else "no"
    if form.validate_on_submit():
        operations.give_consent(db.session, current_user, case, **{
            name: getattr(form, name).data == "yes"
            for name in ("share_group", "share_reviewers", "exemplar", "quote")})
        db.session.commit()
        flash(_("Your choices are saved. You can change them at any time from the case page."),
              "info")
        return redirect(url_for("casework.case", case_id=case.id), 303)
    status = 400 if request.method == "POST" else 200
    module = case.assignment.module_version.content()
    recorded_by = (db.session.get(Account, current.recorded_by_id)
                   if current is not None and current.recorded_by_id else None)
    return render_template("casework/consent.html", case=case, module=module, form=form,
                           first=current is None, current=current, recorded_by=recorded_by,
                           withdrawn=current is not None and current.withdrawn), status


@bp.route("/cases/<int:case_id>/sections/<key>", methods=["POST"])
def save(case_id: int, key: str):
    case = authz.target()
    if key not in template.BY_KEY:
        abort(404)
    if wants_json():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) \
                or not isinstance(data.get("version"), int) or isinstance(data["version"], bool):
            return jsonify(error=_("Send JSON with text (a string) and version (a number).")), 400
        text, version, told_by = data["text"], data["version"], data.get("told_by")
        rewritten = data.get("rewritten") is True
    else:
        form = SectionForm()
        if not form.validate_on_submit():
            abort(400)
        choice = form.choice.data or ""
        text, version, told_by = form.text.data or "", form.version.data, form.told_by.data
        rewritten = request.form.get("rewritten") == "1"
        if choice == "theirs":
            flash(_("Kept their version; nothing was changed."), "info")
            return redirect(url_for("casework.case", case_id=case.id) + f"#part-{key}", 303)
        if choice == "combine":
            text = (form.theirs.data or "").rstrip("\n") + "\n\n" + text
    told_by_id = _told_by(told_by)
    if told_by_id is False:
        return _problem(case, key, text, _("Choose a patient partner of this group."))

    def write(session):
        # Inside the write lock: who may write is checked (``rules``) by the save itself,
        # and whether the saver could read the text it replaces.
        standing, words = operations.standing_and_words(session, current_user, case)
        fresh = not words.visible(key, None, "group", current_user.id) or (
            rewritten and words.held_for_withdrawal(key))
        return operations.save_section(session, current_user, case, key, text, version,
                                       told_by_id=told_by_id, fresh_start=fresh,
                                       standing=standing)

    # The save decides only on what it reads again under the lock (its role and consent
    # queries and the conditional updates), so what this request loaded is kept.
    outcome = attempt(write, keep_loaded=True)
    if isinstance(outcome.refusal, operations.Conflict):
        return _conflict(case, key, text, outcome.refusal, told_by_id)
    if outcome.refusal:
        return _problem(case, key, text, outcome.message)
    saved = outcome.result
    warning = _identifier_warning(text)
    if wants_json():
        return jsonify(version=saved.version, saved_at=localtime.clock(saved.saved_at, case),
                       voices=saved.voices, warning=warning)
    flash(_("Saved “%(part)s”.", part=template.BY_KEY[key].heading), "info")
    if warning:
        flash(warning, "warning")
    return redirect(url_for("casework.case", case_id=case.id) + f"#part-{key}", 303)


def _identifier_warning(text: str) -> str:
    return safeguards.saved_but_check(text)


def _told_by(value):
    """None (not told by anyone), an account id, or False for a value that is not an id."""
    if value in (None, "", 0, "0"):
        return None
    text = str(value)
    if not text.isdigit() or len(text) > 10:
        return False
    return int(text)


def _problem(case, key, text, message):
    if wants_json():
        return jsonify(error=message), 400
    return _render_case(case, {key: (text, message)}, status=400)


def _conflict(case, key, mine, conflict, told_by_id=None):
    role = operations.role_in_group(db.session, current_user.id, case)
    if not CaseWords(db.session, case).visible(key, None, purpose_for(role), current_user.id):
        conflict.theirs = ""  # words this person may not read are never shown to them
    if wants_json():
        return jsonify(error="conflict", theirs=conflict.theirs, version=conflict.version,
                       by=conflict.by), 409
    return render_template("casework/conflict.html", case=case, part=template.BY_KEY[key],
                           mine=mine, conflict=conflict, told_by_id=told_by_id or "",
                           form=SectionForm()), 409


@bp.route("/cases/<int:case_id>/sections/<key>/written", methods=["POST"])
def written(case_id: int, key: str):
    case = authz.target()
    if key not in template.BY_KEY:
        abort(404)
    marked = attempt(operations.mark_written, current_user, case, key,
                     request.form.get("written") == "1")
    if marked.refusal:
        flash(marked.message, "error")
    return redirect(url_for("casework.case", case_id=case.id) + f"#part-{key}", 303)


@bp.route("/cases/<int:case_id>/sections/<key>/history")
def history(case_id: int, key: str):
    case = authz.target()
    if key not in template.BY_KEY:
        abort(404)
    operations.log_staff_read(db.session, current_user, case, "history")
    db.session.commit()
    revisions = queries.history(db.session, case.id, key)
    role = operations.role_in_group(db.session, current_user.id, case)
    words = CaseWords(db.session, case)
    for index, revision in enumerate(revisions):
        purpose = "staff" if role is None else "group" if index == 0 else "history"
        if not words.visible(key, revision.version, purpose, current_user.id):
            revision.text, revision.held = "", True
    return render_template("casework/history.html", case=case, part=template.BY_KEY[key],
                           revisions=revisions, diffs=_diffs(revisions),
                           restorable={r.version for r in revisions
                                       if not words.restore_refusal(key, r.version,
                                                                    current_user.id)},
                           can_write=bool(rules.may(db.session, current_user, case,
                                                    "restore")), form=SectionForm())


def _diffs(revisions):
    """For each revision, the lines added and removed against the one before it."""
    import difflib

    out = {}
    for newer, older in zip(revisions, [*revisions[1:], None], strict=False):
        if newer.held or newer.removed or (older and (older.held or older.removed)):
            out[newer.version] = []  # never compared with words this reader may not read
            continue
        before = older.text.splitlines() if older else []
        out[newer.version] = [line for line in difflib.ndiff(before, newer.text.splitlines())
                              if line[:2] in ("+ ", "- ")]
    return out


@bp.route("/cases/<int:case_id>/sections/<key>/restore", methods=["POST"])
def restore(case_id: int, key: str):
    case = authz.target()
    if key not in template.BY_KEY:
        abort(404)
    form = SectionForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = _told_by(request.form.get("revision"))
    revisions = {r.version: r for r in queries.history(db.session, case.id, key)}
    if not wanted or wanted not in revisions:
        flash(_("Choose a version from the history."), "error")
        return redirect(url_for("casework.history", case_id=case.id, key=key), 303)
    def restore_it(session):
        refusal = CaseWords(session, case).restore_refusal(key, wanted, current_user.id)
        if refusal:
            raise Refused(refusal, status=409)
        return operations.save_section(session, current_user, case, key,
                                       revisions[wanted].text, form.version.data,
                                       restored_from=wanted)

    restored = attempt(restore_it)
    if isinstance(restored.refusal, operations.Conflict):
        return _conflict(case, key, revisions[wanted].text, restored.refusal)
    if restored.refusal:
        flash(restored.message, "error")
        return redirect(url_for("casework.history", case_id=case.id, key=key), 303)
    flash(_("Version %(n)d restored as a new version.", n=wanted), "info")
    return redirect(url_for("casework.case", case_id=case.id) + f"#part-{key}", 303)
