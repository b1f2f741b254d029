"""The programme lead's curriculum review: open a module version's report, download its PDF,
and record a "you said, we did" entry carried by version 1.1.0.

The programme, its cohorts and their anonymous answers are made through the models in a
fresh programme with unique names (the live server is shared by the whole session); the
shipped course (both versions of clinical-microsystems, the feedback survey) is published
with ``content load``.
"""

import re
import secrets
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import live_app, serious_violations, sign_in_page
from tests.conftest import add_role, make_account
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Assignment,
    Cohort,
    FeedbackAnswer,
    FeedbackComment,
    FeedbackResponse,
    ModuleVersionRow,
    Programme,
    ReviewLogEntry,
    SurveyVersionRow,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "Send the case earlier so we can prepare."


def _answers(cohort, row, survey_id, respondent, count, value):
    item = "clear" if respondent == "student" else "knew-what-was-asked"
    for _ in range(count):
        response = FeedbackResponse(id=secrets.token_hex(16), module_version_id=row.id,
                                    cohort_id=cohort.id, survey_version_id=survey_id,
                                    respondent=respondent, term="2026-autumn")
        db.session.add(response)
        db.session.flush()
        db.session.add(FeedbackAnswer(response_id=response.id, item=item, value=value,
                                      module_version_id=row.id, cohort_id=cohort.id,
                                      respondent=respondent))


@pytest.fixture
def programme(live_server, tmp_path_factory):
    app = live_app(tmp_path_factory)
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        versions = {v.version: v for v in db.session.scalars(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "clinical-microsystems"))}
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        programme = Programme(name=f"Report programme {tag}")
        db.session.add(programme)
        lead = make_account(f"rp{tag}.lead@example.org", f"Lee {tag}")
        add_role(lead, "lead", programme=programme)
        for index, (students, patients) in enumerate(((6, 3), (7, 3), (3, 0))):
            cohort = Cohort(programme=programme, name=f"Cohort {index + 1} {tag}")
            db.session.add(cohort)
            db.session.flush()
            start = now() - timedelta(days=100 - 30 * index)
            db.session.add(Assignment(cohort_id=cohort.id, module_slug="clinical-microsystems",
                                      module_version_id=versions["1.0.0"].id, opens_at=start,
                                      due_at=start + timedelta(days=14),
                                      review_due_at=start + timedelta(days=21)))
            _answers(cohort, versions["1.0.0"], survey, "student", students, 3)
            _answers(cohort, versions["1.0.0"], survey, "patient", patients, 1)
            if index == 0:
                db.session.add(FeedbackComment(
                    module_version_id=versions["1.0.0"].id, cohort_id=cohort.id,
                    respondent="patient", term="2026-autumn", item="change", text=COMMENT,
                    status="approved"))
        db.session.commit()
        ids = {"tag": tag, "lead": lead.email, "programme": programme.id,
               "programme_name": programme.name, "v11": versions["1.1.0"].id}
        db.session.remove()
        db.engine.dispose()
    ids["app"] = app
    return ids


def test_lead_reads_a_report_downloads_the_pdf_and_records_a_change(browser, live_server,
                                                                    programme, tmp_path):
    page = browser.new_context(accept_downloads=True).new_page()
    base = live_server
    sign_in_page(page, base, programme["lead"])
    page.get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name=programme["programme_name"]).click()
    page.get_by_role("link", name="Curriculum review reports").click()
    page.get_by_role("link", name="Clinical microsystems 1.0.0").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clinical microsystems 1.0.0")
    # Pooled figures show (16 students, 6 patient partners); the cohort of 3 does not.
    expect(page.get_by_text("students, all cohorts pooled, n = 16", exact=True)).to_be_visible()
    expect(page.get_by_text("patient partners, all cohorts pooled, n = 6", exact=True))\
        .to_be_visible()
    respondents = page.locator("#respondents-" + page.url.rsplit("/", 1)[1])
    expect(respondents.get_by_role("row", name=re.compile(f"Cohort 3 {programme['tag']}")))\
        .to_contain_text("hidden to protect small groups")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert serious_violations(page) == []
    # On a phone the page does not scroll sideways and every chart label stays readable.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        'svg.chart text')].map(t => t.getBoundingClientRect().height))""")
    assert smallest >= 12, f"the smallest chart label is {smallest:.1f} px tall"
    expect(page.locator("ul.legend li").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert "Clinical microsystems 1.0.0" in text and "n = 16" in text and "n = 3" not in text

    page.get_by_role("link", name="Record a change (you said, we did)").click()
    page.get_by_label("What we found").fill("Patient partners asked for the case sooner.")
    page.get_by_label(COMMENT).check()
    page.get_by_label("Debrief themes").fill("Time to prepare")
    page.get_by_label("What we decided").fill("Share the case a week before the first meeting.")
    page.get_by_label("Which version carries the change?").select_option(
        label="Clinical microsystems 1.1.0")
    page.get_by_label("Summary for learners").fill("You now get the case a week earlier.")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded.")).to_be_visible()
    entry = page.locator("article.card").filter(has_text="Share the case a week before")
    expect(entry.get_by_role("heading")).to_contain_text("1.0.0 → 1.1.0")
    expect(entry).to_contain_text(COMMENT)

    with programme["app"].app_context():
        stored = db.session.scalar(select(ReviewLogEntry).where(
            ReviewLogEntry.programme_id == programme["programme"]))
        assert stored.carried_by_id == programme["v11"]
        db.session.remove()
        db.engine.dispose()
