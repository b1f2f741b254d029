"""Curriculum-review reports: small cells never show, in any page, CSV or PDF; pooled cells do."""

from __future__ import annotations

import csv
import io
import re
import secrets
import subprocess
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import (
    ROOT,
    add_role,
    csrf_from,
    make_account,
    signed_in,
    statements_for_page,
)
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

HIDDEN = "hidden to protect small groups"


def _load(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output


def _answer(cohort_id, mv_id, respondent, value, survey_id, comment=None):
    response = FeedbackResponse(id=secrets.token_hex(16), module_version_id=mv_id,
                                cohort_id=cohort_id, survey_version_id=survey_id,
                                respondent=respondent, term="2026-autumn")
    db.session.add(response)
    db.session.flush()
    item = "clear" if respondent == "student" else "treated-as-equal"
    db.session.add(FeedbackAnswer(response_id=response.id, item=item, value=value,
                                  module_version_id=mv_id, cohort_id=cohort_id,
                                  respondent=respondent))
    if comment:
        db.session.add(FeedbackComment(module_version_id=mv_id, cohort_id=cohort_id,
                                       respondent=respondent, term="2026-autumn",
                                       item="change", text=comment, status="approved"))


def _version(slug, version):
    return db.session.scalar(select(ModuleVersionRow).where(
        ModuleVersionRow.slug == slug, ModuleVersionRow.version == version))


@pytest.fixture
def programme(app):
    """Cohorts of a programme with answers arranged to test each small-cell rule.

    Module feedback on clinical-microsystems 1.0.0:
    - "Tiny": 3 students (all "Strongly disagree", value 0) — a cohort of 3;
    - "Six": 6 students, 6 patients;  "Two": 5 students, 2 patients;
    - "Twelve": 11 students and 1 patient (value 4 — the only "Strongly agree" from patients).
    Module feedback on clinical-microsystems 1.1.0 (run chart) from "Later": 5 patients only
    (a pooled cell of exactly 5).
    """
    _load(app)
    with app.app_context():
        p = Programme(name="Review Programme")
        db.session.add(p)
        db.session.flush()
        add_role(make_account("lead@example.org", "Lead Person"), "lead", programme=p)
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        v10, v11 = _version("clinical-microsystems", "1.0.0"), \
            _version("clinical-microsystems", "1.1.0")
        ids = {"P": p.id, "v10": v10.id, "v11": v11.id}
        plan = [("Tiny", v10, 3, 0, 0), ("Six", v10, 6, 6, 2), ("Two", v10, 5, 2, 2),
                ("Twelve", v10, 11, 1, 4), ("Later", v11, 0, 5, 3)]
        for index, (name, row, students, patients, patient_value) in enumerate(plan):
            cohort = Cohort(programme=p, name=f"Cohort {name}")
            db.session.add(cohort)
            db.session.flush()
            ids[name] = cohort.id
            start = now() - timedelta(days=200 - index * 30)
            db.session.add(Assignment(cohort_id=cohort.id, module_slug=row.slug,
                                      module_version_id=row.id, opens_at=start,
                                      due_at=start + timedelta(days=14),
                                      review_due_at=start + timedelta(days=21)))
            for i in range(students):
                _answer(cohort.id, row.id, "student", 0 if name == "Tiny" else 3, survey,
                        comment=f"Tiny cohort remark {i}" if name == "Tiny" else None)
            for _i in range(patients):
                _answer(cohort.id, row.id, "patient", patient_value, survey,
                        comment="Lonely patient remark" if name == "Twelve" else None)
        add_role(make_account("tinyedu@example.org", "Tiny Educator"), "educator",
                 cohort=db.session.get(Cohort, ids["Tiny"]))
        add_role(make_account("tinystudent@example.org", "Tiny Student"), "student",
                 cohort=db.session.get(Cohort, ids["Tiny"]))
        db.session.commit()
        return ids



def _texts(app, programme, email="lead@example.org"):
    """Every report the lead can open, as text: pages, CSVs and PDFs (read with pdftotext)."""
    client = signed_in(app, email)
    out = {}
    module = f"/programmes/{programme['P']}/reports/modules/{programme['v10']}"
    paths = {"module": module, "module.csv": module + "/report.csv",
             "module.pdf": module + "/report.pdf"}
    for name in ("Tiny", "Six", "Two", "Twelve", "Later"):
        base = f"/cohorts/{programme[name]}/report"
        paths |= {name: base, f"{name}.csv": base + ".csv", f"{name}.pdf": base + ".pdf"}
    for key, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if key.endswith(".pdf"):
            assert response.data.startswith(b"%PDF")
            out[key] = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.data,
                                      capture_output=True, check=True).stdout.decode()
        else:
            out[key] = response.get_data(as_text=True)
    return out


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_small_cohorts_never_show_but_count_in_pooled_cells(app, programme):
    texts = _texts(app, programme)
    # The cohort of 3: its own report, CSV and PDF show no figure, only why.
    for key in ("Tiny", "Tiny.csv", "Tiny.pdf"):
        assert "hidden to protect small groups" in texts[key], key
        assert "n = 3" not in texts[key] and "Tiny cohort remark" not in texts[key], key
    tiny_rows = _csv_rows(texts["Tiny.csv"])
    assert tiny_rows and all(not r["row"] or r["section"] != "Module feedback"
                             for r in tiny_rows if r["value"].isdigit())
    # Pooled students: 3 + 6 + 5 + 11 = 25, including the tiny cohort's 3 "Strongly disagree".
    pooled = [r for r in _csv_rows(texts["module.csv"])
              if r["table"] == "Module feedback from students"
              and r["row"] == "The module was clear."]
    assert {r["column"]: r["value"] for r in pooled}["Strongly disagree"] == "3"
    assert {r["column"]: r["value"] for r in pooled}["Agree"] == "22"
    assert "students, all cohorts pooled, n = 25" in texts["module"]
    # Complementary suppression: with Tiny hidden, the next-smallest student cells hide too,
    # all saying the same thing. Hiding Two alone beside a shown 6 would tell a reader who
    # knows the rule that Tiny and Two hold 8 with neither above 5 (so each 3 to 5); with Six
    # hidden as well, each of the three could be anything from 0 to 4.
    respondents = {r["row"]: r["value"] for r in _csv_rows(texts["module.csv"])
                   if r["table"].startswith("Who answered") and r["column"] == "students"}
    assert respondents["Cohort Tiny"] == respondents["Cohort Two"] == \
        respondents["Cohort Six"] == "hidden to protect small groups"
    assert respondents["Cohort Twelve"] == "11"
    assert respondents["All cohorts pooled"] == "25"
    assert "n = 3" not in texts["module.pdf"]
    # Screened comments show only where their cell meets k: pooled (unattributed), not alone.
    pooled_comments = texts["module"][texts["module"].index("Comments (screened)"):]
    pooled_comments = pooled_comments[:pooled_comments.index("<h2")]
    assert "Tiny cohort remark 0" in pooled_comments and "Cohort Tiny" not in pooled_comments


