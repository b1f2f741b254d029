"""Case work: promises first, consent, saving without lost words, conflicts, history."""

import re
from html import unescape as html_unescape

import pytest
from sqlalchemy import select

from tests.conftest import (
    csrf_from,
    draft_of,
    give_consent,
    save_part,
    signed_in,
    start_case,
)
from webapp.casework.operations import MAX_SECTION_CHARS
from webapp.extensions import db
from webapp.models import (
    Account,
    CaseWork,
    ConsentRecord,
    SectionRevision,
)


def test_a_group_starts_with_three_promises_shown_at_the_top(app, assigned):
    client = signed_in(app, "student@example.org")
    path = f"/assignments/{assigned.ids['A']}/case"
    page = client.get(path).get_data(as_text=True)
    assert "Before you write: your working agreement" in page
    assert "Ana is 34" in page, "the case brief comes first"
    missing = client.post(path, data={"csrf_token": csrf_from(page), "ourselves": "x",
                                      "each_other": "", "person": "y"})
    assert missing.status_code == 400 and "Write this promise." in missing.get_data(as_text=True)
    client, case_id = start_case(app, assigned)
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "To write about Ana with respect." in html
    assert html.index("Our working agreement") < html.index("1. Situation")
    keys = re.findall(r'id="part-(\w+)"', html)
    assert keys == ["situation", "patient_reality", "emotions", "navigation", "condition",
                    "illness_experience", "microsystem", "professional_reality", "reflection"]
    # The second member finds the same case, not a new one.
    other = signed_in(app, "partner@example.org")
    again = other.get(f"/assignments/{assigned.ids['A']}/case")
    assert again.status_code == 303 and f"/cases/{case_id}" in again.headers["Location"]


def test_a_patient_partner_gives_four_separate_choices_first(app, assigned):
    _client_, case_id = start_case(app, assigned)
    partner = signed_in(app, "partner@example.org")
    first = partner.get(f"/cases/{case_id}")
    assert first.status_code == 303 and "/consent" in first.headers["Location"]
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    for question in ("May the people in your group read", "May the reviewers read",
                     "used in an example case", "quote of your words"):
        assert question in page
    half = partner.post(f"/cases/{case_id}/consent", data={"csrf_token": csrf_from(page),
                                                           "share_group": "yes"})
    assert half.status_code == 400 and "Choose yes or no." in half.get_data(as_text=True)
    give_consent(app, case_id)
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert (record.share_group, record.share_reviewers, record.exemplar, record.quote) == \
            (True, True, False, False)
    assert partner.get(f"/cases/{case_id}").status_code == 200
    # Students never see a consent page.
    student = signed_in(app, "student@example.org")
    assert student.get(f"/cases/{case_id}/consent").status_code == 403


def test_saving_records_author_voices_and_told_by(app, assigned):
    student, case_id = start_case(app, assigned)
    with app.app_context():
        partner_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
    answer = save_part(student, case_id, "patient_reality", "Ana works nights.\nShe has two sons.",
                   0, told_by=str(partner_id))
    assert answer.status_code == 303
    draft = draft_of(app, case_id, "patient_reality")
    assert draft.text == "Ana works nights.\nShe has two sons." and draft.version == 1
    assert draft.student_voice and draft.patient_voice
    html = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Both voices present" in html
    history = student.get(f"/cases/{case_id}/sections/patient_reality/history") \
        .get_data(as_text=True)
    assert "told by Partner, written by Student" in history
    partner = give_consent(app, case_id)
    # the case page says so beside the part, to the teller as to the group
    for reader in (student, partner):
        part = reader.get(f"/cases/{case_id}").get_data(as_text=True).split(
            'id="part-patient_reality"')[1].split("</section>")[0]
        assert "Told by Partner, written by Student." in part
    assert save_part(partner, case_id, "emotions", "I felt scared.", 0).status_code == 303
    emotions = draft_of(app, case_id, "emotions")
    assert emotions.patient_voice and not emotions.student_voice


