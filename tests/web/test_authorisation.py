"""Deny by default: every endpoint has a policy, and every role meets every object kind.

The expectations below are written out by hand, apart from ``webapp/authz.py``, so a change
to the rules that nobody meant shows up here.
"""

import pytest

from tests.conftest import PASSWORD, sign_in
from webapp import authz

ROLES = ["anonymous", "outsider", "admin", "educator", "lead", "student", "partner",
         "coteacher"]
EMAIL = {"outsider": "outsider@example.org", "admin": "admin@example.org",
         "educator": "educator@example.org", "lead": "lead@example.org",
         "student": "student@example.org", "partner": "partner@example.org",
         "coteacher": "coteacher@example.org"}

# (url pattern, object kind label, world key) for each object-scoped page.
PAGES = [
    ("/cohorts/{}", "own cohort", "C"),
    ("/cohorts/{}", "other cohort, same programme", "C3"),
    ("/cohorts/{}", "other programme", "C2"),
    ("/cohorts/{}/invite", "own cohort", "C"),
    ("/cohorts/{}/invite", "other cohort, same programme", "C3"),
    ("/cohorts/{}/invite", "other programme", "C2"),
    ("/groups/{}", "own group", "G1"),
    ("/groups/{}", "other group, same cohort", "G2"),
    ("/groups/{}", "other cohort", "G4"),
    ("/groups/{}", "other programme", "G3"),
    ("/programmes/{}", "own programme", "P"),
    ("/programmes/{}", "other programme", "P2"),
    ("/cohorts/{}/roster", "own cohort", "C"),
    ("/cohorts/{}/roster", "other programme", "C2"),
    ("/cohorts/{}/groups", "own cohort", "C"),
    ("/cohorts/{}/groups", "other cohort, same programme", "C3"),
    ("/cohorts/{}/groups", "other programme", "C2"),
    ("/cohorts/{}/members/new", "own cohort", "C"),
    ("/cohorts/{}/assignments/new", "own cohort", "C"),
    ("/cohorts/{}/assignments/new", "other programme", "C2"),
    ("/assignments/{}", "own cohort", "A"),
    ("/assignments/{}", "other cohort, same programme", "A3"),
    ("/assignments/{}", "other programme", "A2"),
    ("/assignments/{}/progress", "own cohort", "A"),
    ("/assignments/{}/progress", "other cohort, same programme", "A3"),
    ("/assignments/{}/progress", "other programme", "A2"),
    ("/cases/{}", "own group", "K1"),
    ("/cases/{}", "other group, same cohort", "K2"),
    ("/cases/{}", "other programme", "K3"),
    ("/cases/{}/sections/emotions/history", "own group", "K1"),
    ("/cases/{}/sections/emotions/history", "other group, same cohort", "K2"),
    ("/cases/{}/consent", "own group", "K1"),
    ("/reviews/{}", "allocated to the co-teacher", "R1"),
    ("/assignments/{}/reviews", "own cohort", "A"),
    ("/assignments/{}/review-report", "own cohort", "A"),
    ("/assignments/{}/review-report", "other programme", "A2"),
    ("/cohorts/{}/contributions", "own cohort", "C"),
    ("/cohorts/{}/contributions.csv", "own cohort", "C"),
    ("/programmes/{}/reports", "own programme", "P"),
    ("/programmes/{}/reports", "other programme", "P2"),
    ("/programmes/{}", "module version report, own programme", "PMV"),
    ("/programmes/{}", "module version report, other programme", "P2MV"),
    ("/programmes/{}", "module version PDF, own programme", "PMVPDF"),
    ("/programmes/{}/review-log", "own programme", "P"),
    ("/programmes/{}/review-log", "other programme", "P2"),
    ("/cohorts/{}/report", "own cohort", "C"),
    ("/cohorts/{}/report", "other cohort, same programme", "C3"),
    ("/cohorts/{}/report", "other programme", "C2"),
    ("/cohorts/{}/report.csv", "own cohort", "C"),
    ("/cohorts/{}/report.csv", "other programme", "C2"),
    ("/cohorts/{}/comments", "own cohort", "C"),
    ("/programmes/{}/retention", "own programme", "P"),
    ("/programmes/{}/retention", "other programme", "P2"),
    ("/admin/audit{}", "site", "NONE"),
    ("/admin/audit.csv{}", "site", "NONE"),
    ("/admin/people{}", "site", "NONE"),
    ("/my-data{}", "own data", "NONE"),
    ("/my-data/export.zip{}", "own data", "NONE"),
    ("/my-data/remove{}", "own account", "NONE"),
]