def test_patient_cells_pool_to_eight_and_neither_cohort_shows(app, programme):
    texts = _texts(app, programme)
    patients = {r["row"]: r["value"] for r in _csv_rows(texts["module.csv"])
                if r["table"].startswith("Who answered") and r["column"] == "patient partners"}
    # 6 + 2 + 1 = 9 pooled; the 2 and the 1 are hidden by k, the 6 to protect them.
    assert patients["All cohorts pooled"] == "9"
    assert all(patients[c].startswith("hidden") for c in ("Cohort Six", "Cohort Two",
                                                          "Cohort Twelve"))
    for name in ("Six", "Two"):
        assert "patient partners, this cohort, n =" not in texts[name]
        assert "patient partners, this cohort, n =" not in texts[f"{name}.pdf"]


def test_the_one_patient_in_a_cohort_of_twelve_cannot_be_recovered(app, programme):
    texts = _texts(app, programme)
    twelve = texts["Twelve.csv"]
    assert "students, this cohort, n = 11" in twelve
    assert "patient partners, this cohort, n" not in twelve
    assert "Lonely patient remark" not in texts["Twelve"] + texts["Twelve.pdf"]
    # No report totals students and patients together, so nothing subtracts to the patient.
    for key, text in texts.items():
        assert "n = 12" not in text, key
    # The pooled patient figures contain the answer, but among 9 people.
    pooled = [r for r in _csv_rows(texts["module.csv"])
              if r["table"] == "Module feedback from patient partners"
              and r["row"] == "I was treated as an equal member of the group."]
    assert {r["column"]: r["value"] for r in pooled}["Strongly agree"] == "1"
    assert "patient partners, all cohorts pooled, n = 9" in texts["module"]


