"""A programme's retention settings (its educators set them; leads read them)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit, authz
from webapp.extensions import db
from webapp.people import bp
from webapp.people.retention import MAX_DAYS, SETTINGS


def _days(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise ValueError
    return int(raw)


@bp.route("/programmes/<int:programme_id>/retention", methods=["GET", "POST"])
def retention_settings(programme_id: int):
    programme = authz.target()
    manage = authz.allowed(current_user, "manage", programme)
    problem = ""
    if request.method == "POST":
        try:
            values = {name: _days(request.form.get(name)) for name in SETTINGS}
        except ValueError:
            problem = _("Write a whole number of days from 1 to %(n)d, or leave the box empty "
                        "to keep that text until it is removed by hand.", n=MAX_DAYS)
        else:
            for name, value in values.items():
                setattr(programme, name, value)
            audit.record(db.session, "retention_changed", actor_id=current_user.id,
                         programme=programme.id, **values)
            db.session.commit()
            flash(_("Saved. Text past its keeping time is removed when the retention task "
                    "runs."), "info")
            return redirect(url_for("people.retention_settings", programme_id=programme.id),
                            303)
    return render_template("people/retention.html", programme=programme, manage=manage,
                           problem=problem, typed=request.form if problem else None), \
        (400 if problem else 200)
