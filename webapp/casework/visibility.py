"""Who may read whose words in a case: the one decision every page, copy and round uses.

Words belong to the person who wrote them, or to the patient partner who told them to a
student who typed them. Each saved version of a part is traced to the people whose words it
holds: the words of the version it was saved over (unless that was empty, or the writer could
not read it and so started afresh), plus the writer's own — or the teller's, for told words.
A restored version holds the words of the version it restored.

A patient partner's current choice for the case (their latest consent record) decides who
else reads the versions holding their words:

=========================== ======= ========= ======= ===================
their choice                 group   history   staff   reviewers, cohort
=========================== ======= ========= ======= ===================
share with group, reviewers  yes     yes       yes     yes
not with reviewers           yes     yes       yes     no
not with the group           no      no        no      no
withdrawn                    yes*    no        no      no
not answered yet             yes     yes       yes     no
=========================== ======= ========= ======= ===================

\\* after a withdrawal the group still reads the current text of a part that mixes the
withdrawn words with others', so it can rewrite it; older versions holding them are held
back and cannot be restored. Parts holding only the withdrawn words are emptied for good.

Purposes: ``group`` (a member reading the case now), ``history`` (a member reading older
versions, and every person's own-data copy), ``staff`` (educators and admins, anything),
``reviewer`` (submissions as reviewers read and score them) and ``cohort`` (part 9 shared
with the cohort). The person whose words they are always reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.models import (
    Assignment,
    CaseWork,
    ConsentRecord,
    Membership,
    SectionDraft,
    SectionRevision,
)
from webapp.roles import PATIENT_PARTNER

PURPOSES = ("group", "history", "staff", "reviewer", "cohort")


@dataclass(frozen=True)
class Choice:
    share_group: bool
    share_reviewers: bool
    withdrawn: bool


def _hides(choice: Choice | None, purpose: str) -> bool:
    """Whether a patient partner's choice keeps their words from readers of ``purpose``."""
    if choice is None:
        return purpose in ("reviewer", "cohort")
    if not choice.share_group:
        return True
    if purpose == "group":
        return False
    if choice.withdrawn:
        return True
    return purpose in ("reviewer", "cohort") and not choice.share_reviewers


