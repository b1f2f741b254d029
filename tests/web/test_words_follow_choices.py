"""A patient partner's words appear exactly where their choices allow, on every page.

One case holds the partner's own part, a part a student typed as told by her, a part both
wrote, and a student's own part, each with a marker word. For each of: withdrawing before
hand-in, withdrawing after hand-in then reopening and resubmitting, choosing not to share
with the group, erasing the student who typed her words, and retention past the keeping
time, every page, history, review, feedback page, cohort page and own-data copy each role
can reach is read, and the places each marker shows up are compared with the rule.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import String, cast, func, select

from tests.conftest import (
    ROOT,
    confirm_submission,
    csrf_from,
    give_consent,
    patient_ratings,
    save_part,
    signed_in,
    start_case,
)
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Cohort, Programme, Review, SectionRevision
from webapp.people import retention

OWN, TOLD, MIXED, STUDENT = "OWNWORDS", "TOLDWORDS", "MIXEDWORDS", "STUDENTWORDS"
MARKERS = (OWN, TOLD, MIXED, STUDENT)
PARTS = ("emotions", "illness_experience", "reflection", "situation")
MEMBERS = {"student": "student@example.org", "partner": "partner@example.org"}


@pytest.fixture
def case(app, assigned):  # noqa: F811
    """The case with the four kinds of words; returns (world, case id, clients)."""
    assert app.test_cli_runner().invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    with app.app_context():
        partner_id = db.session.scalar(select(Account.id).where(
            Account.email == MEMBERS["partner"]))
    assert save_part(partner, case_id, "emotions", f"{OWN} about the long nights.", 0
                 ).status_code == 303
    assert save_part(student, case_id, "illness_experience", f"{TOLD}, as she told us.", 0,
                 told_by=str(partner_id)).status_code == 303
    save_part(partner, case_id, "reflection", f"{MIXED} is her plan.", 0)
    save_part(student, case_id, "reflection", f"{MIXED} is her plan.\nWe add the follow-up.", 1)
    save_part(student, case_id, "situation", f"{STUDENT} describe the clinic.", 0)
    assigned.ids.update(K=case_id, partner=partner_id)
    return assigned, case_id, {"student": student, "partner": partner}


# -- reading every place ---------------------------------------------------------------------

def _text(response) -> str:
    if response.headers.get("Content-Type") == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "".join(archive.read(name).decode() for name in archive.namelist())
    return response.get_data(as_text=True) if response.status_code == 200 else ""


def _reviews_of(app, email) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Review.id).join(
            Account, Account.id == Review.reviewer_id).where(Account.email == email)))


def _places(app, world, case_id, people=("student", "partner", "educator", "coteacher",
                                          "student2")) -> dict[str, str]:
    """Every page each person can reach that could hold the case's words."""
    case = f"/cases/{case_id}"
    history = [f"{case}/sections/{key}/history" for key in PARTS]
    emails = dict(MEMBERS, educator="educator@example.org", coteacher="coteacher@example.org",
                  student2="student2@example.org")
    reach = {
        "case": [case], "history": history, "feedback": [f"{case}/feedback"],
        "export": ["/my-data/export.zip"], "cohort": [f"/cohorts/{world.ids['C']}"],
    }
    out = {}
    for who in people:
        client = signed_in(app, emails[who])
        pages = dict(reach)
        if who == "educator":
            pages["report"] = [f"/assignments/{world.ids['A']}/review-report"]
        reviews = _reviews_of(app, emails[who])
        if reviews:
            pages["review"] = [f"/reviews/{rid}" for rid in reviews] + ["/reviews"]
        for place, paths in pages.items():
            out[f"{who}:{place}"] = "\n".join(_text(client.get(path)) for path in paths)
    return out


def _where(places: dict[str, str]) -> dict[str, set[str]]:
    return {marker: {place for place, text in places.items() if marker in text}
            for marker in MARKERS}


def _stored(app, marker) -> int:
    """How many saved versions still hold the marker in the database."""
    with app.app_context():
        return db.session.scalar(select(func.count(SectionRevision.id)).where(
            SectionRevision.text.contains(marker)))


# -- the steps people take -------------------------------------------------------------------

def _post(client, page, path, data):
    html = client.get(page).get_data(as_text=True)
    return client.post(path, data=dict(data, csrf_token=csrf_from(html)))


def _withdraw(clients, case_id):
    answer = _post(clients["partner"], f"/cases/{case_id}/consent",
                   f"/cases/{case_id}/withdraw", {})
    assert answer.status_code == 303


def _educator_submits(app, case_id):
    educator = signed_in(app, "educator@example.org")
    answer = _post(educator, f"/cases/{case_id}", f"/cases/{case_id}/override",
                   {"reason": "The group asked me to submit it for them."})
    assert answer.status_code == 303
    return educator


