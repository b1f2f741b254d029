"""The learning log: writing an entry from a lesson, seeing it come back, sharing it by choice,
and nobody else ever reaching an entry its author did not share."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEvent, LogEntry, LogRevisit, ModuleVersionRow

LESSON = "why-together"


@pytest.fixture
def module_id(app, assigned):
    with app.app_context():
        return db.session.scalar(select(ModuleVersionRow.id))


def write(client, text, *, module=None, place="lesson", at=LESSON, **fields):
    """Write an entry from the new-entry page, as its form does."""
    query = f"?place={place}" + (f"&module={module}&at={at}" if module else "")
    page = client.get("/log/new" + query).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "place": place, "text": text, "stage": "what"}
    if module:
        data.update(module=str(module), at=at)
    data.update(fields)
    return client.post("/log/new", data=data)


def entry_ids(app, email_part=""):
    with app.app_context():
        return list(db.session.scalars(select(LogEntry.id).order_by(LogEntry.id)))


def post(client, path, data, form_page):
    token = csrf_from(client.get(form_page).get_data(as_text=True))
    return client.post(path, data=dict(data, csrf_token=token))


def test_an_entry_written_from_a_lesson_links_back_and_only_its_author_sees_it(app,
                                                                              module_id):
    student = signed_in(app, "student@example.org")
    lesson = student.get(f"/modules/example-module/1.0.0/lessons/{LESSON}").get_data(
        as_text=True)
    assert "write it in my learning log" in lesson
    answer = write(student, "Listening first changed the whole meeting.", module=module_id)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/lessons/{LESSON}")
    [entry_id] = entry_ids(app)
    log = student.get("/log").get_data(as_text=True)
    assert "Listening first changed the whole meeting." in log
    page = student.get(f"/log/{entry_id}").get_data(as_text=True)
    assert "Only you can see it" in page and "Written from: Lesson:" in page
    for other in ("student2@example.org", "educator@example.org", "partner@example.org",
                  "admin@example.org", "coteacher@example.org"):
        client = signed_in(app, other)
        assert client.get(f"/log/{entry_id}").status_code == 404, other
        shared = client.get(f"/cohorts/{_cohort(app)}/learning")
        assert "Listening first" not in shared.get_data(as_text=True)


def _cohort(app):
    from webapp.models import Cohort

    with app.app_context():
        return db.session.scalar(select(Cohort.id).where(Cohort.name == "Cohort Own"))


@pytest.mark.parametrize("fields, problem", [
    ({"text": "   "}, "Write something first"),
    ({"text": "x" * 20_001}, "at most 20000 characters"),
    ({"stage": "whenever"}, "Choose which question"),
    ({"come_back_on": "2001-01-01"}, "Choose a day after the entry"),
    ({"come_back_on": "next tuesday"}, "year-month-day"),
    ({"written_on": "2999-01-01"}, "The date is in the future"),
    ({"tag": "not-a-tag"}, "not offered here"),
    ({"follows": "999999", "stage": "what_happened"}, "your own"),
])
def test_bad_input_says_what_to_fix_and_keeps_the_words(app, module_id, fields, problem):
    student = signed_in(app, "student@example.org")
    data = dict({"text": "My words stay here."}, **fields)
    answer = write(student, data.pop("text"), module=module_id, **data)
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert problem in body
    if fields.get("text", "x").strip() and len(fields.get("text", "")) < 100:
        assert "My words stay here." in body
    assert entry_ids(app) == []


def test_an_entry_comes_back_on_its_day_and_did_it_ends_it(app, module_id):
    student = signed_in(app, "student@example.org")
    today = clock.now().date()
    back_on = today + timedelta(days=10)
    assert write(student, "Ask Ana what matters to her first.", module=module_id,
                 stage="now_what", come_back_on=back_on.isoformat()).status_code == 303
    [entry_id] = entry_ids(app)
    assert "Ask Ana what matters" not in student.get("/").get_data(as_text=True)
    with clock.moved(days=10):
        student = signed_in(app, "student@example.org")  # days later: a new sign-in
        home = student.get("/").get_data(as_text=True)
        assert "From your learning log" in home and "Ask Ana what matters" in home
        token = csrf_from(home)
        answer = student.post(f"/log/{entry_id}/back", data={
            "csrf_token": token, "answer": "did_it", "note": "She said: sleep.", "from": "home"})
        assert answer.status_code == 303 and answer.headers["Location"].endswith("/")
        assert "Ask Ana what matters" not in student.get("/").get_data(as_text=True)
    for later in (11, 17, 40, 400):
        with clock.moved(days=later):
            assert "Ask Ana what matters" not in signed_in(
                app, "student@example.org").get("/").get_data(as_text=True)
    with app.app_context():
        [back] = db.session.scalars(select(LogRevisit)).all()
        assert (back.answer, back.note) == ("did_it", "She said: sleep.")
    page = signed_in(app, "student@example.org").get(f"/log/{entry_id}").get_data(as_text=True)
    assert "does not come back any more" in page and "She said: sleep." in page


def test_with_no_date_it_comes_back_after_two_days_and_not_today_means_tomorrow(app, world):
    student = signed_in(app, "student@example.org")
    assert write(student, "Notice who speaks first.", place="own").status_code == 303
    [entry_id] = entry_ids(app)
    with clock.moved(days=1):
        student = signed_in(app, "student@example.org")
        assert "Notice who speaks first" not in student.get("/").get_data(as_text=True)
    with clock.moved(days=2):
        student = signed_in(app, "student@example.org")
        home = student.get("/").get_data(as_text=True)
        assert "Notice who speaks first" in home
        student.post(f"/log/{entry_id}/back", data={"csrf_token": csrf_from(home),
                                                    "answer": "not_today", "from": "home"})
        assert "Notice who speaks first" not in student.get("/").get_data(as_text=True)
    with clock.moved(days=3):
        student = signed_in(app, "student@example.org")
        assert "Notice who speaks first" in student.get("/").get_data(as_text=True)


def test_sharing_without_a_name_reaches_the_cohort_and_taking_it_back_removes_it(app, world):
    author = signed_in(app, "student@example.org")
    assert write(author, "Silence can be an answer.", place="own").status_code == 303
    [entry_id] = entry_ids(app)
    cohort = world.ids["C"]
    refused = post(author, f"/log/{entry_id}/share",
                   {"audience": f"cohort:{cohort}", "named": "no"}, f"/log/{entry_id}/share")
    assert refused.status_code == 400
    assert "Ask them first" in refused.get_data(as_text=True)
    answer = post(author, f"/log/{entry_id}/share",
                  {"audience": f"cohort:{cohort}", "named": "no", "asked": "yes"},
                  f"/log/{entry_id}/share")
    assert answer.status_code == 303
    classmate = signed_in(app, "student2@example.org")
    page = classmate.get(f"/cohorts/{cohort}/learning").get_data(as_text=True)
    assert "Silence can be an answer." in page
    assert "Someone in your cohort" in page and "Student" not in re.sub(
        r"<header.*?</header>", "", page, flags=re.S)
    assert classmate.get(f"/log/{entry_id}").status_code == 404
    elsewhere = signed_in(app, "far@example.org")
    assert elsewhere.get(f"/cohorts/{cohort}/learning").status_code == 404
    post(author, f"/log/{entry_id}/withdraw", {}, f"/log/{entry_id}")
    assert "Silence can be an answer." not in classmate.get(
        f"/cohorts/{cohort}/learning").get_data(as_text=True)
    with app.app_context():
        kinds = list(db.session.scalars(select(AuditEvent.kind).where(
            AuditEvent.kind.like("log_%")).order_by(AuditEvent.id)))
    assert kinds == ["log_shared", "log_withdrawn"]


def test_an_entry_shared_with_the_group_shows_to_the_group_only(app, world):
    author = signed_in(app, "student@example.org")
    write(author, "We decided together.", place="own")
    [entry_id] = entry_ids(app)
    post(author, f"/log/{entry_id}/share", {"audience": f"group:{world.ids['G1']}",
                                            "named": "yes", "asked": "yes"},
         f"/log/{entry_id}/share")
    cohort = world.ids["C"]
    partner = signed_in(app, "partner@example.org")  # in the same group
    page = partner.get(f"/cohorts/{cohort}/learning").get_data(as_text=True)
    assert "We decided together." in page and "Student" in page
    for outside in ("student2@example.org", "educator@example.org", "lead@example.org",
                    "coteacher@example.org"):
        assert "We decided together." not in signed_in(app, outside).get(
            f"/cohorts/{cohort}/learning").get_data(as_text=True), outside


def test_sharing_with_a_group_the_author_is_not_in_is_refused(app, world):
    author = signed_in(app, "student@example.org")
    write(author, "Mine.", place="own")
    [entry_id] = entry_ids(app)
    answer = post(author, f"/log/{entry_id}/share", {"audience": f"group:{world.ids['G2']}",
                                                     "named": "no", "asked": "yes"},
                  f"/log/{entry_id}/share")
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.get(LogEntry, entry_id).shared_with is None


def test_a_patient_partners_log_is_off_until_she_turns_it_on_with_no_reminders(app, world):
    partner = signed_in(app, "partner@example.org")
    assert "My log" not in partner.get("/").get_data(as_text=True)
    off = partner.get("/log").get_data(as_text=True)
    assert "It is off for you now" in off
    post(partner, "/log/choices", {"log": "on"}, "/log")
    assert "My log" in partner.get("/").get_data(as_text=True)
    assert write(partner, "My knees hurt on the stairs; they listened.",
                 place="own").status_code == 303
    with clock.moved(days=2):
        assert "My knees" not in signed_in(app, "partner@example.org").get("/").get_data(
            as_text=True)  # no reminders
    post(partner, "/log/choices", {"log": "on", "reminders": "on"}, "/log")
    with clock.moved(days=2):
        assert "My knees" in signed_in(app, "partner@example.org").get("/").get_data(
            as_text=True)
    # a student's log is on by default, reminders included
    assert "My log" in signed_in(app, "student@example.org").get("/").get_data(as_text=True)


def test_a_change_from_a_stale_page_keeps_both_texts(app, world):
    student = signed_in(app, "student@example.org")
    write(student, "First thought.", place="own")
    [entry_id] = entry_ids(app)
    page = student.get(f"/log/{entry_id}").get_data(as_text=True)
    token = csrf_from(page)
    fields = {"csrf_token": token, "stage": "what", "version": "1", "written_on": "",
              "come_back_on": ""}
    assert student.post(f"/log/{entry_id}", data=dict(fields, text="Second thought.")
                        ).status_code == 303
    stale = student.post(f"/log/{entry_id}", data=dict(fields, text="Third thought."))
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "Second thought." in body and "Third thought." in body
    with app.app_context():
        assert db.session.get(LogEntry, entry_id).text == "Second thought."


def test_a_what_happened_entry_points_back_to_its_plan(app, world):
    student = signed_in(app, "student@example.org")
    write(student, "Try sitting beside, not opposite.", place="own", stage="now_what")
    [plan] = entry_ids(app)
    page = student.get(f"/log/{plan}").get_data(as_text=True)
    assert "write what happened" in page
    assert write(student, "It felt less like an interview.", place="placement",
                 stage="what_happened", follows=str(plan)).status_code == 303
    done = entry_ids(app)[-1]
    assert "Try sitting beside" in student.get(f"/log/{done}").get_data(as_text=True)
    assert "It felt less like an interview." in student.get(f"/log/{plan}").get_data(
        as_text=True)


def test_a_possible_identifier_is_pointed_out_but_saved(app, world):
    student = signed_in(app, "student@example.org")
    answer = write(student, "Met Anna Berg on 3/4/2026 at the clinic.", place="own")
    assert answer.status_code == 303
    follow = student.get(answer.headers["Location"]).get_data(as_text=True)
    assert "a full name next to a date" in follow
    assert len(entry_ids(app)) == 1


def test_written_from_a_check_a_case_part_and_feedback_it_links_back_there(app, assigned,
                                                                           module_id):
    from tests.conftest import start_case

    student, case_id = start_case(app, assigned)
    checks = student.get("/modules/example-module/1.0.0/checks/first-part")
    page = student.post("/modules/example-module/1.0.0/checks/first-part", data={
        "csrf_token": csrf_from(student.get("/modules/example-module/1.0.0/checks")
                                .get_data(as_text=True)), "option": "0"})
    assert checks.status_code in (200, 405)
    assert "What this taught me" in page.get_data(as_text=True)
    form = student.get(f"/log/new?place=check&module={module_id}&at=first-part").get_data(
        as_text=True)
    assert re.search(r'value="name-the-parts" checked', form), "the check's objective is ticked"
    answer = write(student, "The first part is about the person.", module=module_id,
                   place="check", at="first-part", stage="so_what", tag="name-the-parts")
    assert answer.headers["Location"].endswith("/checks#check-first-part")

    case_page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "What this part taught me" in case_page
    answer = write(student, "Feelings belong in the case.", module=module_id, place="case",
                   at="emotions", case=str(case_id), tag="emotions")
    assert answer.headers["Location"].endswith(f"/cases/{case_id}#part-emotions")

    answer = write(student, "Next time we ask her first.", module=module_id, place="feedback",
                   at=str(case_id), case=str(case_id), stage="now_what")
    assert answer.headers["Location"].endswith(f"/cases/{case_id}/feedback")
    # someone else's case is not linked, and does not take the writer there
    other = signed_in(app, "student2@example.org")
    answer = write(other, "Not my case.", module=module_id, place="feedback",
                   at=str(case_id), case=str(case_id))
    assert f"/cases/{case_id}" not in answer.headers["Location"]
    with app.app_context():
        rows = db.session.execute(select(LogEntry.place, LogEntry.place_id, LogEntry.tags)
                                  .order_by(LogEntry.id)).all()
    assert [tuple(r) for r in rows] == [
        ("check", "first-part", ["name-the-parts"]), ("case", "emotions", ["emotions"]),
        ("feedback", str(case_id), []), ("feedback", None, [])]


def test_an_entry_about_the_module_comes_back_before_the_case_is_due_and_at_the_debrief(
        app, module_id):
    from webapp import localtime
    from webapp.models import Assignment
    from webapp.review.operations import release
    from webapp.teach.assignments import change_dates

    student = signed_in(app, "student@example.org")
    far = (clock.now().date() + timedelta(days=90)).isoformat()
    assert write(student, "Bring the map of the clinic.", module=module_id,
                 come_back_on=far).status_code == 303
    [entry_id] = entry_ids(app)
    with app.app_context():
        entry = db.session.get(LogEntry, entry_id)
        assignment = db.session.get(Assignment, entry.assignment_id)
        assert assignment is not None, "the entry is tied to the cohort's assignment"
        due = clock.now().replace(microsecond=0) + timedelta(days=20)
        change_dates(db.session, assignment, opens_at=assignment.opens_at, due_at=due,
                     review_due_at=due + timedelta(days=7))
        db.session.commit()
        the_day_before = localtime.local(due, assignment).date() - timedelta(days=1)
        assert db.session.get(LogEntry, entry_id).back_on == the_day_before
        today = localtime.local(clock.now(), assignment).date()  # the person's day, not UTC's
    days = (the_day_before - today).days
    with clock.moved(days=days - 1):
        assert "Bring the map" not in signed_in(app, "student@example.org").get("/").get_data(
            as_text=True)
    with clock.moved(days=days):
        home = signed_in(app, "student@example.org")
        page = home.get("/").get_data(as_text=True)
        assert "Bring the map" in page
        home.post(f"/log/{entry_id}/back", data={"csrf_token": csrf_from(page),
                                                 "answer": "still_true", "from": "home"})
    with clock.moved(days=days + 2):
        with app.app_context():
            release(db.session, db.session.get(Assignment, entry.assignment_id))
            db.session.commit()
        assert "Bring the map" in signed_in(app, "student@example.org").get("/").get_data(
            as_text=True), "the debrief brings it back"


def test_the_log_filters_by_module_question_objective_and_where_written(app, module_id):
    student = signed_in(app, "student@example.org")
    write(student, "From the lesson.", module=module_id, tag="plan-together")
    write(student, "A placement plan.", place="placement", stage="now_what")
    for query, shown, hidden in (
            ("?module=example-module", "From the lesson.", "A placement plan."),
            ("?stage=now_what", "A placement plan.", "From the lesson."),
            ("?objective=plan-together", "From the lesson.", "A placement plan."),
            ("?place=placement", "A placement plan.", "From the lesson."),
            ("?stage=nonsense", "From the lesson.", "no such entry")):
        page = student.get("/log" + query).get_data(as_text=True)
        assert shown in page and hidden not in page, query
    empty = student.get("/log?place=check").get_data(as_text=True)
    assert "No entries match" in empty


def test_answering_uses_the_same_day_as_the_home_page_in_the_programmes_time_zone(app, world):
    from webapp.models import Programme

    with app.app_context():
        db.session.get(Programme, world.ids["P"]).time_zone = "Pacific/Kiritimati"  # UTC+14
        db.session.commit()
    student = signed_in(app, "student@example.org")
    assert write(student, "Across the date line.", place="own").status_code == 303
    [entry_id] = entry_ids(app)
    for days in (2, 3):
        with clock.moved(days=days):
            client = signed_in(app, "student@example.org")
            home = client.get("/").get_data(as_text=True)
            if "Across the date line." in home:
                client.post(f"/log/{entry_id}/back", data={
                    "csrf_token": csrf_from(home), "answer": "still_true", "from": "home"})
                assert "Across the date line." not in client.get("/").get_data(as_text=True)
                break
    else:
        raise AssertionError("the entry never came back")


def test_a_note_refused_when_answering_is_shown_again(app, world):
    student = signed_in(app, "student@example.org")
    write(student, "Long note ahead.", place="own")
    [entry_id] = entry_ids(app)
    with clock.moved(days=2):
        client = signed_in(app, "student@example.org")
        page = client.get(f"/log/{entry_id}").get_data(as_text=True)
        assert "Anything to add?" in page  # it is due: it can be answered on its page too
        note = "I tried it. " * 200
        answer = client.post(f"/log/{entry_id}/back", data={
            "csrf_token": csrf_from(page), "answer": "still_true", "note": note})
        assert answer.status_code == 400
        assert "at most 2000 characters" in answer.get_data(as_text=True)
        assert note.strip()[:100] in answer.get_data(as_text=True)


def test_course_text_is_not_shown_to_someone_who_is_no_member_through_the_log(app, module_id):
    outsider = signed_in(app, "outsider@example.org")
    page = outsider.get(f"/log/new?place=lesson&module={module_id}&at={LESSON}")
    text = page.get_data(as_text=True)
    assert "Lesson:" not in text and "name-the-parts" not in text


def test_a_partner_whose_log_is_off_cannot_write_and_a_partner_coteacher_starts_off(app, world):
    from tests.conftest import add_role
    from webapp.models import Account, Cohort

    partner = signed_in(app, "partner@example.org")
    form = partner.get("/log/new").get_data(as_text=True)
    answer = partner.post("/log/new", data={"csrf_token": csrf_from(form), "place": "own",
                                            "stage": "what", "text": "Sneaked in."})
    assert answer.status_code == 400 and entry_ids(app) == []
    assert "Turn it on first" in answer.get_data(as_text=True)
    with app.app_context():
        both = db.session.scalar(select(Account).where(
            Account.email_key == "coteacher@example.org"))
        add_role(both, "patient_partner", cohort=db.session.get(Cohort, world.ids["C3"]))
        db.session.commit()
    assert "It is off for you now" in signed_in(app, "coteacher@example.org").get(
        "/log").get_data(as_text=True)
