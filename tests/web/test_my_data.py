"""Each person's copy of their own data, and the privacy page."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import or_, select

from tests.conftest import make_module_version, sign_in, signed_in
from webapp.casework import operations as work
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    ConsentRecord,
    Group,
    SectionRevision,
)

PROMISES = {"ourselves": "We say what we think.", "each_other": "We listen first.",
            "person": "We write about Ana as we would speak to her."}


def _account(email):
    return db.session.scalar(select(Account).where(Account.email_key == email))


def _two_cases(app, world):
    """The patient partner co-writes two cases with the student (one told, one typed), then
    takes back their words from the second; another student writes in a third group."""
    with app.app_context():
        student, partner = _account("student@example.org"), _account("partner@example.org")
        other = _account("student2@example.org")
        group, other_group = db.session.get(Group, world.ids["G1"]), \
            db.session.get(Group, world.ids["G2"])
        first = db.session.get(Assignment, world.ids["A"])
        row = make_module_version(slug="second-module", title="A second module")
        second = Assignment(cohort_id=world.ids["C"], module_slug=row.slug,
                            module_version_id=row.id, opens_at=first.opens_at,
                            due_at=first.due_at, review_due_at=first.review_due_at)
        db.session.add(second)
        db.session.commit()
        cases = []
        for assignment in (first, second):
            case = work.start_case(db.session, student, group, assignment, PROMISES)
            work.give_consent(db.session, partner, case, share_group=True,
                              share_reviewers=True, exemplar=True, quote=False)
            work.save_section(db.session, student, case, "situation",
                              "The student's own words.", 0)
            work.save_section(db.session, partner, case, "emotions",
                              f"My nights were long ({assignment.module_slug}).", 0)
            work.save_section(db.session, student, case, "navigation",
                              "To sleep through, she told us.", 0,
                              told_by_id=partner.id)
            db.session.commit()
            cases.append(case)
        stranger = work.start_case(db.session, other, other_group, first, PROMISES)
        work.save_section(db.session, other, stranger, "situation", "Another group's text.", 0)
        db.session.commit()
        work.withdraw_words(db.session, partner, cases[1])
        db.session.commit()
        return partner.id


def _export(client, path="/my-data/export.zip"):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["my-data.html", "my-data.json"]
    return json.loads(archive.read("my-data.json")), archive.read("my-data.html").decode()


def test_a_patient_partners_copy_holds_exactly_their_words(app, assigned):  # noqa: F811
    partner_id = _two_cases(app, assigned)
    data, html = _export(signed_in(app, "partner@example.org"))
    with app.app_context():
        theirs = db.session.scalars(select(SectionRevision).where(or_(
            SectionRevision.account_id == partner_id,
            SectionRevision.told_by_id == partner_id))).all()
        expected = sorted((r.version, r.text) for r in theirs)
        consents = db.session.scalars(select(ConsentRecord).where(
            ConsentRecord.account_id == partner_id)).all()
        everyone_else = db.session.scalars(select(SectionRevision.text).where(
            SectionRevision.account_id != partner_id,
            or_(SectionRevision.told_by_id.is_(None),
                SectionRevision.told_by_id != partner_id))).all()
    words = data["your_words_in_cases"]
    assert sorted((w["version"], w["text"]) for w in words) == expected
    assert {w["how"] for w in words} == {"you wrote it", "you told it; a group member typed it"}
    assert len({w["case"] for w in words}) == 2, "both cases they co-wrote"
    for text in everyone_else:
        if text:
            assert text not in json.dumps(data, ensure_ascii=False), text
            assert text not in html, text
    # Three consent records: one per case, and the withdrawal from the second.
    assert len(data["consent_history"]) == len(consents) == 3
    assert data["consent_history"][-1]["share_with_reviewers"] is False
    assert data["reviews_you_wrote"] == []
    assert data["account"]["email"] == "partner@example.org"
    assert "cannot be found, copied or removed" in data["module_feedback"] \
        or "have not answered" in data["module_feedback"]
    assert "My nights were long" in html


def test_a_copy_is_only_ever_ones_own(app, assigned):  # noqa: F811
    _two_cases(app, assigned)
    data, _html = _export(signed_in(app, "student2@example.org"))
    assert [w["text"] for w in data["your_words_in_cases"]] == ["Another group's text."]
    assert data["consent_history"] == []
    anonymous = app.test_client().get("/my-data/export.zip")
    assert anonymous.status_code == 302, "signed-in people only"
    with app.app_context():
        other_id = _account("student2@example.org").id
    assert signed_in(app, "educator@example.org").get(
        f"/admin/people/{other_id}/export.zip").status_code == 403
    admin_copy, _html = _export(signed_in(app, "admin@example.org"),
                                f"/admin/people/{other_id}/export.zip")
    assert admin_copy == data | {"sign_ins": admin_copy["sign_ins"]}, "the same copy"
    with app.app_context():
        from webapp.models import AuditEvent

        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "data_export").order_by(AuditEvent.id.desc())).first()
        assert event.subject_id == other_id and event.actor_id != other_id


def test_privacy_page_states_the_rules_in_force(app, world):
    client = app.test_client()
    page = client.get("/privacy").get_data(as_text=True)
    assert "at least 5 people" in page and "four separate choices" in page
    app.config["REPORT_MIN_CELL"] = 8
    try:
        assert "at least 8 people" in client.get("/privacy").get_data(as_text=True)
    finally:
        app.config["REPORT_MIN_CELL"] = 5
    assert sign_in(client, "student@example.org").status_code == 302
    assert "Download my data" in client.get("/my-data").get_data(as_text=True)


def test_privacy_page_tells_members_their_programmes_keeping_times(app, world):
    with app.app_context():
        from webapp.models import Programme

        programme = db.session.get(Programme, world.ids["P"])
        programme.keep_case_text_days = 365
        db.session.commit()
    client = app.test_client()
    assert "keeps, after a cohort closes" not in client.get("/privacy").get_data(as_text=True)
    assert sign_in(client, "student@example.org").status_code == 302
    page = client.get("/privacy").get_data(as_text=True)
    assert "Programme One keeps, after a cohort closes" in page
    assert "case text: 365 days" in page and "reviews: until it is removed by hand" in page
    assert "Programme Two" not in page
