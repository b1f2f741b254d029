"""Semantic versions, content hashes and the structured diff between two module versions."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from curriculum.model import ModuleVersion
from curriculum.source import read_text

_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) for a version like ``1.2.0``; None if it is not one."""
    match = _VERSION.match(text)
    return tuple(int(part) for part in match.groups()) if match else None


def version_key(text: str) -> tuple[int, int, int]:
    """Sort key for version strings (invalid ones sort first)."""
    return parse_version(text) or (-1, -1, -1)


def content_hash(path: Path) -> str:
    """SHA-256 over the normalised files of a version (a directory) or one file.

    Files are taken in sorted order of their relative paths; each contributes its path and its
    text with line ends made LF, trailing spaces removed and Unicode in NFC, so an editor's
    invisible changes do not count as a change of content.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if any(part.startswith(".") for part in file.relative_to(path.parent).parts):
            continue
        rel = file.relative_to(path).as_posix() if path.is_dir() else file.name
        text = "\n".join(line.rstrip() for line in read_text(file).split("\n")).strip() + "\n"
        digest.update(rel.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Change:
    """One part that was added, removed or changed, with a unified text diff."""

    part: str  # objective, lesson, case, check, reference, summary…
    id: str
    status: str  # added | removed | changed
    title: str
    diff: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleDiff:
    slug: str
    old: str
    new: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def by_part(self, part: str) -> list[Change]:
        return [c for c in self.changes if c.part == part]


def _text_diff(before: str, after: str, label: str) -> tuple[str, ...]:
    return tuple(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                      f"{label} (before)", f"{label} (after)", lineterm="", n=2))


def _compare(part, old: dict, new: dict, render, title) -> list[Change]:
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            changes.append(Change(part, key, "removed", title(old[key])))
        elif key not in old:
            changes.append(Change(part, key, "added", title(new[key]),
                                  _text_diff("", render(new[key]), key)))
        elif render(old[key]) != render(new[key]):
            changes.append(Change(part, key, "changed", title(new[key]),
                                  _text_diff(render(old[key]), render(new[key]), key)))
    return changes


#: The words a diff's text puts around the content (the web app passes them translated).
LABELS = {
    "week": "Week {week}: {title}", "format": "Format", "who": "Who does what",
    "minutes": "Minutes: {minutes}; students {students}; educator {educator}; "
               "patient partner {partner}",
    "objectives": "Objectives", "lessons": "Lessons",
    "preparation": "Patient partner's preparation", "breaks": "Breaks", "support": "Support",
    "content_note": "Content note", "yes": "yes", "catch_up": "If missed",
    "reading": "{kind} reading, {access}, in {language}", "required": "required",
    "optional": "optional", "free": "free to read", "not_free": "not free to read",
    "beside": "read beside it: {key}", "replaces": "Replaces {versions}: {why}",
    "speaks_from": "Patient partner speaks from: {voice}", "objective": "objective: {id}",
}


def diff_modules(old: ModuleVersion, new: ModuleVersion, labels: dict | None = None
                 ) -> ModuleDiff:
    """What changed from ``old`` to ``new``: objectives, lessons, case, checks, references
    (``labels``: the words around the content, English unless given)."""
    w = {**LABELS, **(labels or {})}
    changes: list[Change] = []
    for attr in ("title", "summary", "minutes"):
        before, after = str(getattr(old, attr)), str(getattr(new, attr))
        if before != after:
            changes.append(Change("about", attr, "changed", attr, _text_diff(before, after, attr)))
    changes += _compare("objective", {o.id: o for o in old.objectives},
                        {o.id: o for o in new.objectives}, lambda o: o.text, lambda o: o.text)
    changes += _compare("lesson", {x.id: x for x in old.lessons}, {x.id: x for x in new.lessons},
                        lambda x: f"# {x.title}\n\n{x.body}", lambda x: x.title)
    changes += _compare("case", {"case": old.case}, {"case": new.case},
                        lambda c: _case_text(c, w), lambda c: c.title)
    changes += _compare("check", {c.id: c for c in old.checks}, {c.id: c for c in new.checks},
                        lambda c: _check_text(c, w), lambda c: c.question)
    changes += _compare("reference", {r.key: r for r in old.references},
                        {r.key: r for r in new.references}, lambda r: _reference_text(r, w),
                        lambda r: r.short)
    changes += _compare("session", _sessions(old), _sessions(new),
                        lambda x: _session_text(x, w), lambda x: x.title)
    before, after = _supersedes_text(old, w), _supersedes_text(new, w)
    if before != after:
        changes.append(Change("about", "supersedes", "changed", "supersedes",
                              _text_diff(before, after, "supersedes")))
    return ModuleDiff(new.slug, old.version, new.version, tuple(changes))


def _sessions(module: ModuleVersion) -> dict:
    return {s.id: s for s in module.plan.sessions} if module.plan else {}


def _session_text(session, w: dict) -> str:
    lines = [f"# {w['week'].format(week=session.week, title=session.title)}",
             f"{w['format']}: {session.format}",
             w["minutes"].format(minutes=session.minutes, students=session.student_minutes,
                                 educator=session.educator_minutes,
                                 partner=session.partner_minutes),
             f"{w['who']}: {session.who}"]
    for label, value in (("objectives", ", ".join(session.objectives)),
                         ("lessons", ", ".join(session.lessons)),
                         ("preparation", session.partner_preparation),
                         ("breaks", session.breaks), ("support", session.support),
                         ("content_note", w["yes"] if session.content_note else ""),
                         ("catch_up", session.catch_up)):
        if value:
            lines.append(f"{w[label]}: {value}")
    return "\n".join(lines)


def _reference_text(reference, w: dict) -> str:
    if not reference.reading:
        return reference.text
    flags = w["reading"].format(kind=w.get(reference.reading, reference.reading),
                                access=w["free"] if reference.open_access else w["not_free"],
                                language=reference.language)
    also = f"; {w['beside'].format(key=reference.alternative)}" if reference.alternative else ""
    return f"{reference.text}\n({flags}{also})"


def _supersedes_text(module: ModuleVersion, w: dict) -> str:
    if not module.supersedes:
        return ""
    return w["replaces"].format(versions=", ".join(module.supersedes),
                                why=module.superseded_because)


def _case_text(case, w: dict) -> str:
    parts = [f"# {case.title}", w["speaks_from"].format(voice=case.patient_voice)]
    if case.content_note:
        parts.append(f"{w['content_note']}: {case.content_note}")
    parts.append(case.scenario)
    parts += [f"## {s.key}\n{s.prompt}" for s in case.sections]
    return "\n\n".join(parts)


def _check_text(item, w: dict) -> str:
    lines = [item.question, f"({w['objective'].format(id=item.objective)})"]
    for option in item.options:
        mark = "[x]" if option.correct else "[ ]"
        lines.append(f"{mark} {option.text}\n    {option.explanation}")
    return "\n".join(lines)


def side_by_side(diff: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Rows of (before, after, kind) from a unified diff, pairing removed lines with the
    added lines that replace them. kind is ``same``, ``changed``, ``removed``, ``added`` or
    ``gap`` (lines left out between hunks)."""
    rows: list[tuple[str, str, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        for index in range(max(len(removed), len(added))):
            left = removed[index] if index < len(removed) else ""
            right = added[index] if index < len(added) else ""
            kind = "changed" if left and right else ("removed" if left else "added")
            rows.append((left, right, kind))
        removed.clear()
        added.clear()

    for line in diff[2:]:  # skip the ---/+++ header
        if line.startswith("@@"):
            flush()
            if rows:
                rows.append(("", "", "gap"))
        elif line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])
        else:
            flush()
            rows.append((line[1:], line[1:], "same"))
    flush()
    return rows


@dataclass(frozen=True)
class Superseded:
    """An earlier version replaced for new use: still readable, still in reports."""

    by: str
    because: str


def superseded(versions: list[tuple[str, str, tuple[str, ...], str]]
               ) -> dict[tuple[str, str], Superseded]:
    """(slug, version) → what replaced it, from (slug, version, supersedes, because) rows.

    When several versions supersede the same one, the earliest of them is named: it is the
    first version an educator can move to.
    """
    out: dict[tuple[str, str], Superseded] = {}
    for slug, version, supersedes, because in sorted(versions,
                                                     key=lambda row: version_key(row[1])):
        for old in supersedes:
            out.setdefault((slug, old), Superseded(version, because))
    return out
