"""The sign-in idles out while someone is writing a part: whether they press Save or the
autosave fires, they land on the sign-in page, then on their text, and one press of
"Send again" saves exactly what they typed."""

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tests.browser.helpers import PART1, PART3, open_case, sign_in_page
from tests.browser.test_review_journey import world  # noqa: F401  (fixture)
from tests.conftest import PASSWORD, add_role, make_account
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, LoginSession, SectionDraft

pytestmark = pytest.mark.browser


def _idle_out(app, email):
    """Make the person's sign-in older than the idle limit, as if they had left it open."""
    with app.app_context():
        account_id = db.session.scalar(select(Account.id).where(Account.email_key == email))
        db.session.execute(update(LoginSession).where(LoginSession.account_id == account_id)
                           .values(last_seen_at=now() - timedelta(hours=3)))
        db.session.commit()
        db.session.remove()


def _saved_text(app, case_id, key):
    with app.app_context():
        text = db.session.scalar(select(SectionDraft.text).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == key))
        db.session.remove()
        return text


def _sign_in_again_and_send(page, email, typed):
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("main")).to_contain_text("Nothing was lost")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your changes have not been saved yet")
    expect(page.get_by_label("text", exact=True)).to_have_value(typed)
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("heading", name="Our working agreement")).to_be_visible()


def test_save_after_the_sign_in_idled_out_needs_one_send_again(
        page, live_server, group, database):  # noqa: F811
    case_id = open_case(page, live_server, group["student"])
    typed = f"Kept {uuid.uuid4().hex[:6]}: she said “ask me first”.\nSecond line & more."
    page.get_by_label(PART3).fill(typed)
    _idle_out(database, group["student"])
    page.get_by_role("button", name="Save part 3").click()
    _sign_in_again_and_send(page, group["student"], typed)
    expect(page.get_by_label(PART3)).to_have_value(typed)
    assert _saved_text(database, case_id, "emotions") == typed


def test_autosave_after_the_sign_in_idled_out_leads_to_sign_in_and_back(page, live_server,
                                                                        group, database):  # noqa: F811
    case_id = open_case(page, live_server, group["student"])
    _idle_out(database, group["student"])
    typed = f"Typed while away {uuid.uuid4().hex[:6]} — nobody pressed Save."
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/sections/situation"),
                              timeout=15_000) as autosave:
        page.get_by_label(PART1).fill(typed)
    assert autosave.value.status == 401
    _sign_in_again_and_send(page, group["student"], typed)
    expect(page.get_by_label(PART1)).to_have_value(typed)
    assert _saved_text(database, case_id, "situation") == typed


@pytest.fixture
def review_for_coteacher(world):  # noqa: F811
    """The review journey's submitted case, allocated; the patient-lens review goes to a
    co-teacher made here."""
    from webapp.models import Assignment, Cohort, Review
    from webapp.review import operations as review_ops

    app = world["app"]
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort_id"])
        coteacher = make_account(world["coteacher"], world["coteacher_name"])
        add_role(coteacher, "patient_coteacher", cohort=cohort)
        db.session.commit()
        review_ops.allocate(db.session, db.session.get(Assignment, world["assignment_id"]))
        db.session.commit()
        review_id = db.session.scalar(select(Review.id).where(
            Review.reviewer_id == coteacher.id))
        db.session.remove()
        db.engine.dispose()
    assert review_id
    return dict(world, review_id=review_id)


def test_a_review_draft_autosaved_after_the_sign_in_idled_out_comes_back(
        page, live_server, review_for_coteacher):
    from webapp.models import Review

    people = review_for_coteacher
    sign_in_page(page, live_server, people["coteacher"])
    page.goto(f"{live_server}/reviews/{people['review_id']}")
    _idle_out(people["app"], people["coteacher"])
    comment = f"She named her fear of the nights {uuid.uuid4().hex[:6]}."
    with page.expect_response(lambda r: r.request.method == "POST"
                              and f"/reviews/{people['review_id']}" in r.url,
                              timeout=15_000) as autosave:
        page.locator("textarea[name^='comment-']").first.fill(comment)
    assert autosave.value.status == 401
    expect(page.get_by_role("main")).to_contain_text("Nothing was lost")
    page.get_by_label("Email").fill(people["coteacher"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your changes have not been saved yet")
    page.get_by_role("button", name="Send again").click()
    expect(page.locator("textarea[name^='comment-']").first).to_have_value(comment)
    with people["app"].app_context():
        saved = db.session.get(Review, people["review_id"])
        assert comment in saved.comments.values() and saved.submitted_at is None
        db.session.remove()
