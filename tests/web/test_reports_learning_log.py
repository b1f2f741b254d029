"""The learning log in the module report: how many people recorded, came back to and shared
entries, per respondent type, under the same small-cell rules as every figure; never a figure
per person and never anyone's words."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import VALID, add_role, make_account, make_assignment, signed_in
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Cohort, Group, LogEntry, LogRevisit, ModuleVersionRow, Programme

WORDS = "Quetzal-lantern"


def _write(account, assignment, *, stage="what", shared=False, follows=None, back=False):
    entry = LogEntry(account_id=account.id, place="own", stage=stage, tags=[],
                     text=f"{WORDS} {account.display_name}", written_on=date(2026, 11, 1),
                     assignment_id=assignment.id, follows_id=follows,
                     module_version_id=assignment.module_version_id,
                     shared_with="cohort" if shared else None,
                     share_cohort_id=assignment.cohort_id if shared else None,
                     shared_at=now() if shared else None)
    db.session.add(entry)
    db.session.flush()
    if back:
        db.session.add(LogRevisit(entry_id=entry.id, answer="still_true", on_day=date.today()))
    return entry


@pytest.fixture
def logged(app):
    """Two cohorts of one programme took the example module; in each, 3 students and one
    patient partner wrote entries about it."""
    assert app.test_cli_runner().invoke(args=["content", "load", str(VALID)]).exit_code == 0
    with app.app_context():
        programme = Programme(name="Log programme")
        db.session.add(programme)
        db.session.flush()
        add_role(make_account("lead@example.org", "Lead"), "lead", programme=programme)
        row = db.session.scalar(select(ModuleVersionRow))
        ids = {"P": programme.id, "MV": row.id}
        for c in range(2):
            cohort = Cohort(programme=programme, name=f"Cohort {c}")
            group = Group(cohort=cohort, name=f"Group {c}")
            db.session.add_all([cohort, group])
            db.session.flush()
            ids[f"C{c}"] = cohort.id
            assignment = make_assignment(cohort.id, row)
            ids[f"A{c}"] = assignment.id
            for s in range(3):
                student = make_account(f"s{c}{s}@example.org", f"Student{c}{s}")
                add_role(student, "student", cohort=cohort, group=group)
                plan = _write(student, assignment, stage="now_what", back=s == 0,
                              shared=s == 1)
                if s == 2:
                    _write(student, assignment, stage="what_happened", follows=plan.id)
            partner = make_account(f"p{c}@example.org", f"Partner{c}")
            add_role(partner, "patient_partner", cohort=cohort, group=group)
            _write(partner, assignment, shared=True)
        db.session.commit()
    return ids


def _row(html: str, label: str) -> list[str]:
    import re

    table = html[html.index("Learning log: recording"):]
    match = re.search(rf"<th[^>]*>{label}</th>(.*?)</tr>", table, re.S)
    assert match, f"no row for {label}"
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)


def test_pooled_counts_show_and_each_cohort_alone_is_hidden(app, logged):
    lead = signed_in(app, "lead@example.org")
    base = f"/programmes/{logged['P']}/reports/modules/{logged['MV']}"
    page = lead.get(base).get_data(as_text=True)
    # 6 students recorded; 2 came back to an entry, 2 shared, 2 plans were carried out
    assert [c.strip() for c in _row(page, "students")] == ["6", "2", "2", "2"]
    assert "patient partners and co-teachers: hidden to protect small groups" in page
    assert WORDS not in page
    csv = lead.get(base + "/report.csv").get_data(as_text=True)
    assert WORDS not in csv and "people who recorded" in csv
    alone = lead.get(f"/cohorts/{logged['C0']}/report").get_data(as_text=True)
    section = alone[alone.index("Learning log: recording"):]
    assert "hidden to protect small groups" in section[:2000]
    assert "<td>3</td>" not in section[:2000]


def test_a_new_entry_changes_the_pooled_count(app, logged):
    lead = signed_in(app, "lead@example.org")
    base = f"/programmes/{logged['P']}/reports/modules/{logged['MV']}"
    assert _row(lead.get(base).get_data(as_text=True), "students")[0].strip() == "6"
    from webapp.models import Assignment

    with app.app_context():
        cohort = db.session.get(Cohort, logged["C0"])
        group = db.session.scalar(select(Group).where(Group.cohort_id == cohort.id))
        newcomer = make_account("new@example.org", "Newcomer")
        add_role(newcomer, "student", cohort=cohort, group=group)
        _write(newcomer, db.session.get(Assignment, logged["A0"]))
        db.session.commit()
    assert _row(lead.get(base).get_data(as_text=True), "students")[0].strip() == "7"