class CaseWords:
    """Whose words each version of each part of one case holds, and who may read them.

    One query for the choices; the versions are traced (three more queries, whatever the
    size of the case) only when someone's choice could hide something. Build one per
    request and ask it often; for many cases at once, ``CaseWords.for_cases``.
    """

    def __init__(self, session, case, *, choices: dict[int, Choice] | None = None) -> None:
        """``case``: a case, or a submission of one (anything with the case's id as
        ``case_work_id`` or ``id``, and its ``assignment_id``). ``choices``: each partner's
        current choice for the case, when the caller reads them (``for_cases``: for many
        cases at once)."""
        self.session = session
        self.case_id = getattr(case, "case_work_id", None) or case.id
        self.assignment_id = case.assignment_id
        if choices is None:
            choices = {}
            for record in session.scalars(select(ConsentRecord).where(
                    ConsentRecord.case_work_id == self.case_id).order_by(ConsentRecord.id)):
                choices[record.account_id] = _choice(record)
        self.choices: dict[int, Choice] = choices
        self._traced = False
        self.by: dict[tuple[str, int], frozenset[int]] = {}
        self.removed: set[tuple[str, int]] = set()
        self.everyone: dict[str, frozenset[int]] = {}
        self.current: dict[str, frozenset[int]] = {}
        self._patients: set[int] | None = None

    @classmethod
    def for_cases(cls, session, cases, purpose: str) -> dict[int, CaseWords]:
        """One ``CaseWords`` per case (by case id) of ``cases`` (cases or submissions), in a
        few queries whatever their number: the choices of all, then for ``purpose`` the
        patients of all and the versions of those where someone's choice hides something."""
        made: dict[int, CaseWords] = {}
        for case in cases:
            words = cls(session, case, choices={})
            made.setdefault(words.case_id, words)
        if not made:
            return made
        for record in session.scalars(select(ConsentRecord).where(
                ConsentRecord.case_work_id.in_(list(made))).order_by(ConsentRecord.id)):
            made[record.case_work_id].choices[record.account_id] = _choice(record)
        if purpose in ("reviewer", "cohort"):
            found = _patients_of(session, list(made))
            for case_id, words in made.items():
                words._patients = set(words.choices) | found.get(case_id, set())
        _trace_all(session, [words for words in made.values() if words.hidden(purpose)])
        return made

    def _trace(self) -> None:
        if not self._traced:
            _trace_all(self.session, [self])

    def _follow(self, rows) -> None:
        """Trace the saved versions: ``rows`` are (section, version, author, teller,
        restored from, fresh start, text removed, empty) in section and version order."""
        self._traced = True
        before: dict[str, tuple[int, bool]] = {}
        for section, version, author, teller, restored, fresh, removed, empty in rows:
            empty = bool(empty) and not removed
            if restored is not None and (section, restored) in self.by:
                words = self.by[(section, restored)]
            elif empty:
                words = frozenset()
            else:
                previous = before.get(section)
                carried = (self.by[(section, previous[0])]
                           if previous and not previous[1] and not fresh else frozenset())
                words = carried | ({teller or author} - {None})
            self.by[(section, version)] = words
            if removed:
                self.removed.add((section, version))
            self.everyone[section] = self.everyone.get(section, frozenset()) | words
            before[section] = (version, empty)

    def _now(self, section: str, version: int, empty) -> None:
        self.current[section] = frozenset() if empty else self.by.get(
            (section, version), self.everyone.get(section, frozenset()))

    @property
    def patients(self) -> set[int]:
        """Patient partners whose choices count here: anyone who made one for this case, and
        any patient partner of the cohort whose words are in it (not answered yet)."""
        if self._patients is None:
            self._patients = set(self.choices) | _patients_of(
                self.session, [self.case_id]).get(self.case_id, set())
        return self._patients

    # -- the decision ------------------------------------------------------------------
    def hidden(self, purpose: str, viewer_id: int | None = None) -> frozenset[int]:
        """The people whose words readers of ``purpose`` may not read (never the viewer)."""
        assert purpose in PURPOSES, purpose
        # only those who have not answered yet hide from reviewers without a choice
        people = self.patients if purpose in ("reviewer", "cohort") else self.choices
        return frozenset(person for person in people if person != viewer_id
                         and _hides(self.choices.get(person), purpose))

    def only_theirs(self, person: int) -> list[tuple[str, int]]:
        """(part, version) of every saved version that holds only ``person``'s words."""
        self._trace()
        return [key for key, words in self.by.items() if words == {person}]

    def withdrawn(self) -> frozenset[int]:
        return frozenset(p for p, c in self.choices.items() if c.withdrawn)

    def words_in(self, section: str, version: int | None = None) -> frozenset[int]:
        """Whose words a version holds (``None``: the part's current text)."""
        self._trace()
        if version is None:
            return self.current.get(section, frozenset())
        return self.by.get((section, version), self.everyone.get(section, frozenset()))

    def visible(self, section: str, version: int | None, purpose: str,
                viewer_id: int | None) -> bool:
        hidden = self.hidden(purpose, viewer_id)
        if not hidden:
            return True
        if version is not None and (section, version) in self.removed:
            return True  # nothing left to hide: the text is gone
        return not (self.words_in(section, version) & hidden)

    def held_for_withdrawal(self, section: str) -> bool:
        """The current text mixes words someone withdrew with others' (to be rewritten)."""
        withdrawn = self.withdrawn()
        return bool(withdrawn and self.words_in(section) & withdrawn)

    def restore_refusal(self, section: str, version: int, actor_id: int) -> str | None:
        """Why this version may not be restored by ``actor_id``, or None."""
        self._trace()
        if (section, version) in self.removed:
            return _("Version %(n)d was taken out at its writer’s request, so it cannot be "
                     "restored.", n=version)
        if self.words_in(section, version) & self.withdrawn():
            return _("Version %(n)d holds words that were withdrawn, so it cannot be "
                     "restored. Write the part again without them instead.", n=version)
        if not self.visible(section, version, "history", actor_id):
            return _("Version %(n)d holds words you cannot read, so it cannot be restored.",
                     n=version)
        return None

    # -- handed-in copies --------------------------------------------------------------
    def snapshot_words(self, key: str, part: dict) -> frozenset[int]:
        self._trace()
        if not part.get("text"):
            return frozenset()
        version = part.get("version")
        return self.words_in(key, version) if version is not None else \
            self.everyone.get(key, frozenset())

    def submission(self, submission, purpose: str, viewer_id: int | None) -> dict[str, dict]:
        """The submission's parts as ``purpose`` may read them: held parts are withheld."""
        hidden = self.hidden(purpose, viewer_id)
        if not hidden:
            return dict(submission.sections or {})
        out = {}
        for key, part in (submission.sections or {}).items():
            if part.get("text") and self.snapshot_words(key, part) & hidden:
                out[key] = {"withheld": True}
            else:
                out[key] = part
        return out

    def withheld(self, submission, purpose: str = "reviewer",
                 viewer_id: int | None = None) -> set[str]:
        return {key for key, part in self.submission(submission, purpose, viewer_id).items()
                if part.get("withheld")}


