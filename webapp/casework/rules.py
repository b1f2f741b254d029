"""May this person do this to this case now? One answer per action, for every caller.

``may`` answers for the routes (form and JSON), the case page's buttons and the history
page; the operations call ``require`` again inside their transaction, because the case may
have been submitted, or a choice changed, since the page was drawn. Who may *read* whose
words is the other half, in ``visibility``.

Actions: ``save``, ``restore`` and ``mark_written`` (writing in a part), ``confirm`` (the
submission), ``share`` (part 9 with the cohort), ``consent`` and ``withdraw`` (a patient
partner's own choices; withdrawing stays possible after hand-in and for a partner who does
not share with the group).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER

ACTIONS = ("save", "restore", "mark_written", "confirm", "share", "consent", "withdraw")
_WRITING = ("save", "restore", "mark_written")


@dataclass(frozen=True)
class Allowed:
    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Refusal:
    reason: str
    status: int = 403

    def __bool__(self) -> bool:
        return False


ALLOWED = Allowed()


@dataclass(frozen=True)
class Standing:
    """How a person stands to a case: their role in its group and their latest choices."""

    role: str | None
    consent: object | None

    @classmethod
    def of(cls, session, actor, case) -> Standing:
        from webapp.casework.operations import current_consent, role_in_group

        role = role_in_group(session, actor.id, case)
        consent = (current_consent(session, case.id, actor.id)
                   if role == PATIENT_PARTNER else None)
        return cls(role, consent)


def may(session, actor, case, action: str, standing: Standing | None = None
        ) -> Allowed | Refusal:
    """Whether ``actor`` may do ``action`` to ``case`` now, and if not, why (in plain words)."""
    assert action in ACTIONS, action
    standing = standing or Standing.of(session, actor, case)
    role, consent = standing.role, standing.consent
    if action in ("consent", "withdraw"):
        if role != PATIENT_PARTNER:
            return Refusal(_("Only a patient partner of this group makes these choices."), 404)
        if action == "withdraw" and consent is None:
            return _answer_first()
        return ALLOWED
    if role is None:
        return Refusal(_("Only members of the group write in its case."))
    if action == "share":
        if case.submitted_at is None:
            return Refusal(_("Part 9 can be shared with the cohort after the case is "
                             "submitted."), 409)
        return ALLOWED
    if case.submitted_at is not None:
        return Refusal(_("This case has been submitted and is read-only."), 409)
    if role != PATIENT_PARTNER:
        return ALLOWED
    if consent is None:
        return _answer_first()
    if action == "confirm":
        return ALLOWED
    if not consent.share_group:
        return Refusal(_("You chose not to share your written words with the group. Change "
                         "that choice to write here."), 409)
    if consent.withdrawn:
        return Refusal(_("You withdrew your words from this case. To write here again, make "
                         "your choices again on the consent page."), 409)
    return ALLOWED


def _answer_first() -> Refusal:
    return Refusal(_("Make your choices about who reads your words first (the consent page), "
                     "then try again."), 409)


def require(session, actor, case, action: str, standing: Standing | None = None) -> Standing:
    """``may``, raising ``Refused`` with its reason; returns the standing it used."""
    standing = standing or Standing.of(session, actor, case)
    answer = may(session, actor, case, action, standing)
    if not answer:
        raise Refused(answer.reason, status=answer.status)
    return standing
