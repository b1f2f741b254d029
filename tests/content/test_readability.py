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
