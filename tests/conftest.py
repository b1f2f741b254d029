"""Shared fixtures: the app on SQLite or PostgreSQL, a client, factories and sign-in helpers.

``TEST_DATABASE_URL`` picks the database (``make test`` runs the suite once on SQLite and
once on a throwaway PostgreSQL cluster). The schema is created once per run and every table
is emptied after each test, so tests may commit, use threads and see committed data.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from webapp import create_app  # noqa: E402
from webapp.auth.passwords import hash_password  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    Account,
    Cohort,
    Group,
    GroupMember,
    Membership,
    Outbox,
    Programme,
)

PASSWORD = "plum-harbour-lantern-42"


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def app_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # cheap, for tests only
        "SESSION_COOKIE_SECURE": False,
        "MAIL_BACKEND": "console",
        "SERVER_NAME": None,
    }


# --- loading course content once --------------------------------------------------------------
#
# Reading and checking the whole shipped course takes a second or two, and many tests load it
# (``coproduce content load``). A tree with no problems is kept for the run, keyed by the
# files it was read from (path, size, modification time), so a test that changes a file or
# loads its own copy reads afresh. A tree with problems is never kept: its messages are in
# the language of the moment.

_TREES: dict = {}


def _fingerprint(root):
    from pathlib import Path

    root = Path(root).resolve()
    found = []
    for top in (root / "content", root / "assessments"):
        if top.is_dir():
            for path in sorted(top.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return (str(root), tuple(found))


def _kept_load_tree(real):
    def load_tree(root):
        key = _fingerprint(root)
        tree = _TREES.get(key)
        if tree is None:
            tree = real(root)
            if not tree.report.problems:
                _TREES[key] = tree
        return tree
    return load_tree


@pytest.fixture(scope="session", autouse=True)
def _course_read_once():
    from webapp import content_cli

    real = content_cli.load_tree
    content_cli.load_tree = _kept_load_tree(real)
    yield
    content_cli.load_tree = real


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(dict(app_config(database_url(tmp_path_factory)),
                          PDF_CACHE_DIR=str(tmp_path_factory.mktemp("pdf-cache")),
                          JOB_WORK_DIR=str(tmp_path_factory.mktemp("job-work"))))
    with app.app_context():
        db.drop_all()
        db.create_all()
    from webapp.jobs.queue import get_huey

    get_huey(app).storage.initialize_schema()  # on PostgreSQL the migrations make these
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


# --- factories ----------------------------------------------------------------------------


def make_account(email: str, name: str | None = None, *, admin=False, password=PASSWORD,
                 active=True) -> Account:
    account = Account(email=email, email_key=email.lower(),
                      display_name=name or email.split("@")[0],
                      password_hash=hash_password(password) if password else None,
                      admin=admin, active=active)
    db.session.add(account)
    db.session.flush()
    return account


def add_role(account, role, *, programme=None, cohort=None, group=None):
    db.session.add(Membership(account=account, role=role, programme=programme, cohort=cohort))
    if group is not None:
        db.session.add(GroupMember(group=group, account=account))
    db.session.flush()


@dataclass
class World:
    """Two programmes. From the 'own' point of view: cohort C with groups G1 (own) and G2,
    cohort C3 in the same programme with group G4, and programme P2 with cohort C2, group G3."""

    ids: dict


def build_world() -> World:
    p = Programme(name="Programme One")
    p2 = Programme(name="Programme Two")
    c = Cohort(programme=p, name="Cohort Own")
    c3 = Cohort(programme=p, name="Cohort Sibling")
    c2 = Cohort(programme=p2, name="Cohort Elsewhere")
    g1, g2 = Group(cohort=c, name="Group One"), Group(cohort=c, name="Group Two")
    g4, g3 = Group(cohort=c3, name="Group Four"), Group(cohort=c2, name="Group Three")
    db.session.add_all([p, p2, c, c2, c3, g1, g2, g3, g4])
    db.session.flush()
    make_account("admin@example.org", "Admin", admin=True)
    add_role(make_account("educator@example.org", "Educator"), "educator", programme=p)
    add_role(make_account("lead@example.org", "Lead"), "lead", programme=p)
    add_role(make_account("student@example.org", "Student"), "student", cohort=c, group=g1)
    add_role(make_account("partner@example.org", "Partner"), "patient_partner", cohort=c,
             group=g1)
    add_role(make_account("coteacher@example.org", "Coteacher"), "patient_coteacher", cohort=c)
    add_role(make_account("student2@example.org", "Other Student"), "student", cohort=c,
             group=g2)
    add_role(make_account("far@example.org", "Far Student"), "student", cohort=c2, group=g3)
    make_account("outsider@example.org", "Outsider")
    db.session.commit()
    ids = {"P": p.id, "P2": p2.id, "C": c.id, "C2": c2.id, "C3": c3.id,
           "G1": g1.id, "G2": g2.id, "G3": g3.id, "G4": g4.id}
    return World(ids)


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        db.session.remove()
    return w


# --- helpers ------------------------------------------------------------------------------


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD, *, environ=None):
    page = client.get("/sign-in")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/sign-in", data={"email": email, "password": password,
                                         "csrf_token": token},
                       environ_base=environ or {})


def post_form(client, path: str, data: dict, *, form_page: str | None = None):
    """Post ``data`` to ``path`` with the CSRF token from ``form_page`` (default: ``path``)."""
    page = client.get(form_page or path)
    data = dict(data, csrf_token=csrf_from(page.get_data(as_text=True)))
    return client.post(path, data=data)


def outbox_links(app, kind: str | None = None) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(db.select(Outbox).order_by(Outbox.id)).all()
        return [re.search(r"https?://\S+", r.body).group(0) for r in rows
                if kind is None or r.kind == kind]


def statements_for_page(app, client, path: str) -> int:
    """How many SQL statements one GET of ``path`` issues (it must answer 200)."""
    from sqlalchemy import event

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *a: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def make_cohort(programme, name: str = "A cohort"):
    """A cohort of ``programme`` (a Programme)."""
    cohort = Cohort(programme=programme, name=name)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def make_group(cohort, name: str = "A group", members=()):
    """A group of ``cohort``; ``members`` are (account, role) pairs given roles in it."""
    group = Group(cohort=cohort, name=name)
    db.session.add(group)
    db.session.flush()
    for account, role in members:
        add_role(account, role, cohort=cohort, group=group)
    return group


def make_case(group_id: int, assignment_id: int, **parts):
    """A group's case on an assignment, with its nine parts; ``parts`` gives some text."""
    from curriculum import template
    from webapp.models import CaseWork, SectionDraft

    case = CaseWork(group_id=group_id, assignment_id=assignment_id)
    db.session.add(case)
    db.session.flush()
    for key in template.KEYS:
        db.session.add(SectionDraft(case_work_id=case.id, section=key, text=parts.get(key, "")))
    db.session.flush()
    return case


