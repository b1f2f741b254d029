"""A student and a patient partner write the same part at once: the conflict page, combine,
both voices, and autosave that survives a reload.

Two browser contexts (two people, two sessions) on one live server. The group, its accounts
and the assignment are made through the models in a fresh cohort, so nothing here depends on
or disturbs what the other browser tests do with the shared database (the ``group`` and
``two_pages`` fixtures are in tests/browser/conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PART1, PART3, serious_violations, sign_in_page

pytestmark = pytest.mark.browser


def test_two_people_save_the_same_part_and_combine(two_pages, live_server, group):
    student, partner = two_pages

    # 1. the student opens the case and agrees the three promises
    sign_in_page(student, live_server, group["student"])
    student.get_by_role("main").get_by_role("link", name="An example module", exact=True).click()
    expect(student.get_by_role("heading", level=1)).to_have_text("An example module")
    student.get_by_role("link", name="Open your group’s case").click()
    expect(student.get_by_role("heading", level=2, name=re.compile("working agreement"))
           ).to_be_visible()
    student.get_by_label("Our promise to ourselves").fill("We say what we think.")
    student.get_by_label("Our promise to each other").fill("We listen first.")
    student.get_by_label("Our promise to the person at the centre of the case").fill(
        "We write about you as we would speak to you.")
    student.get_by_role("button", name="Save our agreement and open the case").click()
    expect(student.get_by_role("heading", name="Our working agreement")).to_be_visible()
    expect(student.get_by_label(PART3)).to_have_value("")
    case_url = student.url.split("#")[0]
    assert re.search(r"/cases/\d+$", case_url), case_url

    # the patient partner opens the same case and answers the four consent questions first
    sign_in_page(partner, live_server, group["partner"])
    partner.goto(case_url)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Your choices for this case")
    for question in ("May the people in your group read what you write?",
                     "May the reviewers read your words when the group submits?",
                     "May your words ever be used in an example case for future groups?",
                     "May a short quote of your words ever appear in a report?"):
        partner.get_by_role("group", name=question).get_by_label("Yes").check()
    partner.get_by_role("button", name="Save my choices").click()
    expect(partner.get_by_role("heading", name="Our working agreement")).to_be_visible()
    assert partner.url.split("#")[0] == case_url
    assert serious_violations(partner) == []

    # 2. the patient partner saves part 3 first
    partner.get_by_label(PART3).fill("Her words.")
    partner.get_by_role("button", name="Save part 3").click()
    expect(partner.locator("#part-emotions")).to_contain_text(
        "Patient partner voice only so far")
    expect(partner.get_by_label(PART3)).to_have_value("Her words.")

    # 3. the student's page still holds version 0: saving it shows the conflict page
    student.get_by_label(PART3).fill("My words.")
    student.get_by_role("button", name="Save part 3").click()
    heading = student.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Someone else saved"))
    expect(heading).to_contain_text("Emotions expressed")
    expect(student.get_by_label("Your text")).to_have_value("My words.")
    expect(student.locator("#theirs")).to_have_text("Her words.")
    expect(student.get_by_role("main")).to_contain_text(f"Saved by {group['partner_name']}")
    assert serious_violations(student) == []

    # 4. combine: theirs, then mine; both voices are now present
    student.get_by_role("button", name="Combine (theirs, then mine)").click()
    expect(student.get_by_role("heading", name="Our working agreement")).to_be_visible()
    expect(student.get_by_label(PART3)).to_have_value("Her words.\n\nMy words.")
    expect(student.locator("#part-emotions")).to_contain_text(
        "Both voices present: student and patient partner")
    assert serious_violations(student) == []

    # 5. autosave: type into part 1, never press its button, wait for "Saved", reload
    # (waiting on the request, not on the brief "Editing…" status, keeps this deterministic)
    with student.expect_response(lambda r: r.request.method == "POST"
                                 and r.url.endswith("/sections/situation"),
                                 timeout=15_000) as autosave:
        student.get_by_label(PART1).fill("Autosaved words.")
    response = autosave.value
    assert response.status == 200
    assert response.request.headers["content-type"] == "application/json"
    assert response.json()["voices"] == "student"
    expect(student.locator("#part-situation .save-status")).to_have_text(
        re.compile(r"^Saved \d\d:\d\d$"))
    assert student.url.split("#")[0] == case_url  # no page load: the button was not used
    student.reload()
    expect(student.get_by_label(PART1)).to_have_value("Autosaved words.")
    expect(student.locator("#part-situation")).to_contain_text("Student voice only so far")
    # and part 3 kept the combined text
    expect(student.get_by_label(PART3)).to_have_value("Her words.\n\nMy words.")
