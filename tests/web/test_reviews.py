"""Reviews: allocation by capacity, the reviewer's form, release, feedback by theme, pinning."""

import re
import shutil

import pytest
from sqlalchemy import select

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
from webapp.extensions import db
from webapp.models import Review, RubricVersionRow


@pytest.fixture
def submitted(app, assigned):  # noqa: F811
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    save_part(student, case_id, "situation", "We are at the asthma clinic.", 0)
    save_part(partner, case_id, "emotions", "I was scared at night.", 0)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id, share_reviewers="yes")
    assigned.ids["K"] = case_id
    return assigned


def _allocate(app, world):
    educator = signed_in(app, "educator@example.org")
    page = f"/assignments/{world.ids['A']}/reviews"
    html = educator.get(page).get_data(as_text=True)
    assert "Coteacher" in html and "Educator" in html
    answer = educator.post(page, data={"csrf_token": csrf_from(html), "action": "allocate"})
    assert "2 reviews allocated" in educator.get(answer.headers["Location"]).get_data(
        as_text=True)
    return educator


def _review_of(app, lens):
    with app.app_context():
        return db.session.scalar(select(Review).where(Review.lens == lens))



def test_allocation_gives_each_lens_its_reviewer_and_pins_the_rubric(app, submitted):
    _allocate(app, submitted)
    patient, educator = _review_of(app, "patient"), _review_of(app, "educator")
    with app.app_context():
        assert db.session.get(RubricVersionRow, patient.rubric_version_id).slug == \
            "patient-review"
        assert db.session.get(RubricVersionRow, educator.rubric_version_id).slug == \
            "case-rubric"
    queue = signed_in(app, "coteacher@example.org").get("/reviews").get_data(as_text=True)
    assert f"/reviews/{patient.id}" in queue and f"/reviews/{educator.id}" not in queue


def test_a_review_needs_every_statement_rated_to_submit(app, submitted):
    _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "We are at the asthma clinic." in page and "I was scared at night." in page
    assert "What would you most like this group to hear?" in page
    half = coteacher.post(f"/reviews/{review.id}", data={
        "csrf_token": csrf_from(page), "version": "0", "submit": "1",
        "rating-whole-person": "mostly", "comment-whole-person": "<b>Kind</b> words",
        "answer": "Thank you."})
    html = half.get_data(as_text=True)
    assert half.status_code == 400 and "Still to rate" in html
    assert "&lt;b&gt;Kind&lt;/b&gt; words" in html, "what was typed comes back, escaped"
    assert _review_of(app, "patient").submitted_at is None
    draft = coteacher.post(f"/reviews/{review.id}", data={
        "csrf_token": csrf_from(page), "version": "0", "submit": "0",
        "rating-whole-person": "mostly"})
    assert draft.status_code == 303
    done = coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(page), version="1", submit="1",
        answer="Keep listening like this."))
    assert done.status_code == 303
    assert _review_of(app, "patient").submitted_at is not None


def test_only_the_allocated_reviewer_opens_a_review(app, submitted):
    _allocate(app, submitted)
    review = _review_of(app, "patient")
    for email, status in (("student@example.org", 403), ("partner@example.org", 403),
                          ("educator@example.org", 403), ("far@example.org", 404),
                          ("outsider@example.org", 404)):
        assert signed_in(app, email).get(f"/reviews/{review.id}").status_code == status, email


def test_feedback_waits_for_release_then_shows_both_lenses_without_hidden_names(
        app, submitted):
    educator = _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("not_yet"), csrf_token=csrf_from(page), version="0", submit="1",
        **{"comment-plans-made-with": "Ask her what she wants."}))
    edu_review = _review_of(app, "educator")
    page = educator.get(f"/reviews/{edu_review.id}").get_data(as_text=True)
    ratings = {f"rating-{c}": "exemplary" for c in (
        "situation-and-roles", "listening-to-the-person", "knowledge-joined",
        "system-and-redesign", "coproduction-stance", "so-what-now-what")}
    educator.post(f"/reviews/{edu_review.id}", data=dict(
        ratings, csrf_token=csrf_from(page), version="0", submit="1"))
    student = signed_in(app, "student@example.org")
    case_id = submitted.ids["K"]
    early = student.get(f"/cases/{case_id}/feedback")
    assert early.status_code == 303
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    html = educator.get(manage).get_data(as_text=True)
    educator.post(manage, data={"csrf_token": csrf_from(html), "action": "release"})
    feedback = student.get(f"/cases/{case_id}/feedback").get_data(as_text=True)
    assert "Ask her what she wants." in feedback
    assert "Exemplary" in feedback and "Not yet" in feedback
    assert "perspectives differ" in feedback
    assert "Coteacher" not in feedback, "the co-teacher chose not to show their name"
    assert not re.search(r"coteacher@example\.org", feedback)