def _allocate_and_release(app, world):
    educator = signed_in(app, "educator@example.org")
    page = f"/assignments/{world.ids['A']}/reviews"
    for action in ("allocate", "release"):
        assert _post(educator, page, page, {"action": action}).status_code in (302, 303)


def _share_part_9(client, case_id):
    return _post(client, f"/cases/{case_id}", f"/cases/{case_id}/share", {"share": "1"})


def _members(*places):
    return {f"{who}:{place}" for who in ("student", "partner") for place in places}


STAFF = {"educator:case", "educator:history"}


# -- the scenarios ---------------------------------------------------------------------------

def test_withdrawing_before_hand_in_reaches_no_history_restore_submission_or_review(app, case):
    world, case_id, clients = case
    _withdraw(clients, case_id)
    student = clients["student"]
    # her own and told words are gone for good; the mixed part is for the group to rewrite
    assert _stored(app, OWN) == 0 and _stored(app, TOLD) == 0
    history = student.get(f"/cases/{case_id}/sections/reflection/history").get_data(
        as_text=True)
    assert "taken out at their writer’s request" in history
    assert "Restore version 1" not in history
    refused = _post(student, f"/cases/{case_id}/sections/emotions/history",
                    f"/cases/{case_id}/sections/emotions/restore",
                    {"revision": "1", "version": "2"})
    assert "cannot be restored" in student.get(refused.headers["Location"]).get_data(
        as_text=True)
    _educator_submits(app, case_id)
    assert "held back by a patient partner" in student.get(
        _share_part_9(student, case_id).headers["Location"]).get_data(as_text=True)
    _allocate_and_release(app, world)
    seen = _where(_places(app, world, case_id))
    assert seen[OWN] == set() and seen[TOLD] == set()
    assert seen[MIXED] == _members("case", "history")
    assert seen[STUDENT] == _members("case", "history") | STAFF | {
        "student:export", "educator:review", "coteacher:review"}


def test_the_group_rewrites_a_mixed_part_and_only_then_it_is_read_and_handed_in(app, case):
    world, case_id, clients = case
    _withdraw(clients, case_id)
    student = clients["student"]
    page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "mixes words a patient partner has withdrawn" in page
    answer = save_part(student, case_id, "reflection", "REWRITTEN plan of our own.", 2,
                   rewritten="1")
    assert answer.status_code == 303
    refused = _post(student, f"/cases/{case_id}/sections/reflection/history",
                    f"/cases/{case_id}/sections/reflection/restore",
                    {"revision": "2", "version": "3"})
    assert "holds words that were withdrawn" in student.get(
        refused.headers["Location"]).get_data(as_text=True)
    _educator_submits(app, case_id)
    _allocate_and_release(app, world)
    places = _places(app, world, case_id, ("educator", "coteacher"))
    assert "REWRITTEN plan" in places["coteacher:review"]
    assert "REWRITTEN plan" in places["educator:case"]
    assert not any(MIXED in text for text in places.values())


def test_withdrawing_after_hand_in_holds_back_every_later_round(app, case):
    world, case_id, clients = case
    confirm_submission(clients["student"], case_id)
    confirm_submission(clients["partner"], case_id, share_reviewers="yes")
    _allocate_and_release(app, world)
    before = _where(_places(app, world, case_id, ("coteacher",)))
    assert before[OWN] == before[TOLD] == before[MIXED] == {"coteacher:review"}
    _withdraw(clients, case_id)
    educator = signed_in(app, "educator@example.org")
    assert _post(educator, f"/cases/{case_id}", f"/cases/{case_id}/reopen", {}
                 ).status_code == 303
    _educator_submits(app, case_id)
    _allocate_and_release(app, world)
    assert len(_reviews_of(app, "coteacher@example.org")) >= 1
    seen = _where(_places(app, world, case_id))
    assert seen[OWN] == set() and seen[TOLD] == set()
    assert seen[MIXED] == _members("case", "history")
    assert {"educator:review", "coteacher:review", "educator:case"} <= seen[STUDENT]


