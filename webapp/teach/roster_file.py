"""Reading a roster file (CSV): every problem found at once, by line, before anything is written.

Pure: bytes in, rows and problems out. What the rows would change in a cohort is worked out
by ``roster_plan`` in operations, against the database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from webapp.auth.operations import email_key as account_key
from webapp.partner_names import NAMES
from webapp.roles import GROUP_ROLES, PATIENT_PARTNER

#: The largest roster accepted (rows after the header).
MAX_ROWS = 10_000
#: The largest roster file accepted, in bytes.
MAX_BYTES = 1024 * 1024
REQUIRED = ("email", "name", "role", "group")

#: How people may write a role in the file → the role it means.
ROLE_WORDS = {
    "student": "student",
    "patient partner": PATIENT_PARTNER,
    "patient co-teacher": "patient_coteacher",
    "patient coteacher": "patient_coteacher",
    "educator": "educator",
    "lead": "lead",
    "programme lead": "lead",
    "program lead": "lead",
    # Swedish (docs/glossary.md), including the titles programmes give patient partners
    "patientpartner": PATIENT_PARTNER,
    "erfarenhetsexpert": PATIENT_PARTNER,
    "närståendepartner": PATIENT_PARTNER,
    "granskare med patienterfarenhet": "patient_coteacher",
    "handledare": "educator",
    "programansvarig": "lead",
}
# The names a programme may give patient partners (webapp.partner_names), in both languages.
ROLE_WORDS.update({word: PATIENT_PARTNER for name in NAMES.values()
                   for word in (*name.english, name.swedish.singular, name.swedish.plural)})
#: Column names as a Swedish spreadsheet may have them → the column they mean.
COLUMN_WORDS = {"e-post": "email", "epost": "email", "e-postadress": "email", "namn": "name",
                "roll": "role", "grupp": "group", "basgrupp": "group"}
#: Roles that work in a group.


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    email_key: str
    name: str
    role: str
    group: str


@dataclass
class Roster:
    rows: list[Row] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))


def _role(word: str) -> str | None:
    key = " ".join(word.strip().lower().replace("_", " ").replace("-", " ").split())
    key = key.replace("co teacher", "co-teacher")
    return ROLE_WORDS.get(key)


def _decode(data: bytes, roster: Roster) -> str | None:
    if b"\x00" in data[:4096]:
        roster.problem(1, _("This is not a text file. Save the roster as CSV (UTF-8) and "
                            "upload it again."))
        return None
    if b"\x00" in data:  # further in: one stray character, which no database can store
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        roster.problem(line, _("This line contains an invisible NUL character. Remove it "
                               "(or save the roster again as CSV UTF-8) and upload it again."))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        roster.problem(line, _("This line is not UTF-8 text. Save the roster as “CSV UTF-8” "
                               "and upload it again."))
        return None


def read_roster(data: bytes, existing_groups: set[str]) -> Roster:
    """Parse a roster; ``existing_groups`` are the cohort's group names."""
    roster = Roster()
    if len(data) > MAX_BYTES:
        roster.problem(1, _("The file is larger than %(kb)d KB. Split it into smaller files.",
                            kb=MAX_BYTES // 1024))
        return roster
    text = _decode(data, roster)
    if text is None:
        return roster
    if not text.strip():
        roster.problem(1, _("The file is empty. The first line must name the columns: "
                            "email,name,role,group."))
        return roster
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
        header = [COLUMN_WORDS.get(h, h) for h in header]
    except csv.Error as exc:
        roster.problem(1, _("The first line cannot be read (%(error)s).", error=str(exc)))
        return roster
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        roster.problem(1, _("The first line must name the columns email, name, role and group; "
                            "missing: %(missing)s.", missing=", ".join(missing)))
        return roster
    where = {column: header.index(column) for column in REQUIRED}
    groups = {name.casefold(): name for name in existing_groups}
    seen: dict[tuple[str, str], int] = {}
    group_of: dict[str, tuple[str, int]] = {}
    count = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                roster.problem(line, _("The roster has more than %(max)d people. Split it into "
                                       "smaller files.", max=MAX_ROWS))
                break
            _read_row(roster, line, cells, where, groups, seen, group_of)
    except csv.Error as exc:
        roster.problem(reader.line_num, _("This line cannot be read (%(error)s). Check its quotes.",
                                          error=str(exc)))
    if not roster.rows and not roster.problems:
        roster.problem(2, _("The file has column names but no people."))
    return roster


def _read_row(roster, line, cells, where, groups, seen, group_of) -> None:
    def cell(column):
        index = where[column]
        return cells[index].strip() if index < len(cells) else ""

    ok = True
    email, name, role_word, group_word = (cell(c) for c in REQUIRED)
    name = " ".join(name.split())
    email_key = ""
    try:
        validate_email(email, check_deliverability=False)
        email_key = account_key(email)
    except EmailNotValidError:
        roster.problem(line, _("“%(email)s” is not an email address.", email=email[:80]))
        ok = False
    if not name:
        roster.problem(line, _("The name is empty. Give the person's name as they want it shown."))
        ok = False
    elif len(name) > 120:
        roster.problem(line, _("The name is longer than 120 characters."))
        ok = False
    role = _role(role_word)
    if role is None:
        roster.problem(line, _("“%(role)s” is not a role. Use student, patient partner, patient "
                               "co-teacher, educator or lead.", role=role_word[:40]))
        ok = False
    group = ""
    if group_word:
        group = groups.get(group_word.casefold(), "")
        if not group:
            roster.problem(line, _("There is no group “%(group)s” in this cohort. Create it on "
                                   "the groups page first, or leave the column empty.",
                                   group=group_word[:60]))
            ok = False
        elif role is not None and role not in GROUP_ROLES:
            roster.problem(line, _("Only students and patient partners join a group. Leave the "
                                   "group empty for this person."))
            ok = False
    if email_key and role:
        earlier = seen.get((email_key, role))
        if earlier:
            roster.problem(line, _("This person and role are already on line %(line)d. Remove "
                                   "one of the two lines.", line=earlier))
            ok = False
        else:
            seen[(email_key, role)] = line
        if group and role in GROUP_ROLES:
            placed = group_of.get(email_key)
            if placed and placed[0] != group:
                roster.problem(line, _("This person is put in group “%(other)s” on line "
                                       "%(line)d. A person is in one group per cohort.",
                                       other=placed[0], line=placed[1]))
                ok = False
            else:
                group_of[email_key] = (group, line)
    if ok:
        roster.rows.append(Row(line, email, email_key, name, role, group))
