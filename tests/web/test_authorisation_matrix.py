"""Every endpoint and method, for every role, against own and other objects: the exact answer
of the authorisation policy.

Posts carry a valid form token, so what refuses them is the policy, not the token check.
Who is let through is written out by hand below (not read from ``webapp/authz.py``); anyone
else gets 403 when they stand in some relation to the object (they can know it exists) and
404 when they do not. Anonymous people are sent to sign in (302), or asked to sign in
keeping what they posted (401).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_from, make_feedback, sign_in
from tests.web.test_authorisation import EMAIL, ROLES
from webapp import authz
from webapp.extensions import db

SIGNED_IN = {"outsider", "admin", "educator", "lead", "student", "partner", "coteacher"}
COHORT = {"admin", "educator", "lead", "student", "partner", "coteacher"}
STAFF = {"admin", "educator", "lead"}
MANAGE = {"admin", "educator"}
GROUP = {"admin", "student", "partner"}  # writing in the group's own case
EVERYONE = SIGNED_IN | {"anonymous"}  # public pages: no sign-in needed

#: Who stands in some relation to each object (admins hold no roles in this world).
STANDING = {
    "C": {"educator", "lead", "student", "partner", "coteacher"},
    "C3": {"educator", "lead"},
    "C2": set(),
    "P": {"educator", "lead"},
    "P2": set(),
    "A": {"educator", "lead", "student", "partner", "coteacher"},
    "A2": set(),
    "G1": {"educator", "lead", "student", "partner", "coteacher"},
    "G2": {"educator", "lead", "student", "partner", "coteacher"},
    "K1": {"educator", "lead", "student", "partner", "coteacher"},
    "K2": {"educator", "lead", "student", "partner", "coteacher"},
    "K3": set(),
    "R1": {"educator", "lead", "student", "partner", "coteacher"},
    "E1": {"partner"},
    "AG1": {"educator", "lead", "partner"},
    "LE1": {"student"},  # a learning log entry: to anyone but its author it does not exist
    "N1": {"student"},  # a notification: the same
    "LC": set(),  # a platform's course: only a browser that launched as its instructor
    "guide": SIGNED_IN - {"admin"},
    "site": SIGNED_IN,
}

M = "example-module/1.0.0"
#: (method, path, object, who is let through[, form fields][, True: the view may answer 404
#: for a sub-object the test world lacks])
ROWS = [
    ("GET", "/", "site", SIGNED_IN),
    ("GET", "/account", "site", SIGNED_IN),
    ("GET", "/accessibility", "public", EVERYONE),
    ("GET", "/account/password", "site", SIGNED_IN),
    ("GET", "/whats-new", "site", SIGNED_IN),
    ("GET", "/lti/setup", "site", {"admin"}),
    ("GET", "/cohorts/{C}/roster/sync/{J1}", "C", MANAGE, True),
    ("GET", "/lti/waiting", "site", SIGNED_IN),
    ("GET", "/lti/courses/1/link", "LC", set()),
    ("GET", "/admin/audit", "site", {"admin"}),
    ("GET", "/admin/audit.csv", "site", {"admin"}),
    ("GET", "/admin/people", "site", {"admin"}),
    ("GET", "/admin/people/{S}/erase", "site", {"admin"}),
    ("GET", "/admin/people/{S}/export.zip", "site", {"admin"}),
    ("GET", "/assignments/{A}", "A", COHORT),
    ("GET", "/assignments/{A2}", "A2", {"admin"}),
    ("GET", "/assignments/{A}/case", "A", COHORT),
    ("GET", "/assignments/{A}/confidence", "A", {"student"}),
    ("GET", "/assignments/{A}/module-feedback", "A", {"student", "partner", "coteacher"}),
    ("GET", "/assignments/{A}/nudge?group={G1}", "A", MANAGE),
    ("GET", "/assignments/{A}/progress", "A", STAFF),
    ("GET", "/assignments/{A2}/progress", "A2", {"admin"}),
    ("GET", "/assignments/{A}/review-report", "A", STAFF),
    ("GET", "/assignments/{A}/reviews", "A", MANAGE),
    ("GET", "/cases/{K1}", "K1", {"admin", "educator", "student", "partner"}),
    ("GET", "/cases/{K2}", "K2", MANAGE),
    ("GET", "/cases/{K3}", "K3", {"admin"}),
    ("GET", "/cases/{K1}/consent", "K1", {"partner"}),
    ("GET", "/cases/{K1}/feedback", "K1", {"admin", "educator", "student", "partner"}),
    ("GET", "/cases/{K1}/sections/emotions/history", "K1",
     {"admin", "educator", "student", "partner"}),
    ("GET", "/cases/{K2}/sections/emotions/history", "K2", MANAGE),
    ("GET", "/cases/{K1}/self-rating", "K1", GROUP),
    ("GET", "/cohorts/{C}", "C", COHORT),
    ("GET", "/cohorts/{C3}", "C3", STAFF),
    ("GET", "/cohorts/{C2}", "C2", {"admin"}),
    ("GET", "/cohorts/{C}/assignments/new", "C", MANAGE),
    ("GET", "/cohorts/{C}/comments", "C", MANAGE),
    ("GET", "/cohorts/{C}/contributions", "C", MANAGE),
    ("GET", "/cohorts/{C}/on-behalf", "C", MANAGE),
    ("GET", "/cohorts/{C}/contributions.csv", "C", MANAGE),
    ("GET", "/cohorts/{C}/groups", "C", MANAGE),
    ("GET", "/cohorts/{C3}/groups", "C3", MANAGE),
    ("GET", "/cohorts/{C}/invite", "C", MANAGE),
    ("GET", "/cohorts/{C}/members/new", "C", MANAGE),
    ("GET", "/cohorts/{C}/report", "C", STAFF),
    ("GET", "/cohorts/{C}/report.csv", "C", STAFF),
    ("GET", "/cohorts/{C2}/report", "C2", {"admin"}),
    ("GET", "/cohorts/{C}/report.pdf", "C", STAFF),
    ("GET", "/cohorts/{C}/roster", "C", MANAGE),
    ("GET", "/contributions", "site", SIGNED_IN),
    ("GET", "/contributions/certificate.pdf?cohort={C}", "C", COHORT),
    ("GET", "/groups/{G1}", "G1", {"admin", "educator", "lead", "student", "partner"}),
    ("GET", "/groups/{G2}", "G2", STAFF),
    ("GET", "/guides", "site", COHORT),
    ("GET", "/guides/example-guide/1.0.0/welcome", "guide",
     {"admin", "educator", "lead", "partner"}),
    ("GET", "/modules", "site", COHORT),
    ("GET", f"/modules/{M}", "site", COHORT),
    ("GET", f"/modules/{M}/case", "site", COHORT),
    ("GET", f"/modules/{M}/case-large-print.pdf", "site", COHORT),
    ("GET", "/guides/example-guide/1.0.0/large-print.pdf", "guide",
     {"admin", "educator", "lead", "partner"}),
    ("GET", f"/modules/{M}/checks", "site", COHORT),
    ("GET", f"/modules/{M}/lessons/why-together", "site", COHORT),
    ("GET", f"/modules/{M}.pdf", "site", COHORT),
    ("GET", "/modules/example-module/versions", "site", STAFF),
    ("GET", f"/modules/{M}/plan", "site", STAFF),
    ("GET", "/cohorts/{C}/agreements", "C", MANAGE),
    ("GET", "/agreements/{AG1}", "AG1", STAFF | {"partner"}),
    ("GET", "/modules/example-module/compare?old=1.0.0&new=1.0.0", "site", STAFF),
    ("GET", "/my-data", "site", SIGNED_IN),
    ("GET", "/my-data/export.zip", "site", SIGNED_IN),
    ("GET", "/my-data/remove", "site", SIGNED_IN),
    ("GET", "/programmes", "site", STAFF),
    ("GET", "/programmes/{P}", "P", STAFF),
    ("GET", "/programmes/{P2}", "P2", {"admin"}),
    ("GET", "/programmes/{P}/reports", "P", STAFF),
    ("GET", "/programmes/{P}/reports/modules/{MV}", "P", STAFF),
    ("GET", "/programmes/{P}/reports/modules/{MV}/report.csv", "P", STAFF),
    ("GET", "/programmes/{P}/reports/modules/{MV}/report.pdf", "P", STAFF),
    ("GET", "/programmes/{P2}/reports/modules/{MV}", "P2", {"admin"}),
    ("GET", "/programmes/{P}/reports/jobs/{J1}", "P", STAFF),
    ("GET", "/programmes/{P}/reports/jobs/{J1}/status.json", "P", STAFF),
    ("GET", "/programmes/{P}/reports/jobs/{J1}/file", "P", STAFF),
    ("GET", "/programmes/{P2}/reports/jobs/{J1}", "P2", {"admin"}, True),
    ("GET", "/programmes/{P}/retention", "P", STAFF),
    ("GET", "/programmes/{P}/settings", "P", STAFF),
    ("GET", "/programmes/{P}/review-log", "P", STAFF),
    ("GET", "/reviews", "site", SIGNED_IN),
    ("GET", "/reviews/{R1}", "R1", {"admin", "coteacher"}),
    ("GET", "/reviews/practice/patient", "site", {"admin", "educator", "coteacher"}, True),
    ("GET", "/roster-template.csv", "site", STAFF),
    ("GET", "/log", "site", SIGNED_IN),
    ("GET", "/log/new", "site", SIGNED_IN),
    ("GET", "/log/journey", "site", SIGNED_IN),
    ("GET", "/log/{LE1}", "LE1", {"student"}),
    ("GET", "/log/{LE1}/share", "LE1", {"student"}),
    ("GET", "/cohorts/{C}/learning", "C", COHORT),
    ("GET", "/cohorts/{C3}/learning", "C3", STAFF),
    ("GET", "/cohorts/{C2}/learning", "C2", {"admin"}),
    # changes, least lasting first
    ("POST", "/account", "site", SIGNED_IN),
    ("POST", "/account/password", "site", SIGNED_IN),
    ("POST", "/admin/people/{S}/erase", "site", {"admin"}),
    ("POST", "/assignments/{A}/case", "A", COHORT),
    ("POST", "/assignments/{A}/confidence", "A", {"student"}),
    ("POST", "/assignments/{A}/dates", "A", MANAGE),
    ("POST", "/assignments/{A2}/dates", "A2", {"admin"}),
    ("POST", "/assignments/{A}/extend", "A", MANAGE),
    ("POST", "/assignments/{A}/module-feedback", "A", {"student", "partner", "coteacher"}),
    ("POST", "/assignments/{A}/nudge", "A", MANAGE),
    ("POST", "/assignments/{A}/reviews", "A", MANAGE),
    ("POST", "/assignments/{A}/version", "A", MANAGE),
    ("POST", "/cases/{K1}/confirm", "K1", GROUP),
    ("POST", "/cases/{K2}/confirm", "K2", {"admin"}),
    ("POST", "/cases/{K1}/consent", "K1", {"partner"}),
    ("POST", "/cases/{K1}/override", "K1", MANAGE),
    ("POST", "/cases/{K1}/on-behalf/{S}/consent", "K1", MANAGE),
    ("POST", "/cases/{K1}/on-behalf/{S}/part", "K1", MANAGE),
    ("POST", "/cohorts/{C}/on-behalf/{S}/hours", "C", MANAGE),
    ("POST", "/cases/{K1}/reopen", "K1", MANAGE),
    ("POST", "/cases/{K1}/response", "K1", GROUP),
    ("POST", "/cases/{K1}/sections/situation", "K1", GROUP),
    ("POST", "/cases/{K3}/sections/situation", "K3", {"admin"}),
    ("POST", "/cases/{K1}/sections/situation/restore", "K1", GROUP),
    ("POST", "/cases/{K1}/sections/situation/written", "K1", GROUP),
    ("POST", "/cases/{K1}/self-rating", "K1", GROUP),
    ("POST", "/cases/{K1}/share", "K1", GROUP),
    ("POST", "/cohorts/{C}/assignments/new", "C", MANAGE),
    ("POST", "/cohorts/{C}/comments", "C", MANAGE, {"comment_id": "{F1}"}),
    ("POST", "/cohorts/{C}/contributions", "C", MANAGE),
    ("POST", "/cohorts/{C}/groups", "C", MANAGE),
    ("POST", "/cohorts/{C}/groups/move", "C", MANAGE),
    ("POST", "/cohorts/{C}/groups/suggest", "C", MANAGE),
    ("POST", "/cohorts/{C}/invite", "C", MANAGE),
    ("POST", "/cohorts/{C2}/invite", "C2", {"admin"}),
    ("POST", "/cohorts/{C}/members/new", "C", MANAGE),
    ("POST", "/cohorts/{C}/members/remove", "C", MANAGE),
    ("POST", "/cohorts/{C}/rename", "C", MANAGE),
    ("POST", "/cohorts/{C}/roster", "C", MANAGE),
    ("POST", "/cohorts/{C}/roster/confirm", "C", MANAGE),
    ("POST", "/accessibility", "public", EVERYONE, {"doing": "Read", "barrier": "Too small"}),
    ("POST", "/language", "public", EVERYONE, {"language": "sv"}),
    ("POST", "/contributions", "site", SIGNED_IN),
    ("POST", "/groups/{G2}/rename", "G2", MANAGE),
    ("POST", f"/modules/{M}/checks/first-part", "site", COHORT),
    ("POST", f"/modules/{M}/lessons/why-together", "site", COHORT),
    ("POST", "/my-data/remove", "site", SIGNED_IN),
    ("POST", "/programmes/new", "site", {"admin", "educator"}),
    ("POST", "/programmes/{P}/cohorts", "P", MANAGE),
    ("POST", "/programmes/{P}/rename", "P", MANAGE),
    ("POST", "/programmes/{P2}/rename", "P2", {"admin"}),
    ("POST", "/programmes/{P}/reports/whole", "P", STAFF),
    ("POST", "/programmes/{P}/reports/jobs/{J1}/retry", "P", STAFF),
    ("POST", "/programmes/{P}/retention", "P", MANAGE),
    ("POST", "/programmes/{P}/settings", "P", MANAGE),
    ("POST", "/programmes/{P}/review-log", "P", STAFF),
    ("POST", "/programmes/{P}/review-log/{L1}/delete", "P", STAFF),
    ("POST", "/reviews/{R1}", "R1", {"admin", "coteacher"}),
    ("POST", "/reviews/practice/patient", "site", {"admin", "educator", "coteacher"}, True),
    ("POST", "/reviews/{R1}/hand-back", "R1", {"admin", "coteacher"}),
    ("POST", "/cohorts/{C}/my-review-capacity", "C", COHORT, {"capacity": "2"}),
    ("POST", "/cases/{K1}/withdraw", "K1", {"partner"}),
    ("POST", "/contributions/{E1}/delete", "E1", {"partner"}),
    ("POST", "/cohorts/{C}/agreements", "C", MANAGE),
    ("POST", "/agreements/{AG1}", "AG1", {"partner"}),
    ("POST", "/groups/{G2}/delete", "G2", MANAGE),
    ("POST", "/cohorts/{C3}/archive", "C3", MANAGE),
    ("POST", "/log/new", "site", SIGNED_IN),
    ("POST", "/log/choices", "site", SIGNED_IN),
    ("POST", "/log/journey", "site", SIGNED_IN),
    ("POST", "/log/{LE1}", "LE1", {"student"}),
    ("POST", "/log/{LE1}/back", "LE1", {"student"}),
    ("POST", "/log/{LE1}/share", "LE1", {"student"}),
    ("POST", "/log/{LE1}/withdraw", "LE1", {"student"}),
    ("POST", "/log/{LE1}/hide", "LE1", set()),  # only a cohort-shared entry's educators
    ("POST", "/log/{LE1}/pin", "LE1", set()),
    ("POST", "/log/{LE1}/pin/answer", "LE1", {"student"}),
    ("POST", "/log/{LE1}/send-back", "LE1", {"student"}),
    ("POST", "/account/calendar", "site", SIGNED_IN),
    ("POST", "/lti/platforms", "site", {"admin"}),
    ("POST", "/cohorts/{C}/roster/sync", "C", MANAGE),
    ("POST", "/cohorts/{C2}/roster/sync", "C2", {"admin"}),
    ("POST", "/lti/platforms/1/delete", "site", {"admin"}, True),
    # the browser's session must hold an instructor's launch of the course: 404 without
    ("POST", "/lti/courses/1/link", "LC", set()),
    ("POST", "/account/notices", "site", SIGNED_IN),
    ("POST", "/whats-new/read", "site", SIGNED_IN),
    ("POST", "/whats-new/{N1}/open", "N1", {"student"}),
    ("POST", "/account/calendar/off", "site", SIGNED_IN),
    ("POST", "/cohorts/{C}/calendar", "C", STAFF),
    ("POST", "/cohorts/{C2}/calendar", "C2", {"admin"}),
    ("POST", "/cohorts/{C}/calendar/off", "C", STAFF),
    ("POST", "/log/{LE1}/delete", "LE1", {"student"}),
    ("POST", "/sign-out", "site", SIGNED_IN),
]


@pytest.fixture
def everything(app, work):  # noqa: F811
    """The authorisation world plus an entry of time, a review-log entry, and ids by name."""
    from webapp.models import (
        Account,
        Contribution,
        ModuleVersionRow,
        PartnerAgreement,
        ReportJob,
        ReviewLogEntry,
    )

    world = work
    with app.app_context():
        partner = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
        entry = Contribution(account_id=partner, cohort_id=world.ids["C"], activity="meeting",
                             on_date=datetime(2026, 11, 2), minutes=60, note="")
        row = db.session.scalar(select(ModuleVersionRow))
        log = ReviewLogEntry(programme_id=world.ids["P"], module_slug=row.slug,
                             about_version_id=row.id, finding="f", evidence=[],
                             decision="d", summary="s")
        agreement = PartnerAgreement(cohort_id=world.ids["C"], account_id=partner,
                                     tasks="Two meetings.")
        job = ReportJob(kind="programme_report", subject_id=world.ids["P"], data_version="x",
                        k=5, state="failed", error="It stopped.")
        db.session.add_all([entry, log, agreement, job])
        comment = make_feedback(world.ids["C"], "The case felt real.")
        from webapp.models import LogEntry

        student = db.session.scalar(select(Account.id).where(
            Account.email_key == "student@example.org"))
        own = LogEntry(account_id=student, place="own", stage="what", text="I listened.",
                       tags=[], written_on=datetime(2026, 11, 2).date())
        db.session.add(own)
        from webapp.models import Notification

        notice = Notification(account_id=student, kind="reminder", path="/", params={})
        db.session.add(notice)
        db.session.commit()
        world.ids.update(N1=notice.id, J1=job.id, E1=entry.id, AG1=agreement.id, L1=log.id,
                         MV=row.id, F1=comment.id, LE1=own.id,
                         S=db.session.scalar(select(Account.id).where(
                             Account.email_key == "student@example.org")))
    return world


def _expected(role, method, label, allowed):
    if role in allowed:
        return "through"
    if role == "anonymous":
        return 302 if method == "GET" else 401
    return 403 if label == "site" or role in STANDING[label] else 404


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_the_policy_says(app, everything, role):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAIL[role], PASSWORD).status_code == 302
    token = csrf_from(client.get("/sign-in" if role == "anonymous" else "/account")
                      .get_data(as_text=True))
    wrong = []
    for method, pattern, label, allowed, *extra in ROWS:
        path = pattern.format(**everything.ids)
        view_may_404 = True in extra
        form = next((e for e in extra if isinstance(e, dict)), {})
        if method == "GET":
            status = client.get(path).status_code
        else:
            data = {name: value.format(**everything.ids) for name, value in form.items()}
            status = client.post(path, data=dict(data, csrf_token=token)).status_code
        expected = _expected(role, method, label, allowed)
        if expected == "through":
            refused = {401, 403} if view_may_404 else {401, 403, 404}
            if status in refused or (status == 302 and method == "GET"
                                     and client.get(path).headers.get("Location", "")
                                     .startswith("/sign-in")):
                wrong.append((method, pattern, "let through", status))
        elif status != expected:
            wrong.append((method, pattern, expected, status))
    assert wrong == [], wrong


def test_every_endpoint_and_method_is_in_the_matrix(app):
    covered = {(method, pattern.split("?")[0]) for method, pattern, *_ in ROWS}
    skipped_public = {endpoint for endpoint, policy in authz.ENDPOINTS.items()
                      if policy == authz.PUBLIC}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in skipped_public:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            shape = rule.rule
            if not any(m == method and _same_shape(shape, p) for m, p in covered):
                missing.append((method, rule.rule))
    assert missing == [], missing


def _same_shape(rule: str, path: str) -> bool:
    rule_parts, path_parts = rule.strip("/").split("/"), path.strip("/").split("/")
    if len(rule_parts) != len(path_parts):
        # "/modules/<slug>/<version>.pdf" against "/modules/example-module/1.0.0.pdf"
        return False
    return all(r.startswith("<") or r == p or ("<" in r and r.split("<")[0] == p[:len(
        r.split("<")[0])]) or (r.endswith(".pdf") and p.endswith(".pdf"))
        for r, p in zip(rule_parts, path_parts, strict=True))
