"""Small helpers shared by the teach routes: run a change, commit, say what happened."""

from __future__ import annotations

from flask import flash, redirect

from webapp.extensions import db
from webapp.teach.operations import Refused


def change(action, done: str, back: str, refused: tuple = (Refused,)):
    """Run ``action()``; commit and flash ``done`` (formatted with its result), or roll back
    and flash why not (any of ``refused``, each carrying ``message``). Either way go to
    ``back`` (303, so a reload does not post again)."""
    try:
        result = action()
    except refused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        db.session.commit()
        flash(done.format(result=result) if "{result}" in done else done, "info")
    return redirect(back, 303)


def form_problem(form) -> str:
    """The first validation message of a form posted from a button or small inline form."""
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return ""


def small_int(value) -> int | None:
    """A positive database id from a form field, or None (never a crash on huge numbers)."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number < 2**31 else None
