"""Plain words where patients and learners read: every longer template and message string of
the pages they use, and the guides written for them, scored with Flesch–Kincaid (textstat).

Strings above the content guide's level (school grade 8) are listed in a warning report,
``build/readability.txt``, worst first (the formula is fooled by short strings and words like
"coproduction", so this is for a person to read, not a gate). Nothing may read above
grade 12: the worst were rewritten, and a new one that hard fails here."""

import re
import warnings
from pathlib import Path

from babel.messages.extract import extract_from_dir

from curriculum.text_rules import PLAIN_GRADE, reading_grade

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "readability.txt"
#: The areas patient partners, co-teachers and students read (staff-only pages left out).
AREAS = ("casework", "home", "review", "auth", "people", "learn", "mail")
STAFF_ONLY = {"review/manage.html", "review/report.html", "review/cohort_contributions.html",
              "people/audit.html", "people/admin_people.html", "people/retention.html"}
CEILING = 12
MIN_WORDS = 12


def _strings():
    jinja = {"extensions": "jinja2.ext.i18n"}
    methods = [("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2"),
               ("**.py", "python")]
    options = {"templates/**.html": jinja, "templates/**.txt": jinja}
    for filename, line, message, *_rest in extract_from_dir(ROOT / "webapp", methods, options):
        where = filename.removeprefix("templates/")
        area = where.split("/")[0]
        if area not in AREAS or where in STAFF_ONLY:
            continue
        for text in (message if isinstance(message, tuple) else (message,)):
            if text:
                yield f"webapp/{filename}:{line}", re.sub(r"%\(\w+\)[sd]", "it", text)


def _guides():
    for path in sorted((ROOT / "content" / "guides").glob("*/*/pages/*.md")):
        if "patient" in path.parts[-4] or "student" in path.parts[-4]:
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_patient_facing_words_read_plainly():
    scored = []
    for where, text in [*_strings(), *_guides()]:
        words, grade = reading_grade(text)
        if words >= MIN_WORDS:
            scored.append((grade, where, " ".join(text.split())[:160]))
    assert len(scored) > 100, "the extraction found the strings"
    above = sorted((s for s in scored if s[0] > PLAIN_GRADE), reverse=True)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("".join(f"grade {g:4.1f}  {w}\n    {t}\n" for g, w, t in above)
                      or "Every string reads at grade 8 or below.\n", encoding="utf-8")
    if above:
        warnings.warn(f"{len(above)} patient-facing strings read above grade {PLAIN_GRADE}; "
                      f"see {REPORT.relative_to(ROOT)}", stacklevel=1)
    too_hard = [s for s in above if s[0] > CEILING]
    assert too_hard == [], too_hard


#: Pages a patient partner meets first, or when they stop: held to the gentler LIX limit.
GENTLE_PAGES = ("home/_welcome.html", "casework/consent.html", "people/erase.html",
                "auth/accept_invitation.html")
#: Swedish no page may read above: the hardest were rewritten; a new one that hard fails here.
LIX_CEILING = 50.0
LIX_REPORT = ROOT / "build" / "lix.txt"


def _swedish_pages():
    """Each patient-facing template's strings in Swedish, read as one passage (a page)."""
    from babel.messages.pofile import read_po

    with open(ROOT / "webapp/translations/sv/LC_MESSAGES/messages.po", "rb") as handle:
        swedish = read_po(handle)
    pages: dict[str, list[str]] = {}
    jinja = {"extensions": "jinja2.ext.i18n"}
    for filename, _line, message, *_rest in extract_from_dir(
            ROOT / "webapp", [("templates/**.html", "jinja2")], {"templates/**.html": jinja}):
        where = filename.removeprefix("templates/")
        if where.split("/")[0] not in AREAS or where in STAFF_ONLY:
            continue
        found = swedish.get(message)
        if found is not None:
            strings = found.string if isinstance(found.string, tuple) else (found.string,)
            # sentences, not button labels and headings (which would each count as one)
            pages.setdefault(where, []).extend(
                re.sub(r"%\(\w+\)[sd]", "det", s) for s in strings[:1] if len(s.split()) >= 5)
    return pages


def test_swedish_patient_pages_read_plainly():
    from curriculum.text_rules import LIX_GENTLE, LIX_PLAIN, PLAIN_WORDS, lix

    scored = []
    for where, strings in _swedish_pages().items():
        words, score = lix(" ".join(s if s.rstrip()[-1:] in ".!?:" else s + "." for s in strings))
        if words >= PLAIN_WORDS:
            limit = LIX_GENTLE if where in GENTLE_PAGES else LIX_PLAIN
            scored.append((score, limit, where, words))
    assert len(scored) > 10, "the extraction found the pages"
    above = sorted((s for s in scored if s[0] > s[1]), reverse=True)
    LIX_REPORT.parent.mkdir(exist_ok=True)
    LIX_REPORT.write_text(
        "".join(f"LIX {score:4.1f} (limit {limit:g})  webapp/templates/{where}, {words} words\n"
                for score, limit, where, words in sorted(scored, reverse=True)),
        encoding="utf-8")
    if above:
        warnings.warn(f"{len(above)} patient-facing Swedish pages read above their LIX limit; "
                      f"see {LIX_REPORT.relative_to(ROOT)}", stacklevel=1)
    assert [s for s in scored if s[0] > LIX_CEILING] == []


def test_lix_counts_long_words_but_not_the_glossarys_compounds():
    from curriculum.text_rules import lix

    assert lix("Patientpartnern läser. Informationsöverföring sker.") == (4, 27.0)
    assert lix("Samordningsansvarig läser.")[1] == 2 + 50.0  # not a glossary word: long
