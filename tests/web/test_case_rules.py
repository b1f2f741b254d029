"""Every write route of a case, for every way a person can stand to it: what the page offers
and what the route accepts always agree, and the rule is the one docs/case-work.md states."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import (
    confirm_submission,
    csrf_from,
    give_consent,
    save_part,
    signed_in,
    start_case,
)
from webapp.extensions import db
from webapp.models import CaseWork, Confirmation, ConsentRecord, SectionDraft

STATES = ("student", "partner before consent", "partner not sharing", "partner withdrawn",
          "after submission", "educator", "other group", "outsider")
ACTIONS = ("save", "written", "restore", "share", "confirm", "withdraw", "consent")

#: What each state may do (True), per the rule; educators and outsiders may do nothing.
ALLOWED = {
    "student": {"save", "written", "restore", "confirm"},
    "partner before consent": {"consent"},
    "partner not sharing": {"confirm", "withdraw", "consent"},
    "partner withdrawn": {"confirm", "withdraw", "consent"},
    "after submission": {"share"},
    "educator": set(),
    "other group": set(),
    "outsider": set(),
}
EMAILS = {"student": "student@example.org", "partner before consent": "partner@example.org",
          "partner not sharing": "partner@example.org",
          "partner withdrawn": "partner@example.org", "after submission": "student@example.org",
          "educator": "educator@example.org", "other group": "student2@example.org",
          "outsider": "outsider@example.org"}


def _scenario(app, world, state):
    student, case_id = start_case(app, world)
    save_part(student, case_id, "situation", "First words.", 0)
    save_part(student, case_id, "situation", "Second words.", 1)
    if state in ("partner not sharing", "partner withdrawn", "after submission", "student"):
        partner = give_consent(app, case_id,
                               group="no" if state == "partner not sharing" else "yes")
        if state == "partner withdrawn":
            page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
            assert partner.post(f"/cases/{case_id}/withdraw",
                                data={"csrf_token": csrf_from(page)}).status_code == 303
        if state == "after submission":
            confirm_submission(student, case_id)
            confirm_submission(partner, case_id, share_reviewers="yes")
    return case_id


def _state_of(app, case_id):
    """Everything a write could change, to tell whether a post was accepted."""
    with app.app_context():
        draft = db.session.scalar(select(SectionDraft).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == "situation"))
        case = db.session.get(CaseWork, case_id)
        return {"version": draft.version, "written": draft.written,
                "shared": case.reflection_shared_at is not None,
                "confirmations": db.session.scalar(select(func.count(Confirmation.id))),
                "consents": db.session.scalar(select(func.count(ConsentRecord.id))),
                "withdrawn": db.session.scalar(select(func.count(ConsentRecord.id)).where(
                    ConsentRecord.withdrawn.is_(True)))}


def _offered(client, case_id) -> set[str]:
    """The write actions the person's pages offer."""
    case = f"/cases/{case_id}"
    page = client.get(case)
    html = page.get_data(as_text=True) if page.status_code == 200 else ""
    history = client.get(f"{case}/sections/situation/history")
    history_html = history.get_data(as_text=True) if history.status_code == 200 else ""
    consent = client.get(f"{case}/consent")
    consent_html = consent.get_data(as_text=True) if consent.status_code == 200 else ""
    offered = set()
    if f'action="{case}/sections/situation"' in html:
        offered.add("save")
    if f'action="{case}/sections/situation/written"' in html:
        offered.add("written")
    if "Restore version 1" in history_html:
        offered.add("restore")
    if f'action="{case}/share"' in html:
        offered.add("share")
    if f'action="{case}/confirm"' in html:
        offered.add("confirm")
    if f'action="{case}/withdraw"' in consent_html:
        offered.add("withdraw")
    if "Save my choices" in consent_html:
        offered.add("consent")
    return offered


def _post(client, case_id, action, version):
    case = f"/cases/{case_id}"
    paths = {"save": f"{case}/sections/situation", "written": f"{case}/sections/situation/written",
             "restore": f"{case}/sections/situation/restore", "share": f"{case}/share",
             "confirm": f"{case}/confirm", "withdraw": f"{case}/withdraw",
             "consent": f"{case}/consent"}
    data = {"save": {"text": f"Posted by the rule test {version}.", "version": str(version)},
            "written": {"written": "1"},
            "restore": {"revision": "1", "version": str(version)},
            "share": {"share": "1"},
            "confirm": {"share_reviewers": "yes", "knowing_empty": "1"}, "withdraw": {},
            "consent": {"share_group": "yes", "share_reviewers": "yes", "exemplar": "no",
                        "quote": "no"}}[action]
    token = csrf_from(client.get("/account").get_data(as_text=True))
    return client.post(paths[action], data=dict(data, csrf_token=token))


def _accepted(before, after, action) -> bool:
    return {"save": after["version"] > before["version"],
            "restore": after["version"] > before["version"],
            "written": after["written"] != before["written"],
            "share": after["shared"] and not before["shared"],
            "confirm": after["confirmations"] > before["confirmations"],
            "withdraw": after["withdrawn"] > before["withdrawn"],
            "consent": after["consents"] > before["consents"]}[action]


@pytest.mark.parametrize("state", STATES)
def test_what_the_page_offers_is_what_the_route_accepts(app, assigned, state):  # noqa: F811
    case_id = _scenario(app, assigned, state)
    client = signed_in(app, EMAILS[state])
    offered = _offered(client, case_id)
    assert offered == ALLOWED[state], (state, offered)
    for action in ACTIONS:  # in this order, so an accepted post does not change the next
        before = _state_of(app, case_id)
        answer = _post(client, case_id, action, before["version"])
        accepted = _accepted(before, _state_of(app, case_id), action)
        assert accepted == (action in ALLOWED[state]), (state, action, answer.status_code)
        if not accepted:
            assert answer.status_code in (303, 400, 403, 404, 409), (state, action)
            if state == "outsider":
                assert answer.status_code == 404
            elif state in ("educator", "other group"):
                assert answer.status_code == 403


def test_a_withdrawal_that_fails_half_way_changes_nothing(app, assigned, monkeypatch):  # noqa: F811
    from webapp.casework.visibility import CaseWords

    case_id = _scenario(app, assigned, "student")
    partner = signed_in(app, "partner@example.org")
    save_part(partner, case_id, "emotions", "Her own words.", 0)
    before = _state_of(app, case_id)

    def broken(self, person):
        raise RuntimeError("the disk filled up half way")

    monkeypatch.setattr(CaseWords, "only_theirs", broken)
    page = partner.get(f"/cases/{case_id}/consent").get_data(as_text=True)
    answer = partner.post(f"/cases/{case_id}/withdraw", data={"csrf_token": csrf_from(page)})
    assert answer.status_code == 500
    assert _state_of(app, case_id) == before, "the consent change did not land alone"
    with app.app_context():
        text = db.session.scalar(select(SectionDraft.text).where(
            SectionDraft.case_work_id == case_id, SectionDraft.section == "emotions"))
    assert text == "Her own words."
