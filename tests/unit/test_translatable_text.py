"""Every word a person reads in a template goes through translation (Flask-Babel)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
# Words that are not language: the product's name.
ALLOWED = {"Coproduce"}


def _bare_words(source: str) -> list[str]:
    text = re.sub(r"{%\s*trans\b.*?{%\s*endtrans\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&\w+;", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z']+", text) if w not in ALLOWED]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.*")), ids=lambda p: p.name)
def test_template_has_no_untranslated_words(template):
    assert _bare_words(template.read_text()) == []
