"""The one way an operation says no: ``Refused``, with a sentence a person can act on.

Operations raise it (or a subclass that carries more, such as a conflict's other text);
they never answer HTTP themselves. A view may catch it to show the message beside the
form it belongs to; anything it does not catch is answered in one place
(``webapp.web.answer_refusal``): JSON for scripts, and for a person the page again with
what they typed, so nothing is lost.
"""

from __future__ import annotations


class Refused(Exception):
    """A change that cannot be made; ``message`` says why and what to do instead."""

    #: The HTTP status a refusal of this kind answers with when nothing shows it in a form.
    status = 400

    def __init__(self, message: str, status: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        #: A short machine-readable word for callers that tell refusals apart.
        self.reason = reason


class NotFound(Refused):
    """What was asked for does not exist here (a lesson, a check item, an option)."""

    status = 404