# Who gets 200. Everyone else signed in gets 403 or 404; anonymous is sent to sign in.
ALLOWED = {
    ("/cohorts/{}", "own cohort"): {"admin", "educator", "lead", "student", "partner",
                                    "coteacher"},
    ("/cohorts/{}", "other cohort, same programme"): {"admin", "educator", "lead"},
    ("/cohorts/{}", "other programme"): {"admin"},
    ("/cohorts/{}/invite", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/invite", "other cohort, same programme"): {"admin", "educator"},
    ("/cohorts/{}/invite", "other programme"): {"admin"},
    ("/groups/{}", "own group"): {"admin", "educator", "lead", "student", "partner"},
    ("/groups/{}", "other group, same cohort"): {"admin", "educator", "lead"},
    ("/groups/{}", "other cohort"): {"admin", "educator", "lead"},
    ("/groups/{}", "other programme"): {"admin"},
    ("/programmes/{}", "own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}", "other programme"): {"admin"},
    # Managing a cohort: educators of the programme and admins; leads read but do not change.
    ("/cohorts/{}/roster", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/roster", "other programme"): {"admin"},
    ("/cohorts/{}/groups", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/groups", "other cohort, same programme"): {"admin", "educator"},
    ("/cohorts/{}/groups", "other programme"): {"admin"},
    ("/cohorts/{}/members/new", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/assignments/new", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/assignments/new", "other programme"): {"admin"},
    # An assignment is seen by its cohort; its progress board by staff only.
    ("/assignments/{}", "own cohort"): {"admin", "educator", "lead", "student", "partner",
                                        "coteacher"},
    ("/assignments/{}", "other cohort, same programme"): {"admin", "educator", "lead"},
    ("/assignments/{}", "other programme"): {"admin"},
    ("/assignments/{}/progress", "own cohort"): {"admin", "educator", "lead"},
    ("/assignments/{}/progress", "other cohort, same programme"): {"admin", "educator", "lead"},
    ("/assignments/{}/progress", "other programme"): {"admin"},
    # A case: its group and the cohort's educators; not leads, co-teachers or other groups.
    ("/cases/{}", "own group"): {"admin", "educator", "student", "partner"},
    ("/cases/{}", "other group, same cohort"): {"admin", "educator"},
    ("/cases/{}", "other programme"): {"admin"},
    ("/cases/{}/sections/emotions/history", "own group"): {"admin", "educator", "student",
                                                            "partner"},
    ("/cases/{}/sections/emotions/history", "other group, same cohort"): {"admin", "educator"},
    # Only the group's patient partner has consent choices to make (others: 403/404).
    ("/cases/{}/consent", "own group"): {"partner"},
    # A review is opened only by the reviewer it is allocated to (and admins).
    ("/reviews/{}", "allocated to the co-teacher"): {"admin", "coteacher"},
    ("/assignments/{}/reviews", "own cohort"): {"admin", "educator"},
    ("/assignments/{}/review-report", "own cohort"): {"admin", "educator", "lead"},
    ("/assignments/{}/review-report", "other programme"): {"admin"},
    ("/cohorts/{}/contributions", "own cohort"): {"admin", "educator"},
    ("/cohorts/{}/contributions.csv", "own cohort"): {"admin", "educator"},
    # Curriculum-review reports: the programme's leads and educators (pooled figures, log);
    # never students, patient partners or co-teachers, who read only "you said, we did"
    # summaries on module pages.
    ("/programmes/{}/reports", "own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}/reports", "other programme"): {"admin"},
    ("/programmes/{}", "module version report, own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}", "module version report, other programme"): {"admin"},
    ("/programmes/{}", "module version PDF, own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}/review-log", "own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}/review-log", "other programme"): {"admin"},
    ("/cohorts/{}/report", "own cohort"): {"admin", "educator", "lead"},
    ("/cohorts/{}/report", "other cohort, same programme"): {"admin", "educator", "lead"},
    ("/cohorts/{}/report", "other programme"): {"admin"},
    ("/cohorts/{}/report.csv", "own cohort"): {"admin", "educator", "lead"},
    ("/cohorts/{}/report.csv", "other programme"): {"admin"},
    ("/cohorts/{}/comments", "own cohort"): {"admin", "educator"},
    # Retention settings: the programme's educators change them, its leads read them.
    ("/programmes/{}/retention", "own programme"): {"admin", "educator", "lead"},
    ("/programmes/{}/retention", "other programme"): {"admin"},
    # People and data: only admins read the audit trail and erase accounts; everyone signed
    # in reads, downloads and may remove only their own (no URL names anyone else).
    ("/admin/audit{}", "site"): {"admin"},
    ("/admin/audit.csv{}", "site"): {"admin"},
    ("/admin/people{}", "site"): {"admin"},
    ("/my-data{}", "own data"): set(ROLES) - {"anonymous"},
    ("/my-data/export.zip{}", "own data"): set(ROLES) - {"anonymous"},
    ("/my-data/remove{}", "own account"): set(ROLES) - {"anonymous"},
}


def test_every_endpoint_declares_a_policy(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(authz.ENDPOINTS)
    assert not missing, f"endpoints without an authorisation policy: {sorted(missing)}"
    stale = set(authz.ENDPOINTS) - endpoints
    assert not stale, f"policies for endpoints that do not exist: {sorted(stale)}"


def test_an_endpoint_without_a_policy_is_refused(app, world, monkeypatch):
    monkeypatch.delitem(authz.ENDPOINTS, "home.index")
    client = app.test_client()
    sign_in(client, "admin@example.org")
    assert client.get("/").status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_matrix_of_roles_and_objects(app, work, role):
    world = work
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAIL[role], PASSWORD).status_code == 302
    outcomes = {}
    for pattern, label, key in PAGES:
        response = client.get(pattern.format(world.ids[key]))
        outcomes[(pattern, label)] = response.status_code
    for (pattern, label), status in outcomes.items():
        if role == "anonymous":
            assert status == 302, (pattern, label, status)
        elif role in ALLOWED[(pattern, label)]:
            assert status == 200, (role, pattern, label, status)
        else:
            assert status in (403, 404), (role, pattern, label, status)


def test_people_with_no_standing_cannot_learn_that_a_cohort_exists(app, world):
    client = app.test_client()
    sign_in(client, "student@example.org")
    elsewhere = client.get(f"/cohorts/{world.ids['C2']}")
    missing = client.get("/cohorts/999999")
    assert elsewhere.status_code == missing.status_code == 404


def test_a_student_sees_only_their_own_group_on_the_cohort_page(app, world):
    client = app.test_client()
    sign_in(client, "student@example.org")
    page = client.get(f"/cohorts/{world.ids['C']}").get_data(as_text=True)
    assert "Group One" in page and "Group Two" not in page


def test_an_educator_sees_every_group_and_flags_those_without_a_patient_partner(app, world):
    client = app.test_client()
    sign_in(client, "educator@example.org")
    page = client.get(f"/cohorts/{world.ids['C']}").get_data(as_text=True)
    assert "Group One" in page and "Group Two" in page
    assert page.count("This group has no patient partner yet.") == 1  # Group Two only


def test_anonymous_post_to_a_protected_page_is_not_accepted(app, world):
    """With a valid form token, so that the policy (not the token check) is what refuses."""
    from tests.conftest import csrf_from
    from webapp.extensions import db
    from webapp.models import Invitation

    client = app.test_client()
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(f"/cohorts/{world.ids['C']}/invite",
                           data={"email": "x@example.org", "role": "student",
                                 "group_id": "0", "csrf_token": token})
    assert response.status_code == 401
    assert "Sign in" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Invitation).count() == 0


def test_posting_an_invitation_is_checked_like_reading(app, world):
    from tests.conftest import post_form

    client = app.test_client()
    sign_in(client, "student@example.org")
    # a student cannot even load the form, so cannot get a token for it
    assert client.get(f"/cohorts/{world.ids['C']}/invite").status_code == 403
    response = post_form(client, f"/cohorts/{world.ids['C']}/invite",
                         {"email": "x@example.org", "role": "student", "group_id": "0"},
                         form_page="/")
    assert response.status_code == 403


def test_cohort_page_statement_count_does_not_grow_with_the_number_of_groups(app, world):
    from tests.conftest import add_role, make_account, statements_for_page
    from webapp.extensions import db
    from webapp.models import Cohort, Group

    def statements_for(cohort_id):
        return statements_for_page(app, client, f"/cohorts/{cohort_id}")

    with app.app_context():
        big = Cohort(programme_id=world.ids["P"], name="Big cohort")
        db.session.add(big)
        for g in range(40):
            group = Group(cohort=big, name=f"Group {g:02d}")
            db.session.add(group)
            for m in range(3):
                person = make_account(f"p{g}-{m}@example.org")
                add_role(person, "patient_partner" if m == 0 else "student", cohort=big,
                         group=group)
        db.session.commit()
        big_id = big.id
    client = app.test_client()
    sign_in(client, "educator@example.org")
    small = statements_for(world.ids["C"])  # 2 groups
    large = statements_for(big_id)  # 40 groups
    assert small == large
    page = client.get(f"/cohorts/{big_id}").get_data(as_text=True)
    assert page.count("3 members") == 40
