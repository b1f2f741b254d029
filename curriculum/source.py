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
            report.error(self.rel, 1, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
        except OSError as exc:
            self.readable = False
            report.error(self.rel, 1, f"cannot be read ({exc.strerror})",
                         "check the file exists and can be read")
        self.lines = self.text.split("\n")
        if "\x00" in self.text:
            self.readable = False
            line = self.text[: self.text.index("\x00")].count("\n") + 1
            report.error(self.rel, line, "contains an invisible NUL character, which cannot be "
                         "stored", "delete it (re-type the line if you cannot see it)")

    def toml(self) -> dict | None:
        if not self.readable:
            return None
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            self.error(int(match.group(1)) if match else 1, f"not valid TOML: {exc}",
                       "fix the TOML syntax (quotes, brackets, one key per line)")
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
_TYPE_NAMES = {str: "text in quotes", int: "a whole number", bool: "true or false",
               list: "a list", dict: "a table"}


def fields(src: Source, table: object, spec: Spec, line: int, what: str) -> dict | None:
    """Check ``table`` against ``spec``: unknown, missing and mistyped keys, each reported.

    Returns the table when every required key is present with the right type, else None
    (an unknown key is an error but does not stop the rest of the file being checked).
    """
    if not isinstance(table, dict):
        src.error(line, f"{what} should be a table", f"write {what} as [name] or [[name]]")
        return None
    ok = True
    for key in table:
        if key not in spec:
            known = ", ".join(sorted(spec))
            # Reported, but checking goes on: the rest of the file can still be read.
            src.error(src.key_line(key, line), f"unknown key {key!r} in {what}",
                      f"remove it or use one of: {known}")
    for key, (types, required) in spec.items():
        if key not in table:
            if required:
                src.error(line, f"missing key {key!r} in {what}", f"add {key} = …")
                ok = False
            continue
        value = table[key]
        expected = types if isinstance(types, tuple) else (types,)
        if isinstance(value, bool) and bool not in expected or not isinstance(value, expected):
            names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in expected)
            src.error(src.key_line(key, line), f"{key!r} in {what} should be {names}",
                      f"write {key} as {names}")
            ok = False
        elif isinstance(value, int) and not isinstance(value, bool) and not (
                0 <= value <= limits.WHOLE_NUMBER_MAX):
            src.error(src.key_line(key, line), f"{key!r} in {what} is {value}, outside the "
                      f"numbers that can be stored", f"use a whole number from 0 to "
                      f"{limits.WHOLE_NUMBER_MAX}")
            ok = False
        elif isinstance(value, str) and required and not value.strip():
            src.error(src.key_line(key, line), f"{key!r} in {what} is empty",
                      f"write the {key}")
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
            src.error(src.key_line(key), f"{key!r} in {what} {problem}",
                      f"shorten the {key} to at most {limit} characters")
            ok = False
    parts = parse_version(data["version"]) if isinstance(data.get("version"), str) else None
    if parts and max(parts) > limits.WHOLE_NUMBER_MAX:
        src.error(src.key_line("version"), f"version {data['version']!r} has a number larger "
                  f"than {limits.WHOLE_NUMBER_MAX}", 'use small numbers, like "1.0.3"')
        ok = False
    return ok


def check_id(src: Source, value: str, line: int, what: str, seen: set[str]) -> bool:
    if not ID.match(value):
        src.error(line, f"{what} {value!r} is not a valid id",
                  "use lower-case letters, digits and - or _ (for example lesson-1)")
        return False
    if value in seen:
        src.error(line, f"duplicate {what} {value!r}", f"give each {what} its own id")
        return False
    seen.add(value)
    return True