def _choice(record) -> Choice:
    return Choice(record.share_group, record.share_reviewers, record.withdrawn)


def _patients_of(session, case_ids: list[int]) -> dict[int, set[int]]:
    """Case id -> the patient partners of its cohort whose words are in the case (one
    query for all the cases)."""
    revisions = (select(SectionDraft.case_work_id.label("case_id"), SectionRevision.account_id,
                        SectionRevision.told_by_id)
                 .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
                 .where(SectionDraft.case_work_id.in_(case_ids)).subquery())
    rows = session.execute(
        select(revisions.c.case_id, Membership.account_id).distinct()
        .join(CaseWork, CaseWork.id == revisions.c.case_id)
        .join(Assignment, Assignment.id == CaseWork.assignment_id)
        .join(Membership, (Membership.cohort_id == Assignment.cohort_id)
              & (Membership.role == PATIENT_PARTNER)
              & ((Membership.account_id == revisions.c.account_id)
                 | (Membership.account_id == revisions.c.told_by_id))))
    found: dict[int, set[int]] = {}
    for case_id, account_id in rows:
        found.setdefault(case_id, set()).add(account_id)
    return found


def _trace_all(session, many: list[CaseWords]) -> None:
    """Trace the versions of every case of ``many``: two queries, whatever their number."""
    todo = {words.case_id: words for words in many if not words._traced}
    if not todo:
        return
    rows = session.execute(
        select(SectionDraft.case_work_id, SectionDraft.section, SectionRevision.version,
               SectionRevision.account_id, SectionRevision.told_by_id,
               SectionRevision.restored_from, SectionRevision.fresh_start,
               SectionRevision.text_removed, SectionRevision.text == "")
        .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
        .where(SectionDraft.case_work_id.in_(list(todo)))
        .order_by(SectionDraft.case_work_id, SectionDraft.section, SectionRevision.version))
    per_case: dict[int, list] = {case_id: [] for case_id in todo}
    for case_id, *row in rows:
        per_case[case_id].append(row)
    for case_id, case_rows in per_case.items():
        todo[case_id]._follow(case_rows)
    for case_id, section, version, empty in session.execute(
            select(SectionDraft.case_work_id, SectionDraft.section, SectionDraft.version,
                   SectionDraft.text == "").where(SectionDraft.case_work_id.in_(list(todo)))):
        todo[case_id]._now(section, version, empty)


def purpose_for(role: str | None) -> str:
    """A member reads as the group; anyone else allowed in reads as staff."""
    return "group" if role is not None else "staff"
