"""Problems found in course content, each pointing at a file and line with a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (``error``) or worth a look (``warning``) in a content file."""

    path: str
    line: int
    message: str
    fix: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} — {self.fix}"


class ContentError(Exception):
    """Content that cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class VersionConflict(Exception):
    """A published version's content changed without a new version number."""
