"""Submitting a case: every member confirms, exactly one submission, withholding, reopening."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.conftest import (
    confirm_submission,
    csrf_from,
    draft_of,
    give_consent,
    save_part,
    signed_in,
    start_case,
)
from webapp.casework import submission
from webapp.extensions import db
from webapp.models import Account, CaseWork, Confirmation, Submission


def _submissions(app, case_id):
    with app.app_context():
        return db.session.scalars(select(Submission).where(
            Submission.case_work_id == case_id).order_by(Submission.round)).all()


def test_the_case_is_submitted_when_every_member_has_confirmed(app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(student, case_id, "situation", "We are at the clinic.", 0)
    answer = confirm_submission(student, case_id)
    page = student.get(answer.headers["Location"]).get_data(as_text=True)
    assert "submitted when everyone in the group has confirmed" in page
    assert "Waiting for: Partner" in page
    assert _submissions(app, case_id) == []
    confirm_submission(partner, case_id, share_reviewers="yes")
    subs = _submissions(app, case_id)
    assert len(subs) == 1 and subs[0].sections["situation"]["text"] == "We are at the clinic."
    assert list(subs[0].sections) == ["situation", "patient_reality", "emotions", "navigation",
                                      "condition", "illness_experience", "microsystem",
                                      "professional_reality", "reflection"]
    late = save_part(student, case_id, "situation", "Late change", 1)
    assert late.status_code == 400 and "read-only" in late.get_data(as_text=True)
    assert confirm_submission(student, case_id).status_code == 303
    assert len(_submissions(app, case_id)) == 1


def test_a_patient_partner_who_withholds_removes_only_the_parts_with_their_words(
        app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(partner, case_id, "emotions", "I was frightened.", 0)
    save_part(student, case_id, "condition", "Asthma facts.", 0)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id, share_reviewers="no")
    sections = _submissions(app, case_id)[0].sections
    assert sections["emotions"] == {"withheld": True}
    assert sections["condition"]["text"] == "Asthma facts."
    page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "1 part was held back by a patient partner" in page


def test_an_educator_override_needs_a_reason_and_reopening_keeps_history(app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    educator = signed_in(app, "educator@example.org")
    page = educator.get(f"/cases/{case_id}").get_data(as_text=True)
    short = educator.post(f"/cases/{case_id}/override",
                          data={"csrf_token": csrf_from(page), "reason": "late"})
    assert "at least 10 characters" in educator.get(short.headers["Location"]).get_data(
        as_text=True)
    educator.post(f"/cases/{case_id}/override",
                  data={"csrf_token": csrf_from(page),
                        "reason": "Partner is unwell; agreed with the group by phone."})
    first = _submissions(app, case_id)
    assert len(first) == 1 and first[0].override_reason.startswith("Partner is unwell")
    assert student.post(f"/cases/{case_id}/override",
                        data={"csrf_token": csrf_from(page), "reason": "x" * 20}
                        ).status_code in (400, 403)
    educator.post(f"/cases/{case_id}/reopen", data={"csrf_token": csrf_from(page)})
    assert save_part(student, case_id, "situation", "Changed after reopening.", 0
                     ).status_code == 303
    partner = give_consent(app, case_id)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id)
    subs = _submissions(app, case_id)
    assert [s.round for s in subs] == [1, 2]
    assert subs[0].reopened_at is not None and subs[0].sections["situation"]["text"] == ""
    assert subs[1].sections["situation"]["text"] == "Changed after reopening."


def test_two_members_confirming_at_once_give_one_submission(app, assigned):  # noqa: F811
    _student, case_id = start_case(app, assigned)
    give_consent(app, case_id)
    with app.app_context():
        ids = [db.session.scalar(select(Account.id).where(Account.email_key == e))
               for e in ("student@example.org", "partner@example.org")]
    barrier = threading.Barrier(2)

    def go(account_id):
        with app.app_context():
            barrier.wait(timeout=30)
            actor = db.session.get(Account, account_id)
            case = db.session.get(CaseWork, case_id)
            try:
                made = submission.confirm(db.session, actor, case)
                db.session.commit()
                return made is not None
            except submission.Refused:
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(go, ids))
    assert len(_submissions(app, case_id)) == 1


def test_two_educators_submitting_at_once_give_one_submission(app, assigned):  # noqa: F811
    _student, case_id = start_case(app, assigned)
    with app.app_context():
        educator = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
    barrier = threading.Barrier(4)

    def go(_):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                submission.override(db.session, db.session.get(Account, educator),
                                    db.session.get(CaseWork, case_id), "The deadline has passed.")
                db.session.commit()
            except submission.Refused:
                db.session.rollback()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(go, range(4)))
    assert len(_submissions(app, case_id)) == 1


def test_killing_the_process_in_the_middle_of_a_submit_leaves_no_half_submission(
        app, assigned):  # noqa: F811
    """A separate process submits and is killed (SIGKILL) after the submission row is written
    but before the commit: the database has no submission and the case is still open."""
    _student, case_id = start_case(app, assigned)
    script = textwrap.dedent(f"""
        import sys, time
        from webapp import create_app
        from webapp.extensions import db
        from webapp.models import Account, CaseWork
        from webapp.casework import submission
        from tests.conftest import app_config
        app = create_app(app_config({app.config["SQLALCHEMY_DATABASE_URI"]!r}))
        original = submission._submit
        def slow_submit(*args, **kwargs):
            made = original(*args, **kwargs)
            db.session.flush()
            print("flushed", flush=True)
            time.sleep(60)
            return made
        submission._submit = slow_submit
        with app.app_context():
            educator = db.session.scalar(db.select(Account).where(
                Account.email_key == "educator@example.org"))
            submission.override(db.session, educator, db.session.get(CaseWork, {case_id}),
                                "Crash test: this never commits.")
            db.session.commit()
    """)
    env = dict(os.environ, PYTHONPATH=str(__import__("pathlib").Path(__file__).parents[2]))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "flushed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _submissions(app, case_id) == []
    with app.app_context():
        assert db.session.get(CaseWork, case_id).submitted_at is None
        assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_staff_reads_are_logged_and_group_reads_are_not(app, assigned):  # noqa: F811
    from webapp.models import CaseRead

    student, case_id = start_case(app, assigned)
    student.get(f"/cases/{case_id}")
    educator = signed_in(app, "educator@example.org")
    educator.get(f"/cases/{case_id}")
    educator.get(f"/cases/{case_id}/sections/emotions/history")
    with app.app_context():
        reads = db.session.execute(select(Account.email_key, CaseRead.what).join(
            Account, Account.id == CaseRead.account_id).order_by(CaseRead.id)).all()
    assert [tuple(r) for r in reads] == [("educator@example.org", "case"),
                                         ("educator@example.org", "history")]


def test_a_patient_partner_withdraws_their_words_before_submission(app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(partner, case_id, "emotions", "Only my words.", 0)
    save_part(partner, case_id, "condition", "My start.", 0)
    save_part(student, case_id, "condition", "My start. Student adds facts.", 1)
    save_part(student, case_id, "situation", "Student only.", 0)
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    answer = partner.post(f"/cases/{case_id}/withdraw", data={"csrf_token": csrf_from(page)})
    shown = partner.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Your words are withdrawn" in shown and "Knowledge of the patient" in shown
    assert draft_of(app, case_id, "emotions").text == ""
    assert draft_of(app, case_id, "situation").text == "Student only."
    confirm_submission(student, case_id)
    confirm_page = partner.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="share-no" name="share_reviewers" value="no" checked' in confirm_page
    confirm_submission(partner, case_id, share_reviewers="no")
    sections = _submissions(app, case_id)[0].sections
    assert sections["condition"] == {"withheld": True}
    assert sections["situation"]["text"] == "Student only."


def test_withdrawing_after_submission_holds_back_their_parts(app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(partner, case_id, "emotions", "My feelings.", 0)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id, share_reviewers="yes")
    assert _submissions(app, case_id)[0].sections["emotions"]["text"] == "My feelings."
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    partner.post(f"/cases/{case_id}/withdraw", data={"csrf_token": csrf_from(page)})
    assert _submissions(app, case_id)[0].sections["emotions"] == {"withheld": True,
                                                                  "withdrawn": True}


def test_a_group_shares_part_9_with_its_cohort_after_submission(app, assigned):  # noqa: F811
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(student, case_id, "reflection", "We will ask what matters at every visit.", 0)
    page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    early = student.post(f"/cases/{case_id}/share", data={"csrf_token": csrf_from(page),
                                                          "share": "1"})
    assert "after the case is submitted" in student.get(early.headers["Location"]).get_data(
        as_text=True)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id)
    student.post(f"/cases/{case_id}/share", data={"csrf_token": csrf_from(page), "share": "1"})
    other = signed_in(app, "student2@example.org")
    cohort = other.get(f"/cohorts/{assigned.ids['C']}").get_data(as_text=True)
    assert "We will ask what matters at every visit." in cohort
    assert "Group One" in cohort


def test_handing_in_with_empty_parts_is_confirmed_knowingly(app, assigned):
    student, case_id = start_case(app, assigned)
    save_part(student, case_id, "situation", "At the clinic.", 0)
    page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    listed = page.split('id="empty-parts"')[1].split("</div>")[0]
    assert "8 parts are still empty" in listed and "Emotions" in listed
    assert "Situation" not in listed
    unticked = confirm_submission(student, case_id, knowing_empty="")
    assert "Some parts are still empty" in student.get(
        unticked.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Confirmation).count() == 0
    confirm_submission(student, case_id)
    with app.app_context():
        assert db.session.query(Confirmation).count() == 1
