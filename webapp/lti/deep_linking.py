"""Deep linking: an instructor choosing "add Coproduce" in their course picks an assignment of
the linked cohort (or assigns a module version with its dates), and Coproduce answers the
platform with a signed LtiDeepLinkingResponse holding one LTI resource link to it. Launching
that link later takes learners to the assignment (``accounts.settle``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.registration import Registration
from sqlalchemy import select

from webapp import authz, localtime, tokens
from webapp.clock import now
from webapp.lti import keys
from webapp.lti.launch import Launch, Refusal, role_in_course
from webapp.models import (
    Assignment,
    Cohort,
    LtiContext,
    LtiDeepLink,
    LtiPlatform,
    ModuleVersionRow,
)
from webapp.refusals import Refused
from webapp.web import small_int

#: How long the instructor has to choose.
LIFETIME = timedelta(hours=1)


def begin(session, account, launch: Launch, course: LtiContext | None) -> str:
    """Keep the platform's deep-linking request; returns the token of the choosing pages."""
    if role_in_course(launch.roles) != "educator":
        raise Refusal("deep_link_not_instructor", launch.platform.issuer)
    settings = launch.deep_linking or {}
    target = settings.get("deep_link_return_url")
    if not isinstance(target, str) or origin_of(target) is None:
        raise Refusal("message_invalid", launch.platform.issuer)
    token, digest = tokens.new_token()
    session.add(LtiDeepLink(token_hash=digest, platform_id=launch.platform.id,
                            account_id=account.id, course_id=course.id if course else None,
                            deployment_id=launch.deployment_id, settings=settings))
    session.flush()
    return token


def find(session, token: str) -> LtiDeepLink | None:
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(LtiDeepLink).where(
        LtiDeepLink.token_hash == tokens.token_hash(token)))
    if row is None or row.used_at is not None or now() - row.created_at > LIFETIME:
        return None
    return row


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url``, or None when it is anything else (it goes into
    a header: nothing but a host may)."""
    parts = urlsplit(url if isinstance(url, str) else "")
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if _ORIGIN.match(origin) else None


def frame_origins(platform: LtiPlatform) -> list[str]:
    """The platform's own addresses: the only pages allowed to frame the choosing pages."""
    return sorted({o for o in (origin_of(platform.issuer), origin_of(platform.auth_url)) if o})


def choices(session, row: LtiDeepLink) -> dict:
    """What the instructor may choose from: the cohort's assignments and the module versions
    not yet assigned to it (or, for a course not linked yet, the cohorts they teach)."""
    from webapp.lti.accounts import cohorts_taught
    from webapp.models import Account

    course = row.course
    if course is None or course.cohort_id is None:
        return {"cohort": None,
                "cohorts": cohorts_taught(session, session.get(Account, row.account_id))}
    cohort = session.get(Cohort, course.cohort_id)
    assignments = session.scalars(select(Assignment).where(
        Assignment.cohort_id == cohort.id).order_by(Assignment.due_at)).all()
    taken = {a.module_slug for a in assignments}
    latest: dict[str, ModuleVersionRow] = {}
    for version in session.scalars(select(ModuleVersionRow).order_by(
            ModuleVersionRow.slug, ModuleVersionRow.major, ModuleVersionRow.minor,
            ModuleVersionRow.patch)):
        latest[version.slug] = version
    start = localtime.local(now(), cohort).replace(second=0, microsecond=0, tzinfo=None)
    return {"cohort": cohort, "assignments": assignments,
            "versions": [v for slug, v in sorted(latest.items()) if slug not in taken],
            "defaults": {"opens_at": start, "due_at": start + timedelta(days=14),
                         "review_due_at": start + timedelta(days=21)}}


def link_course(session, row: LtiDeepLink, cohort_id: str) -> None:
    from webapp.lti.accounts import link_course
    from webapp.models import Account

    ident = small_int(cohort_id)
    cohort = session.get(Cohort, ident) if ident else None
    if row.course is None:
        raise Refused(_("Open “add Coproduce” from a course of the platform."))
    link_course(session, session.get(Account, row.account_id), row.course, cohort)


def _typed(value: str | None, cohort) -> datetime:
    try:
        typed = datetime.fromisoformat((value or "").strip()[:16])
        if not 2000 <= typed.year <= 2200:
            raise ValueError(typed.year)
        return localtime.to_utc(typed, cohort)
    except (ValueError, OverflowError) as exc:
        raise Refused(_("Give each date as a day and a time.")) from exc


def choose(session, row: LtiDeepLink, form: dict) -> Assignment:
    """The assignment the link opens: one of the cohort's, or a new one from a module
    version and its dates (by the same rules as the assignment page)."""
    from sqlalchemy import update

    from webapp.models import Account
    from webapp.teach import assignments

    claimed = session.execute(update(LtiDeepLink).where(
        LtiDeepLink.id == row.id, LtiDeepLink.used_at.is_(None)).values(used_at=now())
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:  # another press of the button got here first
        raise Refused(_("This choice was made already. Open “add Coproduce” again."),
                      status=409)
    account = session.get(Account, row.account_id)
    if row.course is None or row.course.cohort_id is None:
        raise Refused(_("Link the course to a cohort first."))
    cohort = session.get(Cohort, row.course.cohort_id)
    if cohort is None or not authz.allowed(account, "manage", cohort):
        raise Refused(_("Choose a cohort you teach."), status=403)
    raw = (form.get("assignment_id") or "").strip()
    if raw:
        ident = small_int(raw)
        assignment = session.get(Assignment, ident) if ident else None
        if assignment is None or assignment.cohort_id != cohort.id:
            raise Refused(_("Choose one of this cohort's assignments."))
        return assignment
    version = small_int((form.get("module_version_id") or "").strip())
    if not version:
        raise Refused(_("Choose an assignment, or a module to assign."))
    return assignments.create(session, account, cohort, module_version_id=version,
                              opens_at=_typed(form.get("opens_at"), cohort),
                              due_at=_typed(form.get("due_at"), cohort),
                              review_due_at=_typed(form.get("review_due_at"), cohort))


def answer(session, row: LtiDeepLink, assignment: Assignment) -> str:
    """The signed LtiDeepLinkingResponse (one LTI resource link to ``assignment``); the
    request is used up."""
    platform = row.platform
    key = keys.tool_key(session)
    kid = key.kid

    class _Registration(Registration):
        def get_kid(self):
            return kid

    registration = (_Registration().set_issuer(platform.issuer)
                    .set_client_id(platform.client_id).set_tool_private_key(key.private_pem))
    base = current_app.config["BASE_URL"].rstrip("/")
    resource = (DeepLinkResource().set_url(f"{base}/lti/launch")
                .set_title(assignment.module_version.title)
                .set_custom_params({"assignment_id": str(assignment.id)}))
    session.flush()
    return DeepLink(registration, row.deployment_id, row.settings).get_response_jwt([resource])
