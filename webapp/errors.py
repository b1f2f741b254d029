"""Error pages in the site layout, or JSON when the client asks for JSON."""

from __future__ import annotations

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp import resubmit
from webapp.extensions import db

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("Check what you entered and try again.")),
    403: (_l("You do not have access to this page"),
          _l("If you think you should, ask your educator or programme lead.")),
    404: (_l("Page not found"),
          _l("The address may be mistyped, or the page may have moved. "
             "Start again from your home page.")),
    405: (_l("That action is not available here"),
          _l("Go back to the page you came from and use its buttons.")),
    409: (_l("Someone else changed this at the same time"),
          _l("Reload the page to see the latest version, then make your change again.")),
    410: (_l("This link no longer works"),
          _l("Ask for a new one.")),
    413: (_l("That was too large to accept"),
          _l("Send less at a time: shorten the text or choose a smaller file.")),
    429: (_l("Too many attempts"),
          _l("Wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Nothing you did caused this. Try again in a minute; "
             "if it keeps happening, tell your educator.")),
}


def init_app(app) -> None:
    from webapp.refusals import Refused
    from webapp.web import answer_refusal

    app.register_error_handler(Refused, answer_refusal)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def render_error(code: int, detail: str | None = None):
    from webapp.web import wants_json

    title, advice = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if wants_json():
        return jsonify(error=code, message=str(title), detail=detail or str(advice)), code
    return render_template("errors/error.html", code=code, title=title, advice=advice,
                           detail=detail), code


def _http_error(error: HTTPException):
    code = error.code or 500
    response = make_response(render_error(code))
    if code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _csrf_error(error: CSRFError):
    from webapp.web import wants_json

    if wants_json():
        return render_error(400, "The form's security token was missing or out of date. "
                                 "Reload the page and try again.")
    if not resubmit.had_session():
        from webapp.request_guard import refuse_at_door

        return refuse_at_door(400, _("The form's security token was missing, so nothing was "
                                     "saved. Open the page again on this site and send it "
                                     "from there."))
    return resubmit.render(request.path, resubmit.posted_fields(), reason="csrf", status=400)


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("unexpected error")
    return render_error(500)