def test_choosing_not_to_share_with_the_group_hides_what_she_already_wrote(app, case):
    world, case_id, clients = case
    partner = clients["partner"]
    answer = _post(partner, f"/cases/{case_id}/consent", f"/cases/{case_id}/consent",
                   {"share_group": "no", "share_reviewers": "yes", "exemplar": "no",
                    "quote": "no"})
    assert answer.status_code == 303
    seen = _where(_places(app, world, case_id, ("student", "partner", "educator")))
    for marker in (OWN, TOLD, MIXED):
        assert seen[marker] == {"partner:case", "partner:history", "partner:export"}, marker
    assert seen[STUDENT] >= _members("case", "history") | STAFF
    # the group can start a hidden part again; the new words are theirs alone
    student = clients["student"]
    page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "chosen not to share here" in page
    assert save_part(student, case_id, "emotions", "FRESHSTART by the group.", 1
                 ).status_code == 303
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id, share_reviewers="yes")
    _allocate_and_release(app, world)
    review = _where(_places(app, world, case_id, ("coteacher",)))
    assert review[OWN] == review[TOLD] == review[MIXED] == set()
    assert "FRESHSTART by the group." in _places(app, world, case_id, ("coteacher",))[
        "coteacher:review"]


def test_erasing_the_student_who_typed_her_words_leaves_them_hers(app, case):
    world, case_id, _clients = case
    admin = signed_in(app, "admin@example.org")
    with app.app_context():
        student_id = db.session.scalar(select(Account.id).where(
            Account.email == MEMBERS["student"]))
    path = f"/admin/people/{student_id}/erase"
    assert _post(admin, path, path, {"confirm_email": MEMBERS["student"]}
                 ).status_code in (302, 303)
    seen = _where(_places(app, world, case_id, ("partner", "educator")))
    assert seen[TOLD] == {"partner:case", "partner:history", "partner:export"} | STAFF
    assert seen[STUDENT] == set()
    history = _places(app, world, case_id, ("partner",))["partner:history"]
    assert "told by Partner" in history


def test_retention_past_the_keeping_time_leaves_no_marker_anywhere(app, case):
    world, case_id, clients = case
    confirm_submission(clients["student"], case_id)
    confirm_submission(clients["partner"], case_id, share_reviewers="yes")
    _allocate_and_release(app, world)
    coteacher = signed_in(app, "coteacher@example.org")
    [review_id] = _reviews_of(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review_id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review_id}", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(page), version="0", submit="1",
        answer="REVIEWWORDS for the group."))
    answer = _post(clients["student"], f"/cases/{case_id}/feedback",
                   f"/cases/{case_id}/response",
                   {"text": "RESPONSEWORDS we will change.",
                    "revised_reflection": f"{MIXED} revised after feedback."})
    assert answer.status_code in (302, 303)
    with app.app_context():
        cohort = db.session.get(Cohort, world.ids["C"])
        cohort.archived, cohort.archived_at = True, now() - timedelta(days=3)
        programme = db.session.get(Programme, world.ids["P"])
        programme.keep_case_text_days = programme.keep_reviews_days = 1
        db.session.commit()
    dry = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert "1 responses to feedback" in dry.output, dry.output
    assert app.test_cli_runner().invoke(args=["retention"]).exit_code == 0
    with app.app_context():
        for column in retention.WORDS:
            table, name = column.split(".")
            col = db.metadata.tables[table].c[name]
            for marker in (*MARKERS, "RESPONSEWORDS", "REVIEWWORDS"):
                assert db.session.scalar(select(func.count()).select_from(col.table).where(
                    cast(col, String).contains(marker))) == 0, (column, marker)


# -- read records, the readable copy, retention's reach, names -------------------------------

def test_a_reviewer_opening_a_review_is_recorded_and_listed_in_their_copy(app, case):
    world, case_id, clients = case
    confirm_submission(clients["student"], case_id)
    confirm_submission(clients["partner"], case_id, share_reviewers="yes")
    _allocate_and_release(app, world)
    coteacher = signed_in(app, "coteacher@example.org")
    [review_id] = _reviews_of(app, "coteacher@example.org")
    for _ in range(2):
        assert coteacher.get(f"/reviews/{review_id}").status_code == 200
    with app.app_context():
        from webapp.models import AuditEvent, CaseRead

        reads = db.session.scalars(select(CaseRead).where(CaseRead.what == "review")).all()
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "case_read")).all()
    assert len(reads) == 2 and all(r.case_work_id == case_id for r in reads)
    assert sum(1 for e in events if e.detail.get("what") == "review") == 2
    copy = json.loads(zipfile.ZipFile(io.BytesIO(coteacher.get("/my-data/export.zip").data))
                      .read("my-data.json"))
    assert [r["what"] for r in copy["cases_you_read_as_staff"]] == ["review", "review"]


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str) and value:
        yield value


