"""The spring groups' work, made through the product's own operations: each group writes all
nine parts in both voices and hands in; reviewers are allocated in both lenses and submit;
feedback is released and one group responds; students read lessons, try the knowledge checks
and say how their confidence changed."""

from __future__ import annotations

from sqlalchemy import select

from curriculum import template
from webapp.casework import operations as work_ops
from webapp.casework import submission as hand_in
from webapp.demo import spring_words as words
from webapp.learn import operations as learn_ops
from webapp.models import Review, SurveyVersionRow
from webapp.review import group_work
from webapp.review import operations as review_ops
from webapp.roles import PATIENT_PARTNER


def write_case(session, n: int, group, members, assignment):
    """Group ``n`` writes its case, rates it, and every member confirms the hand-in."""
    students = [a for a, role in members if role == "student"]
    partners = [a for a, role in members if role == PATIENT_PARTNER]
    texts = words.AS_LEON if n % 2 == 0 else words.AS_GRACE
    case = work_ops.start_case(session, students[0], group, assignment, words.PROMISES)
    for number, partner in enumerate(partners):
        work_ops.give_consent(session, partner, case, share_group=True, share_reviewers=True,
                              exemplar=False, quote=number == 0)
    for index, part in enumerate(template.SECTIONS):
        student_words, partner_words = texts[part.key]
        writer = students[index % len(students)]
        work_ops.save_section(session, writer, case, part.key, student_words, 0)
        partner = partners[index % 2]
        both = f"{student_words}\n\n{partner_words}"
        if index == 5 and n % 3 == 1:  # the partner told it and a student typed it in
            work_ops.save_section(session, students[0], case, part.key, both, 1,
                                  told_by_id=partner.id)
        else:
            work_ops.save_section(session, partner, case, part.key, both, 1)
        work_ops.mark_written(session, writer, case, part.key, True)
    if n % 2 == 1:
        _rate_own_case(session, students[1], case, n)
    for account, _role in members:
        hand_in.confirm(session, account, case, share_reviewers=True)
    return case


def _rate_own_case(session, actor, case, n: int) -> None:
    rubric_row = review_ops.latest_rubric(session, "educator")
    rubric = rubric_row.content()
    levels = [level.key for level in rubric.levels]
    # Groups tend to rate themselves a little higher than their reviewers do.
    chosen = {c.id: levels[min(len(levels) - 1, words.LEVELS[n][words.THEMES.index(c.theme)]
                               + 1)] for c in rubric.criteria}
    group_work.rate_own_case(session, actor, case, rubric_row, chosen)


def review_all(session, assignment, cases) -> None:
    """Allocate both lenses, then each reviewer rates and submits (the first case's two
    reviews point opposite ways on how the person comes across)."""
    review_ops.allocate(session, assignment, seed=2026)
    order = {hand_in.current_submission(session, case).id: n for n, case in enumerate(cases)}
    reviews = session.scalars(select(Review).where(Review.submission_id.in_(list(order)))
                              .order_by(Review.id)).all()
    for review in reviews:
        n = order[review.submission_id]
        rubric = review.rubric_version.content()
        levels = [level.key for level in rubric.levels]
        ratings = {}
        for j, criterion in enumerate(rubric.criteria):
            position = words.LEVELS[n][words.THEMES.index(criterion.theme)]
            if review.lens == "patient" and n == 0 and criterion.theme in words.DIFFER:
                position = words.DIFFER[criterion.theme] - j % 2
            elif review.lens == "patient":  # the other level of the same half of the scale
                position ^= (n + j) % 2
            ratings[criterion.id] = levels[max(0, position)]
        comments, answer = (words.EDUCATOR_SAYS if review.lens == "educator"
                            else words.PATIENT_SAYS)[n]
        review_ops.save(session, review, ratings=ratings, comments=comments, answer=answer,
                        show_name=review.lens == "educator", base_version=review.version,
                        submit=True, withheld=set())


def release_and_respond(session, assignment, cases, groups) -> None:
    """Feedback is released; the second group answers what it will change."""
    review_ops.release(session, assignment)
    students = [a for a, role in groups[1][1] if role == "student"]
    group_work.respond(session, students[0], cases[1], words.RESPONSE,
                       words.REVISED_REFLECTION)


def learning(session, assignment, groups) -> None:
    """Students read the lessons and try the knowledge checks (most right at the first try,
    some at the second); most say how their confidence changed."""
    row = assignment.module_version
    module = row.content()
    confidence = session.scalar(select(SurveyVersionRow).where(
        SurveyVersionRow.slug == "confidence").order_by(
        SurveyVersionRow.major.desc(), SurveyVersionRow.minor.desc(),
        SurveyVersionRow.patch.desc()).limit(1))
    students = [a for _g, members in groups for a, role in members if role == "student"]
    for s, student in enumerate(students):
        for lesson in module.lessons[:2 + s % 2]:
            learn_ops.mark_read(session, student, row, lesson.id)
        for i, item in enumerate(module.checks):
            right = next(k for k, option in enumerate(item.options) if option.correct)
            if (s + 2 * i) % 5 == 0:  # wrong at first, then right
                learn_ops.answer(session, student, row, item.id, (right + 1) % len(item.options))
            learn_ops.answer(session, student, row, item.id, right)
        if confidence is not None and s % 7 != 6:
            pairs = {}
            for j, item in enumerate(confidence.content().items):
                then = 1 + j % 3 + s % 3
                pairs[item.id] = (str(then), str(min(10, then + 2 + (s + j) % 3)))
            group_work.answer_confidence(session, student, assignment, confidence, pairs)
