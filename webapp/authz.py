"""Who may do what to which object: the one place that answers, deny by default.

Read it as two tables.

``RULES`` says, for each (action, object kind), which *relations* between a person and
the object allow it. A relation is how the person stands to the object: ``programme:educator``
means "holds the educator role in the programme the object belongs to", ``cohort:student``
"is a student in the object's cohort", ``group:member`` "is in this very group". Admins
(a flag on the account) may do everything except what only the person themselves does
(``PERSONAL``: a patient partner's choices, answering feedback, deleting one's own time).

``ENDPOINTS`` gives every endpoint of the app its policy: ``PUBLIC``, ``SIGNED_IN`` (the
view acts only on the signed-in person's own things, which no URL names), ``ADMIN``, a
``Role`` held anywhere (``MEMBER``, ``STAFF``, ``REVIEWER``), or ``Can(action, kind,
url_arg)`` which loads the object named by the URL (or query) argument and checks ``RULES``
before the view runs; ``ByMethod`` gives reading and changing their own policies. No view
checks access itself. An endpoint missing from the table is refused (and a test fails). A
person with no relation at all to an object gets 404, so they cannot learn that it exists;
one with some relation but not enough gets 403. Relations are worked out once per request
and object, and templates ask the same table through ``can(action, object)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db, login_manager
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Contribution,
    Group,
    GuideVersionRow,
    LogEntry,
    PartnerAgreement,
    Programme,
    Review,
)
from webapp.roles import EDUCATOR, LEAD, PATIENT_COTEACHER, ROLES
from webapp.standing import (  # noqa: F401 (part of this module's API)
    case_with_standing,
    relations,
    roles_of,
)

PUBLIC = "public"
SIGNED_IN = "signed_in"
ADMIN = "admin"


@dataclass(frozen=True)
class Role:
    """Holds one of these roles somewhere (in any programme or cohort)."""

    roles: frozenset


#: Holds any role in any programme or cohort (course content is for members).
MEMBER = Role(frozenset(ROLES))
#: Educator or programme lead somewhere (version history and comparisons).
STAFF = Role(frozenset({EDUCATOR, LEAD}))
#: Reviews submissions somewhere (practising on exemplars).
REVIEWER = Role(frozenset({EDUCATOR, PATIENT_COTEACHER}))
#: An educator somewhere (starting a new programme).
EDUCATOR_ANYWHERE = Role(frozenset({EDUCATOR}))


@dataclass(frozen=True)
class Can:
    action: str
    kind: str
    #: The URL argument naming the object (a tuple for objects named by several), or, with
    #: ``query=True``, the query-string argument.
    url_arg: str | tuple
    query: bool = False


@dataclass(frozen=True)
class ByMethod:
    """Reading (GET) and changing (POST) an endpoint answer to different policies."""

    get: object
    post: object


_STAFF = {"programme:educator", "programme:lead", "cohort:educator", "cohort:lead"}
_COHORT_MEMBER = {
    "cohort:educator",
    "cohort:lead",
    "cohort:student",
    "cohort:patient_partner",
    "cohort:patient_coteacher",
}

_MANAGERS = {"programme:educator", "cohort:educator"}

#: (action, kind) → relations that allow it. Everything not listed is refused.
RULES: dict[tuple[str, str], frozenset[str]] = {
    ("view", "programme"): frozenset({"programme:educator", "programme:lead"}),
    ("view", "cohort"): frozenset(_STAFF | _COHORT_MEMBER),
    ("see_all_groups", "cohort"): frozenset(_STAFF),
    ("invite", "cohort"): frozenset({"programme:educator", "cohort:educator"}),
    ("view", "group"): frozenset(_STAFF | {"group:member"}),
    # Educators of the programme (or of the cohort) manage; leads read but do not change.
    ("manage", "programme"): frozenset({"programme:educator"}),
    ("manage", "cohort"): frozenset(_MANAGERS),
    ("manage", "group"): frozenset(_MANAGERS),
    ("manage", "assignment"): frozenset(_MANAGERS),
    ("view", "assignment"): frozenset(_STAFF | _COHORT_MEMBER),
    ("see_progress", "assignment"): frozenset(_STAFF),
    # A case is read by its group and the cohort's educators (reviewers come with reviews);
    # only the group's members write in it.
    ("view", "case"): frozenset(_MANAGERS | {"group:member"}),
    ("write", "case"): frozenset({"group:member"}),
    # A patient partner's own choices (consent, withdrawing their words).
    ("choose", "case"): frozenset({"group:patient_partner"}),
    ("manage", "case"): frozenset(_MANAGERS),
    # Module feedback is asked of the cohort's learners and patient co-teachers; confidence
    # of its students.
    ("answer_survey", "assignment"): frozenset({"cohort:student", "cohort:patient_partner",
                                                "cohort:patient_coteacher"}),
    ("answer_confidence", "assignment"): frozenset({"cohort:student"}),
    # Time given is deleted by the person who recorded it (until it is confirmed).
    ("delete", "contribution"): frozenset({"contribution:owner"}),
    # An agreement is read by its patient partner and the cohort's staff; only the partner
    # accepts it.
    ("view", "agreement"): frozenset(_STAFF | {"agreement:owner"}),
    ("accept", "agreement"): frozenset({"agreement:owner"}),
    # A guide is read by the roles it is written for, and by educators and leads.
    ("read", "guide"): frozenset({"guide:audience", "guide:staff"}),
    # A review is written by the reviewer it is allocated to; educators may read it.
    ("write", "review"): frozenset({"review:reviewer"}),
    # Curriculum-review reports: leads and educators of the programme read every cohort's
    # (pooled) figures and keep the review log; a cohort's educators and leads read its report.
    ("view_reports", "programme"): frozenset({"programme:educator", "programme:lead"}),
    ("review_log", "programme"): frozenset({"programme:educator", "programme:lead"}),
    ("view_reports", "cohort"): frozenset(_STAFF),
    # A learning log entry is its author's alone; what they share is listed by the pages of
    # the group or cohort they shared it with, never opened one by one by others.
    ("write", "log_entry"): frozenset({"entry:author"}),
    ("moderate", "log_entry"): frozenset({"entry:moderator"}),
}

#: endpoint → policy. Every endpoint of the app must appear here.
ENDPOINTS: dict[str, object] = {
    "static": PUBLIC,
    "home.index": SIGNED_IN,
    "home.help_page": PUBLIC,
    "home.accessibility": PUBLIC,
    "home.choose_language": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": SIGNED_IN,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.request_link": PUBLIC,
    "auth.use_link": PUBLIC,
    "auth.change_password": SIGNED_IN,
    "auth.account": SIGNED_IN,
    "auth.accept_invitation": PUBLIC,
    "teach.cohort": Can("view", "cohort", "cohort_id"),
    "teach.invite": Can("invite", "cohort", "cohort_id"),
    "teach.group": Can("view", "group", "group_id"),
    "teach.programmes": STAFF,
    "teach.new_programme": EDUCATOR_ANYWHERE,
    "teach.programme": Can("view", "programme", "programme_id"),
    "teach.rename_programme": Can("manage", "programme", "programme_id"),
    "teach.new_cohort": Can("manage", "programme", "programme_id"),
    "teach.edit_cohort": Can("manage", "cohort", "cohort_id"),
    "teach.archive_cohort": Can("manage", "cohort", "cohort_id"),
    "teach.roster": Can("manage", "cohort", "cohort_id"),
    "teach.roster_confirm": Can("manage", "cohort", "cohort_id"),
    "teach.roster_template": STAFF,
    "teach.add_member": Can("manage", "cohort", "cohort_id"),
    "teach.remove_member": Can("manage", "cohort", "cohort_id"),
    "teach.groups_page": Can("manage", "cohort", "cohort_id"),
    "teach.suggest_groups": Can("manage", "cohort", "cohort_id"),
    "teach.move_member": Can("manage", "cohort", "cohort_id"),
    "teach.rename_group": Can("manage", "group", "group_id"),
    "teach.delete_group": Can("manage", "group", "group_id"),
    "teach.new_assignment": Can("manage", "cohort", "cohort_id"),
    "teach.assignment": Can("view", "assignment", "assignment_id"),
    "teach.edit_assignment": Can("manage", "assignment", "assignment_id"),
    "teach.extend": Can("manage", "assignment", "assignment_id"),
    "teach.change_version": Can("manage", "assignment", "assignment_id"),
    "teach.progress": Can("see_progress", "assignment", "assignment_id"),
    "teach.nudge": Can("manage", "assignment", "assignment_id"),
    "casework.start": Can("view", "assignment", "assignment_id"),
    "casework.case": Can("view", "case", "case_id"),
    "casework.consent": Can("choose", "case", "case_id"),
    "casework.save": Can("write", "case", "case_id"),
    "casework.written": Can("write", "case", "case_id"),
    "casework.history": Can("view", "case", "case_id"),
    "casework.restore": Can("write", "case", "case_id"),
    "casework.confirm": Can("write", "case", "case_id"),
    "casework.withdraw": Can("choose", "case", "case_id"),
    "casework.share": Can("write", "case", "case_id"),
    "review.manage": Can("manage", "assignment", "assignment_id"),
    "reports.survey": Can("answer_survey", "assignment", "assignment_id"),
    "reports.screening": Can("manage", "cohort", "cohort_id"),
    "reports.programme_reports": Can("view_reports", "programme", "programme_id"),
    "reports.module_report": Can("view_reports", "programme", "programme_id"),
    "reports.module_report_csv": Can("view_reports", "programme", "programme_id"),
    "reports.module_report_pdf": Can("view_reports", "programme", "programme_id"),
    "reports.cohort_report": Can("view_reports", "cohort", "cohort_id"),
    "reports.cohort_report_csv": Can("view_reports", "cohort", "cohort_id"),
    "reports.cohort_report_pdf": Can("view_reports", "cohort", "cohort_id"),
    "reports.request_programme_report": Can("view_reports", "programme", "programme_id"),
    "reports.report_job": Can("view_reports", "programme", "programme_id"),
    "reports.report_job_status": Can("view_reports", "programme", "programme_id"),
    "reports.report_job_file": Can("view_reports", "programme", "programme_id"),
    "reports.retry_report_job": Can("view_reports", "programme", "programme_id"),
    "reports.review_log": Can("review_log", "programme", "programme_id"),
    "reports.delete_log_entry": Can("review_log", "programme", "programme_id"),
    "review.report": Can("see_progress", "assignment", "assignment_id"),
    "review.confidence": Can("answer_confidence", "assignment", "assignment_id"),
    "review.queue": SIGNED_IN,
    "review.practice": REVIEWER,
    "review.contributions": SIGNED_IN,
    "review.delete_contribution": Can("delete", "contribution", "entry_id"),
    "review.certificate": Can("view", "cohort", "cohort", query=True),
    "review.cohort_contributions": Can("manage", "cohort", "cohort_id"),
    "teach.agreements_page": Can("manage", "cohort", "cohort_id"),
    "teach.agreement": ByMethod(get=Can("view", "agreement", "agreement_id"),
                                post=Can("accept", "agreement", "agreement_id")),
    "review.contributions_csv": Can("manage", "cohort", "cohort_id"),
    "review.review": Can("write", "review", "review_id"),
    "review.hand_back": Can("write", "review", "review_id"),
    "review.my_capacity": Can("view", "cohort", "cohort_id"),
    "review.feedback": Can("view", "case", "case_id"),
    "review.self_rating": Can("write", "case", "case_id"),
    "review.response": Can("write", "case", "case_id"),
    "casework.override": Can("manage", "case", "case_id"),
    "casework.on_behalf_page": Can("manage", "cohort", "cohort_id"),
    "casework.on_behalf_consent": Can("manage", "case", "case_id"),
    "casework.on_behalf_part": Can("manage", "case", "case_id"),
    "casework.on_behalf_hours": Can("manage", "cohort", "cohort_id"),
    "casework.reopen": Can("manage", "case", "case_id"),
    "people.privacy": PUBLIC,
    "people.my_data": SIGNED_IN,
    "people.export_zip": SIGNED_IN,
    "people.audit": ADMIN,
    "people.remove_me": SIGNED_IN,
    "people.admin_people": ADMIN,
    "people.admin_erase": ADMIN,
    "people.admin_export": ADMIN,
    "people.retention_settings": ByMethod(get=Can("view", "programme", "programme_id"),
                                          post=Can("manage", "programme", "programme_id")),
    "people.audit_csv": ADMIN,
    "teach.programme_settings": ByMethod(get=Can("view", "programme", "programme_id"),
                                         post=Can("manage", "programme", "programme_id")),
    "learn.catalogue": MEMBER,
    "learn.module": MEMBER,
    "learn.lesson": MEMBER,
    "learn.case": MEMBER,
    "learn.checks": MEMBER,
    "learn.answer": MEMBER,
    "learn.module_pdf": MEMBER,
    "learn.guides": MEMBER,
    "learn.guide_page": Can("read", "guide", ("slug", "version")),
    "learn.guide_large_print": Can("read", "guide", ("slug", "version")),
    "learn.case_large_print": MEMBER,
    "learn.versions": STAFF,
    "learn.plan": STAFF,
    "learn.compare": STAFF,
    "log.index": SIGNED_IN,
    "log.new": SIGNED_IN,
    "log.choices": SIGNED_IN,
    "log.journey": SIGNED_IN,
    "log.entry": Can("write", "log_entry", "entry_id"),
    "log.revisit": Can("write", "log_entry", "entry_id"),
    "log.share": Can("write", "log_entry", "entry_id"),
    "log.withdraw": Can("write", "log_entry", "entry_id"),
    "log.delete": Can("write", "log_entry", "entry_id"),
    "log.cohort_learning": Can("view", "cohort", "cohort_id"),
    "log.hide": Can("moderate", "log_entry", "entry_id"),
    "log.propose_pin": Can("moderate", "log_entry", "entry_id"),
    "log.answer_pin": Can("write", "log_entry", "entry_id"),
    "log.send_back": Can("write", "log_entry", "entry_id"),
    # the feed is read by a calendar app with the private link's token (never a sign-in)
    "calendar.read": PUBLIC,
    "calendar.make_own": SIGNED_IN,
    "calendar.own_off": SIGNED_IN,
    "calendar.make_cohort": Can("see_all_groups", "cohort", "cohort_id"),
    "calendar.cohort_off": Can("see_all_groups", "cohort", "cohort_id"),
    # a person's own notifications (the view answers 404 for anyone else's)
    "notices.index": SIGNED_IN,
    "notices.open_one": SIGNED_IN,
    "notices.read_all": SIGNED_IN,
    "notices.choose": SIGNED_IN,
    # LTI: a platform's calls (checked by the launch itself), the pages a launch leads to
    # (each view checks its token or the session's launch), and admins' registration
    "lti.jwks": PUBLIC,
    "lti.login": PUBLIC,
    "lti.launch": PUBLIC,
    "lti.join_account": PUBLIC,
    "lti.deep_link": PUBLIC,
    "lti.link_course": SIGNED_IN,
    "lti.waiting": SIGNED_IN,
    "lti.sync_roster": Can("manage", "cohort", "cohort_id"),
    "lti.synced_roster": Can("manage", "cohort", "cohort_id"),
    "lti.setup": ADMIN,
    "lti.add_platform": ADMIN,
    "lti.remove_platform": ADMIN,
}

#: Ids are 32-bit integers in PostgreSQL; anything larger cannot exist (and must not crash).
_MAX_ID = 2**31

_MODELS = {"programme": Programme, "cohort": Cohort, "group": Group,
           "assignment": Assignment, "case": CaseWork, "review": Review,
           "contribution": Contribution, "guide": GuideVersionRow,
           "agreement": PartnerAgreement, "log_entry": LogEntry}


#: Things only the person themselves does, which being a site admin does not grant.
PERSONAL = {("choose", "case"), ("answer_survey", "assignment"),
            ("answer_confidence", "assignment"), ("delete", "contribution"),
            ("accept", "agreement"), ("write", "log_entry"), ("moderate", "log_entry")}


def allowed(account, action: str, obj) -> bool:
    """True if ``account`` may do ``action`` to ``obj``."""
    if account is None or not getattr(account, "is_authenticated", False):
        return False
    if account.admin and (action, _kind(obj)) not in PERSONAL:
        return True
    rule = RULES.get((action, _kind(obj)), frozenset())
    return bool(rule & relations(account, obj))


def holds(account, policy: Role) -> bool:
    """Whether ``account`` passes a ``Role`` policy (admins always do)."""
    if account is None or not getattr(account, "is_authenticated", False):
        return False
    return bool(account.admin or roles_of(account) & policy.roles)


def can(action: str, obj) -> bool:
    """``allowed`` for the signed-in person: what templates ask before offering a button."""
    return allowed(current_user, action, obj)


def require(account, action: str, obj) -> None:
    """Abort 404 when ``account`` has no standing towards ``obj``, 403 when not enough."""
    if allowed(account, action, obj):
        return
    abort(403 if relations(account, obj) else 404)


def target():
    """The object the current endpoint's ``Can`` policy loaded and checked."""
    return g.authz_target


