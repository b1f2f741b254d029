"""The review journey: a patient co-teacher joins by invitation, practises on the exemplar,
reviews a group's submitted case; the educator allocates and releases; the group reads the
feedback and says what it will change; the co-teacher reads that response.

Three browser contexts (educator, co-teacher, student) on one live server. The cohort, the
group, its submitted case and the educator are made through the models in a fresh cohort with
unique names, so nothing here depends on or disturbs the other browser tests. The shipped
rubrics (``case-rubric``, ``patient-review``) are published with ``content load``.
"""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import live_app, serious_violations, sign_in_page
from tests.conftest import add_role, make_account, make_assignment
from webapp.casework import operations as work_ops
from webapp.casework import submission
from webapp.extensions import db
from webapp.models import Cohort, Group, ModuleVersionRow, Outbox, Programme, RubricVersionRow

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "copper-meadow-violin-73"
COMMENT = "You let Ana speak for herself about her nights."
ANSWER = "Ask Ana what a good night looks like to her, and build the plan from that."
RESPONSE = "We will ask Ana about her nights before we write the plan."
SITUATION = "Ana is at the asthma clinic for the third time this winter."
EMOTIONS = "I was scared at night and nobody asked me about it."


@pytest.fixture
def world(live_server, tmp_path_factory):
    """A fresh cohort with an educator, one group (a student and a patient partner) whose case
    of the example module is written and submitted, and the shipped rubrics published."""
    app = live_app(tmp_path_factory)
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    tag = uuid.uuid4().hex[:6]  # the live server is shared by the whole session
    with app.app_context():
        for slug in ("case-rubric", "patient-review"):
            assert db.session.scalar(select(RubricVersionRow.id).where(
                RubricVersionRow.slug == slug)), f"{slug} is published"
        programme = Programme(name=f"Review programme {tag}")
        cohort = Cohort(programme=programme, name=f"Review cohort {tag}")
        group = Group(cohort=cohort, name=f"Review group {tag}")
        db.session.add_all([programme, cohort, group])
        db.session.flush()
        educator = make_account(f"rj{tag}.educator@example.org", f"Eda {tag}")
        student = make_account(f"rj{tag}.student@example.org", f"Stu {tag}")
        partner = make_account(f"rj{tag}.partner@example.org", f"Pam {tag}")
        add_role(educator, "educator", programme=programme)
        add_role(student, "student", cohort=cohort, group=group)
        add_role(partner, "patient_partner", cohort=cohort, group=group)
        row = db.session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "example-module", ModuleVersionRow.version == "1.0.0"))
        assert row is not None, "the browser conftest publishes the example module"
        assignment = make_assignment(cohort.id, row)
        db.session.commit()

        case = work_ops.start_case(db.session, student, group, assignment, {
            "ourselves": "We say what we think.", "each_other": "We listen first.",
            "person": "We write about Ana as we would speak to her."})
        db.session.commit()
        work_ops.give_consent(db.session, partner, case, share_group=True,
                              share_reviewers=True, exemplar=False, quote=False)
        db.session.commit()
        work_ops.save_section(db.session, student, case, "situation", SITUATION, 0)
        db.session.commit()
        work_ops.save_section(db.session, partner, case, "emotions", EMOTIONS, 0)
        db.session.commit()
        assert submission.confirm(db.session, student, case) is None
        db.session.commit()
        assert submission.confirm(db.session, partner, case, share_reviewers=True) is not None
        db.session.commit()
        people = {"tag": tag, "educator": educator.email, "student": student.email,
                  "coteacher": f"rj{tag}.coteacher@example.org", "coteacher_name": f"Cora {tag}",
                  "cohort_id": cohort.id, "cohort": cohort.name, "group": group.name,
                  "assignment_id": assignment.id, "case_id": case.id}
        db.session.remove()
        db.engine.dispose()
    people["app"] = app
    return people


def _invitation_path(app, email):
    with app.app_context():
        body = db.session.scalars(select(Outbox.body).where(
            Outbox.to_address == email, Outbox.kind == "invitation")
            .order_by(Outbox.id.desc())).first()
        db.session.remove()
        db.engine.dispose()
    assert body, f"an invitation to {email} is in the outbox"
    url = re.search(r"https?://\S+/invite/\S+", body).group(0)
    return "/invite/" + url.split("/invite/", 1)[1]