@pytest.mark.parametrize("who", ["partner", "educator"])
def test_the_readable_copy_holds_every_item_the_json_holds(app, case, who):
    import html as html_module
    import re

    world, case_id, clients = case
    confirm_submission(clients["student"], case_id)
    confirm_submission(clients["partner"], case_id, share_reviewers="yes")
    _allocate_and_release(app, world)
    educator = signed_in(app, "educator@example.org")
    educator.get(f"/cases/{case_id}")
    educator.get(f"/cases/{case_id}/sections/emotions/history")
    for review_id in _reviews_of(app, "educator@example.org"):
        educator.get(f"/reviews/{review_id}")
    client = clients["partner"] if who == "partner" else educator
    archive = zipfile.ZipFile(io.BytesIO(client.get("/my-data/export.zip").data))
    data = json.loads(archive.read("my-data.json"))
    page = archive.read("my-data.html").decode()
    lists = {key: value for key, value in data.items() if isinstance(value, list)}
    lists.update(data["learning"])
    assert data["submission_confirmations"] if who == "partner" else \
        len(data["cases_you_read_as_staff"]) >= 3
    for key, items in lists.items():
        shown = re.search(rf'<ol id="{key}" data-items="(\d+)">(.*?)</ol>', page, re.S)
        assert shown, key
        assert int(shown.group(1)) == len(items) == shown.group(2).count('<li class="item">'), key
    unescaped = html_module.unescape(page)
    for leaf in _leaves(data):
        assert leaf in unescaped, leaf


def test_every_column_that_can_hold_words_is_covered_by_retention_or_declared(app):
    from sqlalchemy import JSON, Text

    free_text = {f"{table.name}.{column.name}" for table in db.metadata.sorted_tables
                 for column in table.columns if isinstance(column.type, (Text, JSON))}
    declared = set(retention.WORDS) | set(retention.NOT_WORDS)
    assert free_text - declared == set(), "a text column retention neither removes nor explains"
    assert declared - free_text == set(), "a declared column that no longer exists"
    assert set(retention.WORDS.values()) <= set(retention.SETTINGS)


def test_a_person_changes_the_name_others_see(app, case):
    world, case_id, clients = case
    partner = clients["partner"]
    page = partner.get("/account").get_data(as_text=True)
    assert 'value="Partner"' in page
    blank = partner.post("/account", data={"csrf_token": csrf_from(page),
                                           "display_name": "   "})
    assert blank.status_code == 400 and "Enter the name" in blank.get_data(as_text=True)
    long = partner.post("/account", data={"csrf_token": csrf_from(page),
                                          "display_name": "x" * 121})
    assert long.status_code == 400 and "at most 120" in long.get_data(as_text=True)
    done = partner.post("/account", data={"csrf_token": csrf_from(page),
                                          "display_name": "  Pat   Jones "})
    assert done.status_code == 303
    assert "Your name is now Pat Jones" in partner.get("/account").get_data(as_text=True)
    history = clients["student"].get(f"/cases/{case_id}/sections/emotions/history").get_data(
        as_text=True)
    assert "Pat Jones" in history and ">Partner<" not in history
    with app.app_context():
        from webapp.models import AuditEvent

        [event] = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "name_changed")).all()
        assert "Partner" not in json.dumps(event.detail) and "Pat" not in json.dumps(
            event.detail)
    audit = signed_in(app, "admin@example.org").get("/admin/audit").get_data(as_text=True)
    assert "changed their display name" in audit


def test_after_withdrawing_she_writes_again_only_once_she_chooses_again(app, case):
    world, case_id, clients = case
    _withdraw(clients, case_id)
    partner = clients["partner"]
    refused = save_part(partner, case_id, "situation", "New words.", 1)
    assert refused.status_code == 400
    assert "You withdrew your words from this case" in refused.get_data(as_text=True)
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    assert "ends the withdrawal" in page
    assert _post(partner, f"/cases/{case_id}/consent", f"/cases/{case_id}/consent",
                 {"share_group": "yes", "share_reviewers": "yes", "exemplar": "no",
                  "quote": "no"}).status_code == 303
    assert save_part(partner, case_id, "situation", "New words.", 1).status_code == 303
    educator = _places(app, world, case_id, ("educator",))
    assert MIXED in educator["educator:case"], "the mixed part is read again"
    assert OWN not in educator["educator:history"], "what was emptied stays empty"


def test_control_characters_never_reach_a_display_name(app, world):

    client = signed_in(app, "student@example.org")
    page = client.get("/account").get_data(as_text=True)
    answer = client.post("/account", data={"csrf_token": csrf_from(page),
                                           "display_name": "Sam\x1b[31m \x07Lee\u200e"})
    assert answer.status_code == 303
    with app.app_context():
        name = db.session.scalar(select(Account.display_name).where(
            Account.email == "student@example.org"))
    assert name == "Sam[31m Lee"
    only_controls = client.post("/account", data={"csrf_token": csrf_from(page),
                                                  "display_name": "\x1b\x07"})
    assert only_controls.status_code == 400
