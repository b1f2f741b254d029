"""Educator workspace: programmes, cohorts, groups, assignments, progress board, nudges."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.conftest import (
    add_role,
    csrf_from,
    make_account,
    make_assignment,
    make_module_version,
    signed_in,
    statements_for_page,
)
from webapp.extensions import db
from webapp.localtime import when
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Group,
    GroupMember,
    Membership,
    Outbox,
    Programme,
    SectionDraft,
)


def _post(client, path, data, page):
    html = client.get(page).get_data(as_text=True)
    return client.post(path, data=dict(data, csrf_token=csrf_from(html)))


def _flash(client, response):
    assert response.status_code in (302, 303), response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


# --- programmes and cohorts ---------------------------------------------------------------

def test_an_educator_creates_a_programme_and_its_first_cohort(app, world):
    client = signed_in(app, "educator@example.org")
    made = _post(client, "/programmes/new", {"name": "Nursing 2027"}, "/programmes")
    page = _flash(client, made)
    assert "Programme “Nursing 2027” created" in page
    with app.app_context():
        programme = db.session.scalar(select(Programme).where(Programme.name == "Nursing 2027"))
        pid = programme.id
    cohort = _post(client, f"/programmes/{pid}/cohorts", {"name": "Spring"},
                   f"/programmes/{pid}")
    assert "Cohort “Spring” created" in _flash(client, cohort)
    again = _post(client, f"/programmes/{pid}/cohorts", {"name": "Spring"}, f"/programmes/{pid}")
    assert "already has a cohort called “Spring”" in _flash(client, again)


def test_leads_read_but_cannot_create_or_change(app, world):
    lead = signed_in(app, "lead@example.org")
    assert lead.get(f"/programmes/{world.ids['P']}").status_code == 200
    page = lead.get(f"/programmes/{world.ids['P']}").get_data(as_text=True)
    assert "Create cohort" not in page
    token = csrf_from(lead.get("/programmes").get_data(as_text=True))
    attempts = [("/programmes/new", {"name": "X"}),
                (f"/programmes/{world.ids['P']}/cohorts", {"name": "X"}),
                (f"/cohorts/{world.ids['C']}/archive", {"archive": "1"}),
                (f"/cohorts/{world.ids['C']}/groups", {"name": "X"})]
    for path, data in attempts:
        assert lead.post(path, data=dict(data, csrf_token=token)).status_code == 403, path
    with app.app_context():
        assert not db.session.scalar(select(Cohort).where(Cohort.name == "X"))
        assert not db.session.get(Cohort, world.ids["C"]).archived


def test_archived_cohorts_are_hidden_read_only_and_can_come_back(app, world):
    client = signed_in(app, "educator@example.org")
    cid, pid = world.ids["C"], world.ids["P"]
    page = _flash(client, _post(client, f"/cohorts/{cid}/archive", {"archive": "1"},
                                f"/cohorts/{cid}"))
    assert "nothing was deleted" in page and "Archived (read-only)" in page
    listing = client.get(f"/programmes/{pid}").get_data(as_text=True)
    assert "Cohort Own" not in listing and "Show 1 archived cohort" in listing
    assert "Cohort Own" in client.get(f"/programmes/{pid}?archived=1").get_data(as_text=True)
    refused = _post(client, f"/cohorts/{cid}/groups", {"name": "New"}, f"/cohorts/{cid}")
    assert "archived and read-only" in _flash(client, refused)
    assert client.get(f"/cohorts/{cid}/roster").status_code == 303
    back = _post(client, f"/cohorts/{cid}/archive", {"archive": "0"}, f"/cohorts/{cid}")
    assert "brought back" in _flash(client, back)


# --- groups --------------------------------------------------------------------------------

@pytest.fixture
def big_cohort(app, world):
    """A cohort of 10 students and 3 patient partners, no groups yet."""
    with app.app_context():
        cohort = Cohort(programme_id=world.ids["P"], name="Autumn")
        db.session.add(cohort)
        db.session.flush()
        for i in range(10):
            add_role(make_account(f"s{i}@example.org", f"Student {i}"), "student", cohort=cohort)
        for i in range(3):
            add_role(make_account(f"pp{i}@example.org", f"Partner {i}"), "patient_partner",
                     cohort=cohort)
        db.session.commit()
        return cohort.id


def test_suggesting_groups_previews_then_applies_an_even_mix(app, world, big_cohort):
    client = signed_in(app, "educator@example.org")
    page = f"/cohorts/{big_cohort}/groups"
    preview = _post(client, f"{page}/suggest", {"count": "3", "seed": "0"}, page)
    assert preview.status_code == 200 and "Suggestion (not saved yet)" in preview.get_data(
        as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(func.count(Group.id)).where(
            Group.cohort_id == big_cohort))
    _flash(client, _post(client, f"{page}/suggest", {"count": "3", "seed": "0", "apply": "1"},
                         page))
    with app.app_context():
        groups = db.session.scalars(select(Group).where(Group.cohort_id == big_cohort)).all()
        assert sorted(g.name for g in groups) == ["Group 1", "Group 2", "Group 3"]
        sizes, partners = [], []
        for g in groups:
            ids = [m.account_id for m in g.members]
            sizes.append(len(ids))
            partners.append(db.session.scalar(select(func.count(Membership.id)).where(
                Membership.account_id.in_(ids), Membership.role == "patient_partner")))
        assert sorted(sizes) == [4, 4, 5] and partners == [1, 1, 1]
    html = client.get(page).get_data(as_text=True)
    assert "This group has no patient partner yet." not in html


def test_the_page_offers_a_sensible_number_and_flags_a_group_without_a_partner(
        app, world, big_cohort):
    client = signed_in(app, "educator@example.org")
    page = f"/cohorts/{big_cohort}/groups"
    html = client.get(page).get_data(as_text=True)
    # 13 people make two groups of six or seven (not one group of 13, not 13 groups)
    assert re.search(r'name="count"[^>]*value="2"', html)
    preview = _post(client, f"{page}/suggest", {"count": "4", "seed": "0"}, page)
    text = preview.get_data(as_text=True)
    assert text.count("No patient partner in this group") == 1  # three partners, four groups
    assert "Suggestion (not saved yet)" in text


def test_too_many_groups_is_explained(app, world, big_cohort):
    client = signed_in(app, "educator@example.org")
    page = f"/cohorts/{big_cohort}/groups"
    answer = _post(client, f"{page}/suggest", {"count": "40"}, page)
    assert answer.status_code == 400
    assert "There are only 13 students and patient partners" in answer.get_data(as_text=True)
    assert _post(client, f"{page}/suggest", {"count": "abc"}, page).status_code == 400


def test_groups_by_hand_moves_and_the_flag_for_no_patient_partner(app, world):
    client = signed_in(app, "educator@example.org")
    cid = world.ids["C"]
    page = f"/cohorts/{cid}/groups"
    assert "Group “Trio” created" in _flash(client, _post(client, page, {"name": "Trio"}, page))
    assert "already has a group called" in _flash(client, _post(client, page,
                                                                {"name": "Trio"}, page))
    with app.app_context():
        trio = db.session.scalar(select(Group).where(Group.name == "Trio")).id
        partner = db.session.scalar(select(Membership.account_id).where(
            Membership.role == "patient_partner", Membership.cohort_id == cid))
    moved = _post(client, f"/cohorts/{cid}/groups/move",
                  {"account_id": str(partner), "group_id": str(trio)}, page)
    assert "Moved." in _flash(client, moved)
    html = client.get(f"/groups/{world.ids['G1']}").get_data(as_text=True)
    assert "This group has no patient partner yet." in html
    # A group of another cohort is refused, and so is a huge id.
    for target in (str(world.ids["G4"]), "99999999999999"):
        answer = _post(client, f"/cohorts/{cid}/groups/move",
                       {"account_id": str(partner), "group_id": target}, page)
        assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(GroupMember.group_id).where(
            GroupMember.account_id == partner)).all() == [trio]
    refused = _post(client, f"/groups/{trio}/delete", {}, f"/groups/{trio}")
    assert "Move everyone out of “Trio”" in _flash(client, refused)
    renamed = _post(client, f"/groups/{trio}/rename", {"rename-name": "  Quartet "},
                    f"/groups/{trio}")
    assert "<h1>Quartet</h1>" in _flash(client, renamed)
    clash = _post(client, f"/groups/{trio}/rename", {"rename-name": "Group One"},
                  f"/groups/{trio}")
    assert "already has a group called “Group One”" in _flash(client, clash)


# --- assignments ---------------------------------------------------------------------------

@pytest.fixture
def versions(app, world):
    with app.app_context():
        old = make_module_version(version="1.0.0").id
        db.session.commit()
    return old


def _assign(client, cohort_id, version_id, opens, due, review):
    page = f"/cohorts/{cohort_id}/assignments/new"
    return _post(client, page, {"module_version_id": str(version_id), "opens_at": opens,
                                "due_at": due, "review_due_at": review}, page)


@pytest.mark.parametrize("opens, due, review, message, under", [
    ("2030-01-10T09:00", "2030-01-10T09:00", "2030-01-20T09:00", "after the opening date",
     "due_at"),
    ("2030-01-10T09:00", "2030-01-05T09:00", "2030-01-20T09:00", "after the opening date",
     "due_at"),
    ("2030-01-01T09:00", "2030-01-10T09:00", "2030-01-09T09:00", "on or after the due date",
     "review_due_at"),
    ("2030-13-01T09:00", "2030-01-10T09:00", "2030-01-20T09:00", "Enter a real date and time",
     "opens_at"),
])
def test_assignment_dates_must_be_in_order(app, world, versions, opens, due, review, message,
                                           under):
    client = signed_in(app, "educator@example.org")
    answer = _assign(client, world.ids["C"], versions, opens, due, review)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{under}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), "the problem sits under its own date"
    with app.app_context():
        assert not db.session.scalar(select(func.count(Assignment.id)))


def test_the_assignment_page_gives_every_field_its_own_id(app, world, versions):
    client = signed_in(app, "educator@example.org")
    made = _assign(client, world.ids["C"], versions, "2020-01-01T09:00", "2099-01-10T17:00",
                   "2099-01-20T17:00")
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "extended_until" in ids and "due_at" in ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert ids.count(target) == 1, target


def test_learners_see_their_assignment_and_their_own_extra_time(app, world, versions):
    client = signed_in(app, "educator@example.org")
    made = _assign(client, world.ids["C"], versions, "2020-01-01T09:00", "2099-01-10T17:00",
                   "2099-01-20T17:00")
    assert made.status_code == 303
    aid = int(re.search(r"/assignments/(\d+)", made.headers["Location"]).group(1))
    twice = _assign(client, world.ids["C"], versions, "2020-01-01T09:00", "2099-01-10T17:00",
                    "2099-01-20T17:00")
    assert "already assigned" in twice.get_data(as_text=True)
    with app.app_context():
        partner = db.session.scalar(select(Membership.account_id).where(
            Membership.role == "patient_partner", Membership.cohort_id == world.ids["C"]))
    too_early = _post(client, f"/assignments/{aid}/extend",
                      {"account_id": str(partner), "extended_until": "2099-01-01T17:00"},
                      f"/assignments/{aid}")
    assert "a date after the assignment" in _flash(client, too_early)
    granted = _post(client, f"/assignments/{aid}/extend",
                    {"account_id": str(partner), "extended_until": "2099-02-01T17:00"},
                    f"/assignments/{aid}")
    assert "Partner now has until Sun 1 Feb 2099, 17:00" in _flash(client, granted)
    home = signed_in(app, "partner@example.org").get("/").get_data(as_text=True)
    assert "An example module" in home and "(Sun 1 Feb 2099, 17:00)" in home
    assert "(your extra time)" in home
    student = signed_in(app, "student@example.org")
    assert "(Sat 10 Jan 2099, 17:00)" in student.get("/").get_data(as_text=True)
    page = student.get(f"/assignments/{aid}").get_data(as_text=True)
    assert "Partner" not in page, "learners do not see who has more time"


def test_a_newer_version_is_offered_and_taken_only_before_work_starts(app, world, versions):
    with app.app_context():
        assignment = make_assignment(world.ids["C"], db.session.get(
            __import__("webapp.models", fromlist=["ModuleVersionRow"]).ModuleVersionRow,
            versions))
        newer = make_module_version(version="1.1.0").id
        db.session.commit()
        aid = assignment.id
    client = signed_in(app, "educator@example.org")
    page = client.get(f"/assignments/{aid}").get_data(as_text=True)
    assert "Version 1.1.0 is available" in page
    assert "/modules/example-module/compare?old=1.0.0&amp;new=1.1.0" in page
    with app.app_context():
        db.session.add(CaseWork(group_id=world.ids["G1"], assignment_id=aid))
        db.session.commit()
    refused = _post(client, f"/assignments/{aid}/version",
                    {"module_version_id": str(newer)}, f"/assignments/{aid}")
    assert "A group has started this case" in _flash(client, refused)
    with app.app_context():
        db.session.execute(CaseWork.__table__.delete())
        db.session.commit()
    taken = _post(client, f"/assignments/{aid}/version", {"module_version_id": str(newer)},
                  f"/assignments/{aid}")
    assert "now uses version 1.1.0" in _flash(client, taken)


# --- progress board ------------------------------------------------------------------------

def _cohort_with_groups(app, world, n):
    with app.app_context():
        cohort = Cohort(programme_id=world.ids["P"], name=f"Board {n}")
        db.session.add(cohort)
        db.session.flush()
        row = make_module_version(slug=f"board-{n}")
        assignment = make_assignment(cohort.id, row)
        for g in range(n):
            group = Group(cohort=cohort, name=f"G{g:02d}")
            db.session.add(group)
            db.session.flush()
            for m in range(3):
                add_role(make_account(f"b{n}-{g}-{m}@example.org"),
                         "patient_partner" if m == 0 else "student", cohort=cohort, group=group)
            work = CaseWork(group_id=group.id, assignment_id=assignment.id)
            db.session.add(work)
            db.session.flush()
            db.session.add_all([
                SectionDraft(case_work_id=work.id, section="situation", text="We are…",
                             written=True),
                SectionDraft(case_work_id=work.id, section="emotions", text="Fear", written=False),
            ])
        db.session.commit()
        return assignment.id


def test_progress_board_costs_the_same_for_2_and_40_groups_and_shows_states(app, world):
    small, large = _cohort_with_groups(app, world, 2), _cohort_with_groups(app, world, 40)
    client = signed_in(app, "educator@example.org")
    assert statements_for_page(app, client, f"/assignments/{small}/progress") == \
        statements_for_page(app, client, f"/assignments/{large}/progress")
    html = client.get(f"/assignments/{large}/progress").get_data(as_text=True)
    assert html.count('class="state-written"') == 40
    assert html.count('class="state-started"') == 40
    assert html.count('class="state-empty"') == 40 * 7


def test_the_board_counts_empty_parts_and_hand_ins_with_gaps(app, world):
    aid = _cohort_with_groups(app, world, 2)
    with app.app_context():
        first = db.session.scalars(select(CaseWork).where(
            CaseWork.assignment_id == aid).order_by(CaseWork.id)).first()
        first.submitted_at = first.started_at
        db.session.commit()
    html = signed_in(app, "educator@example.org").get(
        f"/assignments/{aid}/progress").get_data(as_text=True)
    assert html.count("7 parts empty") == 2
    assert "1 of 2 groups have handed in." in html
    assert "1 group handed in with parts still empty" in html


def test_nudge_asks_first_then_once_an_hour_and_the_board_says_when(app, world):
    from datetime import timedelta

    from sqlalchemy import func, update

    from webapp.models import GroupNudge

    aid = _cohort_with_groups(app, world, 2)
    client = signed_in(app, "educator@example.org")
    with app.app_context():
        group_id = db.session.scalar(select(Group.id).where(Group.name == "G00"))
    board = client.get(f"/assignments/{aid}/progress").get_data(as_text=True)
    ask = f"/assignments/{aid}/nudge?group={group_id}"
    assert f'href="{ask}"' in board and "last nudged" not in board
    confirm = client.get(ask)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Remind G00?" in page and "Send the reminder" in page

    def mails():
        with app.app_context():
            return db.session.scalar(select(func.count(Outbox.id)).where(
                Outbox.kind == "nudge"))

    assert mails() == 0  # asking sends nothing
    sent = client.post(f"/assignments/{aid}/nudge", data={
        "group_id": str(group_id), "csrf_token": csrf_from(page)})
    assert "Reminder queued for 3 people in G00" in _flash(client, sent)
    board = client.get(f"/assignments/{aid}/progress").get_data(as_text=True)
    assert "last nudged" in board
    again = _post(client, f"/assignments/{aid}/nudge", {"group_id": str(group_id)}, ask)
    assert "less than an hour ago, so no reminder was sent" in _flash(client, again)
    assert mails() == 3
    with app.app_context():
        db.session.execute(update(GroupNudge).values(
            last_sent_at=GroupNudge.last_sent_at - timedelta(hours=2)))
        db.session.commit()
    later = _post(client, f"/assignments/{aid}/nudge", {"group_id": str(group_id)}, ask)
    assert "Reminder queued for 3 people" in _flash(client, later)
    assert mails() == 6
    assert "2 reminders so far" in client.get(ask).get_data(as_text=True)


def test_nudge_queues_a_reminder_for_that_group_only(app, world):
    aid = _cohort_with_groups(app, world, 2)
    client = signed_in(app, "educator@example.org")
    with app.app_context():
        group_id = db.session.scalar(select(Group.id).where(Group.name == "G00"))
    answer = _post(client, f"/assignments/{aid}/nudge", {"group_id": str(group_id)},
                   f"/assignments/{aid}/progress")
    assert "Reminder queued for 3 people in G00" in _flash(client, answer)
    with app.app_context():
        sent = sorted(db.session.scalars(select(Outbox.to_address).where(Outbox.kind == "nudge")))
    assert sent == ["b2-0-0@example.org", "b2-0-1@example.org", "b2-0-2@example.org"]
    lead = signed_in(app, "lead@example.org")
    token = csrf_from(lead.get(f"/assignments/{aid}/progress").get_data(as_text=True))
    assert lead.post(f"/assignments/{aid}/nudge", data={"group_id": str(group_id),
                                                        "csrf_token": token}).status_code == 403
    assert lead.get(f"/assignments/{aid}/nudge?group={group_id}").status_code == 403


def test_a_group_with_no_one_to_remind_is_not_nudged_or_marked(app, world):
    aid = _cohort_with_groups(app, world, 1)
    with app.app_context():
        cohort_id = db.session.scalar(select(Group.cohort_id).where(Group.name == "G00"))
        empty = Group(cohort_id=cohort_id, name="Nobody yet")
        db.session.add(empty)
        db.session.commit()
        empty_id = empty.id
    client = signed_in(app, "educator@example.org")
    ask = f"/assignments/{aid}/nudge?group={empty_id}"
    page = client.get(ask).get_data(as_text=True)
    assert "it has no active members" in page and "Send the reminder" not in page
    answer = _post(client, f"/assignments/{aid}/nudge", {"group_id": str(empty_id)}, ask)
    assert "No one in Nobody yet can be reminded" in _flash(client, answer)
    board = client.get(f"/assignments/{aid}/progress").get_data(as_text=True)
    assert "last nudged" not in board


def test_the_board_shows_each_groups_latest_save_of_any_part(app, world):
    aid = _cohort_with_groups(app, world, 2)
    saved = datetime(2026, 3, 5, 13, 40)
    with app.app_context():
        first = db.session.scalars(select(CaseWork).where(
            CaseWork.assignment_id == aid).order_by(CaseWork.id)).first()
        drafts = db.session.scalars(select(SectionDraft).where(
            SectionDraft.case_work_id == first.id).order_by(SectionDraft.id)).all()
        drafts[0].updated_at, drafts[1].updated_at = datetime(2026, 3, 1, 9, 0), saved
        first.started_at = datetime(2026, 2, 27, 9, 0)
        assignment = db.session.get(Assignment, aid)
        expected = when(saved, assignment)
        earlier = when(datetime(2026, 3, 1, 9, 0), assignment)
        db.session.commit()
    html = signed_in(app, "educator@example.org").get(
        f"/assignments/{aid}/progress").get_data(as_text=True)
    assert expected in html and earlier not in html
