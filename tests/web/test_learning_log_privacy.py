"""A patient partner's learning log is hers: no page, download or export (CSV, PDF, ZIP) that
an educator, a lead, a co-teacher, another group's student or an admin can open shows an
entry she did not share, and one she shares shows exactly where she shared it."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import LogEntry, ModuleVersionRow

MARKER = "Zanzibar-kettle"
OTHERS = ("educator@example.org", "lead@example.org", "coteacher@example.org",
          "student2@example.org", "student@example.org", "admin@example.org")
#: Links a crawl does not follow: they change things or leave the person's view.
SKIP = ("/sign-out", "/language", "/static/", "/my-data/remove")


def _text(answer) -> str:
    if answer.status_code != 200:
        return ""
    if answer.content_type.startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(answer.data))
        return "".join(archive.read(name).decode("utf-8", "replace")
                       for name in archive.namelist())
    if answer.content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    if answer.content_type.startswith(("text/", "application/json")):
        return answer.get_data(as_text=True)
    return ""


def _crawl(client, limit: int = 300) -> dict[str, str]:
    """Every page and download reachable from home by links: path → its text."""
    seen: dict[str, str] = {}
    todo = ["/", "/my-data/export.zip", "/log"]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        seen[path] = text = _text(client.get(path))
        for href in re.findall(r'href="(/[^"#]*)"', text):
            href = href.replace("&amp;", "&")
            if href not in seen and not href.startswith(SKIP):
                todo.append(href)
    return seen


def _where(app, emails=OTHERS) -> dict[str, list[str]]:
    found = {}
    for email in emails:
        pages = _crawl(signed_in(app, email))
        assert len(pages) > 8, f"{email} reached only {sorted(pages)}"
        found[email] = sorted(path for path, text in pages.items() if MARKER in text)
    return found


def test_a_partners_unshared_entries_show_nowhere_and_a_shared_one_only_where_shared(
        app, work):
    partner = signed_in(app, "partner@example.org")
    page = partner.get("/log").get_data(as_text=True)
    partner.post("/log/choices", data={"csrf_token": csrf_from(page), "log": "on"})
    with app.app_context():
        module = db.session.scalar(select(ModuleVersionRow.id))
    for stage, place in (("what", "own"), ("now_what", "lesson"), ("so_what", "case")):
        form = partner.get("/log/new").get_data(as_text=True)
        extra = {"module": str(module), "at": "why-together" if place == "lesson"
                 else "emotions"} if place != "own" else {}
        answer = partner.post("/log/new", data=dict(
            extra, csrf_token=csrf_from(form), place=place, stage=stage,
            text=f"{MARKER}: the stairs at home, {stage}.", come_back_on=""))
        assert answer.status_code == 303, answer.get_data(as_text=True)
    assert all(MARKER in _crawl(partner)["/log"] for _ in [0])

    assert _where(app) == {email: [] for email in OTHERS}

    with app.app_context():
        entry_id = db.session.scalar(select(LogEntry.id).order_by(LogEntry.id))
    share = partner.get(f"/log/{entry_id}/share").get_data(as_text=True)
    answer = partner.post(f"/log/{entry_id}/share", data={
        "csrf_token": csrf_from(share), "audience": f"group:{work.ids['G1']}", "named": "no",
        "asked": "yes"})
    assert answer.status_code == 303
    cohort_page = f"/cohorts/{work.ids['C']}/learning"
    found = _where(app)
    # her group (the student in G1) reads it on the cohort's page; nobody else anywhere
    assert found == {email: ([cohort_page] if email == "student@example.org" else [])
                     for email in OTHERS}
