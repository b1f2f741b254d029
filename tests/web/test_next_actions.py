"""Home pages answer "what do I do next?" with dates and direct links, for every role."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import (
    give_consent,
    make_assignment,
    make_module_version,
    save_part,
    signed_in,
    start_case,
    statements_for_page,
)
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    Cohort,
    FeedbackComment,
    Group,
    GroupMember,
    Membership,
    Review,
    RubricVersionRow,
    Submission,
)


def _next(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    if 'id="next-h"' not in html:
        return []
    block = html[html.index('id="next-h"'):]
    block = block[:block.index("</ol>")]
    return [re.sub(r"\s+", " ", item) for item in re.findall(r'<a href="[^"]+">([^<]+)</a>',
                                                            block)]


def test_a_learner_is_led_from_starting_to_writing_and_sees_the_group_at_work(app, assigned):  # noqa: F811
    student = signed_in(app, "student@example.org")
    assert any(item.startswith("Start the case") for item in _next(student))
    client, case_id = start_case(app, assigned)
    assert any(item.startswith("Write part 1, Situation") for item in _next(student))
    partner = signed_in(app, "partner@example.org")
    give_consent(app, case_id)
    save_part(partner, case_id, "situation", "From where I sit in clinic.", 0)
    home = student.get("/").get_data(as_text=True)
    assert "Lately in your group" in home and "Partner saved “Situation”" in home
    assert _next(signed_in(app, "outsider@example.org")) == []


def test_reviewers_educators_and_leads_see_their_work(app, assigned):  # noqa: F811
    with app.app_context():
        coteacher = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
        assignment = db.session.get(Assignment, assigned.ids["A"])
        assignment.opens_at = now() - timedelta(days=10)
        assignment.due_at = now() - timedelta(hours=3)
        assignment.review_due_at = now() - timedelta(hours=1)
        from webapp.models import CaseWork
        case = CaseWork(group_id=assigned.ids["G1"], assignment_id=assignment.id,
                        submitted_at=now())
        db.session.add(case)
        db.session.flush()
        sub = Submission(case_work_id=case.id, assignment_id=assignment.id,
                         group_id=assigned.ids["G1"], round=1, sections={})
        db.session.add(sub)
        db.session.flush()
        db.session.add(Review(submission_id=sub.id, reviewer_id=coteacher, lens="patient",
                              rubric_version_id=db.session.scalar(select(RubricVersionRow.id)),
                              ratings={}, comments={}))
        db.session.add(FeedbackComment(module_version_id=assignment.module_version_id,
                                       cohort_id=assigned.ids["C"], respondent="student",
                                       term="2026-autumn", item="keep", text="More cases."))
        db.session.commit()
    assert "You have 1 case to review" in _next(signed_in(app, "coteacher@example.org"))
    educator = _next(signed_in(app, "educator@example.org"))
    assert "Screen 1 feedback comment from Cohort Own" in educator
    assert any(item.startswith("Read the report for") for item in educator)
    lead = _next(signed_in(app, "lead@example.org"))
    assert any(item.startswith("Read the report for") for item in lead)
    assert not any(item.startswith("Screen") for item in lead), "leads do not screen"
    student = _next(signed_in(app, "student@example.org"))
    assert any("say what you will change" in item for item in student)
    assert any(item.startswith("Tell us how") for item in student)


def test_the_home_page_costs_the_same_with_many_cohorts(app, world):
    student = signed_in(app, "student@example.org")
    with app.app_context():
        row = make_module_version(slug="home-count")
        make_assignment(world.ids["C"], row)
        row_id = row.id
        db.session.commit()
    small = statements_for_page(app, student, "/")
    with app.app_context():
        account = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        from webapp.models import ModuleVersionRow
        row = db.session.get(ModuleVersionRow, row_id)
        for n in range(8):
            cohort = Cohort(programme_id=world.ids["P"], name=f"Extra cohort {n}")
            group = Group(cohort=cohort, name=f"Extra group {n}")
            db.session.add_all([cohort, group])
            db.session.flush()
            db.session.add(Membership(account_id=account.id, cohort_id=cohort.id,
                                      role="student"))
            db.session.add(GroupMember(group_id=group.id, account_id=account.id))
            make_assignment(cohort.id, row)
        db.session.commit()
    assert statements_for_page(app, student, "/") == small
