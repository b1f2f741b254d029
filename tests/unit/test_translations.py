"""Every word a person reads exists in Swedish as well as English.

The strings are extracted afresh from the code and templates (as ``make messages`` does), so
a new ``_()`` without a Swedish translation fails here, not in front of a Swedish reader.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "webapp" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]")


def _read_po(code: str):
    with open(CATALOGUES / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_pgettext:1c,2", "--no-location", "-o", str(out), "."],
                   cwd=ROOT, check=True)
    with open(out, "rb") as handle:
        return [message for message in read_po(handle) if message.id]


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_message_has_a_swedish_translation(extracted):
    swedish = _read_po("sv")
    missing = []
    for message in extracted:
        found = swedish.get(message.id, context=message.context)
        strings = () if found is None else (
            found.string if isinstance(found.string, tuple) else (found.string,))
        if found is None or "fuzzy" in found.flags or not strings or not all(
                s.strip() for s in strings):
            missing.append(_key(message))
    assert not missing, f"{len(missing)} without Swedish, e.g. {missing[:8]}"


def test_plural_messages_have_both_swedish_forms(extracted):
    swedish = _read_po("sv")
    plurals = [m for m in extracted if m.pluralizable]
    assert plurals, "the interface has plural messages (ngettext)"
    for message in plurals:
        found = swedish.get(message.id, context=message.context)
        assert found is not None and len(found.string) == 2, _key(message)
        assert all(form.strip() for form in found.string), _key(message)


def test_swedish_keeps_every_placeholder(extracted):
    swedish = _read_po("sv")
    wrong = []
    for message in extracted:
        found = swedish.get(message.id, context=message.context)
        if found is None:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings[-1:]:
            if set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0][:50], string[:50]))
    assert not wrong, wrong[:5]


def test_the_compiled_catalogue_says_what_its_source_says():
    """The app reads the compiled file; ``make run`` and ``make test`` rebuild it."""
    swedish = _read_po("sv")
    with open(CATALOGUES / "sv" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = read_mo(handle)
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    source = {plain(m.id): plain(m.string) for m in swedish if m.id and "fuzzy" not in m.flags}
    built = {plain(m.id): plain(m.string) for m in compiled if m.id}
    assert built == source, "run `make translations` and commit the .mo"


def test_scripts_take_their_words_from_the_page():
    """Words a script shows come from the page (``webapp/language.py``), in its language."""
    literal = re.compile(r"""(textContent|innerText|alert\(|confirm\()\s*=?\s*["']\w""")
    for script in (ROOT / "webapp" / "static").glob("*.js"):
        for number, line in enumerate(script.read_text().splitlines(), 1):
            assert not literal.search(line), f"{script.name}:{number}: {line.strip()}"