def test_a_new_rubric_version_never_changes_earlier_reviews(app, submitted, tmp_path):
    _allocate(app, submitted)
    old = _review_of(app, "educator")
    tree = tmp_path / "tree"
    (tree / "assessments" / "rubrics" / "case-rubric").mkdir(parents=True)
    source = ROOT / "assessments" / "rubrics" / "case-rubric" / "1.1.0.toml"
    target = tree / "assessments" / "rubrics" / "case-rubric" / "9.0.0.toml"
    shutil.copy(source, target)
    target.write_text(target.read_text().replace('version = "1.1.0"', 'version = "9.0.0"')
                      .replace('label = "Exemplary"', 'label = "Outstanding"'))
    result = app.test_cli_runner().invoke(args=["content", "load", str(tree)])
    assert result.exit_code == 0, result.output
    educator = signed_in(app, "educator@example.org")
    page = educator.get(f"/reviews/{old.id}").get_data(as_text=True)
    assert "Exemplary" in page and "Outstanding" not in page and "1.1.0" in page
    with app.app_context():
        pinned = db.session.get(Review, old.id).rubric_version_id
        newest = db.session.scalar(select(RubricVersionRow.id).where(
            RubricVersionRow.slug == "case-rubric", RubricVersionRow.version == "9.0.0"))
    assert pinned != newest


def test_reviewers_practise_on_an_exemplar_and_see_the_agreed_ratings(app, submitted):
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get("/reviews/practice/patient")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Maria" in html
    answer = coteacher.post("/reviews/practice/patient", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(html), exemplar="0"))
    result = answer.get_data(as_text=True)
    assert "Your ratings and the authors’ ones" in result, "the examples are provisional"
    assert "one level higher" in result and "the same" in result
    assert signed_in(app, "student@example.org").get("/reviews/practice/patient").status_code \
        == 403


def test_the_group_rates_itself_before_release_and_responds_after(app, submitted):
    educator = _allocate(app, submitted)
    case_id = submitted.ids["K"]
    student = signed_in(app, "student@example.org")
    page = student.get(f"/cases/{case_id}/self-rating").get_data(as_text=True)
    student.post(f"/cases/{case_id}/self-rating", data={
        "csrf_token": csrf_from(page), "rating-so-what-now-what": "developing"})
    edu_review = _review_of(app, "educator")
    page = educator.get(f"/reviews/{edu_review.id}").get_data(as_text=True)
    ratings = {f"rating-{c}": "proficient" for c in (
        "situation-and-roles", "listening-to-the-person", "knowledge-joined",
        "system-and-redesign", "coproduction-stance", "so-what-now-what")}
    educator.post(f"/reviews/{edu_review.id}", data=dict(
        ratings, csrf_token=csrf_from(page), version="0", submit="1"))
    token = csrf_from(student.get(f"/cases/{case_id}").get_data(as_text=True))
    too_early = student.post(f"/cases/{case_id}/response",
                             data={"csrf_token": token, "text": "We will..."})
    assert too_early.status_code == 303
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    html = educator.get(manage).get_data(as_text=True)
    educator.post(manage, data={"csrf_token": csrf_from(html), "action": "release"})
    feedback = student.get(f"/cases/{case_id}/feedback").get_data(as_text=True)
    assert "your group: Developing" in feedback
    closed = student.get(f"/cases/{case_id}/self-rating")
    assert closed.status_code == 303, "the self-rating closes at release"
    student.post(f"/cases/{case_id}/response", data={
        "csrf_token": csrf_from(feedback), "text": "We will ask Ana what matters first."})
    patient_review = _review_of(app, "patient")
    shown = signed_in(app, "coteacher@example.org").get(f"/reviews/{patient_review.id}")
    assert "We will ask Ana what matters first." in shown.get_data(as_text=True)


