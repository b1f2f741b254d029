"""A learner's own progress: lessons read and knowledge-check answers (flush, never commit)."""

from __future__ import annotations

from sqlalchemy import select

from curriculum.model import CheckItem
from webapp.models import KnowledgeCheckAttempt, LessonProgress, ModuleVersionRow
from webapp.refusals import NotFound


class NotInModule(NotFound):
    """The lesson, item or option does not exist in this module version."""


def mark_read(session, account, row: ModuleVersionRow, lesson_id: str) -> None:
    if lesson_id not in {lesson.id for lesson in row.content().lessons}:
        raise NotInModule(lesson_id)
    exists = session.scalar(select(LessonProgress.id).where(
        LessonProgress.account_id == account.id, LessonProgress.module_version_id == row.id,
        LessonProgress.lesson_id == lesson_id))
    if exists is None:
        session.add(LessonProgress(account_id=account.id, module_version_id=row.id,
                                   lesson_id=lesson_id))
        session.flush()


def answer(session, account, row: ModuleVersionRow, item_id: str,
           option_index: int) -> tuple[CheckItem, bool]:
    """Record one answer; returns the item and whether the chosen option was right."""
    item = next((i for i in row.content().checks if i.id == item_id), None)
    if item is None or not 0 <= option_index < len(item.options):
        raise NotInModule(item_id)
    correct = item.options[option_index].correct
    session.add(KnowledgeCheckAttempt(account_id=account.id, module_version_id=row.id,
                                      item_id=item_id, option_index=option_index,
                                      correct=correct))
    session.flush()
    return item, correct
