"""Erasing an account: details gone everywhere, submitted work kept as the rules say, logged."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import add_role, csrf_from, make_account, signed_in
from webapp.casework import operations as work
from webapp.casework import submission
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    AuditEvent,
    CaseWork,
    Cohort,
    Group,
    GroupMember,
    Review,
    RubricVersionRow,
    SectionRevision,
    Submission,
)

NAME, EMAIL = "Zelda Quillfeather", "zelda.quill@example.org"
HER_WORDS = "Ana told us the night shift changes every week."
PARTNER_WORDS = "Nobody asked me what a good night looks like."
PROMISES = {"ourselves": "We say what we think.", "each_other": "We listen first.",
            "person": "We write about Ana as we would speak to her."}


def _submitted_case(app, world, partner_shares=True):
    """A student with a distinctive name and the patient partner write and hand in a case;
    the co-teacher has reviewed it."""
    with app.app_context():
        group = db.session.get(Group, world.ids["G1"])
        zelda = make_account(EMAIL, NAME)
        add_role(zelda, "student", cohort=db.session.get(Cohort, world.ids["C"]), group=group)
        db.session.execute(GroupMember.__table__.delete().where(
            GroupMember.account_id == db.session.scalar(select(Account.id).where(
                Account.email_key == "student@example.org"))))
        partner = db.session.scalar(select(Account).where(
            Account.email_key == "partner@example.org"))
        assignment = db.session.get(Assignment, world.ids["A"])
        case = work.start_case(db.session, zelda, group, assignment, PROMISES)
        work.give_consent(db.session, partner, case, share_group=True,
                          share_reviewers=partner_shares, exemplar=True, quote=True)
        work.save_section(db.session, zelda, case, "situation", HER_WORDS, 0)
        work.save_section(db.session, partner, case, "emotions", PARTNER_WORDS, 0)
        db.session.commit()
        submission.confirm(db.session, zelda, case)
        submission.confirm(db.session, partner, case, share_reviewers=partner_shares)
        db.session.commit()
        sub = db.session.scalar(select(Submission).where(Submission.case_work_id == case.id))
        coteacher = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
        rubric = db.session.scalar(select(RubricVersionRow.id))
        db.session.add(Review(submission_id=sub.id, reviewer_id=coteacher, lens="patient",
                              rubric_version_id=rubric, ratings={}, comments={}))
        db.session.commit()
        return {"case": case.id, "zelda": zelda.id, "partner": partner.id}


def _erase(app, account_id, email):
    admin = signed_in(app, "admin@example.org")
    path = f"/admin/people/{account_id}/erase"
    page = admin.get(path).get_data(as_text=True)
    wrong = admin.post(path, data={"csrf_token": csrf_from(page), "confirm_email": "no"})
    assert wrong.status_code == 303
    with app.app_context():
        assert db.session.get(Account, account_id).email_key == email, "not erased"
    done = admin.post(path, data={"csrf_token": csrf_from(page), "confirm_email": email})
    assert done.status_code == 303
    return admin


def test_after_erasure_no_page_shows_the_student_and_the_case_still_displays(app, assigned):  # noqa: F811
    ids = _submitted_case(app, assigned)
    admin = _erase(app, ids["zelda"], EMAIL)
    educator = signed_in(app, "educator@example.org")
    pages = {}
    for client, path in ((educator, f"/cohorts/{assigned.ids['C']}"),
                         (educator, f"/groups/{assigned.ids['G1']}"),
                         (educator, f"/cases/{ids['case']}"),
                         (educator, f"/cases/{ids['case']}/sections/situation/history"),
                         (educator, f"/assignments/{assigned.ids['A']}/progress"),
                         (educator, f"/cohorts/{assigned.ids['C']}/roster"),
                         (educator, f"/cohorts/{assigned.ids['C']}/contributions.csv"),
                         (admin, "/admin/audit"), (admin, "/admin/audit.csv"),
                         (admin, "/admin/people?email=example.org")):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        pages[path] = response.get_data(as_text=True)
    for path, text in pages.items():
        assert NAME not in text and EMAIL not in text and "Zelda" not in text, path
    case_page = pages[f"/cases/{ids['case']}"]
    assert PARTNER_WORDS in case_page, "the group's handed-in case still displays"
    with app.app_context():
        erased = db.session.get(Account, ids["zelda"])
        assert not erased.active and erased.password_hash is None
        sub = db.session.scalar(select(Submission).where(Submission.case_work_id == ids["case"]))
        assert sub.sections["situation"].get("text") == HER_WORDS, \
            "a student's words in submitted work stay, as a former group member"
        assert db.session.scalars(select(SectionRevision.text).where(
            SectionRevision.account_id == ids["zelda"])).all() == [""]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "erasure"))
        assert event.subject_id == ids["zelda"] and event.detail["by"] == "an administrator"
    assert "account erased" in pages["/admin/audit"]
    assert signed_in(app, "partner@example.org").get("/").status_code == 200


def test_a_patient_partner_who_did_not_share_is_withheld_and_reviews_stay_anonymous(
        app, assigned):  # noqa: F811
    ids = _submitted_case(app, assigned, partner_shares=False)
    _erase(app, ids["partner"], "partner@example.org")
    with app.app_context():
        sub = db.session.scalar(select(Submission).where(Submission.case_work_id == ids["case"]))
        assert sub.sections["emotions"] == {"withheld": True}
        assert sub.sections["situation"]["text"] == HER_WORDS
        assert PARTNER_WORDS not in str(db.session.scalars(select(SectionRevision.text)).all())
        case = db.session.get(CaseWork, ids["case"])
        consent = work.current_consent(db.session, case.id, ids["partner"])
        assert (consent.exemplar, consent.quote) == (False, False)
    coteacher_id = None
    with app.app_context():
        coteacher_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
    _erase(app, coteacher_id, "coteacher@example.org")
    with app.app_context():
        review = db.session.scalar(select(Review))
        assert review is None or review.reviewer_id is None


def test_people_remove_their_own_account_and_the_last_admin_is_kept(app, assigned):  # noqa: F811
    _submitted_case(app, assigned)
    zelda = signed_in(app, EMAIL)
    page = zelda.get("/my-data/remove").get_data(as_text=True)
    assert "cannot be undone" in page
    gone = zelda.post("/my-data/remove", data={"csrf_token": csrf_from(page),
                                               "confirm_email": EMAIL.upper()})
    assert gone.status_code == 303 and "/sign-in" in gone.headers["Location"]
    assert zelda.get("/").status_code == 302, "signed out"
    with app.app_context():
        assert db.session.scalar(select(Account).where(Account.email_key == EMAIL)) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "erasure"))
        assert event.detail["by"] == "themselves"
    admin = signed_in(app, "admin@example.org")
    page = admin.get("/my-data/remove").get_data(as_text=True)
    refused = admin.post("/my-data/remove", data={"csrf_token": csrf_from(page),
                                                  "confirm_email": "admin@example.org"},
                         follow_redirects=True)
    assert "only site administrator" in refused.get_data(as_text=True)
    assert signed_in(app, "student@example.org").get("/admin/people").status_code == 403