def test_the_group_can_rate_itself_before_hand_in_and_the_rating_travels(app, assigned):
    assert app.test_cli_runner().invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    student, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    case_page = student.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Before you hand in, you can rate your own case" in case_page
    page = student.get(f"/cases/{case_id}/self-rating")
    assert page.status_code == 200
    student.post(f"/cases/{case_id}/self-rating", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "rating-so-what-now-what": "developing"})
    assert "(saved; you can change it)" in student.get(f"/cases/{case_id}").get_data(
        as_text=True)
    save_part(student, case_id, "situation", "We are at the asthma clinic.", 0)
    confirm_submission(student, case_id)
    confirm_submission(partner, case_id, share_reviewers="yes")
    with app.app_context():
        from webapp.models import SelfAssessment

        carried = db.session.scalar(select(SelfAssessment))
        assert carried.ratings == {"so-what-now-what": "developing"}


def test_educators_and_leads_see_distributions_differences_and_coverage(app, submitted):
    educator = _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("not_yet"), csrf_token=csrf_from(page), version="0", submit="1"))
    edu_review = _review_of(app, "educator")
    page = educator.get(f"/reviews/{edu_review.id}").get_data(as_text=True)
    educator.post(f"/reviews/{edu_review.id}", data=dict(
        {f"rating-{c}": "exemplary" for c in (
            "situation-and-roles", "listening-to-the-person", "knowledge-joined",
            "system-and-redesign", "coproduction-stance", "so-what-now-what")},
        csrf_token=csrf_from(page), version="0", submit="1"))
    lead = signed_in(app, "lead@example.org")
    html = lead.get(f"/assignments/{submitted.ids['A']}/review-report").get_data(as_text=True)
    assert "1 / 1" in html
    assert "case-rubric 1.1.0" in html and "patient-review 1.1.0" in html
    assert ("Group One: the person at the centre; how the service works; working as partners; "
            "what will change next") in html
    assert "Coteacher" not in html, "patient-lens figures are never shown per reviewer"
    assert signed_in(app, "student@example.org").get(
        f"/assignments/{submitted.ids['A']}/review-report").status_code == 403


def test_students_answer_confidence_once_and_see_their_own_change(app, submitted):
    student = signed_in(app, "student@example.org")
    path = f"/assignments/{submitted.ids['A']}/confidence"
    page = student.get(path).get_data(as_text=True)
    items = re.findall(r'name="([\w-]+)-then"', page)
    assert len(items) == 6
    partial = student.post(path, data={"csrf_token": csrf_from(page), f"{items[0]}-then": "3"})
    assert partial.status_code == 400 and "Please give both numbers" in partial.get_data(
        as_text=True)
    data = {"csrf_token": csrf_from(page)}
    for item in items:
        data[f"{item}-then"], data[f"{item}-now"] = "3", "7"
    assert student.post(path, data=data).status_code == 303
    shown = student.get(path).get_data(as_text=True)
    assert "<svg" in shown and "+4" in shown
    again = dict(data, **{f"{items[0]}-now": "1"})
    student.post(path, data=again)
    assert "+4" in student.get(path).get_data(as_text=True), "answered once"
    partner = signed_in(app, "partner@example.org").get(path)
    assert partner.status_code == 403, "students only"


def test_review_drafts_autosave_as_json_and_never_submit(app, submitted):
    _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    answer = coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(page), version="0", submit="1"),
        headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.get_json()["version"] == 1
    assert _review_of(app, "patient").submitted_at is None, "an autosave is only a draft"
    stale = coteacher.post(f"/reviews/{review.id}", data=dict(
        csrf_token=csrf_from(page), version="0", submit="0"),
        headers={"Accept": "application/json"})
    assert stale.status_code == 409 and "another window" in stale.get_json()["error"]


def test_a_hidden_reviewer_name_appears_on_no_page_the_group_can_open(app, submitted):
    _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("mostly"), csrf_token=csrf_from(page), version="0", submit="1",
        answer="Lovely work."))
    educator = signed_in(app, "educator@example.org")
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    html = educator.get(manage).get_data(as_text=True)
    educator.post(manage, data={"csrf_token": csrf_from(html), "action": "release"})
    case_id, ids = submitted.ids["K"], submitted.ids
    for email in ("student@example.org", "partner@example.org"):
        member = signed_in(app, email)
        for path in ("/", f"/cases/{case_id}", f"/cases/{case_id}/feedback",
                     f"/cohorts/{ids['C']}", f"/assignments/{ids['A']}",
                     f"/cases/{case_id}/sections/emotions/history"):
            body = member.get(path).get_data(as_text=True)
            assert "Coteacher" not in body and "coteacher@example.org" not in body, path
    feedback = signed_in(app, "student@example.org").get(f"/cases/{case_id}/feedback")
    assert "Lovely work." in feedback.get_data(as_text=True)