def test_a_stale_save_gets_409_with_both_texts_and_combine_keeps_both(app, assigned):
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    assert save_part(partner, case_id, "emotions", "Her words.", 0).status_code == 303
    stale = save_part(student, case_id, "emotions", "My words.", 0)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "My words." in html and "Her words." in html and "Keep mine" in html
    assert draft_of(app, case_id, "emotions").text == "Her words.", "never a silent overwrite"
    combined = save_part(student, case_id, "emotions", "My words.", 1, choice="combine",
                     theirs="Her words.")
    assert combined.status_code == 303
    assert draft_of(app, case_id, "emotions").text == "Her words.\n\nMy words."
    theirs = save_part(student, case_id, "emotions", "Other.", 2, choice="theirs")
    assert theirs.status_code == 303 and draft_of(app, case_id, "emotions").version == 2


def test_json_autosave_answers_with_the_new_version_or_409(app, assigned):
    student, case_id = start_case(app, assigned)
    token = csrf_from(student.get(f"/cases/{case_id}").get_data(as_text=True))
    path = f"/cases/{case_id}/sections/situation"
    ok = student.post(path, json={"text": "We are at a clinic.", "version": 0},
                      headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert ok.status_code == 200 and ok.get_json()["version"] == 1
    assert re.fullmatch(r"\d\d:\d\d", ok.get_json()["saved_at"])
    stale = student.post(path, json={"text": "Other", "version": 0},
                         headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert stale.status_code == 409
    assert stale.get_json() == {"error": "conflict", "theirs": "We are at a clinic.",
                                "version": 1, "by": "Student"}
    bad = student.post(path, json={"text": 5, "version": "x"},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert bad.status_code == 400 and "Send JSON" in bad.get_json()["error"]
    no_token = student.post(path, json={"text": "x", "version": 1},
                            headers={"Accept": "application/json"})
    assert no_token.status_code == 400
    assert draft_of(app, case_id, "situation").text == "We are at a clinic."


HOSTILE = ["\nstarts with a blank line", "<script>alert(1)</script>", "{{7*7}}",
           '<img src=x onerror=alert(1)>',
           "Emoji 😀👩🏽‍⚕️ and שלום עולם مرحبا", "line one\n\n  indented line\n"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips_exactly_and_is_shown_escaped(app, assigned, text):
    student, case_id = start_case(app, assigned)
    assert save_part(student, case_id, "reflection", text, 0).status_code == 303
    assert draft_of(app, case_id, "reflection").text == text
    html = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    shown = re.search(r'<textarea id="text-reflection"[^>]*>(.*?)</textarea>', html, re.S)
    # A newline right after <textarea> is dropped by browsers, so leading newlines survive.
    assert shown and html_unescape(shown.group(1)) == "\n" + text, "shown as typed, escaped"


def test_text_at_the_maximum_saves_and_over_it_comes_back_with_a_message(app, assigned):
    student, case_id = start_case(app, assigned)
    at_max = "é" * MAX_SECTION_CHARS
    assert save_part(student, case_id, "condition", at_max, 0).status_code == 303
    assert draft_of(app, case_id, "condition").text == at_max
    over = "x" * (MAX_SECTION_CHARS + 1)
    answer = save_part(student, case_id, "condition", over, 1)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert f"the most is {MAX_SECTION_CHARS}" in html and over in html
    assert draft_of(app, case_id, "condition").text == at_max


def test_history_shows_changes_and_restoring_makes_a_new_version(app, assigned):
    student, case_id = start_case(app, assigned)
    save_part(student, case_id, "microsystem", "First idea.", 0)
    save_part(student, case_id, "microsystem", "Second idea.", 1)
    history = student.get(f"/cases/{case_id}/sections/microsystem/history")
    html = history.get_data(as_text=True)
    assert "Version 2" in html and "Version 1" in html and "Second idea." in html
    restored = student.post(f"/cases/{case_id}/sections/microsystem/restore",
                            data={"csrf_token": csrf_from(html), "revision": "1",
                                  "version": "2"})
    assert restored.status_code == 303
    draft = draft_of(app, case_id, "microsystem")
    assert draft.text == "First idea." and draft.version == 3
    with app.app_context():
        last = db.session.scalar(select(SectionRevision).where(SectionRevision.version == 3))
        assert last.restored_from == 1


def test_who_reads_and_who_writes(app, assigned):
    student, case_id = start_case(app, assigned)
    expectations = {"educator@example.org": (200, 403), "lead@example.org": (403, 403),
                    "student2@example.org": (403, 403), "coteacher@example.org": (403, 403),
                    "far@example.org": (404, 404), "outsider@example.org": (404, 404)}
    for email, (read, write) in expectations.items():
        client = signed_in(app, email)
        token = csrf_from(client.get("/").get_data(as_text=True))
        assert client.get(f"/cases/{case_id}").status_code == read, email
        answer = client.post(f"/cases/{case_id}/sections/situation",
                             data={"text": "x", "version": "0", "csrf_token": token})
        assert answer.status_code == write, email
    assert draft_of(app, case_id, "situation").version == 0
    educator_page = signed_in(app, "educator@example.org").get(f"/cases/{case_id}") \
        .get_data(as_text=True)
    assert 'name="text"' not in educator_page and "Submit for the group" in educator_page


def test_a_submitted_case_is_read_only(app, assigned):
    student, case_id = start_case(app, assigned)
    with app.app_context():
        case = db.session.get(CaseWork, case_id)
        case.submitted_at = case.started_at
        db.session.commit()
    answer = save_part(student, case_id, "situation", "Late words", 0)
    assert answer.status_code == 400 and "read-only" in answer.get_data(as_text=True)
    assert draft_of(app, case_id, "situation").version == 0


def test_text_that_may_identify_someone_saves_with_a_gentle_warning(app, assigned):
    student, case_id = start_case(app, assigned)
    answer = save_part(student, case_id, "patient_reality",
                   "Maria Svensson was admitted on 12/03/2024. Ring 070-123 45 67.", 0)
    page = student.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Saved “" in page
    assert "a phone number, a full name next to a date" in page
    assert draft_of(app, case_id, "patient_reality").version == 1, "a warning, never a block"


def test_a_patient_partner_cannot_save_before_making_consent_choices(app, assigned):
    _student, case_id = start_case(app, assigned)
    partner = signed_in(app, "partner@example.org")
    token = csrf_from(partner.get("/").get_data(as_text=True))
    answer = partner.post(f"/cases/{case_id}/sections/emotions",
                          json={"text": "Early words", "version": 0},
                          headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert answer.status_code == 400 and "consent page" in answer.get_json()["error"]
    assert draft_of(app, case_id, "emotions").version == 0


def test_resolving_a_conflict_keeps_the_told_by_choice(app, assigned):
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    with app.app_context():
        partner_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
    save_part(partner, case_id, "navigation", "The phone line was silent.", 0)
    stale = save_part(student, case_id, "navigation", "She waited an hour.", 0,
                  told_by=str(partner_id))
    assert stale.status_code == 409
    assert f'name="told_by" value="{partner_id}"' in stale.get_data(as_text=True)
    save_part(student, case_id, "navigation", "She waited an hour.", 1, choice="mine",
          told_by=str(partner_id))
    with app.app_context():
        last = db.session.scalar(select(SectionRevision).order_by(SectionRevision.id.desc()))
        assert last.told_by_id == partner_id and last.text == "She waited an hour."


def test_consent_explains_before_asking_and_names_each_missing_answer(app, assigned):
    _student, case_id = start_case(app, assigned)
    partner = signed_in(app, "partner@example.org")
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    group = page.split('id="share_group"')[1].split("</fieldset>")[0]
    assert group.index('class="hint"') < group.index('type="radio"'), "explained first"
    answer = partner.post(f"/cases/{case_id}/consent", data={
        "csrf_token": csrf_from(page), "share_group": "yes", "exemplar": "no"})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    reviewers = html.split('id="share_reviewers"')[1].split("</fieldset>")[0]
    quote = html.split('id="quote"')[1].split("</fieldset>")[0]
    assert "May the reviewers read your words when the group submits? — Choose yes or no." \
        in reviewers
    assert "May a short quote of your words ever appear in a report? — Choose yes or no." \
        in quote
    assert reviewers.count("autofocus") == 1 and "autofocus" not in quote, \
        "the first question to fix has the cursor"
    assert "Choose yes or no" not in html.split('id="share_group"')[1].split("</fieldset>")[0]
