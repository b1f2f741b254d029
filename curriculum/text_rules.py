"""Rules for the text inside content files: safe Markdown, citations, plain language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt

from curriculum.words import _

#: ``[@key]`` or ``[@key1; @key2]`` cites references listed in the module or guide.
CITATION = re.compile(r"\[@([\w.-]+(?:\s*;\s*@[\w.-]+)*)\]")
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_ALLOWED_SCHEMES = ("http://", "https://")
PLAIN_WORDS = 100
PLAIN_GRADE = 8.0


@dataclass(frozen=True)
class TextProblem:
    line: int  # 1-based, relative to the text
    message: str
    fix: str


def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect for content: CommonMark plus tables, HTML switched off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def check_markdown(text: str) -> list[TextProblem]:
    """Raw HTML, scripts and links that are not http(s) (or a #place on the same page)."""
    problems: list[TextProblem] = []
    html_parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = html_parser.parse(text)
    block_line = 1
    for token in _walk(tokens):
        if token.map:
            block_line = token.map[0] + 1
        if token.type in ("html_block", "html_inline"):
            problems.append(TextProblem(
                block_line, _("raw HTML is not allowed"),
                _("write it in Markdown (HTML and scripts are removed)")))
        for attr in ("href", "src"):
            target = token.attrGet(attr) if token.attrs else None
            if target is not None and not _allowed_target(target):
                problems.append(TextProblem(
                    block_line, _("link to %(target)s is not an http(s) address",
                                  target=repr(target[:60])),
                    _("link only to http:// or https:// addresses")))
    # markdown-it refuses javascript: and similar links and leaves them as text; catch them.
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(r"\]\(\s*(javascript|vbscript|data|file):", line, re.I):
            problems.append(TextProblem(number, _("link with a script or file address"),
                                        _("link only to http:// or https:// addresses")))
    return sorted(set(problems), key=lambda p: p.line)


def check_plain_text(text: str) -> list[TextProblem]:
    """Raw HTML in a text field (scenario, prompts, explanations) that is shown as text."""
    return [TextProblem(n, _("raw HTML is not allowed"), _("write plain text"))
            for n, line in enumerate(text.splitlines(), start=1) if _RAW_HTML.search(line)]


def citations(text: str) -> Iterator[tuple[int, str]]:
    """(line, key) for every citation in ``text``."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CITATION.finditer(line):
            for key in match.group(1).split(";"):
                yield number, key.strip().lstrip("@")


def reading_grade(text: str) -> tuple[int, float]:
    """(words, Flesch–Kincaid grade) of ``text`` with Markdown and citations stripped."""
    import textstat

    plain = CITATION.sub("", text)
    plain = re.sub(r"[#*_>`|\[\]()]", " ", plain)
    words = len(plain.split())
    return words, (textstat.flesch_kincaid_grade(plain) if words else 0.0)


#: LIX (läsbarhetsindex) limits for Swedish: a patient-facing passage of 100+ words above
#: LIX_PLAIN is flagged, and above LIX_GENTLE on the welcome, consent and withdrawal pages.
LIX_PLAIN, LIX_GENTLE = 40.0, 35.0
#: Words of the glossary (docs/glossary.md) that are long only because Swedish joins words:
#: a reader meets them on every page, so they do not count as long words.
GLOSSARY_COMPOUNDS = frozenset({
    "patientpartner", "patientpartnern", "patientpartners", "patientpartnerna",
    "patientpartnerns", "samproduktion", "samproduktionen", "kurstillfälle", "kurstillfället",
    "kurstillfällen", "kurstillfällena", "basgrupp", "basgruppen", "basgrupper",
    "basgruppens", "handledare", "handledaren", "handledarna", "programansvarig",
    "programansvariga", "granskare", "granskaren", "granskning", "granskningen",
    "patienterfarenhet", "förbättringskunskap", "mikrosystem", "mikrosystemet",
    "vårdcentral", "vårdcentralen", "återkoppling", "återkopplingen", "bedömningsstöd",
    "erfarenhetsexpert", "närståendepartner", "kontaktperson", "kontaktpersonen",
    "överenskommelse", "överenskommelsen", "samtycke", "samtycket", "webbläsaren",
})


def lix(text: str) -> tuple[int, float]:
    """(words, LIX) of Swedish ``text``: words per sentence plus the share of words longer
    than six letters, in percent; glossary compounds do not count as long."""
    plain = CITATION.sub("", text)
    plain = re.sub(r"[#*_>`|\[\]()]", " ", plain)
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", plain)
    if not words:
        return 0, 0.0
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", plain)))
    long = sum(1 for word in words
               if len(word) > 6 and word.lower() not in GLOSSARY_COMPOUNDS)
    return len(words), len(words) / sentences + 100 * long / len(words)


def hard_to_read(text: str, language: str = "en") -> str | None:
    """How hard a passage of 100+ words patients read is ("grade 9.2", "LIX 44") when it
    is over the limit for its language (Flesch–Kincaid for English, LIX for Swedish)."""
    if language == "sv":
        words, score = lix(text)
        return f"LIX {score:.0f}" if words >= PLAIN_WORDS and score > LIX_PLAIN else None
    grade = too_hard_to_read(text)
    return _("grade %(grade).1f", grade=grade) if grade else None


def too_hard_to_read(text: str) -> float | None:
    """The grade when a passage of 100+ words reads above grade 8, else None."""
    words, grade = reading_grade(text)
    return grade if words >= PLAIN_WORDS and grade > PLAIN_GRADE else None


def _allowed_target(target: str) -> bool:
    return target.startswith(_ALLOWED_SCHEMES) or target.startswith("#")


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