def test_release_invites_differing_reviewers_to_talk_and_part_9_can_be_revised(app, submitted):
    from webapp.models import Outbox

    educator = _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("not_yet"), csrf_token=csrf_from(page), version="0", submit="1"))
    edu_review = _review_of(app, "educator")
    page = educator.get(f"/reviews/{edu_review.id}").get_data(as_text=True)
    educator.post(f"/reviews/{edu_review.id}", data=dict(
        {f"rating-{c}": "exemplary" for c in (
            "situation-and-roles", "listening-to-the-person", "knowledge-joined",
            "system-and-redesign", "coproduction-stance", "so-what-now-what")},
        csrf_token=csrf_from(page), version="0", submit="1"))
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    html = educator.get(manage).get_data(as_text=True)
    released = educator.post(manage, data={"csrf_token": csrf_from(html), "action": "release"})
    assert "both reviewers were invited to talk (2 emails)" in educator.get(
        released.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        invited = sorted(db.session.scalars(select(Outbox.to_address).where(
            Outbox.kind == "perspectives")))
    assert invited == ["coteacher@example.org", "educator@example.org"]
    with app.app_context():
        body = db.session.scalar(select(Outbox.body).where(Outbox.kind == "perspectives"))
    assert "You and the other reviewer saw some things differently:" in body
    assert "- the person at the centre" in body and "- working as partners" in body
    assert "partnership" not in body and "opposite directions" not in body
    student = signed_in(app, "student@example.org")
    case_id = submitted.ids["K"]
    feedback = student.get(f"/cases/{case_id}/feedback").get_data(as_text=True)
    student.post(f"/cases/{case_id}/response", data={
        "csrf_token": csrf_from(feedback), "text": "We will plan with Ana.",
        "revised_reflection": "Each of us will ask 'what matters to you?' first."})
    shown = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Part 9, revised after the feedback" in shown
    assert "Each of us will ask &#39;what matters to you?&#39; first." in shown


def _mail(app, kind):
    from webapp.models import Outbox

    with app.app_context():
        return [(m.to_address, m.body) for m in db.session.scalars(
            select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id))]


def test_reviewers_are_told_when_reviews_are_given_to_them_or_moved_away(app, submitted):
    from tests.conftest import add_role, make_account
    from webapp.models import Cohort

    educator = _allocate(app, submitted)
    given = _mail(app, "reviews_allocated")
    assert sorted(to for to, _ in given) == ["coteacher@example.org", "educator@example.org"]
    assert all("You have been given 1 review " in body and "/reviews" in body
               for _, body in given)
    page = f"/assignments/{submitted.ids['A']}/reviews"
    again = educator.post(page, data={"csrf_token": csrf_from(educator.get(page).get_data(
        as_text=True)), "action": "allocate"})
    assert again.status_code == 303 and len(_mail(app, "reviews_allocated")) == 2
    with app.app_context():
        cohort = db.session.get(Cohort, submitted.ids["C"])
        second = make_account("coteacher2@example.org", "Second Coteacher")
        add_role(second, "patient_coteacher", cohort=cohort)
        db.session.commit()
        second_id = second.id
    patient = _review_of(app, "patient")
    swapped = educator.post(page, data={
        "csrf_token": csrf_from(educator.get(page).get_data(as_text=True)), "action": "swap",
        "review_id": str(patient.id), "reviewer_id": str(second_id)})
    assert "now goes to Second Coteacher" in educator.get(swapped.headers["Location"]).get_data(
        as_text=True)
    assert _mail(app, "reviews_allocated")[-1][0] == "coteacher2@example.org"
    [(to, body)] = _mail(app, "review_released")
    assert to == "coteacher@example.org" and "no longer need to do it" in body


def test_reviewers_with_unfinished_reviews_are_told_when_the_case_is_reopened(app, submitted):
    educator = _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(page), version="0", submit="1"))
    assert _mail(app, "review_released") == []
    case = f"/cases/{submitted.ids['K']}"
    reopened = educator.post(f"{case}/reopen", data={
        "csrf_token": csrf_from(educator.get(case).get_data(as_text=True))})
    assert reopened.status_code == 303
    # the co-teacher finished theirs; only the educator's unfinished review is released
    [(to, body)] = _mail(app, "review_released")
    assert to == "educator@example.org"
    assert "You no longer need to review it." in body and "/reviews" in body


