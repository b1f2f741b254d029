"""A live server on a free loopback port and Debian's Chromium driven by Playwright.

Browser tests never skip: a missing Chromium is an error that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from curriculum.loader import load_tree
from tests.browser.helpers import live_app
from tests.conftest import add_role, app_config, make_account, make_assignment
from webapp import create_app
from webapp.demo import create_demo
from webapp.extensions import db
from webapp.models import Cohort, Group, ModuleVersionRow, Programme
from webapp.teach.publishing import publish

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: The worked example: small, stable content for driving the reader.
CONTENT = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite'}"
    app = create_app(app_config(url))
    with app.app_context():
        db.create_all()
        create_demo(db.session)
        publish(db.session, load_tree(CONTENT))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's "
                    "chromium) or `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# --- fixtures several browser tests share ---------------------------------------------------

@pytest.fixture
def group(live_server, tmp_path_factory):
    """A fresh cohort with one group (a student and a patient partner) and the example
    module assigned to it, written straight into the live server's SQLite database."""
    app = live_app(tmp_path_factory)
    tag = uuid.uuid4().hex[:6]  # the live server is shared by the whole session
    with app.app_context():
        programme = Programme(name=f"Conflict programme {tag}")
        cohort = Cohort(programme=programme, name=f"Conflict cohort {tag}")
        group = Group(cohort=cohort, name=f"Conflict group {tag}")
        db.session.add_all([programme, cohort, group])
        db.session.flush()
        student = make_account(f"cc{tag}.student@example.org", f"Stu {tag}")
        partner = make_account(f"cc{tag}.partner@example.org", f"Pam {tag}")
        add_role(student, "student", cohort=cohort, group=group)
        add_role(partner, "patient_partner", cohort=cohort, group=group)
        row = db.session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "example-module", ModuleVersionRow.version == "1.0.0"))
        assert row is not None, "the browser conftest publishes the example module"
        make_assignment(cohort.id, row)
        db.session.commit()
        people = {"student": student.email, "partner": partner.email,
                  "partner_name": partner.display_name}
        db.session.remove()
        db.engine.dispose()
    return people


@pytest.fixture
def two_pages(browser):
    contexts = [browser.new_context(), browser.new_context()]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


@pytest.fixture
def database(tmp_path_factory):
    """An app on the live server's database, to look at what a test's clicks saved."""
    app = live_app(tmp_path_factory)
    yield app
    with app.app_context():
        db.engine.dispose()