def make_submission(case, *, round: int = 1, **parts):
    """The case as handed in (round 1 by default), holding ``parts``' text."""
    from webapp.models import Submission

    submission = Submission(case_work_id=case.id, assignment_id=case.assignment_id,
                            group_id=case.group_id, round=round,
                            sections={key: {"text": text} for key, text in parts.items()})
    db.session.add(submission)
    db.session.flush()
    return submission


def make_review(submission, reviewer_id: int, lens: str = "patient", rubric_version_id=None):
    """A review of ``submission`` allocated to ``reviewer_id`` (the first rubric if none)."""
    from sqlalchemy import select

    from webapp.models import Review, RubricVersionRow

    rubric = rubric_version_id or db.session.scalar(select(RubricVersionRow.id))
    review = Review(submission_id=submission.id, reviewer_id=reviewer_id, lens=lens,
                    rubric_version_id=rubric, ratings={}, comments={})
    db.session.add(review)
    db.session.flush()
    return review


def make_feedback(cohort_id: int, text: str, *, item: str = "better", respondent="student",
                  status: str = "pending"):
    """A free-text comment of the anonymous module feedback, waiting to be screened."""
    from sqlalchemy import select

    from webapp.models import FeedbackComment, ModuleVersionRow

    comment = FeedbackComment(cohort_id=cohort_id, item=item, respondent=respondent,
                              text=text, status=status, term="2026-autumn",
                              module_version_id=db.session.scalar(select(ModuleVersionRow.id)))
    db.session.add(comment)
    db.session.flush()
    return comment


def make_module_version(slug: str = "example-module", version: str = "1.0.0",
                        title: str = "An example module"):
    """A published module version row (payload kept minimal: pages here read only its name)."""
    from webapp.models import ModuleVersionRow

    major, minor, patch = (int(part) for part in version.split("."))
    row = ModuleVersionRow(slug=slug, version=version, major=major, minor=minor, patch=patch,
                           title=title, content_hash="0" * 64, payload={}, summary="A module.",
                           minutes=30)
    db.session.add(row)
    db.session.flush()
    return row


def make_assignment(cohort_id: int, row, *, days_open: int = -1, days_due: int = 14):
    """An assignment of ``row`` to a cohort, open since yesterday and due in two weeks."""
    from datetime import timedelta

    from webapp.clock import now
    from webapp.models import Assignment

    start = now().replace(microsecond=0)
    assignment = Assignment(cohort_id=cohort_id, module_slug=row.slug, module_version_id=row.id,
                            opens_at=start + timedelta(days=days_open),
                            due_at=start + timedelta(days=days_due),
                            review_due_at=start + timedelta(days=days_due + 7))
    db.session.add(assignment)
    db.session.flush()
    return assignment


