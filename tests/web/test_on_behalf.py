"""The named contact records for a person who prefers the phone or paper: consent choices,
hours and dictated words, each saved as the person's and marked as recorded for them."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import (
    Account,
    AuditEvent,
    ConsentRecord,
    Contribution,
    Programme,
    SectionDraft,
    SectionRevision,
)


def _id(app, email):
    with app.app_context():
        return db.session.scalar(select(Account.id).where(Account.email_key == email))


@pytest.fixture
def contact(app, work):
    with app.app_context():
        programme = db.session.get(Programme, work.ids["P"])
        programme.contact_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
        db.session.commit()
    work.ids["PP"] = _id(app, "partner@example.org")
    return work


def _post(client, path, data, page):
    token = csrf_from(client.get(page).get_data(as_text=True))
    answer = client.post(path, data=dict(data, csrf_token=token))
    assert answer.status_code == 303, answer.status_code
    return client.get(answer.headers["Location"], follow_redirects=True).get_data(as_text=True)


def test_the_contact_records_choices_hours_and_told_words(app, contact):
    ids = contact.ids
    educator = signed_in(app, "educator@example.org")
    page = f"/cohorts/{ids['C']}/on-behalf?person={ids['PP']}"
    assert "Record for Partner" in educator.get(page).get_data(as_text=True)
    answer = _post(educator, f"/cases/{ids['K1']}/on-behalf/{ids['PP']}/consent",
                   {f"c{ids['K1']}-share_group": "yes", f"c{ids['K1']}-share_reviewers": "yes",
                    f"c{ids['K1']}-exemplar": "no", f"c{ids['K1']}-quote": "no"}, page)
    assert "Saved the choices of Partner" in answer
    answer = _post(educator, f"/cohorts/{ids['C']}/on-behalf/{ids['PP']}/hours",
                   {"activity": "meeting", "on_date": "2026-11-30", "minutes": "45"}, page)
    assert "Recorded the time of Partner" in answer
    with app.app_context():
        consent = db.session.scalars(select(ConsentRecord).where(
            ConsentRecord.account_id == ids["PP"]).order_by(ConsentRecord.id.desc())).first()
        assert consent.recorded_by_id == _id(app, "educator@example.org")
        assert db.session.scalar(select(Contribution.recorded_by_id).where(
            Contribution.account_id == ids["PP"])) == _id(app, "educator@example.org")
    partner = signed_in(app, "partner@example.org")
    assert "45" in partner.get("/contributions").get_data(as_text=True)
    own = partner.get(f"/cases/{ids['K1']}/consent").get_data(as_text=True)
    assert "These choices were recorded by Educator on your behalf" in own


def test_told_words_are_the_persons_and_history_says_who_recorded_them(app, contact):
    ids = contact.ids
    educator = signed_in(app, "educator@example.org")
    page = f"/cohorts/{ids['C']}/on-behalf?person={ids['PP']}"
    answer = _post(educator, f"/cases/{ids['K1']}/on-behalf/{ids['PP']}/part",
                   {"part": "situation", "words": "I waited three weeks for a call."}, page)
    assert "Added to" in answer
    with app.app_context():
        revision = db.session.scalars(select(SectionRevision).join(
            SectionDraft, SectionDraft.id == SectionRevision.draft_id).where(
            SectionDraft.case_work_id == ids["K1"], SectionDraft.section == "situation")
            .order_by(SectionRevision.version.desc())).first()
        assert revision.account_id == ids["PP"] and revision.role == "patient_partner"
        assert revision.text.endswith("I waited three weeks for a call.")
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "recorded_on_behalf")).all()
        assert [e.detail["what"] for e in events] == ["case part"]
        assert events[0].subject_id == ids["PP"]
    history = signed_in(app, "student@example.org").get(
        f"/cases/{ids['K1']}/sections/situation/history").get_data(as_text=True)
    assert "recorded by Educator on behalf of Partner" in history


def test_only_the_named_contact_records_and_only_for_people_of_the_group(app, contact):
    ids = contact.ids
    with app.app_context():
        db.session.get(Programme, ids["P"]).contact_id = _id(app, "lead@example.org")
        db.session.commit()
    educator = signed_in(app, "educator@example.org")
    refused = educator.get(f"/cohorts/{ids['C']}/on-behalf")
    assert refused.status_code == 303
    assert "Only the named contact of the programme, Lead," in educator.get(
        refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        db.session.get(Programme, ids["P"]).contact_id = _id(app, "educator@example.org")
        db.session.commit()
    page = f"/cohorts/{ids['C']}/on-behalf"
    outsider = _id(app, "outsider@example.org")
    answer = _post(educator, f"/cases/{ids['K1']}/on-behalf/{outsider}/part",
                   {"part": "situation", "words": "x"}, page)
    assert "Choose a student, patient partner or co-teacher of this cohort." in answer
    empty = _post(educator, f"/cases/{ids['K1']}/on-behalf/{ids['PP']}/part",
                  {"part": "situation", "words": "   "}, page)
    assert "Write the words they told you." in empty
    bad_part = _post(educator, f"/cases/{ids['K1']}/on-behalf/{ids['PP']}/part",
                     {"part": "nope", "words": "x"}, page)
    assert "Choose one of the nine parts." in bad_part
