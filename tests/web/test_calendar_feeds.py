"""Calendar feeds: a private link per person (and per cohort for its educators) that a
calendar app reads, with the programme's time zone; made again or turned off, it is gone."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import ics
from sqlalchemy import select

from tests.conftest import (
    csrf_from,
    make_case,
    make_review,
    make_submission,
    signed_in,
)
from webapp import tokens
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    AuditEvent,
    CalendarFeed,
    Extension,
    Membership,
    ModuleVersionRow,
    OneTimeLink,
    Programme,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _make_link(client, path="/account/calendar", page="/account") -> str:
    answer = client.post(path, data={"csrf_token": csrf_from(client.get(page).get_data(
        as_text=True))})
    assert answer.status_code == 200, answer.status_code
    assert answer.headers["Cache-Control"] == "no-store"
    link = re.search(r'id="feed-link"[^>]*value="([^"]+)"', answer.get_data(as_text=True))
    assert link, "the page shows the link"
    return "/" + link.group(1).split("/", 3)[3]


def _read(app, path):
    """The feed as a calendar app reads it: no cookie, no sign-in."""
    answer = app.test_client().get(path)
    return answer


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _local(event, name="DTSTART") -> datetime:
    return event.decoded(name).astimezone(STOCKHOLM)


def test_a_student_adds_their_due_dates_to_a_calendar_app(app, assigned):
    world = assigned
    with app.app_context():
        case = make_case(world.ids["G1"], world.ids["A"], situation="Ana's private story.")
        db.session.commit()
        assert case
        assignment = db.session.get(Assignment, world.ids["A"])
        due = assignment.due_at
    client = signed_in(app, "student@example.org")
    assert "Make my calendar link" in client.get("/account").get_data(as_text=True)
    path = _make_link(client)
    answer = _read(app, path)
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    body = answer.get_data()
    events = _events(body)
    assert set(events) == {"Case due: An example module",
                           "Feedback on your case: An example module",
                           "Module feedback questions open: An example module"}
    case_due = events["Case due: An example module"]
    assert case_due.decoded("DTSTART").astimezone(ZoneInfo("UTC")).replace(tzinfo=None) == due
    assert str(case_due["URL"]).endswith(f"/assignments/{world.ids['A']}/case")
    text = body.decode()
    for private in ("Ana's private story", "Group One", "Student", "student@example.org"):
        assert private not in text, private
    # the account page now says the link is on and offers a new one or turning it off
    page = client.get("/account").get_data(as_text=True)
    assert "Your calendar link is on" in page and "Turn my calendar link off" in page


def test_a_new_link_ends_the_old_one_and_turning_it_off_ends_both(app, assigned):
    client = signed_in(app, "student@example.org")
    first = _make_link(client)
    second = _make_link(client)
    assert first != second
    assert _read(app, first).status_code == 404
    assert _read(app, second).status_code == 200
    answer = client.post("/account/calendar/off", data={"csrf_token": csrf_from(
        client.get("/account").get_data(as_text=True))})
    assert answer.status_code == 303
    assert _read(app, second).status_code == 404
    assert "Make my calendar link" in client.get("/account").get_data(as_text=True)
    with app.app_context():
        kinds = db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.id)).all()
        details = " ".join(str(e.detail) for e in db.session.scalars(select(AuditEvent)))
    assert kinds.count("calendar_link_made") == 2 and "calendar_link_off" in kinds
    for link in (first, second):
        assert link.rsplit("/", 1)[1].removesuffix(".ics") not in details


def test_a_feed_token_is_good_for_the_feed_only_and_no_other_token_reads_a_feed(app, assigned):
    client = signed_in(app, "student@example.org")
    path = _make_link(client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalar(select(CalendarFeed.token_hash))
        assert stored == tokens.token_hash(token) and token not in stored
    # the feed's token does not sign anyone in
    other = app.test_client()
    page = other.get(f"/link/{token}").get_data(as_text=True)
    assert "Sign out" not in page
    assert other.get("/account").status_code in (302, 303)
    # a sign-in link's token does not read a feed
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        raw, digest = tokens.new_token()
        db.session.add(OneTimeLink(account=person, purpose="signin", token_hash=digest,
                                   expires_at=datetime(2099, 1, 1)))
        db.session.commit()
    assert _read(app, f"/calendar/{raw}.ics").status_code == 404
    for bad in ("/calendar/x.ics", "/calendar/" + "a" * 500 + ".ics", "/calendar/%00.ics",
                "/calendar/..%2f.ics"):
        assert _read(app, bad).status_code in (400, 404), bad


def test_a_closed_account_s_feed_answers_404(app, assigned):
    path = _make_link(signed_in(app, "student@example.org"))
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        person.active = False
        db.session.commit()
    assert _read(app, path).status_code == 404


def test_a_reviewer_sees_reviews_due_and_an_extension_moves_a_case_due_date(app, assigned):
    world = assigned
    with app.app_context():
        coteacher = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
        student = db.session.scalar(select(Account.id).where(
            Account.email_key == "student@example.org"))
        case = make_case(world.ids["G1"], world.ids["A"])
        make_review(make_submission(case, situation="x"), coteacher)
        assignment = db.session.get(Assignment, world.ids["A"])
        later = assignment.due_at.replace(microsecond=0) + (assignment.review_due_at
                                                            - assignment.due_at) / 2
        db.session.add(Extension(assignment_id=assignment.id, account_id=student,
                                 due_at=later))
        db.session.commit()
        review_due = assignment.review_due_at
    reviewer = _events(_read(app, _make_link(signed_in(app, "coteacher@example.org"))).data)
    assert list(reviewer) == ["Reviews due (1): An example module"]
    assert reviewer["Reviews due (1): An example module"].decoded("DTSTART").astimezone(
        ZoneInfo("UTC")).replace(tzinfo=None) == review_due
    mine = _events(_read(app, _make_link(signed_in(app, "student@example.org"))).data)
    assert mine["Case due: An example module"].decoded("DTSTART").astimezone(
        ZoneInfo("UTC")).replace(tzinfo=None) == later


def test_an_educator_s_cohort_feed_lists_the_cohort_s_dates_until_they_stop_teaching_it(
        app, assigned):
    world = assigned
    cohort_page = f"/cohorts/{world.ids['C']}"
    educator = signed_in(app, "educator@example.org")
    path = _make_link(educator, f"{cohort_page}/calendar", cohort_page)
    listed = _events(_read(app, path).data)
    assert {"Module opens: An example module", "Cases due: An example module",
            "Reviews due: An example module",
            "Feedback released: An example module"} <= set(listed)
    assert "Cohort Own" in icalendar.Calendar.from_ical(_read(app, path).data)["X-WR-CALNAME"]
    assert "Cohort Own" in educator.get("/account").get_data(as_text=True)
    # a student cannot make one
    student = signed_in(app, "student@example.org")
    refused = student.post(f"{cohort_page}/calendar", data={"csrf_token": csrf_from(
        student.get(cohort_page).get_data(as_text=True))})
    assert refused.status_code == 403
    with app.app_context():
        for row in db.session.scalars(select(Membership).join(Account).where(
                Account.email_key == "educator@example.org")):
            db.session.delete(row)
        db.session.commit()
    assert _read(app, path).status_code == 404


def test_times_carry_the_programme_zone_across_both_clock_changes(app, assigned):
    """Due at 23:59 Stockholm time in winter and in summer: both parsers read 23:59 back."""
    world = assigned

    def utc(local: datetime) -> datetime:
        return local.replace(tzinfo=STOCKHOLM).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    with app.app_context():
        db.session.get(Programme, world.ids["P"]).time_zone = "Europe/Stockholm"
        assignment = db.session.get(Assignment, world.ids["A"])
        # winter → summer (clocks go forward on 28 March 2027)
        assignment.opens_at = utc(datetime(2027, 3, 1, 9, 0))
        assignment.due_at = utc(datetime(2027, 3, 20, 23, 59))
        assignment.review_due_at = utc(datetime(2027, 4, 10, 23, 59))
        # summer → winter (clocks go back on 31 October 2027)
        row = db.session.scalar(select(ModuleVersionRow))
        db.session.add(Assignment(cohort_id=world.ids["C"], module_slug="second",
                                  module_version_id=row.id,
                                  opens_at=utc(datetime(2027, 10, 1, 9, 0)),
                                  due_at=utc(datetime(2027, 10, 20, 23, 59)),
                                  review_due_at=utc(datetime(2027, 11, 5, 23, 59))))
        db.session.commit()
    body = _read(app, _make_link(signed_in(app, "student@example.org"))).data
    text = body.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Stockholm" in text
    assert "DTSTART;TZID=Europe/Stockholm:20270320T235900" in text
    parsed = icalendar.Calendar.from_ical(body)
    starts = sorted(_local(e) for e in parsed.walk("VEVENT")
                    if str(e["SUMMARY"]).startswith(("Case due", "Feedback on")))
    assert [(s.month, s.day, s.hour, s.minute) for s in starts] == [
        (3, 20, 23, 59), (4, 10, 23, 59), (10, 20, 23, 59), (11, 5, 23, 59)]
    assert [s.utcoffset().total_seconds() / 3600 for s in starts] == [1, 2, 2, 1]
    # a second, independent parser reads the same moments
    other = ics.Calendar(text)
    moments = sorted(e.begin.datetime.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
                     for e in other.events if e.name.startswith(("Case due", "Feedback on")))
    assert moments == [utc(datetime(2027, 3, 20, 23, 59)), utc(datetime(2027, 4, 10, 23, 59)),
                       utc(datetime(2027, 10, 20, 23, 59)), utc(datetime(2027, 11, 5, 23, 59))]
    assert all(e.url for e in other.events)


def test_a_feed_s_titles_are_in_the_reader_s_language(app, assigned):
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        person.language = "sv"
        db.session.commit()
    body = _read(app, _make_link(signed_in(app, "student@example.org"))).data.decode()
    assert "Case due" not in body and "SUMMARY:Fallet ska lämnas in: An example module" in body


def test_the_token_never_reaches_the_request_log(app, assigned, caplog):
    path = _make_link(signed_in(app, "student@example.org"))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s -', "127.0.0.1", "now",
                                           f"GET {path} HTTP/1.1", "200")
    assert caplog.records and token not in caplog.text and "/calendar/" in caplog.text


def test_both_parsers_read_every_kind_of_feed(app, assigned):
    """The person's own, a reviewer's and a cohort's feed, each read by icalendar and by ics;
    both find the same events at the same moments."""
    world = assigned
    with app.app_context():
        coteacher = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
        make_review(make_submission(make_case(world.ids["G1"], world.ids["A"]), situation="x"),
                    coteacher)
        db.session.commit()
    feeds = [_make_link(signed_in(app, "student@example.org")),
             _make_link(signed_in(app, "coteacher@example.org")),
             _make_link(signed_in(app, "educator@example.org"), f"/cohorts/{world.ids['C']}"
                        "/calendar", f"/cohorts/{world.ids['C']}")]
    for path in feeds:
        text = _read(app, path).get_data(as_text=True)
        first = {str(e["SUMMARY"]): e.decoded("DTSTART").astimezone(ZoneInfo("UTC"))
                 for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
        second = {e.name: e.begin.datetime.astimezone(ZoneInfo("UTC"))
                  for e in ics.Calendar(text).events}
        assert first and first == second, path
