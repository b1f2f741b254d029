"""What happens to a shared entry: an educator hides it (the author is told why) or asks to
show it to later cohorts (only with the author's yes, never outside the programme), and a
"What happened?" entry goes back to the reviewers who gave the feedback."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.conftest import csrf_from, make_cohort, make_group, signed_in
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, AuditEvent, LogEntry, ModuleVersionRow, Programme


def _shared(app, world, text, *, email="student@example.org", named=True, **fields):
    with app.app_context():
        author = db.session.scalar(select(Account).where(Account.email_key == email))
        module = db.session.scalar(select(ModuleVersionRow.id))
        entry = LogEntry(account_id=author.id, place="lesson", stage="what", text=text,
                         tags=[], written_on=date(2026, 11, 1), module_version_id=module,
                         place_id="why-together", shared_with="cohort",
                         share_cohort_id=world.ids["C"], share_named=named, shared_at=now(),
                         **fields)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def _post(client, path, data, page):
    return client.post(path, data=dict(data, csrf_token=csrf_from(
        client.get(page).get_data(as_text=True))))


def test_an_educator_hides_a_shared_entry_and_the_author_reads_why(app, assigned):
    world = assigned
    entry_id = _shared(app, world, "Something unkind about a colleague.")
    page = f"/cohorts/{world.ids['C']}/learning"
    educator = signed_in(app, "educator@example.org")
    assert "Hide from this page" in educator.get(page).get_data(as_text=True)
    refused = _post(educator, f"/log/{entry_id}/hide", {"reason": ""}, page)
    assert refused.status_code == 400 and "Say why" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LogEntry, entry_id).hidden_at is None, "a reason is needed"
    _post(educator, f"/log/{entry_id}/hide", {"reason": "It names a colleague."}, page)
    for email in ("student2@example.org", "educator@example.org", "lead@example.org"):
        assert "Something unkind" not in signed_in(app, email).get(page).get_data(
            as_text=True)
    author = signed_in(app, "student@example.org")
    assert "It names a colleague." in author.get(f"/log/{entry_id}").get_data(as_text=True)
    assert "It names a colleague." in author.get("/log").get_data(as_text=True)
    # a lead reads the cohort's page but does not hide; nobody outside the cohort can
    lead = signed_in(app, "lead@example.org")
    assert _post(lead, f"/log/{entry_id}/hide", {"reason": "x"}, page).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.kind).where(
            AuditEvent.kind == "log_hidden")) == "log_hidden"


def test_a_pin_shows_on_the_module_page_only_after_the_author_agrees_and_within_the_programme(
        app, assigned):
    world = assigned
    entry_id = _shared(app, world, "Sit beside, not opposite.", named=False)
    page = f"/cohorts/{world.ids['C']}/learning"
    module_page = "/modules/example-module/1.0.0"
    educator = signed_in(app, "educator@example.org")
    assert _post(educator, f"/log/{entry_id}/pin", {}, page).status_code == 303
    # a later cohort of the same programme
    with app.app_context():
        programme = db.session.get(Programme, world.ids["P"])
        later = make_cohort(programme, "Next year")
        newcomer = db.session.scalar(select(Account).where(
            Account.email_key == "outsider@example.org"))
        make_group(later, "New group", [(newcomer, "student")])
        db.session.commit()
    newcomer = signed_in(app, "outsider@example.org")
    assert "Sit beside" not in newcomer.get(module_page).get_data(as_text=True)
    author = signed_in(app, "student@example.org")
    answer_page = author.get(f"/log/{entry_id}").get_data(as_text=True)
    assert "would like to show this entry" in answer_page
    _post(author, f"/log/{entry_id}/pin/answer", {"accept": "yes"}, f"/log/{entry_id}")
    shown = newcomer.get(module_page).get_data(as_text=True)
    assert "Sit beside, not opposite." in shown and "A learner in an earlier cohort" in shown
    elsewhere = signed_in(app, "far@example.org")  # another programme
    assert "Sit beside" not in elsewhere.get(module_page).get_data(as_text=True)
    _post(author, f"/log/{entry_id}/withdraw", {}, f"/log/{entry_id}")
    assert "Sit beside" not in newcomer.get(module_page).get_data(as_text=True)


def test_a_declined_pin_is_never_shown(app, assigned):
    world = assigned
    entry_id = _shared(app, world, "Ask about sleep.")
    educator = signed_in(app, "educator@example.org")
    page = f"/cohorts/{world.ids['C']}/learning"
    _post(educator, f"/log/{entry_id}/pin", {}, page)
    author = signed_in(app, "student@example.org")
    _post(author, f"/log/{entry_id}/pin/answer", {"accept": "no"}, f"/log/{entry_id}")
    assert "Ask about sleep." not in signed_in(app, "student2@example.org").get(
        "/modules/example-module/1.0.0").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LogEntry, entry_id).pin_state is None


def test_you_said_i_did_reaches_the_reviewer_beside_their_review(app, work):
    from webapp.models import Review, Submission

    with app.app_context():
        review = db.session.get(Review, work.ids["R1"])
        case_id = db.session.get(Submission, review.submission_id).case_work_id
    student = signed_in(app, "student@example.org")
    plan_page = student.get("/log/new?place=feedback").get_data(as_text=True)
    module = None
    with app.app_context():
        module = db.session.scalar(select(ModuleVersionRow.id))
    student.post("/log/new", data={"csrf_token": csrf_from(plan_page), "place": "feedback",
                                   "module": str(module), "at": str(case_id),
                                   "stage": "now_what", "text": "Ask her what a good day is."})
    with app.app_context():
        plan = db.session.scalar(select(LogEntry.id))
    student.post("/log/new", data={"csrf_token": csrf_from(plan_page), "place": "placement",
                                   "stage": "what_happened", "follows": str(plan),
                                   "text": "I asked; she said: seeing her grandson."})
    with app.app_context():
        done = db.session.scalar(select(LogEntry.id).where(LogEntry.follows_id == plan))
    page = student.get(f"/log/{done}").get_data(as_text=True)
    assert "Send it to the reviewers" in page
    assert "Send it to the reviewers" not in student.get(f"/log/{plan}").get_data(as_text=True)
    coteacher = signed_in(app, "coteacher@example.org")
    review_page = f"/reviews/{work.ids['R1']}"
    assert "seeing her grandson" not in coteacher.get(review_page).get_data(as_text=True)
    _post(student, f"/log/{done}/send-back", {}, f"/log/{done}")
    shown = coteacher.get(review_page).get_data(as_text=True)
    assert "You said, I did" in shown and "I asked; she said: seeing her grandson." in shown
    assert "seeing her grandson" not in signed_in(app, "student2@example.org").get(
        f"/cohorts/{work.ids['C']}/learning").get_data(as_text=True)
    _post(student, f"/log/{done}/withdraw", {}, f"/log/{done}")
    assert "seeing her grandson" not in coteacher.get(review_page).get_data(as_text=True)


def test_a_hidden_entry_is_shared_again_only_after_the_author_changes_it(app, assigned):
    world = assigned
    entry_id = _shared(app, world, "Named a colleague here.")
    page = f"/cohorts/{world.ids['C']}/learning"
    educator = signed_in(app, "educator@example.org")
    _post(educator, f"/log/{entry_id}/hide", {"reason": "It names a colleague."}, page)
    author = signed_in(app, "student@example.org")
    _post(author, f"/log/{entry_id}/withdraw", {}, f"/log/{entry_id}")
    share = {"audience": f"cohort:{world.ids['C']}", "named": "no", "asked": "yes"}
    again = _post(author, f"/log/{entry_id}/share", share, f"/log/{entry_id}/share")
    assert again.status_code == 400 and "Change it first" in again.get_data(as_text=True)
    form = author.get(f"/log/{entry_id}").get_data(as_text=True)
    assert author.post(f"/log/{entry_id}", data={
        "csrf_token": csrf_from(form), "version": "1", "stage": "what",
        "text": "A colleague showed me how to listen.", "written_on": "",
        "come_back_on": ""}).status_code == 303
    assert _post(author, f"/log/{entry_id}/share", share,
                 f"/log/{entry_id}/share").status_code == 303
    assert "A colleague showed me" in signed_in(app, "student2@example.org").get(page).get_data(
        as_text=True)


def test_re_sharing_a_pinned_entry_with_a_group_takes_it_off_the_module_page(app, assigned):
    world = assigned
    entry_id = _shared(app, world, "Pinned, then moved to the group.")
    page = f"/cohorts/{world.ids['C']}/learning"
    _post(signed_in(app, "educator@example.org"), f"/log/{entry_id}/pin", {}, page)
    author = signed_in(app, "student@example.org")
    _post(author, f"/log/{entry_id}/pin/answer", {"accept": "yes"}, f"/log/{entry_id}")
    module_page = "/modules/example-module/1.0.0"
    reader = signed_in(app, "student2@example.org")
    assert "Pinned, then moved" in reader.get(module_page).get_data(as_text=True)
    _post(author, f"/log/{entry_id}/share", {"audience": f"group:{world.ids['G1']}",
                                             "named": "no", "asked": "yes"},
          f"/log/{entry_id}")
    assert "Pinned, then moved" not in reader.get(module_page).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LogEntry, entry_id).pin_state is None


def test_only_an_entry_shared_with_the_cohort_can_be_hidden_and_an_admin_cannot(app, assigned):
    world = assigned
    with app.app_context():
        author = db.session.scalar(select(Account).where(
            Account.email_key == "student@example.org"))
        private = LogEntry(account_id=author.id, place="own", stage="what", text="Mine.",
                           tags=[], written_on=date(2026, 11, 1))
        grouped = LogEntry(account_id=author.id, place="own", stage="what", text="Ours.",
                           tags=[], written_on=date(2026, 11, 1), shared_with="group",
                           share_group_id=world.ids["G1"], share_cohort_id=world.ids["C"],
                           shared_at=now())
        db.session.add_all([private, grouped])
        db.session.commit()
        ids = (private.id, grouped.id)
    page = f"/cohorts/{world.ids['C']}/learning"
    for email in ("admin@example.org", "educator@example.org"):
        client = signed_in(app, email)
        for entry_id in ids:
            answer = _post(client, f"/log/{entry_id}/hide", {"reason": "x"}, "/")
            assert answer.status_code == 404, (email, entry_id)
    cohort_wide = _shared(app, world, "Shared widely.")
    educator = signed_in(app, "educator@example.org")
    long_reason = "Because " * 80
    kept = _post(educator, f"/log/{cohort_wide}/hide", {"reason": long_reason}, page)
    assert kept.status_code == 400
    assert "at most 500 characters" in kept.get_data(as_text=True)
    assert long_reason.strip()[:60] in kept.get_data(as_text=True)
    with app.app_context():
        assert all(db.session.get(LogEntry, i).hidden_at is None for i in (*ids, cohort_wide))