# --- a group's case through the web pages --------------------------------------------------

VALID = __import__("pathlib").Path(__file__).resolve().parent / "content" / "fixtures" / "valid"
PROMISES = {"ourselves": "To listen first.", "each_other": "To share the writing.",
            "person": "To write about Ana with respect."}


@pytest.fixture
def assigned(app, world):
    """The world with the example content loaded and its module assigned to cohort C (A)."""
    from sqlalchemy import select

    from webapp.models import ModuleVersionRow

    result = app.test_cli_runner().invoke(args=["content", "load", str(VALID)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(ModuleVersionRow))
        world.ids["A"] = make_assignment(world.ids["C"], row).id
        db.session.commit()
    return world


def signed_in(app, email):
    """A test client signed in as ``email``."""
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def start_case(app, world, email="student@example.org"):
    """Open the group's case by writing its promises; returns (client, case id)."""
    client = signed_in(app, email)
    path = f"/assignments/{world.ids['A']}/case"
    page = client.get(path).get_data(as_text=True)
    answer = client.post(path, data=dict(PROMISES, csrf_token=csrf_from(page)))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    case_id = int(re.search(r"/cases/(\d+)", answer.headers["Location"]).group(1))
    return client, case_id


def give_consent(app, case_id, group="yes"):
    """The patient partner answers the four consent questions; returns their client."""
    client = signed_in(app, "partner@example.org")
    page = client.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    answer = client.post(f"/cases/{case_id}/consent", data={
        "csrf_token": csrf_from(page), "share_group": group, "share_reviewers": "yes",
        "exemplar": "no", "quote": "no"})
    assert answer.status_code == 303
    return client


def save_part(client, case_id, key, text, version, **extra):
    """Save one part of the case from its page, as the form does."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return client.post(f"/cases/{case_id}/sections/{key}",
                       data=dict(extra, text=text, version=str(version),
                                 csrf_token=csrf_from(page)))


def confirm_submission(client, case_id, **data):
    """Press "We are ready: I confirm the submission" (ticking that empty parts are known)."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    data.setdefault("knowing_empty", "1")
    return client.post(f"/cases/{case_id}/confirm", data=dict(data, csrf_token=csrf_from(page)))


def draft_of(app, case_id, key):
    """The current draft row of one part."""
    from sqlalchemy import select

    from webapp.models import SectionDraft

    with app.app_context():
        return db.session.scalar(select(SectionDraft).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == key))


#: The repository: the shipped course content (rubrics, surveys, modules) loads from here.
ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def patient_ratings(level):
    """Every statement of the shipped patient co-teacher rubric rated at ``level``."""
    keys = ["whole-person", "feelings-named", "strengths-visible", "hard-parts-honest",
            "plans-made-with", "respectful-words", "plan-would-help"]
    return {f"rating-{k}": level for k in keys}


@pytest.fixture
def work(app, world):
    """The world plus one assignment in each of cohorts C, C3 and C2."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import ModuleVersionRow

    assert app.test_cli_runner().invoke(args=["content", "load", str(VALID)]).exit_code == 0
    with app.app_context():
        row = db.session.scalar(select(ModuleVersionRow))
        for key, cohort in (("A", "C"), ("A3", "C3"), ("A2", "C2")):
            world.ids[key] = make_assignment(world.ids[cohort], row).id
        for key, programme in (("PMV", "P"), ("P2MV", "P2")):
            world.ids[key] = f"{world.ids[programme]}/reports/modules/{row.id}"
        world.ids["PMVPDF"] = world.ids["PMV"] + "/report.pdf"
        world.ids["NONE"] = ""
        db.session.commit()
        from webapp.models import Account, ConsentRecord

        cases = {}
        for key, group, assignment in (("K1", "G1", "A"), ("K2", "G2", "A"), ("K3", "G3", "A2")):
            cases[key] = make_case(world.ids[group], world.ids[assignment])
            world.ids[key] = cases[key].id
        partner = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
        db.session.add(ConsentRecord(case_work_id=world.ids["K1"], account_id=partner,
                                     share_group=True, share_reviewers=True, exemplar=False,
                                     quote=False))
        sub = make_submission(cases["K1"], situation="x")
        coteacher = db.session.scalar(select(Account.id).where(
            Account.email_key == "coteacher@example.org"))
        world.ids["R1"] = make_review(sub, coteacher).id
        db.session.commit()
    return world