def test_a_pooled_cell_of_five_shows_and_k_ten_hides_it(app, programme):
    lead = signed_in(app, "lead@example.org")
    path = f"/programmes/{programme['P']}/reports/modules/{programme['v11']}"
    assert "patient partners, all cohorts pooled, n = 5" in lead.get(path).get_data(as_text=True)
    app.config["REPORT_MIN_CELL"] = 10
    try:
        page = lead.get(path).get_data(as_text=True)
        assert "patient partners, all cohorts pooled, n = 5" not in page
        assert "hidden to protect small groups" in page
        texts = _texts(app, programme)
        patients = {r["row"]: r["value"] for r in _csv_rows(texts["module.csv"])
                    if r["table"].startswith("Who answered")
                    and r["column"] == "patient partners"}
        assert patients["All cohorts pooled"] == "hidden to protect small groups"
        students = {r["row"]: r["value"] for r in _csv_rows(texts["module.csv"])
                    if r["table"].startswith("Who answered") and r["column"] == "students"}
        # 11 alone meets k = 10; the rest hide, and the 6 with them.
        assert students["Cohort Twelve"] == "11" and students["All cohorts pooled"] == "25"
        assert all(students[c].startswith("hidden") for c in ("Cohort Tiny", "Cohort Two",
                                                              "Cohort Six"))
        assert "n = 3" not in texts["Tiny.pdf"] and "n = 6" not in texts["Six.pdf"]
    finally:
        app.config["REPORT_MIN_CELL"] = 5


def test_run_chart_marks_hidden_cohorts_and_versions(app, programme):
    html = signed_in(app, "lead@example.org").get(
        f"/programmes/{programme['P']}/reports/modules/{programme['v11']}").get_data(
        as_text=True)
    assert "<svg" in html and "Change across versions and cohorts" in html
    table = html[html.index('id="run-chart"'):]
    table = table[:table.index("</section>")]
    rows = dict(re.findall(r'<th scope="row">(Cohort \w+)</th><td>[\d.]+</td><td>(.*?)</td>',
                           table))
    assert rows["Cohort Tiny"] == "hidden to protect small groups"
    assert rows["Cohort Twelve"] == "100.0"
    assert rows["Cohort Two"] == rows["Cohort Six"] == rows["Cohort Tiny"]
    # a cohort with no answers yet is hidden like a small one (a 0 would narrow the others)
    assert rows["Cohort Later"] == rows["Cohort Tiny"]
    assert "1.1.0" in table
    assert "<script" not in html[html.index("<main"):], "the charts need no JavaScript"


def test_report_statements_do_not_grow_with_cohorts_or_answers(app, programme):
    """Both the request that works the pools out (after a change) and the ones that read
    them back issue as many statements with 8 more cohorts and 56 more answers."""
    lead = signed_in(app, "lead@example.org")
    module = f"/programmes/{programme['P']}/reports/modules/{programme['v10']}"
    cohort = f"/cohorts/{programme['Six']}/report"
    for path in (module, cohort):  # a process reads each published version's text once
        lead.get(path)

    def counts():
        _change_answers(app, programme)  # every pool of v1.0 is worked out again
        filling = (statements_for_page(app, lead, module), statements_for_page(app, lead, cohort))
        return filling, (statements_for_page(app, lead, module),
                         statements_for_page(app, lead, cohort))
    before = counts()
    with app.app_context():
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        for n in range(8):
            extra = Cohort(programme_id=programme["P"], name=f"Extra {n}")
            db.session.add(extra)
            db.session.flush()
            db.session.add(Assignment(cohort_id=extra.id, module_slug="clinical-microsystems",
                                      module_version_id=programme["v10"], opens_at=now(),
                                      due_at=now() + timedelta(days=1),
                                      review_due_at=now() + timedelta(days=2)))
            for _i in range(7):
                _answer(extra.id, programme["v10"], "student", 2, survey)
        db.session.commit()
    after = counts()
    assert after == before, (before, after)
    (fill_module, _fill_cohort), (warm_module, warm_cohort) = before
    # 28 and 14 with the header's count of unread news
    assert fill_module <= 28 and warm_module <= 16 and warm_cohort <= 14, before


