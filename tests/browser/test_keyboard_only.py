"""Keyboard only: a student saves a part of the case, a patient partner changes a consent
choice, and a patient co-teacher completes a whole review, with Tab, arrows, Space and Enter
and never the mouse; every control they land on shows where the focus is."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import live_app, sign_in_page
from tests.conftest import add_role, make_account, make_assignment
from webapp.casework import operations as work_ops
from webapp.casework import submission
from webapp.extensions import db
from webapp.models import Cohort, Group, ModuleVersionRow, Programme, Review
from webapp.review import operations as review_ops

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(live_server, tmp_path_factory):
    app = live_app(tmp_path_factory)
    assert app.test_cli_runner().invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        programme = Programme(name=f"Keys programme {tag}")
        cohort = Cohort(programme=programme, name=f"Keys cohort {tag}")
        group = Group(cohort=cohort, name=f"Keys group {tag}")
        db.session.add_all([programme, cohort, group])
        db.session.flush()
        educator = make_account(f"kb{tag}.educator@example.org", f"Eda {tag}")
        student = make_account(f"kb{tag}.student@example.org", f"Stu {tag}")
        partner = make_account(f"kb{tag}.partner@example.org", f"Pam {tag}")
        coteacher = make_account(f"kb{tag}.coteacher@example.org", f"Cora {tag}")
        add_role(educator, "educator", programme=programme)
        add_role(student, "student", cohort=cohort, group=group)
        add_role(partner, "patient_partner", cohort=cohort, group=group)
        add_role(coteacher, "patient_coteacher", cohort=cohort)
        row = db.session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "example-module", ModuleVersionRow.version == "1.0.0"))
        assignment = make_assignment(cohort.id, row)
        db.session.commit()
        case = work_ops.start_case(db.session, student, group, assignment, {
            "ourselves": "We say what we think.", "each_other": "We listen first.",
            "person": "We write about Ana as we would speak to her."})
        db.session.commit()
        work_ops.give_consent(db.session, partner, case, share_group=True,
                              share_reviewers=True, exemplar=False, quote=False)
        db.session.commit()
        found = {"student": student.email, "partner": partner.email,
                 "coteacher": coteacher.email, "case_id": case.id,
                 "assignment_id": assignment.id, "coteacher_id": coteacher.id}
        db.session.remove()
        db.engine.dispose()
    found["app"] = app
    return found


def _focused(page, locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit=300):
    """Press Tab until ``locator`` has the focus, and check the focus can be seen there."""
    for _ in range(limit):
        if _focused(page, locator):
            visible = locator.evaluate(
                "el => { const s = getComputedStyle(el); return el.matches(':focus-visible') "
                "&& (s.outlineStyle !== 'none' || s.boxShadow !== 'none'); }")
            assert visible, "the focus is shown"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def _submit_and_allocate(found):
    app = found["app"]
    with app.app_context():
        from webapp.models import Account, Assignment, CaseWork

        case = db.session.get(CaseWork, found["case_id"])
        for email, share in ((found["student"], True), (found["partner"], True)):
            person = db.session.scalar(select(Account).where(Account.email == email))
            submission.confirm(db.session, person, case, share_reviewers=share)
            db.session.commit()
        review_ops.allocate(db.session, db.session.get(Assignment, found["assignment_id"]))
        db.session.commit()
        review_id = db.session.scalar(select(Review.id).where(
            Review.reviewer_id == found["coteacher_id"]))
        db.session.remove()
        db.engine.dispose()
    return review_id


def test_case_save_consent_change_and_a_whole_review_by_keyboard(page, live_server, people):
    base = live_server
    # 1. a student saves part 1 of the case
    sign_in_page(page, base, people["student"])
    page.goto(f"{base}/cases/{people['case_id']}")
    box = page.locator("#text-situation")
    tab_to(page, box)
    page.keyboard.type("Ana is at the asthma clinic again.")
    tab_to(page, page.get_by_role("button", name="Save part 1"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    page.context.clear_cookies()

    # 2. the patient partner changes one choice about their words
    sign_in_page(page, base, people["partner"])
    page.goto(f"{base}/cases/{people['case_id']}/consent")
    question = page.get_by_role("group", name=re.compile("example case"))
    tab_to(page, question.get_by_role("radio", name="No"))  # Tab lands on the chosen answer
    page.keyboard.press("ArrowUp")  # the arrow keys move the choice to "Yes"
    expect(question.get_by_role("radio", name="Yes")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save my choices"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Your choices are saved")
    page.context.clear_cookies()

    # 3. the co-teacher completes a whole review
    review_id = _submit_and_allocate(people)
    sign_in_page(page, base, people["coteacher"])
    page.goto(f"{base}/reviews/{review_id}")
    criteria = page.locator("fieldset.criterion")
    count = criteria.count()
    assert count == 7
    for i in range(count):
        first = criteria.nth(i).get_by_role("radio").first
        tab_to(page, first)
        page.keyboard.press("Space")
        expect(first).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Submit review"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Review submitted")
