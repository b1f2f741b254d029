"""Finding English left on a page meant to be in another language.

A page's words are read block by block (paragraphs, list items, cells, buttons, labels),
leaving out scripts, anything marked with a ``lang`` other than the page's own (course text
from an English module on a Swedish page says so, for screen readers too) and anything marked
``translate="no"`` (bibliographic references, which stay as published). A block reads as
English when it has at least three words, two or more of them English-only small words, and
none of the Swedish small words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Small words English uses all the time and Swedish never (words both languages spell
#: alike, such as "in", "a", "all", "by", "be", "man", are left out).
_ENGLISH = """the and of to you your is are with this that what who will have has not
was were for from it on or can which when there their they we our an if any how these those
been would should could about into than then them here page"""
ENGLISH = frozenset(_ENGLISH.split())
#: Small Swedish words; a block with any of them is Swedish (a name or a title in English
#: inside a Swedish sentence is fine).
_SWEDISH = """och att det är du för med som på inte en ett har kan av till om din ditt
dina vi ni jag de den vad här sidan eller när så hur vem vilka från efter innan också men
bara mer nu"""
SWEDISH = frozenset(_SWEDISH.split())
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label",
          "legend", "dt", "dd", "figcaption", "caption", "summary", "option", "div",
          "section", "article", "main", "header", "footer", "nav", "form", "fieldset",
          "blockquote", "pre", "details", "ul", "ol", "table", "tr", "select",
          "textarea"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}
#: Not read as the page's words: scripts, and the window's title (a page of course text in
#: another language is titled by it; its heading is checked, marked with its language).
SKIP = {"script", "style", "template", "noscript", "title"}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang", "")
            return
        if tag in VOID:
            if tag == "input" and attrs.get("type") in ("submit", "button") \
                    and not self._skipped():
                self.blocks.append(attrs.get("value", ""))
            return
        skipped = self._skipped() or tag in SKIP or attrs.get("translate") == "no" or (
            "lang" in attrs and attrs["lang"] != self.page_lang)
        if tag in BLOCKS:
            self._flush()
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in VOID or tag == "html":
            return
        while self.stack:
            open_tag, _skipped = self.stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skipped():
            self.current.append(data)


def blocks(html: str) -> tuple[str, list[str]]:
    """The page's language and its blocks of words (outside parts marked otherwise)."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.page_lang, [b for b in parser.blocks if b.strip()]


def reads_as_english(text: str) -> bool:
    words = re.findall(r"[a-zåäöé']+", text.lower())
    if len(words) < 3 or SWEDISH.intersection(words):
        return False
    return len(ENGLISH.intersection(words)) >= 2


def english_on(html: str) -> list[str]:
    """The blocks of a page that read as English."""
    _lang, found = blocks(html)
    return [text for text in found if reads_as_english(text)]
