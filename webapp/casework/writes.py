"""A part's save as the database runs it: the conditional update and its revision row.

An autosave runs this every few seconds for every writer, so each statement is built once
with bind parameters (building a statement and its cache key costs more than running it),
and the database is asked as few times as it can be, keeping three guarantees:

- the part changes only if nobody saved since the writer's version (``version = ?``);
- the case is still open (not handed in), checked in the same statement as the change;
- every saved version leaves a revision row, in the same transaction.

On SQLite the caller's ``BEGIN IMMEDIATE`` already serialises writers, so the update checks
the case's row and a second statement inserts the revision. On PostgreSQL one statement
does all three: it locks the open case's row first (``FOR UPDATE``: a hand-in waits for the
save, or the save sees the hand-in and changes nothing), then updates the part and inserts
the revision from what the update returned.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, insert, select, update

from webapp.models import CaseWork, SectionDraft, SectionRevision

# The tables themselves, not the mapped classes: a statement on a mapped class takes the
# ORM's bulk path, which copies and re-keys the statement on every run.
_CASE, _DRAFT, _REVISION = CaseWork.__table__, SectionDraft.__table__, SectionRevision.__table__

_REVISION_VALUES = ("version", "text", "account_id", "role", "told_by_id", "restored_from",
                    "fresh_start", "recorded_by_id", "created_at", "text_removed")


def _param(name: str):
    """A bind parameter typed as its revision column (PostgreSQL casts it)."""
    return bindparam(name, type_=_REVISION.c[name].type)


def _draft_update(student: bool, patient: bool, *, open_case):
    values = {"text": bindparam("text"), "version": _DRAFT.c.version + 1,
              "updated_at": bindparam("created_at"), "updated_by_id": bindparam("account_id"),
              "written": False}
    if student:
        values["student_voice"] = True
    if patient:
        values["patient_voice"] = True
    return (update(_DRAFT)
            .where(_DRAFT.c.case_work_id == bindparam("case_id"),
                   _DRAFT.c.section == bindparam("key"),
                   _DRAFT.c.version == bindparam("base_version"), open_case)
            .values(**values)
            .returning(_DRAFT.c.id, _DRAFT.c.student_voice, _DRAFT.c.patient_voice))


def _sqlite(student: bool, patient: bool):
    open_case = exists().where(_CASE.c.id == bindparam("case_id"),
                               _CASE.c.submitted_at.is_(None))
    return _draft_update(student, patient, open_case=open_case)


def _postgresql(student: bool, patient: bool):
    locked = (select(_CASE.c.id)
              .where(_CASE.c.id == bindparam("case_id"), _CASE.c.submitted_at.is_(None))
              .with_for_update().cte("open_case")
              # its own step, before the part is touched: the case's lock comes first
              .prefix_with("MATERIALIZED", dialect="postgresql"))
    draft = _draft_update(student, patient,
                          open_case=_DRAFT.c.case_work_id.in_(select(locked.c.id))
                          ).cte("draft")
    revision = insert(_REVISION).from_select(
        ["draft_id", *_REVISION_VALUES],
        select(draft.c.id, *(_param(name) for name in _REVISION_VALUES))).cte("revision")
    return (select(draft.c.id, draft.c.student_voice, draft.c.patient_voice)
            .add_cte(revision))


#: database → (a student's words, a patient partner's words) → the save's statement.
_SAVE = {name: {(s, p): build(s, p) for s in (False, True) for p in (False, True)}
         for name, build in (("sqlite", _sqlite), ("postgresql", _postgresql))}
_INSERT_REVISION = insert(_REVISION)


def write_part(session, voices: tuple[bool, bool], values: dict):
    """Save one part: (draft id, student voice, patient voice), or None when nothing changed
    (someone saved first, or the case was handed in). ``values``: ``case_id``, ``key``,
    ``base_version`` and the revision's columns."""
    dialect = session.get_bind().dialect.name
    row = session.execute(_SAVE[dialect][voices], values).first()
    if row is not None and dialect == "sqlite":
        session.execute(_INSERT_REVISION, {"draft_id": row[0], **{
            name: values[name] for name in _REVISION_VALUES}})
    return row
