"""The audit trail: what is recorded, who may read it, and that it holds no case text."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from tests.conftest import csrf_from, give_consent, save_part, sign_in, signed_in, start_case
from webapp.extensions import db
from webapp.models import Account, AuditEvent

SECRET_WORDS = "I was frightened every night on the ward."


def _kinds(app):
    with app.app_context():
        return [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_trail_records_what_admins_need_and_no_case_text(app, assigned):  # noqa: F811
    bad = app.test_client()
    assert sign_in(bad, "student@example.org", "wrong password").status_code == 400
    student, case_id = start_case(app, assigned)
    give_consent(app, case_id)
    save_part(student, case_id, "emotions", SECRET_WORDS, 0)
    educator = signed_in(app, "educator@example.org")
    assert educator.get(f"/cases/{case_id}").status_code == 200
    student.get("/my-data/export.zip")
    kinds = _kinds(app)
    for kind in ("sign_in_failed", "sign_in", "consent_changed", "case_read", "data_export"):
        assert kind in kinds, kind
    with app.app_context():
        everything = json.dumps([e.detail for e in db.session.scalars(select(AuditEvent))])
        failed = db.session.scalar(select(AuditEvent).where(
            AuditEvent.kind == "sign_in_failed"))
        student_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "student@example.org"))
        assert failed.actor_id == student_id and failed.detail["email"] == "student@example.org"
    assert SECRET_WORDS not in everything and "frightened" not in everything


def test_roles_given_and_removed_are_recorded(app, world):
    educator = signed_in(app, "educator@example.org")
    path = f"/cohorts/{world.ids['C']}/members/new"
    page = educator.get(path).get_data(as_text=True)
    added = educator.post(path, data={"csrf_token": csrf_from(page), "email": "new@example.org",
                                      "name": "New Person", "role": "student", "group_id": "0"})
    assert added.status_code in (302, 303), added.get_data(as_text=True)[:500]
    with app.app_context():
        new_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "new@example.org"))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "role_added"))
        assert (event.subject_id, event.detail["role"]) == (new_id, "student")
    cohort_page = educator.get(f"/cohorts/{world.ids['C']}").get_data(as_text=True)
    removal = educator.post(f"/cohorts/{world.ids['C']}/members/remove",
                            data={"csrf_token": csrf_from(cohort_page), "account_id": new_id})
    assert removal.status_code == 303
    assert "role_removed" in _kinds(app)


def test_only_admins_read_the_trail_and_filters_are_checked(app, world):
    sign_in(app.test_client(), "student@example.org", "wrong password")
    for email in ("educator@example.org", "lead@example.org", "student@example.org"):
        client = signed_in(app, email)
        assert client.get("/admin/audit").status_code == 403, email
        assert client.get("/admin/audit.csv").status_code == 403, email
    admin = signed_in(app, "admin@example.org")
    page = admin.get("/admin/audit?kind=sign_in_failed").get_data(as_text=True)
    assert "failed to sign in" in page and "student@example.org" in page
    assert "Admin &lt;admin@example.org&gt;" not in page, "filtered to failures"
    bad = admin.get("/admin/audit?from=yesterday&kind=nonsense")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "YYYY-MM-DD" in text and "listed kinds" in text
    rows = list(csv.DictReader(io.StringIO(
        admin.get("/admin/audit.csv?person=admin@example.org").get_data(as_text=True))))
    assert rows and all("admin@example.org" in r["by"] + r["about"] for r in rows)
    assert {r["event"] for r in rows} >= {"signed in"}
    assert admin.get("/admin/audit?before=99999999999999999999").status_code == 200


def test_moving_someone_between_groups_is_recorded(app, world):
    educator = signed_in(app, "educator@example.org")
    page = educator.get(f"/cohorts/{world.ids['C']}/groups").get_data(as_text=True)
    with app.app_context():
        student_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "student@example.org"))
    moved = educator.post(f"/cohorts/{world.ids['C']}/groups/move",
                          data={"csrf_token": csrf_from(page), "account_id": student_id,
                                "group_id": world.ids["G2"]})
    assert moved.status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "member_moved"))
        assert (event.subject_id, event.detail["group"]) == (student_id, world.ids["G2"])
