"""Notifications people control: listed in What's new (with the unread count in the header),
mailed at once, in one daily digest or never, as each person chose per kind; never with case
text, review text or a patient partner's words."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.conftest import (
    csrf_from,
    give_consent,
    make_assignment,
    make_case,
    make_feedback,
    save_part,
    signed_in,
    start_case,
    statements_for_page,
)
from tests.web.test_reviews import _allocate, patient_ratings, submitted  # noqa: F401
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    Cohort,
    ModuleVersionRow,
    Notification,
    Outbox,
    Programme,
    Review,
)
from webapp.notices import events
from webapp.notices.operations import notify
from webapp.notices.schedule import tick

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _mail(app, to=None, kind=None):
    with app.app_context():
        query = select(Outbox).order_by(Outbox.id)
        if to:
            query = query.where(Outbox.to_address == to)
        if kind:
            query = query.where(Outbox.kind == kind)
        return [(m.kind, m.subject, m.body) for m in db.session.scalars(query)]


def _notices(app, email):
    with app.app_context():
        return db.session.scalars(select(Notification).join(
            Account, Account.id == Notification.account_id).where(
            Account.email_key == email).order_by(Notification.id)).all()


def _choose(client, **choices):
    page = client.get("/account").get_data(as_text=True)
    return client.post("/account/notices", data=dict(choices, csrf_token=csrf_from(page)))


def _tick(app, moment: datetime):
    """One hourly run at ``moment`` (naive UTC)."""
    with app.app_context(), clock.moved(seconds=(moment - clock.now()).total_seconds()):
        told = tick(db.session, clock.now())
        db.session.commit()
    return told


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=STOCKHOLM).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def test_a_reviewer_is_told_at_once_sees_it_in_whats_new_and_opens_it(app, submitted):  # noqa: F811
    _allocate(app, submitted)
    [(kind, _subject, body)] = _mail(app, "coteacher@example.org")
    assert kind == "reviews_allocated"
    assert "You get this email because you chose to be told at once about" in body
    assert "/account#notices" in body and "/reviews" in body
    for private in ("asthma clinic", "scared at night"):
        assert private not in body
    coteacher = signed_in(app, "coteacher@example.org")
    home = coteacher.get("/").get_data(as_text=True)
    assert "What’s new: 1 unread" in home
    page = coteacher.get("/whats-new").get_data(as_text=True)
    assert "You have been given 1 review: " in page and "New:" in page
    [notice] = _notices(app, "coteacher@example.org")
    opened = coteacher.post(f"/whats-new/{notice.id}/open",
                            data={"csrf_token": csrf_from(page)})
    assert opened.status_code == 303 and opened.headers["Location"] == "/reviews"
    assert "unread" not in coteacher.get("/").get_data(as_text=True).split("</nav>")[0]
    # nobody opens another person's notification
    student = signed_in(app, "student@example.org")
    other = student.post(f"/whats-new/{notice.id}/open", data={"csrf_token": csrf_from(
        student.get("/whats-new").get_data(as_text=True))})
    assert other.status_code == 404
    assert _notices(app, "coteacher@example.org")[0].read_at is not None


def test_never_means_no_mail_but_it_is_still_in_whats_new(app, submitted):  # noqa: F811
    coteacher = signed_in(app, "coteacher@example.org")
    assert _choose(coteacher, reviews="never").status_code == 303
    assert "Your choices of email are saved." in coteacher.get("/account").get_data(
        as_text=True)
    _allocate(app, submitted)
    assert _mail(app, "coteacher@example.org") == []
    assert "You have been given 1 review" in coteacher.get("/whats-new").get_data(
        as_text=True)
    # a choice that is not one of the three is refused and nothing changes
    refused = _choose(coteacher, reviews="sometimes", feedback="never")
    assert refused.status_code == 303
    assert "Choose at once, a daily digest or never" in coteacher.get("/account").get_data(
        as_text=True)
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "coteacher@example.org"))
        assert person.notices == {"reviews": "never"}


def _now_tick(app, **later):
    """The hourly run, ``later`` after now (a moment after the last save)."""
    return _tick(app, clock.now() + timedelta(**(later or {"minutes": 1})))


def test_a_changed_case_is_told_once_a_day_and_not_again_until_opened(app, assigned):
    student, case_id = start_case(app, assigned)
    save_part(student, case_id, "situation", "Ana's words about the night.", 0)
    save_part(student, case_id, "situation", "Ana's words, changed.", 1)
    assert _now_tick(app)["case_changed"] == 1
    [notice] = _notices(app, "partner@example.org")
    assert notice.kind == "case_changed" and notice.path == f"/cases/{case_id}"
    assert notice.mail == "digest" and notice.mailed_at is None
    assert _notices(app, "student@example.org") == []  # not told of their own change
    assert _mail(app, "partner@example.org") == []  # a digest by default
    assert _now_tick(app)["case_changed"] == 0, "the next run does not tell it again"
    partner = give_consent(app, case_id)
    assert "Someone else in your group changed your case" in partner.get(
        "/whats-new").get_data(as_text=True)
    # opening the case reads it; another change the same day is not told again
    partner.get(f"/cases/{case_id}")
    assert _notices(app, "partner@example.org")[0].read_at is not None
    save_part(student, case_id, "situation", "Changed again.", 2)
    _now_tick(app)
    assert len(_notices(app, "partner@example.org")) == 1
    # the next day it is told again; a change the partner opened the case after is not news
    with clock.moved(days=1):
        student = signed_in(app, "student@example.org")
        save_part(student, case_id, "situation", "Next day.", 3)
        with app.app_context():
            told = tick(db.session, clock.now() + timedelta(minutes=1))
            db.session.commit()
        assert told["case_changed"] == 1
        save_part(student, case_id, "situation", "Later that day.", 4)
        partner = signed_in(app, "partner@example.org")
        partner.get(f"/cases/{case_id}")
    with clock.moved(days=2), app.app_context():
        assert tick(db.session, clock.now() - timedelta(days=1) + timedelta(minutes=2)
                    )["case_changed"] == 0
    assert len(_notices(app, "partner@example.org")) == 2


def test_someone_who_chose_at_once_gets_a_mail_without_the_case_text(app, assigned):
    partner = signed_in(app, "partner@example.org")
    _choose(partner, case_changed="now")
    student, case_id = start_case(app, assigned)
    save_part(student, case_id, "situation", "Ana's private words.", 0)
    _now_tick(app)
    [(kind, subject, body)] = _mail(app, "partner@example.org")
    assert kind == "case_changed" and "changed your case" in subject
    assert f"/cases/{case_id}" in body and "Ana's private words" not in body


def test_the_daily_digest_comes_once_in_the_morning_with_everything_waiting(app, assigned):
    with app.app_context():
        db.session.get(Programme, assigned.ids["P"]).time_zone = "Europe/Stockholm"
        db.session.commit()
    student, case_id = start_case(app, assigned)
    save_part(student, case_id, "situation", "Ana's private words.", 0)
    _now_tick(app)
    day = (clock.now() + timedelta(days=1)).date()
    early = _tick(app, _utc(datetime(day.year, day.month, day.day, 6, 30)))
    assert early["digests"] == 0 and _mail(app, "partner@example.org") == []
    assert _tick(app, _utc(datetime(day.year, day.month, day.day, 7, 5)))["digests"] == 1
    [(kind, subject, body)] = _mail(app, "partner@example.org")
    assert kind == "digest" and subject == "Your daily news from Coproduce"
    assert "Someone else in your group changed your case" in body
    assert f"/cases/{case_id}" in body and "/whats-new" in body
    assert "once a day because you chose a daily digest" in body
    assert "Ana's private words" not in body
    # the next run the same day sends nothing more
    assert _tick(app, _utc(datetime(day.year, day.month, day.day, 8, 5)))["digests"] == 0
    assert len(_mail(app, "partner@example.org")) == 1
    # news read in the app before the morning is left out of the digest
    with app.app_context(), clock.moved(days=1):
        partner = db.session.scalar(select(Account).where(
            Account.email_key == "partner@example.org"))
        row = notify(db.session, partner, "case_changed", path=f"/cases/{case_id}",
                     params={"title": "T"}, key="other")
        row.read_at = clock.now()
        db.session.commit()
    after = day + timedelta(days=1)
    _tick(app, _utc(datetime(after.year, after.month, after.day, 7, 5)))
    assert len(_mail(app, "partner@example.org")) == 1


def test_a_case_due_within_two_days_with_empty_parts_is_told_once(app, assigned):
    with app.app_context():
        due = db.session.get(Assignment, assigned.ids["A"]).due_at
    assert _tick(app, due - timedelta(hours=72))["due_soon"] == 0
    told = _tick(app, due - timedelta(hours=47))
    # the student and the patient partner of group one, the student of group two
    assert told["due_soon"] == 3
    assert _tick(app, due - timedelta(hours=46))["due_soon"] == 0
    [(_kind, subject, body)] = _mail(app, "student@example.org", "due_soon")
    assert "due within two days and parts are still empty" in subject
    assert f"/assignments/{assigned.ids['A']}/case" in body
    assert "Other Student" not in body
    assert _mail(app, "student2@example.org", "due_soon")


def test_feedback_released_by_hand_or_by_its_date_is_told_once(app, submitted):  # noqa: F811
    educator = _allocate(app, submitted)
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    educator.post(manage, data={"csrf_token": csrf_from(educator.get(manage).get_data(
        as_text=True)), "action": "release"})
    for email in ("student@example.org", "partner@example.org"):
        [(_kind, subject, body)] = _mail(app, email, "feedback")
        assert "Feedback on your group’s case is ready" in subject
        assert f"/cases/{submitted.ids['K']}/feedback" in body
    with app.app_context():
        review_due = db.session.get(Assignment, submitted.ids["A"]).review_due_at
    assert _tick(app, review_due + timedelta(hours=1))["feedback"] == 0
    assert len(_mail(app, "student@example.org", "feedback")) == 1


def test_feedback_released_by_its_date_is_told_by_the_hourly_run(app, submitted):  # noqa: F811
    with app.app_context():
        review_due = db.session.get(Assignment, submitted.ids["A"]).review_due_at
    assert _tick(app, review_due - timedelta(hours=1))["feedback"] == 0
    assert _tick(app, review_due + timedelta(hours=1))["feedback"] == 2
    assert _tick(app, review_due + timedelta(hours=2))["feedback"] == 0


def test_educators_hear_of_comments_to_screen_at_most_once_a_day(app, assigned):
    with app.app_context():
        cohort = db.session.get(Cohort, assigned.ids["C"])
        make_feedback(cohort.id, "A comment.")
        assert events.comments_to_screen(db.session, cohort, clock.now()) == 1
        assert events.comments_to_screen(db.session, cohort, clock.now()) == 0
        db.session.commit()
    [notice] = _notices(app, "educator@example.org")
    assert notice.path == f"/cohorts/{assigned.ids['C']}/comments"
    assert _notices(app, "lead@example.org") == []


def test_an_answered_survey_with_a_comment_tells_the_educators(app, assigned):
    student = signed_in(app, "student@example.org")
    path = f"/assignments/{assigned.ids['A']}/module-feedback"
    page = student.get(path).get_data(as_text=True)
    if "not available yet" in page or "csrf_token" not in page:
        app.test_cli_runner().invoke(args=["content", "load"])
        page = student.get(path).get_data(as_text=True)
    import re

    fields = {name: "4" for name in set(re.findall(r'name="([a-z0-9_-]+)" value="4"', page))}
    texts = set(re.findall(r'<textarea[^>]*name="([a-z0-9_-]+)"', page))
    fields.update({name: "More time with Ana, please." for name in texts})
    answer = student.post(path, data=dict(fields, csrf_token=csrf_from(page)))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    [notice] = _notices(app, "educator@example.org")
    assert notice.kind == "screening"
    assert "More time with Ana" not in str(notice.params)


def test_marking_everything_read_empties_the_count(app, assigned):
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        for n in range(3):
            notify(db.session, person, "reminder", path="/", params={"title": f"M{n}"})
        db.session.commit()
    student = signed_in(app, "student@example.org")
    assert "What’s new: 3 unread" in student.get("/").get_data(as_text=True)
    done = student.post("/whats-new/read", data={"csrf_token": csrf_from(
        student.get("/whats-new").get_data(as_text=True))})
    assert done.status_code == 303
    page = student.get("/whats-new").get_data(as_text=True)
    assert "unread" not in page.split("</nav>")[0] and "New:" not in page


def test_the_home_page_asks_the_same_questions_with_50_unread(app, assigned):
    student = signed_in(app, "student@example.org")
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        notify(db.session, person, "reminder", path="/", params={"title": "M"})
        db.session.commit()
    student.get("/")
    one = statements_for_page(app, student, "/")
    whats_new_one = statements_for_page(app, student, "/whats-new")
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        for n in range(49):
            notify(db.session, person, "reminder", path="/", params={"title": f"M{n}"})
        db.session.commit()
    assert "What’s new: 50 unread" in student.get("/").get_data(as_text=True)
    assert statements_for_page(app, student, "/") == one
    assert statements_for_page(app, student, "/whats-new") == whats_new_one


def test_the_hourly_job_runs_once_an_hour_however_many_workers_ask(app, assigned):
    from webapp.jobs.queue import drain
    from webapp.models import ReportJob
    from webapp.notices.schedule import ask_for_this_hour

    with app.app_context():
        due = db.session.get(Assignment, assigned.ids["A"]).due_at
    with clock.moved(seconds=(due - timedelta(hours=47) - clock.now()).total_seconds()):
        assert ask_for_this_hour(app) is not None
        assert ask_for_this_hour(app) is None  # a second worker's sweeper joins it
        assert drain(app) == 1
    with app.app_context():
        jobs = db.session.scalars(select(ReportJob).where(ReportJob.kind == "notices")).all()
        assert [job.state for job in jobs] == ["done"]
    assert len(_mail(app, "student@example.org", "due_soon")) == 1


def test_the_command_runs_the_hourly_work(app, assigned):
    result = app.test_cli_runner().invoke(args=["notices"])
    assert result.exit_code == 0 and "daily digest" in result.output


def test_a_hidden_log_entry_tells_its_author(app, assigned):
    from tests.web.test_learning_log_sharing import _post, _shared

    entry_id = _shared(app, assigned, "Something unkind.")
    page = f"/cohorts/{assigned.ids['C']}/learning"
    _post(signed_in(app, "educator@example.org"), f"/log/{entry_id}/hide",
          {"reason": "It names a colleague."}, page)
    [(_kind, _subject, body)] = _mail(app, "student@example.org", "learning_log")
    assert f"/log/{entry_id}" in body and "Something unkind" not in body
    assert "It names a colleague" not in body


def test_a_removed_or_closed_account_is_not_told(app, assigned):
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        person.active = False
        assert notify(db.session, person, "reminder", path="/") is None
        row = db.session.scalar(select(ModuleVersionRow))
        other = make_assignment(assigned.ids["C2"], row)
        make_case(assigned.ids["G3"], other.id)
        db.session.commit()
    assert _notices(app, "student@example.org") == []


def test_nothing_new_says_so(app, assigned):
    page = signed_in(app, "lead@example.org").get("/whats-new").get_data(as_text=True)
    assert "Nothing new." in page


def test_reviews_mail_never_carries_review_text(app, submitted):  # noqa: F811
    _allocate(app, submitted)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.lens == "patient"))
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(page), version="0", submit="1",
        **{"comment-plans-made-with": "A private comment."}))
    educator = signed_in(app, "educator@example.org")
    case = f"/cases/{submitted.ids['K']}"
    educator.post(f"{case}/reopen", data={"csrf_token": csrf_from(
        educator.get(case).get_data(as_text=True))})
    assert all("A private comment." not in body for _k, _s, body in _mail(app))


def test_a_group_that_handed_in_is_not_told_its_case_is_due(app, submitted):  # noqa: F811
    with app.app_context():
        due = db.session.get(Assignment, submitted.ids["A"]).due_at
    _tick(app, due - timedelta(hours=47))
    assert _mail(app, "student@example.org", "due_soon") == []
    assert _mail(app, "partner@example.org", "due_soon") == []
    assert len(_mail(app, "student2@example.org", "due_soon")) == 1
