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
        elif isinstance(value, str) and required and not value.strip():
            src.error(src.key_line(key, line), f"{key!r} in {what} is empty",
                      f"write the {key}")
            ok = False
    return table if ok else None


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