def _kind(obj) -> str:
    for kind, model in _MODELS.items():
        if isinstance(obj, model):
            return kind
    raise TypeError(f"no authorisation rules for {type(obj).__name__}")


def _load(policy: Can):
    """The object a ``Can`` policy names, or None when there is no such object."""
    if policy.kind == "guide":
        slug, version = ((request.view_args or {}).get(arg) for arg in policy.url_arg)
        return db.session.scalar(select(GuideVersionRow).where(
            GuideVersionRow.slug == slug, GuideVersionRow.version == version))
    if policy.query:
        raw = (request.args.get(policy.url_arg) or "").strip()
        raw_id = int(raw) if raw.isdigit() and len(raw) <= 10 else None
    else:
        raw_id = (request.view_args or {}).get(policy.url_arg)
    in_range = isinstance(raw_id, int) and 0 < raw_id < _MAX_ID
    if not in_range:
        return None
    if policy.kind == "case":
        # with what the policy and the view read of it, and the person's standing
        return case_with_standing(current_user, raw_id)
    return db.session.get(_MODELS[policy.kind], raw_id)


def enforce_endpoint_policy():
    """``before_request`` hook: apply the endpoint's policy before its view runs."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched; the 404/405 handler answers
        return None
    policy = ENDPOINTS.get(endpoint)
    if policy is None:
        current_app.logger.error("endpoint %s has no authorisation policy", endpoint)
        abort(403)
    if isinstance(policy, ByMethod):
        policy = policy.get if request.method in ("GET", "HEAD") else policy.post
    if policy == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if policy == SIGNED_IN:
        return None
    if policy == ADMIN:
        if not current_user.admin:
            abort(403)
        return None
    if isinstance(policy, Role):
        if not holds(current_user, policy):
            abort(403)
        return None
    assert isinstance(policy, Can)
    obj = _load(policy)
    if obj is None:
        abort(404)
    require(current_user, policy.action, obj)
    g.authz_target = obj
    return None
