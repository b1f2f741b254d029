"""Roster import: a preview with every problem by line, then all or nothing, idempotent."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from, sign_in
from webapp.extensions import db
from webapp.models import Account, GroupMember, Invitation, Membership, Outbox

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"


@pytest.fixture
def educator(app, world):
    client = app.test_client()
    assert sign_in(client, "educator@example.org").status_code == 302
    return client


def _upload(client, cohort_id, data: bytes, name="roster.csv"):
    page = client.get(f"/cohorts/{cohort_id}/roster").get_data(as_text=True)
    return client.post(f"/cohorts/{cohort_id}/roster", content_type="multipart/form-data",
                       data={"csrf_token": csrf_from(page), "file": (io.BytesIO(data), name)})


def _confirm(client, cohort_id, preview_html):
    import re

    upload_id = re.search(r'name="upload_id" type="hidden" value="(\d+)"', preview_html)
    assert upload_id, preview_html
    return client.post(f"/cohorts/{cohort_id}/roster/confirm",
                       data={"csrf_token": csrf_from(preview_html),
                             "upload_id": upload_id.group(1)})


def _counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Account, Membership, GroupMember, Invitation, Outbox))


@pytest.mark.parametrize("fixture, expected", [
    ("wrong_columns.csv", ["1", "missing: email, name, group"]),
    ("bad_emails_and_roles.csv", ["“not-an-email” is not an email address",
                                  "“bob@example” is not an email address",
                                  "“wizard” is not a role"]),
    ("duplicates_and_unknown_group.csv", ["already on line 2",
                                          "There is no group “No Such Group”"]),
    ("binary.xlsx", ["This is not a text file"]),
])
def test_malformed_rosters_list_their_problems_by_line_and_write_nothing(
        app, world, educator, fixture, expected):
    before = _counts(app)
    page = _upload(educator, world.ids["C"], (ROSTERS / fixture).read_bytes(), fixture)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "nothing was saved" in html
    for text in expected:
        assert text in html
    assert "Confirm and apply" not in html
    assert _counts(app) == before


def test_problem_lines_are_numbered_as_in_the_file(app, world, educator):
    html = _upload(educator, world.ids["C"],
                   (ROSTERS / "bad_emails_and_roles.csv").read_bytes()).get_data(as_text=True)
    rows = [line for line in html.split("<tr>")
            if "is not an email" in line or "not a role" in line]
    assert [row.split("<td>")[1].split("<")[0] for row in rows] == ["2", "3", "4"]


def test_a_nul_character_deep_in_a_roster_is_named_by_line_not_stored(app, world, educator):
    rows = ["email,name,role,group"] + [f"p{n}@example.org,Person {n},student,"
                                        for n in range(300)]
    rows[250] = "late@example.org,La\x00te,student,"
    before = _counts(app)
    page = _upload(educator, world.ids["C"], "\n".join(rows).encode())
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "invisible NUL character" in html and "<td>251</td>" in html
    assert _counts(app) == before


def test_the_downloadable_example_imports_as_it_is_into_a_new_cohort(app, world, educator):
    import re

    with app.app_context():
        from webapp.models import Cohort, Group

        cohort = db.session.get(Cohort, world.ids["C"])
        fresh = Cohort(programme_id=cohort.programme_id, name="A brand new cohort")
        db.session.add(fresh)
        db.session.commit()
        fresh_id = fresh.id
        assert db.session.scalar(select(func.count(Group.id)).where(
            Group.cohort_id == fresh_id)) == 0
    roster_page = educator.get(f"/cohorts/{fresh_id}/roster").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Download an example file</a>', roster_page)
    example = educator.get(link.group(1))
    assert example.status_code == 200 and example.mimetype == "text/csv"
    preview = _upload(educator, fresh_id, example.data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "nothing was saved" not in html, html
    applied = _confirm(educator, fresh_id, html)
    assert applied.status_code in (302, 303)
    with app.app_context():
        people = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.cohort_id == fresh_id))
    assert people == 3


def test_a_roster_over_ten_thousand_rows_is_refused(app, world, educator):
    lines = ["email,name,role,group"] + [f"p{i}@example.org,P {i},student," for i in range(10_001)]
    before = _counts(app)
    page = _upload(educator, world.ids["C"], "\n".join(lines).encode())
    assert page.status_code == 400
    assert "more than 10000 people" in page.get_data(as_text=True)
    assert _counts(app) == before


def test_preview_then_confirm_applies_in_one_go_and_queues_invitations(app, world, educator):
    data = (ROSTERS / "semicolon_with_bom.csv").read_bytes()
    before = _counts(app)
    preview = _upload(educator, world.ids["C"], data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 new people" in html and "Moves from Group One to Group Two" in html
    assert _counts(app) == before, "the preview writes nothing"
    done = _confirm(educator, world.ids["C"], html)
    assert done.status_code == 303
    with app.app_context():
        new = db.session.scalar(select(Account).where(Account.email_key == "new.two@example.org"))
        assert new.display_name == "New Two" and new.joined_at is None
        assert db.session.scalar(select(Membership.role).where(
            Membership.account_id == new.id)) == "patient_partner"
        invited = db.session.scalars(select(Outbox.to_address).where(
            Outbox.kind == "invitation")).all()
        assert sorted(invited) == ["new.one@example.org", "new.two@example.org"]
    cohort_page = educator.get(f"/cohorts/{world.ids['C']}").get_data(as_text=True)
    assert "New One" in cohort_page and "invited" in cohort_page


def test_reimporting_the_same_file_changes_nothing(app, world, educator):
    data = (ROSTERS / "semicolon_with_bom.csv").read_bytes()
    first = _upload(educator, world.ids["C"], data).get_data(as_text=True)
    _confirm(educator, world.ids["C"], first)
    after_first = _counts(app)
    again = _upload(educator, world.ids["C"], data).get_data(as_text=True)
    assert "0 new people" in again and "3 lines already match the cohort" in again
    _confirm(educator, world.ids["C"], again)
    assert _counts(app) == after_first


def test_an_updated_file_moves_people_without_duplicating_them(app, world, educator):
    cid = world.ids["C"]
    first = b"email,name,role,group\nzoe@example.org,Zoe,student,Group One\n"
    _confirm(educator, cid, _upload(educator, cid, first).get_data(as_text=True))
    second = b"email,name,role,group\nZoe@Example.org,Zoe,student,Group Two\n"
    _confirm(educator, cid, _upload(educator, cid, second).get_data(as_text=True))
    with app.app_context():
        zoe = db.session.scalars(select(Account).where(
            Account.email_key == "zoe@example.org")).all()
        assert len(zoe) == 1
        groups = db.session.scalars(select(GroupMember.group_id).where(
            GroupMember.account_id == zoe[0].id)).all()
        assert groups == [world.ids["G2"]]


def test_a_preview_cannot_be_confirmed_twice_or_by_someone_else(app, world, educator):
    cid = world.ids["C"]
    html = _upload(educator, cid, b"email,name,role,group\nyan@example.org,Yan,student,\n") \
        .get_data(as_text=True)
    assert _confirm(educator, cid, html).status_code == 303
    before = _counts(app)
    again = _confirm(educator, cid, html)
    assert again.status_code == 303
    assert _counts(app) == before


def test_a_roster_invitation_lets_the_person_choose_a_name_and_password(app, world, educator):
    cid = world.ids["C"]
    html = _upload(educator, cid, b"email,name,role,group\nkai@example.org,Kai R,student,\n") \
        .get_data(as_text=True)
    _confirm(educator, cid, html)
    with app.app_context():
        body = db.session.scalar(select(Outbox.body).where(Outbox.to_address == "kai@example.org"))
    import re

    link = "/" + re.search(r"https?://\S+", body).group(0).split("/", 3)[3]
    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert 'value="Kai R"' in page, "the name from the roster is offered"
    answer = visitor.post(link, data={"csrf_token": csrf_from(page), "display_name": "Kai Rivera",
                                      "how": "password", "password": "a long enough passphrase 42",
                                      "confirm": "a long enough passphrase 42"})
    assert answer.status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, "kai@example.org", "a long enough passphrase 42").status_code == 302
    with app.app_context():
        kai = db.session.scalar(select(Account).where(Account.email_key == "kai@example.org"))
        assert kai.display_name == "Kai Rivera" and kai.joined_at is not None


def test_students_and_leads_cannot_import(app, world):
    for email in ("student@example.org", "lead@example.org"):
        client = app.test_client()
        sign_in(client, email)
        assert client.get(f"/cohorts/{world.ids['C']}/roster").status_code == 403
    other = app.test_client()
    sign_in(other, "educator@example.org")
    assert other.get(f"/cohorts/{world.ids['C2']}/roster").status_code == 404


def test_a_swedish_spreadsheets_roster_with_swedish_words_imports(app, world, educator):
    """Column names and roles as a Swedish programme writes them (docs/glossary.md), from a
    spreadsheet that saves with a byte-order mark and semicolons."""
    data = ("\ufeffE-post;Namn;Roll;Basgrupp\n"
            "ny.ett@example.org;Ny Ett;Student;Group One\n"
            "ny.tva@example.org;Ny Två;Erfarenhetsexpert;Group Two\n"
            "ny.tre@example.org;Ny Tre;Granskare med patienterfarenhet;\n").encode()
    preview = _upload(educator, world.ids["C"], data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "3 new people" in html, html[-1500:]
    assert _confirm(educator, world.ids["C"], html).status_code == 303
    with app.app_context():
        roles = dict(db.session.execute(
            select(Account.email_key, Membership.role).join(
                Membership, Membership.account_id == Account.id)
            .where(Account.email_key.like("ny.%")).order_by(Account.email_key)).all())
    assert roles == {"ny.ett@example.org": "student", "ny.tre@example.org": "patient_coteacher",
                     "ny.tva@example.org": "patient_partner"}