def _change_answers(app, programme):
    """One more student answer for v1.0 in cohort Six (raises the module version's data
    version)."""
    with app.app_context():
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        _answer(programme["Six"], programme["v10"], "student", 2, survey)
        db.session.commit()


def test_who_may_read_reports(app, programme):
    module = f"/programmes/{programme['P']}/reports/modules/{programme['v10']}"
    tiny = f"/cohorts/{programme['Tiny']}/report"
    educator = signed_in(app, "tinyedu@example.org")
    assert educator.get(tiny).status_code == 200, "a cohort's educator reads its report"
    assert educator.get(module).status_code == 404, "but not the programme's pooled reports"
    assert educator.get(f"/cohorts/{programme['Six']}/report").status_code == 404
    student = signed_in(app, "tinystudent@example.org")
    assert student.get(tiny).status_code == 403
    assert student.get(tiny + ".csv").status_code == 403
    assert student.get(module + "/report.pdf").status_code == 404
    lead = signed_in(app, "lead@example.org")
    other = f"/programmes/{programme['P']}/reports/modules/999999"
    assert lead.get(other).status_code == 404


def test_review_log_links_a_finding_to_the_next_version_and_learners_read_it(app, programme):
    lead = signed_in(app, "lead@example.org")
    path = f"/programmes/{programme['P']}/review-log"
    page = lead.get(f"{path}?about={programme['v10']}").get_data(as_text=True)
    assert "Lonely patient remark" in page, "screened comments can be linked as evidence"
    comment_id = re.search(r'name="comment" value="(\w+)"', page).group(1)
    data = {"csrf_token": csrf_from(page), "about": programme["v10"],
            "finding": "Patient partners asked for more time to prepare.",
            "figures": "Patient feedback, knew what was asked: 4 of 9 agree",
            "comment": comment_id, "debrief": "Preparation time", "decision": "Send the case "
            "a week earlier.", "carried_by": programme["v11"],
            "summary": "You get the case a week before the first meeting."}
    named = lead.post(path, data=dict(data, debrief="Tiny Student said so"))
    assert named.status_code == 400 and "holds no names" in named.get_data(as_text=True)
    assert "Send the case a week earlier." in named.get_data(as_text=True), "typed text kept"
    # A name is matched as whole words: "Lead Person" is in the programme; "mislead
    # personnel" holds those letters but not the name.
    fine = lead.post(path, data=dict(data, finding="The old brief could mislead personnel."))
    assert fine.status_code == 303, fine.get_data(as_text=True)
    bad = lead.post(path, data=dict(data, carried_by=programme["v10"]))
    assert bad.status_code == 400 and "later version" in bad.get_data(as_text=True)
    assert lead.post(path, data=data).status_code == 303
    with app.app_context():
        entry = db.session.scalar(select(ReviewLogEntry))
        assert entry.carried_by_id == programme["v11"]
        assert [e["kind"] for e in entry.evidence] == ["figure", "comment", "debrief"]
    report = lead.get(f"/programmes/{programme['P']}/reports/modules/{programme['v10']}")
    assert "Send the case a week earlier." in report.get_data(as_text=True)
    learner = signed_in(app, "tinystudent@example.org")
    newer = learner.get("/modules/clinical-microsystems/1.1.0").get_data(as_text=True)
    assert "You get the case a week before the first meeting." in newer
    assert "Send the case a week earlier." not in newer, "learners read only the summary"
    older = learner.get("/modules/clinical-microsystems/1.0.0").get_data(as_text=True)
    assert "You get the case a week before the first meeting." not in older
    assert learner.get(path).status_code in (403, 404)
    with app.app_context():
        outsider = make_account("elsewhere@example.org", "Elsewhere")
        other = Programme(name="Other Programme")
        db.session.add(other)
        db.session.flush()
        add_role(outsider, "student", cohort=Cohort(programme=other, name="Other cohort"))
        db.session.commit()
    far = signed_in(app, "elsewhere@example.org").get("/modules/clinical-microsystems/1.1.0")
    assert "You get the case a week before" not in far.get_data(as_text=True)


