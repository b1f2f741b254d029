"""A module and its edition in another language are one pool in the reports: a cohort that
answered in Swedish and one that answered in English are counted together, and the report
says which language each cohort worked in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import ROOT, add_role, make_account, signed_in
from tests.web.test_reports import _answer, _version
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Assignment, Cohort, Programme, ReviewLogEntry, SurveyVersionRow


@pytest.fixture
def two_languages(app):
    """Cohort "Engelska" took module 1 in English (1.2.0), cohort "Svenska" its Swedish
    edition; each has 3 students who answered, too few to show alone."""
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        programme = Programme(name="Two languages")
        db.session.add(programme)
        db.session.flush()
        add_role(make_account("lead@example.org", "Lead Person"), "lead", programme=programme)
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        english = _version("services-are-coproduced", "1.2.0")
        swedish = _version("services-are-coproduced-sv", "1.0.0")
        assert swedish.edition_of_id == english.id
        ids = {"P": programme.id, "en": english.id, "sv": swedish.id}
        for index, (name, row, value) in enumerate((("Engelska", english, 3),
                                                    ("Svenska", swedish, 4))):
            cohort = Cohort(programme=programme, name=f"Cohort {name}")
            db.session.add(cohort)
            db.session.flush()
            ids[name] = cohort.id
            start = now() - timedelta(days=100 - index * 30)
            db.session.add(Assignment(cohort_id=cohort.id, module_slug=row.slug,
                                      module_version_id=row.id, opens_at=start,
                                      due_at=start + timedelta(days=14),
                                      review_due_at=start + timedelta(days=21)))
            for _i in range(3):
                _answer(cohort.id, row.id, "student", value, survey)
        # "You said, we did" about the Swedish edition belongs to the module's report too.
        db.session.add(ReviewLogEntry(programme_id=programme.id, module_slug=swedish.slug,
                                      about_version_id=swedish.id,
                                      finding="The case was long.", decision="Shorter case.",
                                      summary="We shortened the case.", evidence=[]))
        db.session.commit()
        return ids


def test_a_swedish_cohort_and_an_english_one_pool_in_one_report(app, two_languages):
    lead = signed_in(app, "lead@example.org")
    base = f"/programmes/{two_languages['P']}/reports/modules"
    english = lead.get(f"{base}/{two_languages['en']}").get_data(as_text=True)
    assert "students, all cohorts pooled, n = 6" in english
    assert "Cohort Engelska (English)" in english and "Cohort Svenska (Svenska)" in english
    assert "cohorts worked in English, Svenska" in english
    assert "We shortened the case." in english  # "you said, we did" of the module
    # The edition's report is the same pool.
    swedish = lead.get(f"{base}/{two_languages['sv']}").get_data(as_text=True)
    assert "students, all cohorts pooled, n = 6" in swedish
    # Each cohort alone is still too small to show.
    for cohort in ("Engelska", "Svenska"):
        alone = lead.get(f"/cohorts/{two_languages[cohort]}/report").get_data(as_text=True)
        assert "n = 3" not in alone and "hidden to protect small groups" in alone
    csv = lead.get(f"{base}/{two_languages['en']}/report.csv").get_data(as_text=True)
    assert "Cohort Svenska (Svenska)" in csv


def test_a_swedish_lead_reads_the_pooled_report_in_swedish(app, two_languages):
    with app.app_context():
        from webapp.models import Account
        db.session.scalar(select(Account).where(
            Account.email == "lead@example.org")).language = "sv"
        db.session.commit()
    lead = signed_in(app, "lead@example.org")
    page = lead.get(f"/programmes/{two_languages['P']}/reports/modules/{two_languages['sv']}")
    html = page.get_data(as_text=True)
    assert 'lang="sv"' in html and "kurstillfällenas språk: English, Svenska" in html
    assert "Modulen var tydlig." in html  # the survey's items in the reader's language
    # who each table is about, in Swedish too
    assert "studenter, " in html and "students, " not in html
    assert "patientpartner, " in html and "patient partners, " not in html
    assert "patientperspektiv" in html and "patient lens" not in html


def test_a_swedish_reader_gets_swedish_column_names_and_a_swedish_roster_template(
        app, two_languages):
    with app.app_context():
        from webapp.models import Account
        db.session.scalar(select(Account).where(
            Account.email == "lead@example.org")).language = "sv"
        db.session.commit()
    lead = signed_in(app, "lead@example.org")
    csv = lead.get(f"/programmes/{two_languages['P']}/reports/modules/{two_languages['en']}"
                   "/report.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffavsnitt;tabell;gäller;rad;kolumn;värde")
    template = lead.get("/roster-template.csv")
    assert "klasslista-mall.csv" in template.headers["Content-Disposition"]
    assert template.get_data(as_text=True).startswith("\ufeffe-post;namn;roll;basgrupp")
