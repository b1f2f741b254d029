"""Who may do what to which object: the one place that answers, deny by default.

Read it as two tables.

``RULES`` says, for each (action, object kind), which *relations* between a person and
the object allow it. A relation is how the person stands to the object: ``programme:educator``
means "holds the educator role in the programme the object belongs to", ``cohort:student``
"is a student in the object's cohort", ``group:member`` "is in this very group". Admins
(a flag on the account) may do everything.

``ENDPOINTS`` gives every endpoint of the app its policy: ``PUBLIC``, ``SIGNED_IN``,
``ADMIN``, or ``Can(action, kind, url_arg)`` which loads the object named by the URL
argument and checks ``RULES`` before the view runs. An endpoint missing from the table
is refused (and a test fails). A person with no relation at all to an object gets 404,
so they cannot learn that it exists; one with some relation but not enough gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import or_, select

from webapp.extensions import db, login_manager
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Group,
    GroupMember,
    Membership,
    Programme,
    Review,
)

PUBLIC = "public"
SIGNED_IN = "signed_in"
#: Holds any role in any programme or cohort (course content is for members).
MEMBER = "member"
#: Educator or programme lead somewhere (version history and comparisons).
STAFF = "staff"
ADMIN = "admin"


@dataclass(frozen=True)
class Can:
    action: str
    kind: str
    url_arg: str


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
    ("manage", "case"): frozenset(_MANAGERS),
    # A review is written by the reviewer it is allocated to; educators may read it.
    ("write", "review"): frozenset({"review:reviewer"}),
    # Curriculum-review reports: leads and educators of the programme read every cohort's
    # (pooled) figures and keep the review log; a cohort's educators and leads read its report.
    ("view_reports", "programme"): frozenset({"programme:educator", "programme:lead"}),
    ("review_log", "programme"): frozenset({"programme:educator", "programme:lead"}),
    ("view_reports", "cohort"): frozenset(_STAFF),
}

#: endpoint → policy. Every endpoint of the app must appear here.
ENDPOINTS: dict[str, object] = {
    "static": PUBLIC,
    "home.index": SIGNED_IN,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": SIGNED_IN,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.request_link": PUBLIC,
    "auth.use_link": PUBLIC,
    "auth.change_password": SIGNED_IN,
    "auth.account": SIGNED_IN,  # one's own account only
    "auth.accept_invitation": PUBLIC,
    "teach.cohort": Can("view", "cohort", "cohort_id"),
    "teach.invite": Can("invite", "cohort", "cohort_id"),
    "teach.group": Can("view", "group", "group_id"),
    "teach.programmes": STAFF,
    "teach.new_programme": STAFF,
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
    "casework.consent": Can("write", "case", "case_id"),
    "casework.save": Can("write", "case", "case_id"),
    "casework.written": Can("write", "case", "case_id"),
    "casework.history": Can("view", "case", "case_id"),
    "casework.restore": Can("write", "case", "case_id"),
    "casework.confirm": Can("write", "case", "case_id"),
    "casework.withdraw": Can("write", "case", "case_id"),
    "casework.share": Can("write", "case", "case_id"),
    "review.manage": Can("manage", "assignment", "assignment_id"),
    "reports.survey": Can("view", "assignment", "assignment_id"),  # learners, in the view
    "reports.screening": Can("manage", "cohort", "cohort_id"),
    "reports.programme_reports": Can("view_reports", "programme", "programme_id"),
    "reports.module_report": Can("view_reports", "programme", "programme_id"),
    "reports.module_report_csv": Can("view_reports", "programme", "programme_id"),
    "reports.module_report_pdf": Can("view_reports", "programme", "programme_id"),
    "reports.cohort_report": Can("view_reports", "cohort", "cohort_id"),
    "reports.cohort_report_csv": Can("view_reports", "cohort", "cohort_id"),
    "reports.cohort_report_pdf": Can("view_reports", "cohort", "cohort_id"),
    "reports.review_log": Can("review_log", "programme", "programme_id"),
    "reports.delete_log_entry": Can("review_log", "programme", "programme_id"),
    "review.report": Can("see_progress", "assignment", "assignment_id"),
    "review.confidence": Can("view", "assignment", "assignment_id"),  # students, in the view
    "review.queue": SIGNED_IN,
    "review.practice": SIGNED_IN,  # and a reviewer's role, checked in the view
    "review.contributions": SIGNED_IN,  # own entries, in the person's own cohorts only
    "review.delete_contribution": SIGNED_IN,  # own unconfirmed entries only
    "review.certificate": SIGNED_IN,  # own confirmed time only
    "review.cohort_contributions": Can("manage", "cohort", "cohort_id"),
    "review.contributions_csv": Can("manage", "cohort", "cohort_id"),
    "review.review": Can("write", "review", "review_id"),
    "review.feedback": Can("view", "case", "case_id"),
    "review.self_rating": Can("write", "case", "case_id"),
    "review.response": Can("write", "case", "case_id"),
    "casework.override": Can("manage", "case", "case_id"),
    "casework.reopen": Can("manage", "case", "case_id"),
    "people.privacy": PUBLIC,
    "people.my_data": SIGNED_IN,  # one's own data only
    "people.export_zip": SIGNED_IN,  # one's own data only
    "people.audit": ADMIN,
    "people.remove_me": SIGNED_IN,  # one's own account only
    "people.admin_people": ADMIN,
    "people.admin_erase": ADMIN,
    "people.admin_export": ADMIN,
    "people.retention_settings": Can("view", "programme", "programme_id"),  # POST: manage
    "people.audit_csv": ADMIN,
    "learn.catalogue": MEMBER,
    "learn.module": MEMBER,
    "learn.lesson": MEMBER,
    "learn.case": MEMBER,
    "learn.checks": MEMBER,
    "learn.answer": MEMBER,
    "learn.module_pdf": MEMBER,
    "learn.guides": MEMBER,
    "learn.guide_page": MEMBER,  # and the guide's audience: may_read_guide()
    "learn.versions": STAFF,
    "learn.compare": STAFF,
}

#: Ids are 32-bit integers in PostgreSQL; anything larger cannot exist (and must not crash).
_MAX_ID = 2**31

_MODELS = {"programme": Programme, "cohort": Cohort, "group": Group,
           "assignment": Assignment, "case": CaseWork, "review": Review}


def relations(account, obj) -> set[str]:
    """How ``account`` stands to ``obj`` (a Programme, Cohort or Group), in one or two queries."""
    if isinstance(obj, Programme):
        programme_id, cohort_id, group_id = obj.id, None, None
    elif isinstance(obj, Cohort):
        programme_id, cohort_id, group_id = obj.programme_id, obj.id, None
    elif isinstance(obj, Group):
        programme_id, cohort_id, group_id = obj.cohort.programme_id, obj.cohort_id, obj.id
    elif isinstance(obj, Assignment):
        programme_id, cohort_id, group_id = obj.cohort.programme_id, obj.cohort_id, None
    elif isinstance(obj, CaseWork):
        cohort = obj.group.cohort
        programme_id, cohort_id, group_id = cohort.programme_id, cohort.id, obj.group_id
    elif isinstance(obj, Review):
        cohort = obj.submission.assignment.cohort
        programme_id, cohort_id, group_id = cohort.programme_id, cohort.id, None
        reviewer = obj.reviewer_id == account.id
    else:
        raise TypeError(f"no authorisation rules for {type(obj).__name__}")
    scope = [Membership.programme_id == programme_id]
    if cohort_id is not None:
        scope.append(Membership.cohort_id == cohort_id)
    rows = db.session.execute(
        select(Membership.programme_id, Membership.role).where(
            Membership.account_id == account.id, or_(*scope)
        )
    ).all()
    found = {f"{'programme' if pid is not None else 'cohort'}:{role}" for pid, role in rows}
    if isinstance(obj, Review) and reviewer:
        found.add("review:reviewer")
    if group_id is not None:
        in_group = db.session.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == group_id, GroupMember.account_id == account.id
            )
        )
        if in_group:
            found.add("group:member")
    return found


def allowed(account, action: str, obj) -> bool:
    """True if ``account`` may do ``action`` to ``obj``."""
    if account is None or not getattr(account, "is_authenticated", False):
        return False
    if account.admin:
        return True
    rule = RULES.get((action, _kind(obj)), frozenset())
    return bool(rule & relations(account, obj))


def require(account, action: str, obj) -> None:
    """Abort 404 when ``account`` has no standing towards ``obj``, 403 when not enough."""
    if allowed(account, action, obj):
        return
    abort(403 if relations(account, obj) else 404)


def roles_of(account) -> set[str]:
    """Every role the account holds anywhere, once per request."""
    cached = g.get("authz_roles")
    if cached is None or cached[0] != account.id:
        roles = set(db.session.scalars(
            select(Membership.role).where(Membership.account_id == account.id).distinct()))
        g.authz_roles = cached = (account.id, roles)
    return cached[1]


#: Roles that read every guide (to support the people the guides are written for).
_GUIDE_STAFF = {"educator", "lead"}


def may_read_guide(account, audience: list[str]) -> bool:
    """A guide is shown to the roles it is written for, and to educators, leads and admins."""
    if account.admin:
        return True
    roles = roles_of(account)
    return bool(roles & _GUIDE_STAFF or roles & set(audience))


def target():
    """The object the current endpoint's ``Can`` policy loaded and checked."""
    return g.authz_target


def _kind(obj) -> str:
    for kind, model in _MODELS.items():
        if isinstance(obj, model):
            return kind
    raise TypeError(f"no authorisation rules for {type(obj).__name__}")


def enforce_endpoint_policy():
    """``before_request`` hook: apply the endpoint's policy before its view runs."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched; the 404/405 handler answers
        return None
    policy = ENDPOINTS.get(endpoint)
    if policy is None:
        current_app.logger.error("endpoint %s has no authorisation policy", endpoint)
        abort(403)
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
    if policy == MEMBER:
        if not (current_user.admin or roles_of(current_user)):
            abort(403)
        return None
    if policy == STAFF:
        if not (current_user.admin or roles_of(current_user) & {"educator", "lead"}):
            abort(403)
        return None
    assert isinstance(policy, Can)
    raw_id = (request.view_args or {}).get(policy.url_arg)
    in_range = isinstance(raw_id, int) and 0 < raw_id < _MAX_ID
    obj = db.session.get(_MODELS[policy.kind], raw_id) if in_range else None
    if obj is None:
        abort(404)
    require(current_user, policy.action, obj)
    g.authz_target = obj
    return None
