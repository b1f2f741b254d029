"""Agreements with patient partners: drawn from the session plans, offered by an educator,
accepted (with or without payment) by the partner, and payments recorded against confirmed
time; kept for bookkeeping, without the person, after erasure."""

import re

from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import Account, Contribution, PartnerAgreement, PaymentRecord


def _partner_id(app):
    with app.app_context():
        return db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))


def _offer(app, assigned, **terms):
    educator = signed_in(app, "educator@example.org")
    path = f"/cohorts/{assigned.ids['C']}/agreements"
    form = educator.get(f"{path}?account_id={_partner_id(app)}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(form), "account_id": _partner_id(app),
            "tasks": "Week 2: plan together (60 minutes).", "fee": "800 kr per session",
            "travel": "Train fare paid back", "lost_income": "", "companion": ""}
    data.update(terms)
    return educator, path, form, educator.post(path, data=data)


def test_the_offer_is_drawn_from_the_session_plan_and_accepted_by_the_partner(app, assigned):
    educator, path, form, offered = _offer(app, assigned)
    assert "Plan together (about 60 minutes with preparation and travel)" in form, \
        "the first draft lists what the plans ask of a partner"
    assert offered.status_code == 303
    listing = educator.get(path).get_data(as_text=True)
    assert "not yet accepted" in listing
    with app.app_context():
        agreement = db.session.scalar(select(PartnerAgreement))
    partner = signed_in(app, "partner@example.org")
    mine = partner.get("/contributions").get_data(as_text=True)
    assert "waiting for you to read and accept it" in mine
    assert "Read and accept your agreement for" in partner.get("/").get_data(as_text=True)
    page = partner.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "800 kr per session" in page and "may affect benefits" in page
    accepted = partner.post(f"/agreements/{agreement.id}", data={
        "csrf_token": csrf_from(page), "version": str(agreement.version)})
    assert accepted.status_code == 303
    assert "To be paid" in educator.get(path).get_data(as_text=True)
    # the educator reads it but cannot accept for them; a student cannot see it at all
    staff_page = educator.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Accept this agreement" not in staff_page and "800 kr per session" in staff_page
    assert educator.post(f"/agreements/{agreement.id}", data={
        "csrf_token": csrf_from(staff_page), "version": "1"}).status_code == 403
    assert signed_in(app, "student@example.org").get(
        f"/agreements/{agreement.id}").status_code == 404


def test_a_changed_agreement_must_be_accepted_again_and_a_stale_answer_is_refused(
        app, assigned):
    educator, path, form, _ = _offer(app, assigned)
    with app.app_context():
        agreement = db.session.scalar(select(PartnerAgreement))
    partner = signed_in(app, "partner@example.org")
    page = partner.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    again = educator.get(f"{path}?account_id={_partner_id(app)}").get_data(as_text=True)
    educator.post(path, data={"csrf_token": csrf_from(again), "account_id": _partner_id(app),
                              "tasks": "Week 2: plan together.", "fee": "900 kr per session"})
    stale = partner.post(f"/agreements/{agreement.id}", data={
        "csrf_token": csrf_from(page), "version": "1"})
    assert stale.status_code == 409 and "changed this agreement" in stale.get_data(as_text=True)
    with app.app_context():
        fresh = db.session.get(PartnerAgreement, agreement.id)
        assert fresh.state == "offered" and fresh.fee == "900 kr per session"
    shown = partner.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "900 kr per session" in shown
    empty = educator.post(path, data={"csrf_token": csrf_from(again),
                                      "account_id": _partner_id(app), "tasks": "  "})
    assert empty.status_code == 400 and "Say what the patient partner is asked to do" in \
        empty.get_data(as_text=True)


def _record_and_confirm(app, assigned):
    partner = signed_in(app, "partner@example.org")
    page = partner.get("/contributions").get_data(as_text=True)
    partner.post("/contributions", data={
        "csrf_token": csrf_from(page), "cohort_id": str(assigned.ids["C"]),
        "activity": "meeting", "on_date": "2026-11-02", "minutes": "90", "note": ""})
    educator = signed_in(app, "educator@example.org")
    path = f"/cohorts/{assigned.ids['C']}/contributions"
    listing = educator.get(path).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(select(Contribution.id))
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "confirm"})
    return partner, educator, path, entry


