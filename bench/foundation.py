"""Sign-in cost and page cost at cohort scale.

- sign-in with production scrypt parameters (n=32768, r=8, p=1), median of 15;
- the home page of a programme educator with 10 cohorts, and the cohort page with 40 groups of
  6 members: median time over 30 requests and the number of SQL statements per request,
  compared with 2 groups to show the count does not grow with the cohort.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")

from webapp import create_app  # noqa: E402
from webapp.auth.passwords import hash_password  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (  # noqa: E402
    Account,
    Cohort,
    Group,
    GroupMember,
    Membership,
    Programme,
)

PASSWORD = "plum-harbour-lantern-42"


def _app(path: Path, cheap: bool):
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SESSION_COOKIE_SECURE": False,
              "TESTING": True}
    if cheap:
        config["PASSWORD_HASH_METHOD"] = "scrypt:1024:8:1"
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def _populate(app, groups: int, cohorts: int = 10) -> int:
    with app.app_context():
        programme = Programme(name=f"Programme {groups}")
        db.session.add(programme)
        educator = Account(email=f"ed{groups}@example.org", email_key=f"ed{groups}@example.org",
                           display_name="Educator", password_hash=hash_password(PASSWORD))
        db.session.add(Membership(account=educator, programme=programme, role="educator"))
        first = None
        for c in range(cohorts):
            cohort = Cohort(programme=programme, name=f"Cohort {c}")
            db.session.add(cohort)
            first = first or cohort
            if cohort is not first:
                continue
            for g in range(groups):
                group = Group(cohort=cohort, name=f"Group {g:03d}")
                for m in range(6):
                    email = f"p{groups}-{g}-{m}@example.org"
                    person = Account(email=email, email_key=email, display_name=f"Person {m}")
                    role = "patient_partner" if m == 0 else "student"
                    db.session.add_all([Membership(account=person, cohort=cohort, role=role),
                                        GroupMember(group=group, account=person)])
        db.session.commit()
        return first.id


def _sign_in(client, email):
    import re

    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/sign-in", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token})


def _measure(app, client, path, repeat=30):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        statements.clear()
        client.get(path)
        per_request = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return round(statistics.median(times) * 1000, 2), per_request


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        real = _app(Path(tmp) / "real.sqlite", cheap=False)
        _populate(real, groups=1, cohorts=1)
        times = []
        for _ in range(15):
            client = real.test_client()
            start = time.perf_counter()
            assert _sign_in(client, "ed1@example.org").status_code == 302
            times.append(time.perf_counter() - start)
        figures["sign_in_scrypt_default_ms_median"] = round(statistics.median(times) * 1000, 1)

        app = _app(Path(tmp) / "pages.sqlite", cheap=True)
        for groups in (2, 40):
            cohort_id = _populate(app, groups=groups)
            client = app.test_client()
            _sign_in(client, f"ed{groups}@example.org")
            home_ms, home_sql = _measure(app, client, "/")
            cohort_ms, cohort_sql = _measure(app, client, f"/cohorts/{cohort_id}")
            figures[f"home_{groups}_groups_ms_median"] = home_ms
            figures[f"home_{groups}_groups_sql_statements"] = home_sql
            figures[f"cohort_page_{groups}_groups_ms_median"] = cohort_ms
            figures[f"cohort_page_{groups}_groups_sql_statements"] = cohort_sql
    return figures
