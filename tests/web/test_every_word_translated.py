"""Every word of the interface goes through the translation catalogue.

A pseudo-language is made from the message template: each message with its letters accented
and in ⟦brackets⟧. The Swedish demo's people then read the product in it, page after page
(everything linked from their home pages). A sentence still in plain English on any page
escaped translation: it was written into a template or code without ``_()``, or translated
once at start-up rather than for each page. Course text and people's own words are not
messages: course text carries its own language (``lang``), and the demo people write Swedish.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from curriculum import template
from tests.conftest import ROOT, sign_in
from tests.language_check import english_on
from webapp.demo import DEMO_PASSWORD, create_demo
from webapp.demo import swedish as swedish_demo
from webapp.extensions import db
from webapp.language import LANGUAGES
from webapp.models import Account

PSEUDO = "eo"  # a language Babel knows and the product does not offer
ACCENTS = str.maketrans("aeiouyAEIOUYcn", "áéíóúýÁÉÍÓÚÝçñ")
PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>|&\w+;)")
#: Paths not to follow: they sign out, download files or change things when opened.
NOT_PAGES = ("sign-out", "/static/", ".pdf", ".csv", ".ics", "/export", "download")


def pseudo(text: str) -> str:
    """``text`` accented, placeholders and markup kept, in brackets."""
    parts = PLACEHOLDER.split(text)
    return "⟦" + "".join(p if PLACEHOLDER.fullmatch(p) else p.translate(ACCENTS)
                         for p in parts) + "⟧"


@pytest.fixture
def pseudo_language(app, tmp_path, monkeypatch):
    with (ROOT / "webapp/translations/messages.pot").open("rb") as pot:
        messages = read_po(pot)
    catalog = Catalog(locale=PSEUDO)
    for message in messages:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(pseudo(i) for i in message.id),
                        context=message.context)
        else:
            catalog.add(message.id, pseudo(message.id), context=message.context)
    folder = tmp_path / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    babel = app.extensions["babel"]
    monkeypatch.setattr(babel, "translation_directories",
                        [*babel.translation_directories, str(tmp_path)])
    monkeypatch.setitem(LANGUAGES, PSEUDO, "Pseudo")
    # The case template's nine parts, as a third language would add them.
    monkeypatch.setitem(template.TRANSLATED, PSEUDO, {
        part.key: template.Words(pseudo(part.heading_en),
                                 tuple(pseudo(q) for q in part.questions_en),
                                 pseudo(part.writes_en)) for part in template.SECTIONS})
    return catalog


def _crawl(client, limit: int = 150) -> tuple[dict[str, set[str]], int]:
    """English blocks found on the pages reachable from home, with where they were, and the
    number of pages read."""
    found: dict[str, set[str]] = defaultdict(set)
    pages = 0
    seen, todo = set(), ["/"]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        answer = client.get(path)
        if answer.status_code != 200 or "text/html" not in answer.content_type:
            continue
        html = answer.get_data(as_text=True)
        assert f'<html lang="{PSEUDO}"' in html, path
        pages += 1
        for text in english_on(html):
            found[text[:200]].add(path)
        todo += [href for href in re.findall(r'href="(/[^"#?]*)"', html)
                 if href not in seen and not any(part in href for part in NOT_PAGES)]
    return found, pages


def test_no_english_sentence_escapes_translation_on_any_page(app, pseudo_language):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        create_demo(db.session)
        emails = [email for email, _role in swedish_demo.LOGINS]
        for account in db.session.query(Account).filter(Account.email.in_(emails)):
            account.language = PSEUDO
        db.session.commit()
    escaped: dict[str, set[str]] = defaultdict(set)
    for email in emails:
        client = app.test_client()
        assert sign_in(client, email, DEMO_PASSWORD).status_code == 302, email
        found, pages = _crawl(client)
        assert pages >= 25, f"{email} read only {pages} pages"
        for text, paths in found.items():
            escaped[text] |= paths
    report = "\n".join(f"{text!r} on {sorted(paths)[:3]}" for text, paths in escaped.items())
    assert not escaped, f"{len(escaped)} sentences escaped translation:\n{report}"
