"""A patient partner withdraws her words from a part she wrote with a student; on a phone,
the student sees why the part is held back, rewrites it, ticks the box from the keyboard,
and the autosave records that the new text no longer holds her words."""

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import PART3, open_case, serious_violations, sign_in_page
from webapp.extensions import db
from webapp.models import SectionDraft, SectionRevision

pytestmark = pytest.mark.browser


def _latest(app, case_id, key):
    with app.app_context():
        row = db.session.execute(
            select(SectionRevision.text, SectionRevision.fresh_start)
            .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
            .where(SectionDraft.case_work_id == case_id, SectionDraft.section == key)
            .order_by(SectionRevision.version.desc()).limit(1)).first()
        db.session.remove()
        return row


def test_a_held_part_is_rewritten_on_a_phone_and_marked_free_of_withdrawn_words(
        two_pages, live_server, group, database):  # noqa: F811
    student, partner = two_pages
    case_id = open_case(student, live_server, group["student"])
    sign_in_page(partner, live_server, group["partner"])
    partner.goto(f"{live_server}/cases/{case_id}")
    for question in ("group read", "reviewers read", "example case", "short quote"):
        partner.get_by_role("group", name=question).get_by_label("Yes").check()
    partner.get_by_role("button", name="Save my choices").click()
    marker = f"Her words {uuid.uuid4().hex[:6]}"
    partner.get_by_label(PART3).fill(marker)
    partner.get_by_role("button", name="Save part 3").click()
    expect(partner.get_by_role("status").first).to_contain_text("Saved")
    student.reload()
    student.get_by_label(PART3).fill(f"{marker}\nAnd what we added.")
    student.get_by_role("button", name="Save part 3").click()
    partner.goto(f"{live_server}/cases/{case_id}/consent")
    partner.once("dialog", lambda dialog: dialog.accept())
    partner.get_by_role("button", name="Withdraw my words").click()
    expect(partner.get_by_role("main")).to_contain_text("Your words are withdrawn")

    student.set_viewport_size({"width": 390, "height": 844})
    student.reload()
    notice = student.locator("#held-emotions")
    expect(notice).to_contain_text("mixes words a patient partner has withdrawn")
    assert student.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(student) == []
    box = student.get_by_label(PART3)
    box.fill("Our own words about the nights, rewritten.")
    tick = student.get_by_label("This text no longer holds the withdrawn words")
    with student.expect_response(lambda r: r.request.method == "POST"
                                 and r.url.endswith("/sections/emotions")
                                 and '"rewritten":true' in (r.request.post_data or ""),
                                 timeout=15_000) as saved:
        tick.focus()
        student.keyboard.press("Space")
    assert saved.value.status == 200
    text, fresh = _latest(database, case_id, "emotions")
    assert text == "Our own words about the nights, rewritten." and fresh
    student.reload()
    expect(student.locator("#held-emotions")).to_have_count(0)
