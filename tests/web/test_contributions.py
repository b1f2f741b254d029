"""Contribution records: logged by patients, confirmed by educators, exported and certified."""

import csv
import io

from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import Contribution


def _record(client, cohort_id, **overrides):
    page = client.get("/contributions").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "cohort_id": str(cohort_id), "activity": "meeting",
            "on_date": "2026-11-02", "minutes": "90", "note": "First group meeting"}
    data.update(overrides)
    return client.post("/contributions", data=data)


def test_time_is_recorded_confirmed_exported_and_certified(app, world):
    partner = signed_in(app, "partner@example.org")
    assert _record(partner, world.ids["C"]).status_code == 303
    assert _record(partner, world.ids["C"], note="=HYPERLINK(\"http://x\")",
                   activity="writing", minutes="30").status_code == 303
    bad = _record(partner, world.ids["C"], minutes="0")
    assert bad.status_code == 400 and "from 1 to 1440" in bad.get_data(as_text=True)
    assert _record(partner, world.ids["C2"]).status_code == 400, "only one's own cohorts"
    assert _record(partner, world.ids["C"], on_date="2999-01-01").status_code == 400
    educator = signed_in(app, "educator@example.org")
    page = educator.get(f"/cohorts/{world.ids['C']}/contributions").get_data(as_text=True)
    assert "First group meeting" in page
    with app.app_context():
        ids = [str(i) for i in db.session.scalars(select(Contribution.id))]
    educator.post(f"/cohorts/{world.ids['C']}/contributions",
                  data={"csrf_token": csrf_from(page), "entry_id": ids})
    exported = educator.get(f"/cohorts/{world.ids['C']}/contributions.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0][:5] == ["name", "email", "date", "activity", "minutes"]
    expected = ["Partner", "partner@example.org", "2026-11-02", "meeting", "90"]
    assert expected in [row[:5] for row in rows[1:]]
    assert any(r[5].startswith("'=HYPERLINK") for r in rows[1:]), "no formula runs"
    certificate = partner.get(f"/contributions/certificate.pdf?cohort={world.ids['C']}")
    assert certificate.status_code == 200
    assert certificate.data.startswith(b"%PDF")
    assert signed_in(app, "lead@example.org").get(
        f"/cohorts/{world.ids['C']}/contributions.csv").status_code == 403


def test_only_unconfirmed_own_entries_can_be_deleted(app, world):
    partner = signed_in(app, "partner@example.org")
    _record(partner, world.ids["C"])
    with app.app_context():
        entry_id = db.session.scalar(select(Contribution.id))
    other = signed_in(app, "coteacher@example.org")
    token = csrf_from(other.get("/contributions").get_data(as_text=True))
    assert other.post(f"/contributions/{entry_id}/delete",
                      data={"csrf_token": token}).status_code == 404
    token = csrf_from(partner.get("/contributions").get_data(as_text=True))
    assert partner.post(f"/contributions/{entry_id}/delete",
                        data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Contribution.id)) is None
