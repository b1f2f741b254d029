"""Reading one content file: its text, its TOML, and the line where a key or table sits.

tomllib gives values without positions, so lines are found in the text: a key's line is the
first ``key =`` at or after the line of the table it belongs to; an array-of-tables entry's
line is its ``[[name]]`` header. Every problem is recorded against ``path:line``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

from curriculum import limits
from curriculum.errors import Problem
from curriculum.words import _

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class Report:
    """Collects every problem found, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        #: "rubric-id/criterion-id" of every criterion declared, even in a rubric with errors,
        #: so one mistake in a rubric does not also show up as errors in every module.
        self.declared_criteria: set[str] = set()

    def error(self, path: str, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(path, line, message, fix, "error"))

    def warning(self, path: str, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(path, line, message, fix, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")


def read_text(path: Path) -> str:
    """A file's text, normalised: UTF-8 (BOM dropped), LF line ends, NFC."""
    raw = path.read_bytes().decode("utf-8-sig")
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


class Source:
    def __init__(self, root: Path, path: Path, report: Report) -> None:
        self.path = path
        self.rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.report = report
        self.text = ""
        self.lines: list[str] = []
        self.readable = True
        try:
            self.text = read_text(path)
        except UnicodeDecodeError as exc:
            self.readable = False
            report.error(self.rel, 1, _("not UTF-8 text (%(reason)s)", reason=exc.reason),
                         _("save the file as UTF-8"))
        except OSError as exc:
            self.readable = False
            report.error(self.rel, 1, _("cannot be read (%(reason)s)", reason=exc.strerror),
                         _("check the file exists and can be read"))
        self.lines = self.text.split("\n")
        if "\x00" in self.text:
            self.readable = False
            line = self.text[: self.text.index("\x00")].count("\n") + 1
            report.error(self.rel, line, _("contains an invisible NUL character, which cannot be "
                                           "stored"),
                         _("delete it (re-type the line if you cannot see it)"))

    def toml(self) -> dict | None:
        if not self.readable:
            return None
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            self.error(int(match.group(1)) if match else 1,
                       _("not valid TOML: %(error)s", error=exc),
                       _("fix the TOML syntax (quotes, brackets, one key per line)"))
            return None

    def error(self, line: int, message: str, fix: str) -> None:
        self.report.error(self.rel, line, message, fix)

    def warning(self, line: int, message: str, fix: str) -> None:
        self.report.warning(self.rel, line, message, fix)

    def key_line(self, key: str, start: int = 1) -> int:
        pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def header_line(self, name: str, index: int, start: int = 1) -> int:
        """Line of the ``index``-th (0-based) ``[[name]]`` header at or after ``start``."""
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        seen = -1
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                seen += 1
                if seen == index:
                    return number
        # inline arrays of tables: fall back to the key's own line
        return self.key_line(name.rsplit(".", 1)[-1], start)

    def table_line(self, name: str, start: int = 1) -> int:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return self.key_line(name.rsplit(".", 1)[-1], start)

    def text_line(self, needle: str, start: int = 1) -> int:
        """First line at or after ``start`` containing ``needle`` (for multi-line strings)."""
        first = needle.strip().split("\n", 1)[0][:40]
        for number in range(max(start, 1), len(self.lines) + 1):
            if first and first in self.lines[number - 1]:
                return number
        return start


#: A field spec: key → (expected type(s), required). Types are Python types from tomllib.
Spec = dict[str, tuple[type | tuple[type, ...], bool]]


def _type_name(kind: type) -> str:
    """What a value of type ``kind`` is, in the reader's words."""
    if kind is str:
        return _("text in quotes")
    if kind is int:
        return _("a whole number")
    if kind is bool:
        return _("true or false")
    if kind is list:
        return _("a list")
    if kind is dict:
        return _("a table")
    return kind.__name__


def _either(names: list[str]) -> str:
    """``names`` as one choice: "a or b" (or "a or b or c")."""
    said = names[0]
    for name in names[1:]:
        said = _("%(first)s or %(second)s", first=said, second=name)
    return said


def fields(src: Source, table: object, spec: Spec, line: int, what: str) -> dict | None:
    """Check ``table`` against ``spec``: unknown, missing and mistyped keys, each reported.

    Returns the table when every required key is present with the right type, else None
    (an unknown key is an error but does not stop the rest of the file being checked).
    """
    if not isinstance(table, dict):
        src.error(line, _("%(what)s should be a table", what=what),
                  _("write %(what)s as [name] or [[name]]", what=what))
        return None
    ok = True
    for key in table:
        if key not in spec:
            known = ", ".join(sorted(spec))
            # Reported, but checking goes on: the rest of the file can still be read.
            src.error(src.key_line(key, line), _("unknown key '%(key)s' in %(what)s", key=key,
                                                  what=what),
                      _("remove it or use one of: %(choices)s", choices=known))
    for key, (types, required) in spec.items():
        if key not in table:
            if required:
                src.error(line, _("missing key '%(key)s' in %(what)s", key=key, what=what),
                          _("add %(key)s = …", key=key))
                ok = False
            continue
        value = table[key]
        expected = types if isinstance(types, tuple) else (types,)
        if isinstance(value, bool) and bool not in expected or not isinstance(value, expected):
            names = _either([_type_name(t) for t in expected])
            src.error(src.key_line(key, line),
                      _("'%(key)s' in %(what)s should be %(kinds)s", key=key, what=what,
                        kinds=names),
                      _("write %(key)s as %(kinds)s", key=key, kinds=names))
            ok = False
        elif isinstance(value, int) and not isinstance(value, bool) and not (
                0 <= value <= limits.WHOLE_NUMBER_MAX):
            src.error(src.key_line(key, line),
                      _("'%(key)s' in %(what)s is %(value)d, outside the numbers that can be "
                        "stored", key=key, what=what, value=value),
                      _("use a whole number from 0 to %(max)d", max=limits.WHOLE_NUMBER_MAX))
            ok = False
        elif isinstance(value, str) and required and not value.strip():
            src.error(src.key_line(key, line), _("'%(key)s' in %(what)s is empty", key=key,
                                                  what=what),
                      _("write the %(key)s", key=key))
            ok = False
    return table if ok else None


#: Keys of a published version's file that become database columns, with their sizes.
_COLUMN_CHARS = {"id": limits.SLUG_CHARS, "version": limits.VERSION_CHARS,
                 "title": limits.TITLE_CHARS, "lens": limits.LENS_CHARS}


def fits_columns(src: Source, data: dict, what: str) -> bool:
    """The id, version, title (and lens) of a published version fit the database's columns,
    and each part of the version is a number the database can hold."""
    from curriculum.versions import parse_version  # versions reads files through this module

    ok = True
    for key, limit in _COLUMN_CHARS.items():
        value = data.get(key)
        problem = limits.too_long(value, limit) if isinstance(value, str) else None
        if problem:
            src.error(src.key_line(key),
                      _("'%(key)s' in %(what)s is %(length)d characters long; at most "
                        "%(limit)d fit", key=key, what=what, length=len(value), limit=limit),
                      _("shorten the %(key)s to at most %(limit)d characters", key=key,
                        limit=limit))
            ok = False
    parts = parse_version(data["version"]) if isinstance(data.get("version"), str) else None
    if parts and max(parts) > limits.WHOLE_NUMBER_MAX:
        src.error(src.key_line("version"),
                  _("version '%(version)s' has a number larger than %(max)d",
                    version=data["version"], max=limits.WHOLE_NUMBER_MAX),
                  _('use small numbers, like "1.0.3"'))
        ok = False
    return ok


def check_id(src: Source, value: str, line: int, what: str, seen: set[str]) -> bool:
    if not ID.match(value):
        src.error(line, _("%(what)s '%(value)s' is not a valid id", what=what, value=value),
                  _("use lower-case letters, digits and - or _ (for example lesson-1)"))
        return False
    if value in seen:
        src.error(line, _("duplicate %(what)s '%(value)s'", what=what, value=value),
                  _("give each %(what)s its own id", what=what))
        return False
    seen.add(value)
    return True
