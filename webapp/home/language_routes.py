"""The language switch in every page's header: saved on the account, else in the session."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp import language
from webapp.extensions import db
from webapp.home import bp
from webapp.resubmit import safe_path


@bp.route("/language", methods=["POST"])
def choose_language():
    code = request.form.get("language", "")
    back = safe_path(request.form.get("next")) or url_for("home.help_page")
    if not language.is_language(code):
        flash(_("Choose English or Svenska."), "error")
        return redirect(back, 303)
    session["language"] = code
    if current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    with force_locale(code):
        flash(_("The pages are now in English.") if code == "en"
              else _("The pages are now in Swedish."), "info")
    return redirect(back, 303)
