"""Loading and checking a module version's session plan (``plan.toml``).

The plan is how the module runs over a term: sessions with their objectives, minutes, format,
who does what, the patient partner's preparation and travel, breaks, the content note, the
support and how to catch up. Its sums are checked against the module: the student time adds
up to the minutes the module claims, every lesson sits in one session and every objective in
at least one.
"""

from __future__ import annotations

from pathlib import Path

from curriculum.model import SESSION_FORMATS, Lesson, Objective, PlannedSession, SessionPlan
from curriculum.source import Report, Source, check_id, fields
from curriculum.words import _

PLAN = {"weeks": (int, True), "sessions": (list, True)}
SESSION = {"id": (str, True), "title": (str, True), "week": (int, True), "format": (str, True),
           "minutes": (int, True), "student_minutes": (int, True),
           "educator_minutes": (int, True), "partner_minutes": (int, True), "who": (str, True),
           "objectives": (list, False), "lessons": (list, False),
           "partner_preparation": (str, False), "breaks": (str, False),
           "content_note": (bool, False), "support": (str, False), "catch_up": (str, True)}
#: A session held for a stretch longer than this needs its breaks written down.
BREAK_AFTER_MINUTES = 60


def load_plan(root: Path, folder: Path, report: Report, *, minutes: int,
              objectives: tuple[Objective, ...], lessons: tuple[Lesson, ...],
              required: bool) -> SessionPlan | None:
    """The plan, or None (with errors reported) when it is missing or wrong. A version that
    is not the newest of its module may have none (it was written before plans)."""
    path = folder / "plan.toml"
    if not path.exists():
        if required:
            report.error(path.relative_to(root).as_posix(), 1, _("plan.toml is missing"),
                         _("the newest version of a module needs a session plan: copy one "
                           "from another module and adapt it"))
        return None
    src = Source(root, path, report)
    data = src.toml()
    if data is None or fields(src, data, PLAN, 1, "plan.toml") is None:
        return None
    sessions, seen, ok = [], set(), True
    for index, entry in enumerate(data["sessions"]):
        line = src.header_line("sessions", index)
        raw = fields(src, entry, SESSION, line, _("a session"))
        if raw is None or not check_id(src, raw["id"], line, _("session id"), seen):
            ok = False
            continue
        ok &= _session(src, raw, line, data["weeks"], objectives, lessons)
        sessions.append(PlannedSession(
            raw["id"], raw["title"].strip(), raw["week"], raw["format"], raw["minutes"],
            raw["student_minutes"], raw["educator_minutes"], raw["partner_minutes"],
            raw["who"].strip(), tuple(raw.get("objectives", ())), tuple(raw.get("lessons", ())),
            raw.get("partner_preparation", "").strip(), raw.get("breaks", "").strip(),
            raw.get("content_note", False), raw.get("support", "").strip(),
            raw["catch_up"].strip()))
    if not sessions:
        src.error(src.key_line("sessions"), _("a plan needs sessions"), _("add [[sessions]]"))
        return None
    plan = SessionPlan(data["weeks"], tuple(sessions))
    ok &= _sums(src, plan, minutes, objectives, lessons)
    return plan if ok else None


def _session(src: Source, raw: dict, line: int, weeks: int, objectives, lessons) -> bool:
    ok = True
    if raw["format"] not in SESSION_FORMATS:
        src.error(src.key_line("format", line),
                  _("format '%(format)s' is not known", format=raw["format"]),
                  _("use one of: %(choices)s", choices=", ".join(SESSION_FORMATS)))
        ok = False
    if not 1 <= raw["week"] <= max(weeks, 1):
        src.error(src.key_line("week", line),
                  _("week %(week)d is outside the plan's %(weeks)d weeks", week=raw["week"],
                    weeks=weeks),
                  _("use a week from 1 to %(weeks)d, or raise weeks", weeks=weeks))
        ok = False
    known = {"objectives": {o.id for o in objectives}, "lessons": {le.id for le in lessons}}
    for key, ids in known.items():
        for name in raw.get(key, ()):
            if name not in ids:
                message = (_("objective '%(name)s' is not in this module", name=name)
                           if key == "objectives" else
                           _("lesson '%(name)s' is not in this module", name=name))
                src.error(src.key_line(key, line), message,
                          _("use ids from module.toml: %(ids)s", ids=", ".join(sorted(ids))))
                ok = False
    if raw["partner_minutes"] and not raw.get("partner_preparation", "").strip():
        src.error(src.key_line("partner_minutes", line),
                  _("session '%(id)s' asks for a patient partner's time but says nothing of "
                    "their preparation and travel", id=raw["id"]),
                  _('add partner_preparation = "what to read, how long, travel and costs"'))
        ok = False
    if raw["minutes"] > BREAK_AFTER_MINUTES and not raw.get("breaks", "").strip():
        src.error(src.key_line("minutes", line),
                  _("session '%(id)s' runs %(minutes)d minutes with no breaks written down",
                    id=raw["id"], minutes=raw["minutes"]),
                  _('add breaks = "when, and how long"'))
        ok = False
    lesson_minutes = sum(le.minutes for le in lessons if le.id in raw.get("lessons", ()))
    if raw["student_minutes"] < max(raw["minutes"] if raw["format"] != "self-study" else 0,
                                    lesson_minutes):
        src.error(src.key_line("student_minutes", line),
                  _("session '%(id)s' gives students %(given)d minutes, less than the session "
                    "or its lessons take (%(needed)d)", id=raw["id"],
                    given=raw["student_minutes"], needed=max(raw["minutes"], lesson_minutes)),
                  _("count the session, its lessons and preparation in student_minutes"))
        ok = False
    return ok


def _sums(src: Source, plan: SessionPlan, minutes: int, objectives, lessons) -> bool:
    ok = True
    total = sum(s.student_minutes for s in plan.sessions)
    if total != minutes:
        src.error(1, _("the sessions give students %(total)d minutes but module.toml says "
                        "minutes = %(minutes)d", total=total, minutes=minutes),
                  _("set minutes = %(total)d in module.toml, or change the sessions",
                    total=total))
        ok = False
    placed = [name for s in plan.sessions for name in s.lessons]
    for lesson in lessons:
        if placed.count(lesson.id) != 1:
            src.error(1, _("lesson '%(id)s' is in %(n)d sessions", id=lesson.id,
                            n=placed.count(lesson.id)),
                      _("put each lesson in exactly one session (lessons = […])"))
            ok = False
    covered = {name for s in plan.sessions for name in s.objectives}
    for objective in objectives:
        if objective.id not in covered:
            src.error(1, _("objective '%(id)s' is worked on in no session", id=objective.id),
                      _("list it in the objectives of the session that works on it"))
            ok = False
    return ok
