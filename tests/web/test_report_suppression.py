"""Generated programmes, read as a reader would: the module report's page, CSV and PDF text.

For each hidden cohort, its feasible range over everything the report publishes and what the
rule itself reveals (hidden cells are the smallest of their pool) is at least k - 1 wide; all
three views publish the same facts; every hidden figure gives the one reason.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import add_role, make_account, signed_in
from tests.web.test_reports import (
    HIDDEN,
    _answer,
    _csv_rows,
    _load,
    _published_respondents,
    _ranges,
    _version,
)
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Assignment, Cohort, Programme, SurveyVersionRow

_serial = itertools.count()


def _programme(app, plan) -> tuple[int, int, str]:
    """A programme whose cohorts took clinical-microsystems 1.0.0 with ``plan`` answers:
    [(students, patients), …]. Returns (programme id, version id, lead email)."""
    tag = next(_serial)
    with app.app_context():
        programme = Programme(name=f"Generated {tag}")
        db.session.add(programme)
        db.session.flush()
        lead = f"lead{tag}@example.org"
        add_role(make_account(lead), "lead", programme=programme)
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        row = _version("clinical-microsystems", "1.0.0")
        for index, (students, patients) in enumerate(plan):
            cohort = Cohort(programme=programme, name=f"Cohort G{index}")
            db.session.add(cohort)
            db.session.flush()
            start = now() - timedelta(days=100 - index)
            db.session.add(Assignment(cohort_id=cohort.id, module_slug=row.slug,
                                      module_version_id=row.id, opens_at=start,
                                      due_at=start + timedelta(days=14),
                                      review_due_at=start + timedelta(days=21)))
            for _ in range(students):
                _answer(cohort.id, row.id, "student", 3, survey)
            for _ in range(patients):
                _answer(cohort.id, row.id, "patient", 4, survey)
        db.session.commit()
        return programme.id, row.id, lead


def _views(app, programme_id, version_id, lead) -> dict[str, str]:
    client = signed_in(app, lead)
    base = f"/programmes/{programme_id}/reports/modules/{version_id}"
    pdf = client.get(base + "/report.pdf").data
    return {"page": client.get(base).get_data(as_text=True),
            "csv": client.get(base + "/report.csv").get_data(as_text=True),
            "pdf": subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                  check=True).stdout.decode()}


plans = st.lists(st.tuples(st.integers(0, 14), st.integers(0, 6)), min_size=2, max_size=5)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans, k=st.sampled_from([5, 10]))
def test_generated_programmes_never_narrow_a_hidden_cohort_in_any_view(app, plan, k):
    with app.app_context():
        if _version("clinical-microsystems", "1.0.0") is None:
            _load(app)
    app.config["REPORT_MIN_CELL"] = k
    try:
        views = _views(app, *_programme(app, plan))
    finally:
        app.config["REPORT_MIN_CELL"] = 5
    rows = _csv_rows(views["csv"])
    for column, index in (("students", 0), ("patient partners", 1)):
        cells, pooled = _published_respondents(rows, column)
        assert len(cells) == len(plan), "every cohort that took the module is listed"
        for name, width in _ranges(cells, pooled).items():
            assert width >= k - 1, (plan, k, column, name, width)
        for name, n in cells.items():
            actual = plan[int(name.removeprefix("Cohort G"))][index]
            assert n is None or (n == actual and n >= k), (plan, name, n)
            label = str(n) if n is not None else HIDDEN
            assert re.search(rf"{name}</th>(<td>[^<]*</td>)*<td>{re.escape(label)}</td>",
                             views["page"]), (plan, name, label)
        if pooled is not None:
            assert pooled == sum(p[index] for p in plan)
            assert re.search(rf"\b{pooled}\b", views["pdf"])
    for view, text in views.items():
        flat = re.sub(r"\s+", " ", text)
        for telling in ("fewer than", "smaller group", "reviewers gave"):
            assert telling not in flat, (view, telling, plan)
