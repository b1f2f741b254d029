"""Syncing a linked cohort's roster from its course on the learning platform (LTI Names and
Role Provisioning Services), as a job on the job queue.

The job fetches the course's members (an OAuth 2 client-credentials token got with a JWT
signed by Coproduce's key, then every page of the membership list) and turns them into a
roster file; the educator then sees the same preview as for a CSV roster (new, moved, not on
the platform) and confirms. Nobody is removed.
"""

from __future__ import annotations

import csv
import io

import requests
from flask_babel import gettext as _
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import select

from webapp.clock import now
from webapp.jobs import JobFailed, JobKind, register
from webapp.lti import keys
from webapp.lti.launch import role_in_course
from webapp.models import LtiContext

TIMEOUT = 20


class _TimedSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def _requests_session() -> requests.Session:
    """The HTTP session the platform is asked with (tests replace it)."""
    return _TimedSession()


def fetch_members(session, course: LtiContext) -> list[dict]:
    platform = course.platform
    if not platform.token_url or not course.memberships_url:
        raise JobFailed(_("The learning platform has not offered its roster for this course. "
                          "Ask whoever runs it to turn on Names and Role Provisioning for "
                          "Coproduce and to give its token address, then open Coproduce "
                          "from the course once."))
    key = keys.tool_key(session)
    kid = key.kid

    class _Registration(Registration):
        def get_kid(self):
            return kid

    registration = (_Registration().set_issuer(platform.issuer)
                    .set_client_id(platform.client_id).set_auth_token_url(platform.token_url)
                    .set_tool_private_key(key.private_pem))
    connector = ServiceConnector(registration, requests_session=_requests_session())
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": course.memberships_url})
    try:
        return service.get_members()
    except (LtiException, LtiServiceException, requests.RequestException, ValueError,
            KeyError) as exc:
        raise JobFailed(_("The learning platform did not give the roster (%(why)s). Try "
                          "again later; if it fails again, tell whoever runs the platform.",
                          why=str(exc)[:200])) from exc


def as_roster(members: list[dict]) -> tuple[bytes, int]:
    """The members as a roster file (email, name, role, group), and how many were left out
    (no email shared, not active, or neither instructor nor learner)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "role", "group"])
    left_out = 0
    for member in members:
        role = role_in_course(member.get("roles") or [])
        email = (member.get("email") or "").strip()
        active = (member.get("status") or "Active") == "Active"
        if not role or "@" not in email or not active:
            left_out += 1
            continue
        name = (member.get("name") or " ".join(
            p for p in (member.get("given_name"), member.get("family_name")) if p)
            or email.split("@")[0])[:120]
        writer.writerow([email[:254], name, role, ""])
    return out.getvalue().encode("utf-8"), left_out


def _run(session, course, _k, progress, _folder):
    members = fetch_members(session, course)
    progress(1, 2)
    data, left_out = as_roster(members)
    progress(2, 2)
    return f"roster-{course.id}-left-out-{left_out}.csv", data


ROSTER_SYNC = register(JobKind(
    name="roster_sync",
    subject=lambda session, subject_id: session.get(LtiContext, subject_id),
    data_version=lambda _session, _course, _k: now().strftime("%Y-%m-%dT%H:%M:%S"),
    run=_run,
    mimetype="text/csv",
))


def course_of_cohort(session, cohort_id: int) -> LtiContext | None:
    return session.scalar(select(LtiContext).where(LtiContext.cohort_id == cohort_id)
                          .order_by(LtiContext.id).limit(1))


def left_out_of(file_name: str) -> int:
    try:
        return int(file_name.rsplit("-", 1)[1].split(".")[0])
    except (IndexError, ValueError):
        return 0