def _accept(app, declines=False):
    partner = signed_in(app, "partner@example.org")
    with app.app_context():
        agreement = db.session.scalar(select(PartnerAgreement))
    page = partner.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "version": str(agreement.version)}
    if declines:
        data["declines_payment"] = "1"
    partner.post(f"/agreements/{agreement.id}", data=data)


def test_confirmed_time_is_paid_under_an_accepted_agreement_and_the_partner_sees_it(
        app, assigned):
    _offer(app, assigned)
    partner, educator, path, entry = _record_and_confirm(app, assigned)
    listing = educator.get(path).get_data(as_text=True)
    assert "no accepted agreement with payment" in listing
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "paid"})
    with app.app_context():
        assert db.session.scalar(select(PaymentRecord)) is None, "not accepted yet: not paid"
    _accept(app)
    listing = educator.get(path).get_data(as_text=True)
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "paid"})
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "paid"})
    with app.app_context():
        assert len(db.session.scalars(select(PaymentRecord)).all()) == 1, "paid once"
    mine = partner.get("/contributions").get_data(as_text=True)
    row = re.search(r"<tr><td>[^<]*2026</td>.*?</tr>", mine, re.S).group(0)
    assert "not yet" not in row.split("</td>")[5], "the partner sees the date it was paid"


def test_a_partner_who_declines_payment_is_not_paid(app, assigned):
    _offer(app, assigned)
    _accept(app, declines=True)
    _, educator, path, entry = _record_and_confirm(app, assigned)
    listing = educator.get(path).get_data(as_text=True)
    assert "Declined payment" in educator.get(
        f"/cohorts/{assigned.ids['C']}/agreements").get_data(as_text=True)
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "paid"})
    with app.app_context():
        assert db.session.scalar(select(PaymentRecord)) is None


def test_payment_records_outlive_erasure_without_the_person(app, assigned):
    _offer(app, assigned)
    _accept(app)
    _, educator, path, entry = _record_and_confirm(app, assigned)
    listing = educator.get(path).get_data(as_text=True)
    educator.post(path, data={"csrf_token": csrf_from(listing), "entry_id": str(entry),
                              "action": "paid"})
    admin = signed_in(app, "admin@example.org")
    erase = f"/admin/people/{_partner_id(app)}/erase"
    page = admin.get(erase).get_data(as_text=True)
    answer = admin.post(erase, data={"csrf_token": csrf_from(page),
                                     "confirm_email": "partner@example.org"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:500]
    with app.app_context():
        payment = db.session.scalar(select(PaymentRecord))
        agreement = db.session.scalar(select(PartnerAgreement))
        assert payment is not None and payment.minutes == 90 and payment.account_id is None
        assert agreement is not None and agreement.account_id is None
        assert agreement.fee == "800 kr per session"


def test_hostile_input_to_an_agreement_gets_a_clear_refusal_and_saves_nothing(app, assigned):
    educator = signed_in(app, "educator@example.org")
    path = f"/cohorts/{assigned.ids['C']}/agreements"
    form = educator.get(f"{path}?account_id={_partner_id(app)}").get_data(as_text=True)
    base = {"csrf_token": csrf_from(form), "account_id": _partner_id(app), "tasks": "Meet."}
    nul = educator.post(path, data=dict(base, tasks="Meet\x00 twice."))
    assert nul.status_code == 400 and "NUL" in nul.get_data(as_text=True)
    huge = educator.post(path, data=dict(base, account_id="99999999999999999999"))
    assert huge.status_code == 400 and "Choose a patient partner" in huge.get_data(as_text=True)
    long = educator.post(path, data=dict(base, fee="x" * 5000))
    assert long.status_code == 400 and "at most 2000 characters" in long.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PartnerAgreement)) is None
    answer = signed_in(app, "partner@example.org").post(
        "/agreements/99999999999", data={"csrf_token": csrf_from(form), "version": "1"})
    assert answer.status_code == 404
