"""Many people at once: concurrent sign-ins and page views on a live threaded server."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, add_role, make_account
from webapp.extensions import db
from webapp.models import LoginSession

PEOPLE = 24


def _session_for(base: str, email: str) -> list[int]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    statuses = []
    try:
        page = opener.open(f"{base}/sign-in", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                       "csrf_token": token}).encode()
        response = opener.open(f"{base}/sign-in", body, timeout=30)
        statuses.append(response.status)
        statuses.append(200 if response.geturl() == f"{base}/" else 0)
        for _ in range(3):
            statuses.append(opener.open(f"{base}/", timeout=30).status)
    except urllib.error.HTTPError as error:
        statuses.append(error.code)
    return statuses


def test_many_people_signing_in_at_once_all_get_in(app, world):
    with app.app_context():
        from webapp.models import Cohort

        cohort = db.session.get(Cohort, world.ids["C"])
        for i in range(PEOPLE):
            add_role(make_account(f"crowd{i}@example.org"), "student", cohort=cohort)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(lambda i: _session_for(base, f"crowd{i}@example.org"),
                                    range(PEOPLE)))
    finally:
        server.shutdown()
    assert all(statuses == [200] * 5 for statuses in results), results
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginSession.id))) == PEOPLE
