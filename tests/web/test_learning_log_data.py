"""The learning log in a person's own copy, in erasure and in retention."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

from sqlalchemy import func, select

from tests.conftest import csrf_from, signed_in
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Cohort, LogEntry, LogRevisit, Programme


def _entry(account_email, text, **fields):
    account = db.session.scalar(select(Account).where(Account.email_key == account_email))
    entry = LogEntry(account_id=account.id, place=fields.pop("place", "own"),
                     stage=fields.pop("stage", "what"), text=text, tags=[],
                     written_on=date(2026, 10, 1), **fields)
    db.session.add(entry)
    db.session.flush()
    return entry


def test_the_own_copy_holds_every_entry_and_answer_and_nobody_elses(app, world):
    with app.app_context():
        mine = _entry("student@example.org", "I asked before I assumed.", stage="now_what",
                      shared_with="cohort", share_cohort_id=world.ids["C"], shared_at=now())
        db.session.add(LogRevisit(entry_id=mine.id, answer="did_it", note="It worked.",
                                  on_day=date(2026, 10, 8)))
        _entry("student2@example.org", "Someone else's thought.")
        db.session.commit()
    zipped = signed_in(app, "student@example.org").get("/my-data/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(zipped.data))
    data = json.loads(archive.read("my-data.json"))
    [entry] = data["learning_log"]
    assert (entry["text"], entry["question"], entry["shared_with"]) == (
        "I asked before I assumed.", "now_what", "cohort")
    assert data["learning_log_answers"] == [
        {"entry": entry["entry"], "answer": "did_it", "note": "It worked.",
         "date": "2026-10-08"}]
    html = archive.read("my-data.html").decode()
    assert "Your learning log" in html and "It worked." in html
    assert "Someone else" not in html + json.dumps(data)


def test_erasure_removes_every_entry_shared_or_not_with_its_answers(app, world):
    with app.app_context():
        shared = _entry("partner@example.org", "Shared words.", shared_with="group",
                        share_group_id=world.ids["G1"], shared_at=now())
        _entry("partner@example.org", "Private words.")
        db.session.add(LogRevisit(entry_id=shared.id, answer="still_true", on_day=date.today()))
        kept = _entry("student@example.org", "The student's own.")
        db.session.commit()
        partner_id, kept_id = shared.account_id, kept.id
    admin = signed_in(app, "admin@example.org")
    path = f"/admin/people/{partner_id}/erase"
    page = admin.get(path).get_data(as_text=True)
    assert admin.post(path, data={"csrf_token": csrf_from(page),
                                  "confirm_email": "partner@example.org"}).status_code == 303
    with app.app_context():
        assert list(db.session.scalars(select(LogEntry.id))) == [kept_id]
        assert db.session.scalar(select(func.count(LogRevisit.id))) == 0
    group_page = signed_in(app, "student@example.org").get(
        f"/cohorts/{world.ids['C']}/learning").get_data(as_text=True)
    assert "Shared words." not in group_page


def test_retention_removes_entries_tied_to_the_closed_cohort_and_keeps_the_rest(app, world):
    from tests.conftest import make_assignment, make_module_version

    with app.app_context():
        row = make_module_version()
        assignment = make_assignment(world.ids["C"], row)
        about = _entry("student@example.org", "About the cohort's module.",
                       assignment_id=assignment.id, module_version_id=row.id)
        db.session.add(LogRevisit(entry_id=about.id, answer="still_true", note="Still.",
                                  on_day=date(2026, 10, 3)))
        _entry("student@example.org", "Shared with the cohort.", shared_with="cohort",
               share_cohort_id=world.ids["C"], shared_at=now())
        own = _entry("student@example.org", "A placement, no cohort.", place="placement")
        elsewhere = _entry("far@example.org", "Shared in another cohort.", shared_with="cohort",
                           share_cohort_id=world.ids["C2"], shared_at=now())
        cohort = db.session.get(Cohort, world.ids["C"])
        cohort.archived, cohort.archived_at = True, now() - timedelta(days=40)
        db.session.get(Programme, world.ids["P"]).keep_log_days = 30
        db.session.commit()
        keep = {own.id, elsewhere.id}
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    with app.app_context():
        assert db.session.scalar(select(func.count(LogEntry.id))) == 4
    assert runner.invoke(args=["retention"]).exit_code == 0
    with app.app_context():
        assert set(db.session.scalars(select(LogEntry.id))) == keep
        assert db.session.scalar(select(func.count(LogRevisit.id))) == 0


def test_the_learning_journey_pdf_holds_only_the_ticked_entries(app, world):
    from pypdf import PdfReader

    with app.app_context():
        first = _entry("student@example.org", "Ticked: sitting beside her.")
        _entry("student@example.org", "Not ticked: a private worry.")
        db.session.add(LogRevisit(entry_id=first.id, answer="did_it", note="It helped.",
                                  on_day=date(2026, 10, 9)))
        other = _entry("student2@example.org", "Someone else's entry.")
        db.session.commit()
        ids = (first.id, other.id)
    student = signed_in(app, "student@example.org")
    page = student.get("/log/journey").get_data(as_text=True)
    assert "Ticked: sitting beside her." in page and "Someone else" not in page
    none = student.post("/log/journey", data={"csrf_token": csrf_from(page)})
    assert none.status_code == 400 and "Tick at least one entry" in none.get_data(as_text=True)
    answer = student.post("/log/journey", data={"csrf_token": csrf_from(page),
                                                 "entry": [str(i) for i in ids]})
    assert answer.status_code == 200 and answer.content_type == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.data)).pages)
    text = " ".join(text.split())
    assert "sitting beside her" in text and "It helped." in text
    assert "private worry" not in text and "Someone else" not in text
