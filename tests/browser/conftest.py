"""A live server on a free loopback port and Debian's Chromium driven by Playwright.

Browser tests never skip: a missing Chromium is an error that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from curriculum.loader import load_tree
from tests.conftest import app_config
from webapp import create_app
from webapp.demo import create_demo
from webapp.extensions import db
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