def test_whole_programme_pdf_from_the_command_line(app, programme, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "programme.pdf"
    for args, message in ((["999999", "-o", str(out)], "there is no programme"),
                          ([str(programme["P"]), "-o", str(tmp_path / "x.txt")], "end in .pdf"),
                          ([str(programme["P"]), "-o", str(out), "--min-cell", "3"],
                           "at least 5"),
                          ([str(programme["P"]), "-o", str(tmp_path / "no" / "x.pdf")],
                           "does not exist")):
        result = runner.invoke(args=["report", *args])
        assert result.exit_code != 0 and message in result.output, result.output
        assert not out.exists()
    result = runner.invoke(args=["report", str(programme["P"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "peak memory" in result.output and "[7/7] Cohort Two" in result.output
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert "Review Programme" in text and "Contents" in text
    for part in ("Clinical microsystems 1.0.0", "Clinical microsystems 1.1.0", "Cohort Tiny",
                 "Cohort Twelve"):
        assert part.lower() in text.lower(), part
    assert "n = 3" not in text and "Tiny cohort remark" not in text.split("Cohort Tiny")[-1]
    assert "students, all cohorts pooled, n = 25" in text
    merged = PdfReader(str(out))
    assert merged.metadata.title == "Curriculum review report: Review Programme"
    assert merged.trailer["/Root"]["/Lang"] == "en"


def test_the_log_offers_only_comments_whose_pooled_cell_is_shown(app, programme):
    lead = signed_in(app, "lead@example.org")
    path = f"/programmes/{programme['P']}/review-log?about={programme['v10']}"
    assert "Lonely patient remark" in lead.get(path).get_data(as_text=True)
    app.config["REPORT_MIN_CELL"] = 10  # the 9 patient partners no longer make a cell
    try:
        page = lead.get(path).get_data(as_text=True)
        assert "Lonely patient remark" not in page
        assert "Tiny cohort remark 0" in page, "the 25 students still do"
    finally:
        app.config["REPORT_MIN_CELL"] = 5


def test_hostile_input_to_reports_and_the_log_gets_clear_answers(app, programme):
    lead = signed_in(app, "lead@example.org")
    base = f"/programmes/{programme['P']}"
    for path in (f"{base}/reports/modules/0", f"{base}/reports/modules/99999999999",
                 f"{base}/reports/modules/{programme['v10']}/report.xlsx", "/cohorts/0/report",
                 f"{base}/review-log/99999999999/delete"):
        assert lead.get(path).status_code in (404, 405), path
    page = lead.get(f"{base}/review-log?about=not-a-number").get_data(as_text=True)
    assert "Which module version is the finding about?" in page
    token = csrf_from(page)
    good = {"csrf_token": token, "about": programme["v10"], "finding": "Found.",
            "decision": "Decided.", "summary": "Summary."}
    for change, message in (({"about": "-1"}, "Choose the module version"),
                            ({"about": "99999999999"}, "Choose the module version"),
                            ({"finding": "x" * 2001}, "at most 2000 characters"),
                            ({"summary": ""}, "Fill in"),
                            ({"comment": "nope"}, "not a screened comment"),
                            ({"carried_by": "abc"}, "later version"),
                            ({"figures": "line\n" * 25}, "at most 20 pieces")):
        response = lead.post(f"{base}/review-log", data=good | change)
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), (change, message)
    no_token = lead.post(f"{base}/review-log", data={k: v for k, v in good.items()
                                                   if k != "csrf_token"})
    assert no_token.status_code == 400
    assert lead.post(f"{base}/review-log", data=good).status_code == 303
    with app.app_context():
        entry_id = db.session.scalar(select(ReviewLogEntry.id))
    kept = lead.post(f"{base}/review-log/{entry_id}/delete", data={"csrf_token": token})
    assert kept.status_code == 303
    with app.app_context():
        assert db.session.get(ReviewLogEntry, entry_id) is not None, "not without the tick"
    lead.post(f"{base}/review-log/{entry_id}/delete", data={"csrf_token": token,
                                                             "confirm": "yes"})
    with app.app_context():
        assert db.session.get(ReviewLogEntry, entry_id) is None


def test_versions_side_by_side_use_the_pooled_cells(app, programme):
    lead = signed_in(app, "lead@example.org")
    rows = _csv_rows(lead.get(f"/programmes/{programme['P']}/reports/modules/"
                              f"{programme['v11']}/report.csv").get_data(as_text=True))
    side = {(r["row"], r["column"]): r["value"] for r in rows if r["section"] == "Versions"}
    assert side[("version 1.0.0", "students")] == "25"
    assert side[("version 1.0.0", "students who agree (%)")] == "88.0"  # 22 of 25 agree
    assert side[("version 1.0.0", "patient partners")] == "9"
    assert side[("version 1.1.0", "students")] == "hidden to protect small groups"
    assert side[("version 1.1.0", "patient partners")] == "5"


def test_cohort_csv_sections_are_labelled_right_when_comments_are_hidden(app, programme):
    texts = _texts(app, programme)
    rows = _csv_rows(texts["Tiny.csv"])
    sections = {r["section"] for r in rows}
    part = "Clinical microsystems 1.0.0"
    assert {s.split(" — ")[-1] for s in sections} <= {
        "Module feedback", "Comments (screened)", "Assessment", "Learning"}, sections
    assert all(s.startswith(part + " — ") or s in ("Run chart", "Versions")
               for s in sections), sections
    hidden = [r for r in rows if r["section"].endswith("— Comments (screened)")]
    assert hidden and all("hidden to protect small groups" in r["value"] for r in hidden)
    assert not any("Comments (screened) — " in s for s in sections)


def _published_respondents(rows, column):
    cells = {r["row"]: r["value"] for r in rows
             if r["table"].startswith("Who answered") and r["column"] == column}
    pooled = cells.pop("All cohorts pooled")
    return ({name: int(v) if v.isdigit() else None for name, v in cells.items()},
            int(pooled) if pooled.isdigit() else None)


def _ranges(cells: dict, pooled: int | None) -> dict:
    """Each hidden cohort's feasible range from the published facts and the published rule:
    shown cells, the pooled total, and hidden cells being the smallest (none above the
    smallest shown cell)."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = [name for name, n in cells.items() if n is None]
    shown = [n for n in cells.values() if n is not None]
    if pooled is None or not hidden:
        return {name: float("inf") for name in hidden}
    top = min(shown) if shown else None
    out = {}
    for name in hidden:
        goal = np.array([1.0 if h == name else 0.0 for h in hidden])
        kwargs = {"A_eq": np.ones((1, len(hidden))), "b_eq": [pooled - sum(shown)],
                  "bounds": [(0, top)] * len(hidden), "method": "highs"}
        low, high = linprog(goal, **kwargs), linprog(-goal, **kwargs)
        out[name] = -high.fun - low.fun
    return out


@pytest.mark.parametrize("k", [5, 10])
def test_no_hidden_cohort_is_narrowed_on_the_page_the_csv_or_the_pdf(app, programme, k):
    app.config["REPORT_MIN_CELL"] = k
    try:
        texts = _texts(app, programme)
    finally:
        app.config["REPORT_MIN_CELL"] = 5
    rows = _csv_rows(texts["module.csv"])
    for column in ("students", "patient partners"):
        cells, pooled = _published_respondents(rows, column)
        for name, width in _ranges(cells, pooled).items():
            assert width >= k - 1, (column, name, width)
        # the page and the PDF publish exactly what the CSV does
        for name, n in cells.items():
            label = str(n) if n is not None else HIDDEN
            assert re.search(rf"{name}</th>(<td>[^<]*</td>)*<td>{re.escape(label)}</td>",
                             texts["module"]), (name, label)
            line = next(ln for ln in texts["module.pdf"].splitlines()
                        if ln.strip().startswith(name))
            assert (str(n) in line.split()) if n is not None else "hidden" in \
                texts["module.pdf"], (name, line)
    # one reason for every hidden figure, in every view: none names the rule that hid it
    for key, text in texts.items():
        flat = re.sub(r"\s+", " ", text)
        for telling in ("fewer than", "smaller group", "reviewers gave", "nobody has answered"):
            assert telling not in flat, (key, telling)
