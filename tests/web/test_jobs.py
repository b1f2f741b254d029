"""The whole-programme report made off the request: one job per report and data version,
a page that shows how far it got and then the file, failures with a way to try again, and
the sweeper that puts back the job of a worker that died."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import add_role, csrf_from, make_account, signed_in
from tests.web import job_kinds
from webapp.clock import now
from webapp.extensions import db
from webapp.jobs import KINDS, JobFailed, runner
from webapp.jobs import operations as ops
from webapp.jobs.queue import drain, empty, enqueue, queue_length
from webapp.models import Cohort, Programme, ReportJob


@pytest.fixture
def queue(app):
    empty(app)
    yield
    empty(app)


def _ask(client, programme_id):
    index = client.get(f"/programmes/{programme_id}/reports").get_data(as_text=True)
    return client.post(f"/programmes/{programme_id}/reports/whole",
                       data={"csrf_token": csrf_from(index)})


def _jobs(app):
    with app.app_context():
        rows = db.session.execute(select(ReportJob.id, ReportJob.state, ReportJob.attempts)
                                  .order_by(ReportJob.id)).all()
        db.session.remove()
    return rows


def test_a_second_request_for_the_same_report_joins_the_job(app, world, queue):
    lead, educator = signed_in(app, "lead@example.org"), signed_in(app, "educator@example.org")
    first = _ask(lead, world.ids["P"])
    assert first.status_code == 303 and "/reports/jobs/" in first.headers["Location"]
    second = _ask(educator, world.ids["P"])
    assert second.headers["Location"] == first.headers["Location"]
    assert len(_jobs(app)) == 1 and queue_length(app) == 1
    index = lead.get(f"/programmes/{world.ids['P']}/reports").get_data(as_text=True)
    assert "The report is being made" in index and "Make the whole-programme report" not in index
    with app.app_context():  # the unique key refuses a second row for the same data
        programme = db.session.get(Programme, world.ids["P"])
        job, new = ops.ask(db.session, "programme_report", programme, 5, None)
        assert not new and job.id == _jobs(app)[0][0]
        db.session.remove()


def test_a_report_is_made_in_the_language_of_whoever_asks(app, world, queue):
    """Someone reading in Swedish gets a Swedish file: a job of its own, which another
    Swedish reader joins; the English job is not touched."""
    lead, educator = signed_in(app, "lead@example.org"), signed_in(app, "educator@example.org")
    english = _ask(lead, world.ids["P"])
    index = educator.get(f"/programmes/{world.ids['P']}/reports").get_data(as_text=True)
    educator.post("/language", data={"language": "sv", "csrf_token": csrf_from(index),
                                     "next": "/"})
    swedish = _ask(educator, world.ids["P"])
    assert swedish.headers["Location"] != english.headers["Location"]
    with app.app_context():
        languages = db.session.scalars(select(ReportJob.language).order_by(ReportJob.id)).all()
        db.session.remove()
    assert languages == ["en", "sv"] and queue_length(app) == 2
    page = educator.get(swedish.headers["Location"])
    assert 'lang="sv"' in page.get_data(as_text=True)
    assert _ask(educator, world.ids["P"]).headers["Location"] == swedish.headers["Location"]


def test_the_page_shows_progress_then_the_file(app, world, queue):
    lead = signed_in(app, "lead@example.org")
    page_url = _ask(lead, world.ids["P"]).headers["Location"]
    page = lead.get(page_url).get_data(as_text=True)
    assert "Waiting for a worker" in page and "<progress" in page and "Check again" in page
    job_id = _jobs(app)[0][0]
    with app.app_context():
        run = ops.claim(db.session, job_id)
        ops.beat(db.session, job_id, run, 1, 3)
        db.session.commit()
        db.session.remove()
    page = lead.get(page_url).get_data(as_text=True)
    assert "1 of 3 parts made." in page and 'value="1"' in page and 'max="3"' in page
    assert lead.get(page_url + "/status.json").get_json() == {
        "state": "running", "done": 1, "total": 3, "text": "1 of 3 parts made."}
    with app.app_context():  # the worker that had it stops; it goes back on the queue
        db.session.execute(update(ReportJob).values(state="queued"))
        db.session.commit()
    assert drain(app) == 1
    page = lead.get(page_url).get_data(as_text=True)
    assert "The report is ready" in page and "Download the report (PDF" in page
    download = lead.get(page_url + "/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="programme-report-{world.ids["P"]}.pdf"'
    assert download.headers["Cache-Control"] == "no-store"
    assert "The report is ready: download it" in lead.get(
        f"/programmes/{world.ids['P']}/reports").get_data(as_text=True)


def test_new_answers_or_members_mean_a_new_report(app, world, queue):
    lead = signed_in(app, "lead@example.org")
    first = _ask(lead, world.ids["P"]).headers["Location"]
    with app.app_context():
        cohort = db.session.get(Cohort, world.ids["C"])
        add_role(make_account("late@example.org"), "student", cohort=cohort)
        db.session.commit()
    assert "Make the whole-programme report" in lead.get(
        f"/programmes/{world.ids['P']}/reports").get_data(as_text=True)
    assert _ask(lead, world.ids["P"]).headers["Location"] != first
    assert len(_jobs(app)) == 2


def test_a_failed_job_says_why_and_trying_again_queues_it(app, world, queue, monkeypatch):
    real = KINDS["programme_report"]

    def broken(*args):
        raise JobFailed("The programme has no cohorts to report on yet.")

    monkeypatch.setitem(KINDS, "programme_report", dataclasses.replace(real, run=broken))
    lead = signed_in(app, "lead@example.org")
    page_url = _ask(lead, world.ids["P"]).headers["Location"]
    drain(app)
    page = lead.get(page_url).get_data(as_text=True)
    assert "could not be made" in page and "no cohorts to report on yet" in page
    assert "Try again" in page and lead.get(page_url + "/file").status_code == 302

    def crashing(*args):
        raise RuntimeError("boom at line 12")

    monkeypatch.setitem(KINDS, "programme_report", dataclasses.replace(real, run=crashing))
    retried = lead.post(page_url + "/retry", data={"csrf_token": csrf_from(page)})
    assert retried.status_code == 303 and queue_length(app) == 1
    assert "Waiting for a worker" in lead.get(page_url).get_data(as_text=True)
    drain(app)
    page = lead.get(page_url).get_data(as_text=True)
    assert "Something went wrong" in page and "boom" not in page

    monkeypatch.setitem(KINDS, "programme_report", real)
    lead.post(page_url + "/retry", data={"csrf_token": csrf_from(page)})
    drain(app)
    assert "The report is ready" in lead.get(page_url).get_data(as_text=True)
    assert _jobs(app)[0][1:] == ("done", 1)


def _gated_job(app, programme_id) -> int:
    with app.app_context():
        programme = db.session.get(Programme, programme_id)
        job, _new = ops.ask(db.session, job_kinds.GATED.name, programme, 5, None)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    return job_id


def test_the_sweeper_puts_back_a_job_whose_worker_died_and_it_ends_with_one_file(
        app, world, queue):
    job_id = _gated_job(app, world.ids["P"])
    with app.app_context():
        dead = ops.claim(db.session, job_id)  # a worker took it, made a part, then died
        ops.beat(db.session, job_id, dead, 1, 4)
        db.session.execute(update(ReportJob).values(heartbeat_at=now() - timedelta(hours=1)))
        db.session.commit()
        folder = runner.workdir(app, job_id)
        folder.mkdir(parents=True)
        (folder / "part-1.txt").write_text("left by the worker that died\n")
    swept = runner.sweep_once(app)
    assert swept.requeued == [job_id] and queue_length(app) == 1
    assert drain(app) == 1
    with app.app_context():
        job = db.session.get(ReportJob, job_id)
        assert (job.state, job.attempts, job.parts_done) == ("done", 2, 4)
        made = job.file_data.decode()
        assert made.count("part 1 by") == 1 and "died" not in made
        # the run that died comes back to life: it can no longer finish or make progress
        assert not ops.finish(db.session, job_id, dead, ("late.txt", b"late"))
        assert db.session.get(ReportJob, job_id).file_name == f"parts-{world.ids['P']}.txt"
        assert db.session.scalar(select(func.count()).select_from(ReportJob)) == 1
        db.session.remove()
    assert not folder.exists()


def test_a_job_that_keeps_stalling_fails_with_a_message(app, world, queue):
    job_id = _gated_job(app, world.ids["P"])
    app.config["JOB_MAX_ATTEMPTS"] = 2
    try:
        for _ in range(2):
            with app.app_context():
                ops.claim(db.session, job_id)
                db.session.execute(update(ReportJob).values(
                    heartbeat_at=now() - timedelta(hours=1)))
                db.session.commit()
            swept = runner.sweep_once(app)
    finally:
        app.config["JOB_MAX_ATTEMPTS"] = 3
    assert swept.failed == [job_id]
    assert _jobs(app)[0][1] == "failed"


def test_a_job_of_a_kind_the_worker_does_not_know_fails_with_a_message(app, world, queue):
    job_id = _gated_job(app, world.ids["P"])
    with app.app_context():
        db.session.execute(update(ReportJob).values(kind="retired_kind"))
        db.session.commit()
    enqueue(job_id, app)
    drain(app)
    with app.app_context():
        job = db.session.get(ReportJob, job_id)
        assert job.state == "failed" and "cannot make this kind of file" in job.error
        db.session.remove()


def test_a_lost_message_is_sent_again_and_a_second_message_does_nothing(app, world, queue):
    job_id = _gated_job(app, world.ids["P"])
    with app.app_context():
        db.session.execute(update(ReportJob).values(queued_at=now() - timedelta(hours=1)))
        db.session.commit()
    runner.sweep_once(app)  # nothing on the queue, a job waiting for an hour: sent again
    enqueue(job_id, app)
    assert queue_length(app) == 2
    assert drain(app) == 2
    assert _jobs(app)[0][1:] == ("done", 1)


def test_a_job_is_seen_only_through_its_own_programme(app, world, queue):
    job_id = _gated_job(app, world.ids["P"])
    with app.app_context():
        db.session.execute(update(ReportJob).values(kind="programme_report"))
        other = db.session.get(Programme, world.ids["P2"])
        add_role(make_account("other-lead@example.org"), "lead", programme=other)
        db.session.commit()
    stranger = signed_in(app, "other-lead@example.org")
    assert stranger.get(f"/programmes/{world.ids['P2']}/reports/jobs/{job_id}").status_code \
        == 404
    assert stranger.get(f"/programmes/{world.ids['P']}/reports/jobs/{job_id}").status_code \
        == 404
    assert signed_in(app, "student@example.org").get(
        f"/programmes/{world.ids['P']}/reports/jobs/{job_id}/file").status_code == 404


def test_the_worker_command_explains_itself_and_refuses_bad_arguments(app, world, queue):
    runner_ = app.test_cli_runner()
    shown = runner_.invoke(args=["worker", "--help"])
    assert shown.exit_code == 0 and "--threads" in shown.output and "--status" in shown.output
    for args, message in ((["--threads", "0"], "0 is not in the range"),
                          (["--threads", "many"], "'many' is not a valid integer"),
                          (["--import", "no.such.module"], "cannot import no.such.module"),
                          (["--bogus"], "No such option '--bogus'")):
        result = runner_.invoke(args=["worker", *args])
        assert result.exit_code == 2 and message in result.output, result.output
    job_id = _gated_job(app, world.ids["P"])
    enqueue(job_id, app)
    status = runner_.invoke(args=["worker", "--status"])
    assert status.exit_code == 0, status.output
    assert "Queue: 1 message(s) waiting" in status.output
    assert "Jobs: 1 queued, 0 running, 0 done, 0 failed" in status.output
    once = runner_.invoke(args=["worker", "--once"])
    assert once.exit_code == 0 and "Ran 1 waiting job message(s)." in once.output
    status = runner_.invoke(args=["worker", "--status"]).output
    assert "Jobs: 0 queued, 0 running, 1 done, 0 failed" in status
    assert f"#{job_id} gated_parts {world.ids['P']} done" in status
