"""A new educator sets up a cohort end to end: roster, mixed groups, a move, an assignment.

Everything after the sign-in page is reached by clicking and typing, as a person would.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations
from webapp.demo import DEMO_PASSWORD, PROGRAMME

pytestmark = pytest.mark.browser

NO_PARTNER = "This group has no patient partner yet."



def _roster_csv(path, tag):
    lines = ["email,name,role,group"]
    lines += [f"ws{tag}.student{i}@example.org,Student {tag} {i},student,"
              for i in range(1, 9)]
    lines += [f"ws{tag}.partner{i}@example.org,Partner {tag} {i},patient partner,"
              for i in range(1, 5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_new_educator_sets_up_a_cohort_and_assigns_a_module(page, live_server, tmp_path):
    tag = uuid.uuid4().hex[:6]  # the live server is shared by the whole session
    cohort_name = f"Spring 2027 {tag}"
    main = page.locator("main")

    # 1. sign in, find the programme, create a cohort
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill("educator@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Programmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    main.get_by_role("link", name=PROGRAMME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    # the collapsed "Rename this programme" form has a "Name" field too
    new_cohort = page.get_by_role("region", name="New cohort")
    new_cohort.get_by_label("Name").fill(cohort_name)
    new_cohort.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cohort_name)
    expect(page.get_by_role("status")).to_contain_text(f"Cohort “{cohort_name}” created.")
    expect(main).to_contain_text("There are no groups yet.")

    # 2. import a roster of 8 students and 4 patient partners
    page.get_by_role("link", name="Import a roster (CSV)").click()
    page.get_by_label("Roster file (CSV)").set_input_files(
        str(_roster_csv(tmp_path / "roster.csv", tag)))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Roster preview for {cohort_name}")
    expect(main).to_contain_text("12 new people (accounts are made and invitations sent)")
    changes = page.get_by_role("table", name="Changes")
    expect(changes.locator("tbody tr")).to_have_count(12)
    expect(changes.get_by_role("row").filter(has_text=f"Partner {tag} 1")).to_contain_text(
        "Patient partner")
    page.get_by_role("button", name="Confirm and apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cohort_name)
    expect(page.get_by_role("status")).to_contain_text("Roster applied: 12 new people")
    people = page.get_by_role("table", name="12 people in this cohort")
    expect(people.locator("tbody tr")).to_have_count(12)
    expect(people.get_by_role("row").filter(has_text=f"Student {tag} 8")).to_contain_text(
        "invited")

    # 3. four mixed groups from a suggestion
    page.get_by_role("link", name="Make mixed groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Groups in {cohort_name}")
    expect(page.get_by_role("heading", name="Not in a group yet")).to_be_visible()
    page.get_by_label("Number of groups").fill("4")
    page.get_by_role("button", name="Show a suggestion").click()
    expect(page.get_by_role("heading", name="Suggestion (not saved yet)")).to_be_visible()
    page.get_by_role("button", name="Apply these groups").click()
    expect(page.get_by_role("status")).to_contain_text("Groups applied.")
    groups = main.locator("section.card").filter(
        has=page.get_by_role("heading", level=3, name=re.compile(r"\(3 members\)$")))
    expect(groups).to_have_count(4)
    expect(page.get_by_text(NO_PARTNER)).to_have_count(0)
    expect(page.get_by_role("heading", name="Not in a group yet")).to_have_count(0)
    for i in range(4):
        expect(groups.nth(i)).to_contain_text("(Patient partner)")
    assert serious_violations(page) == []

    # 4. move one student to another group, keyboard only
    first, second = groups.nth(0), groups.nth(1)
    first_name = first.get_by_role("heading", level=3).get_by_role("link").inner_text()
    second_name = second.get_by_role("heading", level=3).get_by_role("link").inner_text()
    student = first.get_by_role("listitem").filter(has_text="(Student)").first
    mover = student.inner_text().split(" (")[0].strip()
    select = page.get_by_label(f"Move {mover} to", exact=True)
    select.focus()
    page.keyboard.press("ArrowDown")  # options: No group, then the groups in page order
    expect(select.locator("option:checked")).to_have_text(second_name)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == f"Move {mover}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Moved.")
    target = main.locator("section.card").filter(
        has=page.get_by_role("heading", level=3, name=re.compile(f"^{re.escape(second_name)} ")))
    expect(target.get_by_role("heading", level=3)).to_contain_text("(4 members)")
    expect(target).to_contain_text(mover)
    source = main.locator("section.card").filter(
        has=page.get_by_role("heading", level=3, name=re.compile(f"^{re.escape(first_name)} ")))
    expect(source.get_by_role("heading", level=3)).to_contain_text("(2 members)")
    expect(page.get_by_text(NO_PARTNER)).to_have_count(0)

    # 5. assign the module and look at the progress board
    page.get_by_role("link", name="Back to the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cohort_name)
    expect(main.locator("section.card h3")).to_have_count(4)
    expect(page.get_by_text(NO_PARTNER)).to_have_count(0)
    page.get_by_role("link", name="Assign a module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Assign a module to {cohort_name}")
    page.get_by_label("Module version").select_option(label="An example module — 1.0.0 — English")
    page.get_by_label("Opens", exact=True).fill("2026-12-01T09:00")
    page.get_by_label("Case due").fill("2026-12-15T17:00")
    page.get_by_label("Reviews due").fill("2026-12-22T17:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("An example module")
    expect(page.get_by_role("status")).to_contain_text("Module assigned.")
    expect(page.locator("dl.dates")).to_contain_text("Tue 15 Dec 2026, 17:00")
    page.get_by_role("link", name="Progress board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress: An example module")
    board = page.get_by_role("table", name="Groups and the nine parts of the case")
    expect(board.locator("tbody tr")).to_have_count(4)
    expect(board.get_by_role("rowheader")).to_have_count(4)
    expect(board.get_by_text("no patient partner")).to_have_count(0)
    expect(board.get_by_role("link", name=re.compile(r"^Nudge "))).to_have_count(4)
    # a nudge asks first, then says when the group was last reminded
    board.get_by_role("link", name=re.compile(r"^Nudge ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Remind .+\?$"))
    page.get_by_role("button", name="Send the reminder").click()
    expect(page.get_by_role("status")).to_contain_text("Reminder queued for")
    expect(board.get_by_text("last nudged")).to_have_count(1)
