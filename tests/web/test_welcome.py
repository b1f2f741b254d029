"""A welcome, not an empty page: newcomers see their guide first, what happens next, and
their named contact; the contact and Help are in the same place on every page; a lead's
home links straight to each module report."""

import pytest
from sqlalchemy import select

from tests.conftest import make_assignment, make_module_version, signed_in
from tests.web.test_learn import published  # noqa: F401  (fixture)
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Programme, Review, SectionDraft, SectionRevision


@pytest.fixture
def contact(app, published):  # noqa: F811
    with app.app_context():
        programme = db.session.get(Programme, published.ids["P"])
        programme.contact_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
        programme.contact_details = "Phone 555 0100, weekdays 9 to 12"
        db.session.commit()
    return published


def test_a_new_patient_partner_sees_guide_next_step_and_contact(app, contact):
    page = signed_in(app, "partner@example.org").get("/").get_data(as_text=True)
    welcome = page.split('id="welcome-h"')[1].split("</section>")[0]
    links = welcome.split("<a ")
    assert "/guides/example-guide/1.0.0/welcome" in links[1]  # the guide is the first link
    assert "What happens next" in welcome
    assert "Your named contact is Educator." in welcome and "Phone 555 0100" in welcome
    assert "Practise on an example first" not in welcome


def test_a_new_coteacher_is_offered_practice_and_told_when_cases_come(app, contact):
    with app.app_context():
        make_assignment(contact.ids["C"], make_module_version(version="2.0.0"))
        db.session.commit()
    page = signed_in(app, "coteacher@example.org").get("/").get_data(as_text=True)
    welcome = page.split('id="welcome-h"')[1].split("</section>")[0]
    assert "Practise on an example first" in welcome and "/reviews/practice/patient" in welcome
    assert "Groups hand in their cases for An example module by" in welcome
    assert "UTC" not in welcome


def test_the_welcome_goes_once_the_person_has_begun(app, work):
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get("/").get_data(as_text=True)
    assert "Welcome, Coteacher" in page and "You have 1 case to review" in page
    with app.app_context():
        db.session.get(Review, work.ids["R1"]).submitted_at = now()
        draft = db.session.scalar(select(SectionDraft).where(
            SectionDraft.case_work_id == work.ids["K1"], SectionDraft.section == "situation"))
        partner = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
        db.session.add(SectionRevision(draft_id=draft.id, version=99, text="x",
                                       account_id=partner, role="patient_partner"))
        db.session.commit()
    assert "Welcome, Coteacher" not in coteacher.get("/").get_data(as_text=True)
    partner_page = signed_in(app, "partner@example.org").get("/").get_data(as_text=True)
    assert "Welcome, Partner" not in partner_page


def test_without_a_named_contact_the_welcome_says_whom_to_ask(app, published):  # noqa: F811
    page = signed_in(app, "partner@example.org").get("/").get_data(as_text=True)
    assert "Your programme has not named a contact yet" in page


@pytest.mark.parametrize("path", ["/", "/modules", "/guides", "/account", "/help"])
def test_help_and_the_named_contact_sit_in_the_same_place_on_every_page(app, contact, path):
    page = signed_in(app, "partner@example.org").get(path).get_data(as_text=True)
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    footer = page.split('<footer class="site-footer">')[1].split("</footer>")[0]
    assert '<a href="/help">Help</a>' in header
    assert "Your named contact for Programme One: Educator — Phone 555 0100" in footer


def test_help_works_signed_out_and_names_the_contact_signed_in(app, contact):
    anonymous = app.test_client().get("/help")
    assert anonymous.status_code == 200 and "Sign in" in anonymous.get_data(as_text=True)
    page = signed_in(app, "partner@example.org").get("/help").get_data(as_text=True)
    assert "For Programme One, your named contact is Educator." in page
    assert "/guides/example-guide/1.0.0/welcome" in page


def test_a_lead_reaches_each_module_report_from_home(app, contact):
    with app.app_context():
        old = make_module_version(version="1.2.0")
        make_assignment(contact.ids["C"], old, days_open=-30, days_due=-20)  # reported
        newer = make_module_version(version="1.3.0")
        make_assignment(contact.ids["C3"], newer)  # not yet
        db.session.commit()
        newer_id = newer.id
    page = signed_in(app, "lead@example.org").get("/").get_data(as_text=True)
    section = page.split("Programme One: modules and reports")[1].split("</section>")[0]
    assert f"/programmes/{contact.ids['P']}/reports/modules/{newer_id}" in section
    assert "newest version in use 1.3.0" in section
    assert "1 of 2 cohorts have reported" in section
    report = signed_in(app, "lead@example.org").get(
        f"/programmes/{contact.ids['P']}/reports/modules/{newer_id}")
    assert report.status_code == 200


def test_support_routes_set_by_the_programme_show_with_the_content_note(app, work):
    from tests.conftest import csrf_from

    educator = signed_in(app, "educator@example.org")
    settings = f"/programmes/{work.ids['P']}/settings"
    token = csrf_from(educator.get(settings).get_data(as_text=True))
    saved = educator.post(settings, data={
        "csrf_token": token, "time_zone": "Europe/Stockholm", "contact_id": "0",
        "support_info": "1177 for health advice, 112 in an emergency"})
    assert saved.status_code == 303
    case = signed_in(app, "student@example.org").get(f"/cases/{work.ids['K1']}")
    text = case.get_data(as_text=True)
    assert "This case mentions a hospital stay." in text
    assert "Where to get support:</strong> 1177 for health advice, 112 in an emergency" in text
    too_long = educator.post(settings, data={
        "csrf_token": token, "time_zone": "Europe/Stockholm", "contact_id": "0",
        "support_info": "x" * 501})
    assert too_long.status_code == 400 and "at most 500" in too_long.get_data(as_text=True)
