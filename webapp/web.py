"""Helpers every area's routes share: one transaction per change, one answer to a refusal,
and reading small values from forms."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, jsonify, redirect, request

from webapp import resubmit
from webapp.extensions import db
from webapp.refusals import Refused
from webapp.transactions import run


def wants_json() -> bool:
    """The client asked for JSON (autosave, scripts), not a page."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    accepted = request.accept_mimetypes
    return best == "application/json" and accepted[best] > accepted["text/html"]


@dataclass
class Outcome:
    """What ``attempt`` did: the operation's result, or the refusal a form should show."""

    result: object = None
    refusal: Refused | None = None

    @property
    def message(self) -> str:
        return self.refusal.message if self.refusal else ""


def attempt(operation, *args, keep_loaded: bool = False, **kwargs) -> Outcome:
    """``operation(db.session, *args, **kwargs)`` as one transaction (``transactions.run``);
    a refusal comes back, rolled back, for the page to show beside what was typed.
    ``keep_loaded``: see ``transactions.begin_write``."""
    try:
        return Outcome(result=run(db.session, operation, *args, keep_loaded=keep_loaded,
                                  **kwargs))
    except Refused as refusal:
        return Outcome(refusal=refusal)


def change(action, done: str, back: str):
    """Run ``action()`` as one transaction; flash ``done`` (formatted with its result), or
    roll back and flash why not. Either way go to ``back`` (303, so a reload does not post
    again)."""
    outcome = attempt(lambda _session: action())
    if outcome.refusal:
        flash(outcome.message, "error")
    else:
        result = outcome.result
        flash(done.format(result=result) if "{result}" in done else done, "info")
    return redirect(back, 303)


def answer_refusal(refusal: Refused):
    """A refusal no view showed in its own form: JSON, or the typed fields again with why."""
    db.session.rollback()
    if wants_json():
        return jsonify(error=refusal.message), refusal.status
    if request.method == "POST" and resubmit.had_session():
        return resubmit.render(request.path, resubmit.posted_fields(), reason="refused",
                               status=refusal.status, message=refusal.message)
    from webapp.errors import render_error

    return render_error(refusal.status, refusal.message)


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
