"""Sign in and out, passwords, emailed links and invitations: HTTP only."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp import resubmit
from webapp.auth import bp, operations
from webapp.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    EmailOnlyForm,
    NameForm,
    NewPasswordForm,
    SignInForm,
)
from webapp.auth.passwords import password_problems
from webapp.extensions import db


def _begin(account, method: str) -> None:
    """Start a new sign-in for ``account``: a fresh LoginSession and a fresh cookie."""
    resubmit.clear_session()
    operations.start_login_session(db.session, account, method)
    login_user(account)


def _address() -> str:
    return (request.remote_addr or "unknown")[:64]


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = resubmit.safe_path(request.args.get("next")) or ""
    status = 200
    if form.validate_on_submit():
        try:
            account = operations.sign_in_with_password(
                db.session, form.email.data, form.password.data, _address(), current_app.config
            )
        except operations.Throttled as refusal:
            form.password.errors.append(refusal.message)
            status = 429
        except operations.AuthError as refusal:
            db.session.commit()  # keep the failure count
            form.password.errors.append(refusal.message)
            status = 400
        else:
            _begin(account, "password")
            db.session.commit()
            resumed = resubmit.decode(form.resume.data)
            if resumed:
                return resubmit.render(*resumed, reason="signed_in_again", status=200)
            return redirect(resubmit.safe_path(form.next.data) or url_for("home.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.end_login_session(db.session, current_user.get_id())
        db.session.commit()
        logout_user()
        resubmit.clear_session()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    return _send_link_page("reset", "auth/forgot_password.html")


@bp.route("/sign-in-link", methods=["GET", "POST"])
def request_link():
    return _send_link_page("signin", "auth/request_link.html")


def _send_link_page(purpose: str, template: str):
    form = EmailOnlyForm()
    if form.validate_on_submit():
        operations.send_link(db.session, form.email.data, purpose, current_app.config)
        db.session.commit()
        return render_template("auth/link_sent.html", email=form.email.data, purpose=purpose)
    return render_template(template, form=form), 400 if request.method == "POST" else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        link = operations.check_link(db.session, token, "reset")
    except operations.LinkInvalid as problem:
        return render_template("auth/link_invalid.html", message=problem.message), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            account = operations.reset_password(db.session, token, form.password.data)
        except operations.AuthError as refusal:
            db.session.rollback()
            form.password.errors.append(refusal.message)
        else:
            _begin(account, "reset")
            db.session.commit()
            flash(_("Your new password is set and you are signed in."), "info")
            return redirect(url_for("home.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, account=link.account), status


@bp.route("/link/<token>", methods=["GET", "POST"])
def use_link(token: str):
    # A GET only shows a button: mail scanners that open links must not use them up.
    try:
        operations.check_link(db.session, token, "signin")
    except operations.LinkInvalid as problem:
        return render_template("auth/link_invalid.html", message=problem.message), 410
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            account = operations.use_link(db.session, token, "signin")
        except operations.LinkInvalid as problem:
            db.session.rollback()
            return render_template("auth/link_invalid.html", message=problem.message), 410
        _begin(account, "link")
        db.session.commit()
        return redirect(url_for("home.index"))
    return render_template("auth/use_link.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
def account():
    """The person's own account: the name others see, and links to password and data."""
    form = NameForm()
    if request.method == "GET":
        form.display_name.data = current_user.display_name
    elif form.validate_on_submit():
        try:
            changed = operations.change_name(db.session, current_user._get_current_object(),
                                             form.display_name.data)
        except operations.AuthError as refusal:
            db.session.rollback()
            form.display_name.errors.append(refusal.message)
        else:
            db.session.commit()
            flash(_("Your name is now %(name)s.", name=current_user.display_name)
                  if changed else _("Your name is unchanged."), "info")
            return redirect(url_for("auth.account"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        account = current_user._get_current_object()
        if account.password_hash and not operations.verify_password(
            account.password_hash, form.current.data
        ):
            form.current.errors.append(_("That is not your current password."))
        else:
            try:
                operations.set_password(db.session, account, form.password.data)
            except operations.AuthError as refusal:
                db.session.rollback()
                form.password.errors.append(refusal.message)
            else:
                _begin(account, "password")
                db.session.commit()
                flash(_("Your password is changed. Other sign-ins have been ended."), "info")
                return redirect(url_for("home.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = operations.check_invitation(db.session, token)
    except operations.LinkInvalid as problem:
        return render_template("auth/link_invalid.html", message=problem.message), 410
    existing = operations.find_account(db.session, invitation.email)
    pending = existing if existing is not None and existing.joined_at is None else None
    if pending is not None:
        existing = None  # added from a roster: joins now, like someone new
    form = ConfirmForm() if existing else AcceptInvitationForm()
    if pending is not None and request.method == "GET":
        form.display_name.data = pending.display_name
    if form.validate_on_submit() and _invitation_password_ok(form, invitation):
        password = None
        if not existing and form.how.data == "password":
            password = form.password.data
        try:
            account = operations.accept_invitation(
                db.session,
                token,
                display_name=getattr(form, "display_name", None) and form.display_name.data or "",
                password=password,
            )
        except operations.AuthError as problem:
            db.session.rollback()
            return render_template("auth/link_invalid.html", message=problem.message), 410
        _begin(account, "invitation")
        db.session.commit()
        flash(_("Welcome. You have joined %(cohort)s.", cohort=invitation.cohort.name), "info")
        return redirect(url_for("home.index"))
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "auth/accept_invitation.html", form=form, invitation=invitation, existing=existing
        ),
        status,
    )


def _invitation_password_ok(form, invitation) -> bool:
    """Check the password fields when a new person chose to sign in with a password."""
    if not isinstance(form, AcceptInvitationForm) or form.how.data != "password":
        return True
    problems = password_problems(
        form.password.data or "", email=invitation.email, name=form.display_name.data or ""
    )
    if problems:
        form.password.errors.append(problems[0])
        return False
    if form.password.data != form.confirm.data:
        form.confirm.errors.append(_("The two passwords are not the same."))
        return False
    return True