def test_a_reviewer_hands_back_a_review_without_a_reason(app, submitted):
    from tests.conftest import csrf_from as token_of

    _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Hand this review back" in page
    educator = signed_in(app, "educator@example.org")
    assert educator.post(f"/reviews/{review.id}/hand-back", data={
        "csrf_token": token_of(educator.get("/account").get_data(as_text=True))}
    ).status_code == 403, "only the reviewer it is allocated to"
    answer = coteacher.post(f"/reviews/{review.id}/hand-back",
                            data={"csrf_token": token_of(page)})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/reviews")
    assert "You handed back the review of Group One" in coteacher.get("/reviews").get_data(
        as_text=True)
    assert _review_of(app, "patient") is None
    manage = educator.get(f"/assignments/{submitted.ids['A']}/reviews").get_data(as_text=True)
    assert "no reviewer yet" in manage


def test_a_reviewer_may_leave_a_statement_not_assessed_when_it_was_not_shared(app, submitted):
    """The partner chose not to share what helps them: the co-teacher marks that statement
    "Not assessed", submits without a level for it, and the group sees "Not assessed", never a
    lower level; the pooled figures count it at no level."""
    educator = _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert 'value="not_assessed"' in page and "chose not to share" in page
    ratings = patient_ratings("mostly") | {"rating-strengths-visible": "not_assessed"}
    sent = coteacher.post(f"/reviews/{review.id}", data=dict(
        ratings, csrf_token=csrf_from(page), version="0", submit="1"))
    assert sent.status_code == 303
    stored = _review_of(app, "patient")
    assert stored.submitted_at is not None
    assert stored.ratings["strengths-visible"] == "not_assessed"
    manage = f"/assignments/{submitted.ids['A']}/reviews"
    html = educator.get(manage).get_data(as_text=True)
    educator.post(manage, data={"csrf_token": csrf_from(html), "action": "release"})
    feedback = signed_in(app, "student@example.org").get(
        f"/cases/{submitted.ids['K']}/feedback").get_data(as_text=True)
    statement = re.search(r"asked what helps the person, and used it</strong>: ([^<]+)<",
                          feedback)
    assert statement and statement.group(1).strip() == "Not assessed"
    assert "Mostly" in feedback


def test_the_practice_page_offers_two_examples_and_says_they_are_provisional(app, submitted):
    coteacher = signed_in(app, "coteacher@example.org")
    first = coteacher.get("/reviews/practice/patient").get_data(as_text=True)
    assert "Maria" in first and "Gunnar" in first and "Provisional example" in first
    second = coteacher.get("/reviews/practice/patient?exemplar=1").get_data(as_text=True)
    assert "Gunnar is 78" in second
    answer = coteacher.post("/reviews/practice/patient", data=dict(
        patient_ratings("fully"), csrf_token=csrf_from(second), exemplar="1"))
    result = answer.get_data(as_text=True)
    assert "Your ratings and the authors’ ones" in result
    assert "It meets “The plan builds on what the person shared about what helps them”." \
        in result


def test_a_coteacher_tells_how_reviewing_worked_with_questions_of_their_own(app, submitted):
    from webapp.models import FeedbackResponse

    _allocate(app, submitted)
    review = _review_of(app, "patient")
    coteacher = signed_in(app, "coteacher@example.org")
    assert "How was reviewing?" not in coteacher.get("/reviews").get_data(as_text=True)
    page = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("mostly"), csrf_token=csrf_from(page), version="0", submit="1"))
    queue = coteacher.get("/reviews").get_data(as_text=True)
    path = f"/assignments/{submitted.ids['A']}/module-feedback"
    assert "How was reviewing?" in queue and path in queue
    survey = coteacher.get(path).get_data(as_text=True)
    assert "Practising on the example cases helped me review." in survey
    assert "The case felt real." not in survey and "treated as an equal" not in survey
    done = coteacher.post(path, data={"csrf_token": csrf_from(survey),
                                      "coteacher-practice-helped": "3"})
    assert done.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(FeedbackResponse.respondent)) == "coteacher"
    assert "How was reviewing?" not in coteacher.get("/reviews").get_data(as_text=True)
