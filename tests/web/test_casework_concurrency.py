"""Twenty people saving one section at the same moment: no lost update, ever."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.conftest import add_role, make_account, start_case
from webapp.casework import operations
from webapp.extensions import db
from webapp.models import Account, CaseWork, Group, SectionDraft, SectionRevision
from webapp.transactions import run

WRITERS = 20


def _writers(app, world):
    """Twenty students in the case's group (the first is the group's own student)."""
    with app.app_context():
        group = db.session.get(Group, world.ids["G1"])
        cohort = group.cohort
        for i in range(WRITERS - 1):
            add_role(make_account(f"writer{i}@example.org"), "student", cohort=cohort,
                     group=group)
        db.session.commit()
        return [a.id for a in db.session.scalars(select(Account).where(
            Account.email_key.like("writer%") | (Account.email_key == "student@example.org")))]


def test_twenty_concurrent_saves_each_accepted_or_409_and_nothing_lost(app, assigned):  # noqa: F811
    _client, case_id = start_case(app, assigned)
    writer_ids = _writers(app, assigned)
    assert len(writer_ids) == WRITERS
    barrier = threading.Barrier(WRITERS)
    outcomes = []
    lock = threading.Lock()

    def write(index_and_account):
        index, account_id = index_and_account
        with app.app_context():
            base = db.session.scalar(select(SectionDraft.version).where(
                SectionDraft.case_work_id == case_id, SectionDraft.section == "navigation"))
            text = f"Writer {index} was here."
            db.session.remove()  # hold no connection while waiting for the others
            barrier.wait(timeout=60)
            actor = db.session.get(Account, account_id)
            case = db.session.get(CaseWork, case_id)
            try:
                version = run(db.session, operations.save_section, actor, case, "navigation",
                              text, base)
                result = ("accepted", version.version, text)
            except operations.Conflict as conflict:
                result = ("conflict", conflict.version, text)
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, enumerate(writer_ids)))

    accepted = sorted((v, t) for kind, v, t in outcomes if kind == "accepted")
    conflicts = [o for o in outcomes if o[0] == "conflict"]
    assert len(accepted) + len(conflicts) == WRITERS
    assert accepted, "at least one save goes through"
    with app.app_context():
        draft = db.session.scalar(select(SectionDraft).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == "navigation"))
        revisions = db.session.scalars(select(SectionRevision).where(
            SectionRevision.draft_id == draft.id).order_by(SectionRevision.version)).all()
    assert [r.version for r in revisions] == [v for v, _t in accepted]
    assert [r.text for r in revisions] == [t for _v, t in accepted]
    assert draft.version == accepted[-1][0] and draft.text == accepted[-1][1]
    # Everyone started from version 0, so exactly one could be accepted.
    assert len(accepted) == 1


def test_saves_in_a_row_from_fresh_versions_all_land(app, assigned):  # noqa: F811
    _client, case_id = start_case(app, assigned)
    writer_ids = _writers(app, assigned)

    def write(index_and_account):
        index, account_id = index_and_account
        with app.app_context():
            actor = db.session.get(Account, account_id)
            for _attempt in range(200):
                case = db.session.get(CaseWork, case_id)
                base = db.session.scalar(select(SectionDraft.version).where(
                    SectionDraft.case_work_id == case_id, SectionDraft.section == "condition"))
                try:
                    run(db.session, operations.save_section, actor, case, "condition",
                        f"Line from writer {index}", base)
                    db.session.remove()
                    return True
                except operations.Conflict:
                    pass
            db.session.remove()
            return False

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(write, enumerate(writer_ids)))
    assert all(results)
    with app.app_context():
        draft = db.session.scalar(select(SectionDraft).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == "condition"))
        versions = db.session.scalars(select(SectionRevision.version).where(
            SectionRevision.draft_id == draft.id).order_by(SectionRevision.version)).all()
    assert versions == list(range(1, WRITERS + 1))
    assert draft.version == WRITERS


def test_a_hand_in_during_saves_holds_exactly_what_was_saved_before_it(app, assigned):  # noqa: F811
    """Writers keep saving their own parts while an educator hands the case in: every save
    lands wholly before the hand-in (and is in it) or is refused after it."""
    from webapp.casework import submission as hand_in
    from webapp.models import Submission
    from webapp.refusals import Refused

    _client, case_id = start_case(app, assigned)
    writer_ids = _writers(app, assigned)[:6]
    keys = ["situation", "patient_reality", "emotions", "navigation", "condition",
            "microsystem"]
    with app.app_context():
        educator = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
    barrier = threading.Barrier(len(writer_ids) + 1)
    accepted: dict[str, tuple[int, str]] = {}
    refused_after: list[str] = []
    lock = threading.Lock()

    def write(n):
        account_id, key = writer_ids[n], keys[n]
        version = 0
        with app.app_context():
            barrier.wait(timeout=60)
            for i in range(15):
                actor = db.session.get(Account, account_id)
                case = db.session.get(CaseWork, case_id)
                text = f"{key} by {n}, save {i}"
                try:
                    # as the save route runs it: what the request loaded is kept, so only
                    # the save's own statements can see the hand-in
                    version = run(db.session, operations.save_section, actor, case, key, text,
                                  version, keep_loaded=True).version
                    with lock:
                        accepted[key] = (version, text)
                except Refused:
                    with lock:
                        refused_after.append(key)
                    break
                finally:
                    db.session.remove()

    def submit():
        with app.app_context():
            barrier.wait(timeout=60)
            actor = db.session.get(Account, educator)
            case = db.session.get(CaseWork, case_id)
            run(db.session, hand_in.override, actor, case, "The group asked us to hand in now.")
            db.session.remove()

    with ThreadPoolExecutor(len(writer_ids) + 1) as pool:
        futures = [pool.submit(write, n) for n in range(len(writer_ids))] + [pool.submit(submit)]
        for future in futures:
            future.result()

    with app.app_context():
        handed = db.session.scalar(select(Submission).where(Submission.case_work_id == case_id))
        drafts = {d.section: d for d in db.session.scalars(select(SectionDraft).where(
            SectionDraft.case_work_id == case_id))}
        for key in keys:
            draft = drafts[key]
            last = accepted.get(key, (0, ""))
            # the part holds its last accepted save, and the hand-in holds the same
            assert (draft.version, draft.text) == last, key
            assert handed.sections[key].get("text", "") == draft.text, key
            revisions = db.session.scalar(select(func.count(SectionRevision.id)).where(
                SectionRevision.draft_id == draft.id))
            assert revisions == last[0], "every accepted save left its revision"