@pytest.fixture
def pages(browser):
    contexts = [browser.new_context() for _ in range(3)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def _rate_all(page, levels):
    """Choose a level for every statement of the rubric form on the page (seven of them)."""
    criteria = page.locator("fieldset.criterion")
    expect(criteria).to_have_count(7)
    for i in range(7):
        level = levels[i % len(levels)]
        criteria.nth(i).get_by_role("radio", name=re.compile(rf"^{level}:")).check()


def test_coteacher_reviews_group_responds_coteacher_reads_response(pages, live_server, world):
    educator, coteacher, student = pages
    base = live_server

    # 1. the educator adds a patient co-teacher to the cohort; an invitation is queued
    sign_in_page(educator, base, world["educator"])
    educator.goto(f"{base}/cohorts/{world['cohort_id']}")
    educator.get_by_role("link", name="Add one person").click()
    educator.get_by_label("Name", exact=True).fill(world["coteacher_name"])
    educator.get_by_label("Email of the person to invite").fill(world["coteacher"])
    educator.get_by_label("Role in this cohort").select_option(label="Patient co-teacher")
    educator.get_by_role("button", name="Add and invite").click()
    expect(educator.get_by_role("status")).to_contain_text(
        f"{world['coteacher_name']} was added and an invitation is queued.")

    # ...and the co-teacher joins through the emailed link: a name and a password
    coteacher.goto(base + _invitation_path(world["app"], world["coteacher"]))
    expect(coteacher.get_by_role("heading", level=1)).to_have_text(f"Join {world['cohort']}")
    expect(coteacher.get_by_role("main")).to_contain_text("as: Patient co-teacher")
    name = coteacher.get_by_label("Your name, as others in the group will see it")
    expect(name).to_have_value(world["coteacher_name"])
    name.fill(f"Cora T {world['tag']}")
    coteacher.get_by_label("With a password I choose").check()
    coteacher.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    coteacher.get_by_label("Type the password again").fill(NEW_PASSWORD)
    coteacher.get_by_role("button", name="Join", exact=True).click()
    coteacher.wait_for_url(f"{base}/")
    expect(coteacher.get_by_role("status")).to_contain_text(
        f"Welcome. You have joined {world['cohort']}.")
    coteacher_name = f"Cora T {world['tag']}"
    expect(coteacher.get_by_role("banner")).to_contain_text(f"Signed in as {coteacher_name}")

    # 3. the educator allocates reviewers (the case was submitted in the fixture: step 2)
    educator.goto(f"{base}/assignments/{world['assignment_id']}")
    educator.get_by_role("main").get_by_role("link", name="Reviews", exact=True).click()
    expect(educator.get_by_role("heading", level=1)).to_have_text("Reviews: An example module")
    reviewers = educator.get_by_role("table", name="How many submissions each reviewer takes")
    expect(reviewers).to_contain_text(coteacher_name)
    submissions = educator.get_by_role("table", name="Who reviews which submission")
    expect(submissions.get_by_role("row").filter(has_text=world["group"])).to_contain_text(
        "no reviewer yet")
    educator.get_by_role("button",
                         name="Allocate reviewers to submissions that have none").click()
    expect(educator.get_by_role("status")).to_contain_text("2 reviews allocated.")
    group_row = submissions.get_by_role("row").filter(has_text=world["group"])
    expect(group_row).to_contain_text(f"{coteacher_name} — in progress")
    expect(group_row).not_to_contain_text("no reviewer yet")

    # 4. the co-teacher practises on the exemplar first
    coteacher.get_by_role("banner").get_by_role("link", name="Reviews", exact=True).click()
    expect(coteacher.get_by_role("heading", level=1)).to_have_text("Your reviews")
    coteacher.get_by_role("link", name="with the patient co-teacher statements").click()
    expect(coteacher.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Practise reviewing: Maria and the asthma clinic"))
    expect(coteacher.locator("#provisional")).to_contain_text("Provisional example")
    _rate_all(coteacher, ["Mostly", "Partly", "Fully", "Not yet"])
    coteacher.get_by_role("button", name="Compare with the authors’ ratings").click()
    comparison = coteacher.get_by_role("table", name="Your ratings and the authors’ ones")
    expect(comparison).to_be_visible()
    expect(comparison.locator("tbody tr")).to_have_count(7)
    expect(comparison.locator("tbody tr").first).to_contain_text("Mostly")
    # the practice form keeps what was chosen
    expect(coteacher.locator("fieldset.criterion").first.get_by_role(
        "radio", name=re.compile(r"^Mostly:"))).to_be_checked()
    assert serious_violations(coteacher) == []

    # ...then opens the allocated review from the queue, rates, comments and submits
    coteacher.get_by_role("banner").get_by_role("link", name="Reviews", exact=True).click()
    queue = coteacher.get_by_role("table", name="Submissions allocated to you")
    entry = queue.get_by_role("row").filter(has_text=world["group"])
    expect(entry).to_contain_text("Not started")
    entry.get_by_role("link", name=re.compile(re.escape(world["group"]))).click()
    expect(coteacher.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Review: "))
    review_path = re.search(r"/reviews/\d+$", coteacher.url).group(0)
    main = coteacher.get_by_role("main")
    expect(main).to_contain_text(SITUATION)
    expect(main).to_contain_text(EMOTIONS)
    assert serious_violations(coteacher) == []
    _rate_all(coteacher, ["Fully", "Mostly"])
    first = coteacher.locator("fieldset.criterion").first
    first.get_by_label("Comment (plain text)").fill(COMMENT)
    coteacher.get_by_label("What would you most like this group to hear?").fill(ANSWER)
    # drafts autosave a few seconds after the last change; waiting for the save that holds
    # the finished form keeps the version the page submits with current (no race with it)
    with coteacher.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith(review_path)
            and ANSWER in (r.request.post_data or "")
            and 'name="show_name"' in (r.request.post_data or ""),
            timeout=20_000) as autosave:
        coteacher.get_by_label(re.compile(r"^Learners may see my name")).check()
    assert autosave.value.status == 200
    expect(coteacher.locator("form .save-status")).to_have_text(
        re.compile(r"^Draft saved \d\d:\d\d$"))
    coteacher.get_by_role("button", name="Submit review").click()
    expect(coteacher.get_by_role("status")).to_contain_text("Review submitted. Thank you.")
    expect(coteacher.get_by_role("button", name="Submit review")).to_have_count(0)
    expect(first.get_by_label("Comment (plain text)")).to_have_value(COMMENT)
    assert serious_violations(coteacher) == []

    # 5. the educator releases feedback (a confirm() dialog asks first)
    educator.reload()
    expect(group_row).to_contain_text(f"{coteacher_name} — submitted")
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    educator.on("dialog", accept)
    educator.get_by_role("button", name="Release feedback to the groups now").click()
    expect(educator.get_by_role("status")).to_contain_text(
        "Feedback released: groups can read their reviews now.")
    assert dialogs == ["Release the submitted reviews to the groups now?"]
    expect(educator.get_by_role("main")).to_contain_text("feedback released")
    expect(educator.get_by_role("button", name="Release feedback to the groups now")
           ).to_have_count(0)

    # 6. the student opens the case, reads the feedback and says what the group will change
    sign_in_page(student, base, world["student"])
    student.get_by_role("main").get_by_role("link", name="An example module", exact=True).click()
    student.get_by_role("link", name="Open your group’s case").click()
    assert re.search(rf"/cases/{world['case_id']}(#.*)?$", student.url), student.url
    student.get_by_role("link", name="Feedback on this case").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Feedback on your case")
    feedback = student.get_by_role("table", name="Feedback by theme")
    expect(feedback).to_contain_text(COMMENT)
    expect(feedback.get_by_role("columnheader", name=re.compile("Patient co-teacher"))
           ).to_contain_text(coteacher_name)
    answer = student.get_by_role("main").locator("section").filter(has=student.get_by_role(
        "heading", level=2, name="What would you most like this group to hear?"))
    expect(answer).to_contain_text(ANSWER)
    assert serious_violations(student) == []
    student.get_by_label("Your group’s response (your reviewers read it)").fill(RESPONSE)
    student.get_by_role("button", name="Save our response").click()
    expect(student.get_by_role("status")).to_contain_text(
        "Your response is saved; your reviewers can read it.")
    response = student.get_by_role("region", name="What we will change")
    expect(response.locator(".plain")).to_have_text(RESPONSE)
    expect(student.get_by_label("Your group’s response (your reviewers read it)")
           ).to_have_value(RESPONSE)
    assert serious_violations(student) == []

    # 7. the co-teacher opens the review again and reads the group's response
    coteacher.get_by_role("banner").get_by_role("link", name="Reviews", exact=True).click()
    entry = coteacher.get_by_role("table", name="Submissions allocated to you").get_by_role(
        "row").filter(has_text=world["group"])
    expect(entry).to_contain_text("Submitted")
    entry.get_by_role("link").click()
    group_response = coteacher.get_by_role("region",
                                           name="The group’s response to the feedback")
    expect(group_response).to_contain_text(RESPONSE)
    assert serious_violations(coteacher) == []
