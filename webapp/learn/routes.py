"""Module catalogue, reader, case brief, knowledge checks and guides: HTTP only."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from curriculum import template
from webapp import authz
from webapp.extensions import db
from webapp.learn import bp, operations, queries
from webapp.learn.forms import AnswerForm, MarkReadForm
from webapp.log import queries as log_queries
from webapp.rendering import render_markdown
from webapp.reports.log import summaries_for
from webapp.web import attempt


def _refs(module) -> dict[str, str]:
    return {r.key: r.short for r in module.references}


@bp.route("/modules")
def catalogue():
    entries = queries.catalogue(db.session)
    return render_template("learn/catalogue.html", entries=entries,
                           contents={e.slug: e.latest.content() for e in entries})


@bp.route("/modules/<slug>/<version>")
def module(slug: str, version: str):
    row = queries.module_row(db.session, slug, version)
    content = row.content()
    read = queries.lessons_read(db.session, current_user.id, row.id)
    next_lesson = next((lesson for lesson in content.lessons if lesson.id not in read), None)
    gone = queries.replaced(queries.module_versions(db.session, slug)).get((slug, version))
    return render_template("learn/module.html", row=row, module=content, read=read,
                           next_lesson=next_lesson, refs=_refs(content), replaced=gone,
                           render=render_markdown, said=summaries_for(db.session, current_user,
                                                                      row),
                           tried=log_queries.pinned_for(db.session, current_user.id, slug))


@bp.route("/modules/<slug>/<version>/lessons/<lesson_id>", methods=["GET", "POST"])
def lesson(slug: str, version: str, lesson_id: str):
    row = queries.module_row(db.session, slug, version)
    content = row.content()
    ids = [lesson.id for lesson in content.lessons]
    if lesson_id not in ids:
        abort(404)
    index = ids.index(lesson_id)
    form = MarkReadForm()
    if form.validate_on_submit():
        operations.mark_read(db.session, current_user, row, lesson_id)
        db.session.commit()
        if index + 1 < len(ids):
            return redirect(url_for("learn.lesson", slug=slug, version=version,
                                    lesson_id=ids[index + 1]))
        flash(_("You have read every lesson. Try the knowledge checks next."), "info")
        return redirect(url_for("learn.module", slug=slug, version=version))
    read = queries.lessons_read(db.session, current_user.id, row.id)
    return render_template(
        "learn/lesson.html", row=row, module=content, lesson=content.lessons[index],
        body=render_markdown(content.lessons[index].body, _refs(content)), form=form,
        previous=content.lessons[index - 1] if index > 0 else None,
        following=content.lessons[index + 1] if index + 1 < len(ids) else None,
        position=index + 1, read=read)


@bp.route("/modules/<slug>/<version>/case")
def case(slug: str, version: str):
    row = queries.module_row(db.session, slug, version)
    content = row.content()
    prompts = {s.key: s.prompt for s in content.case.sections}
    return render_template("learn/case.html", row=row, module=content, case=content.case,
                           sections=template.SECTIONS, prompts=prompts, linked=template.linked,
                           numbers={s.key: s.number for s in template.SECTIONS})


@bp.route("/modules/<slug>/<version>/checks", methods=["GET"])
def checks(slug: str, version: str):
    return _checks_page(slug, version)


@bp.route("/modules/<slug>/<version>/checks/<item_id>", methods=["POST"])
def answer(slug: str, version: str, item_id: str):
    row = queries.module_row(db.session, slug, version)
    if item_id not in {item.id for item in row.content().checks}:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _checks_page(slug, version, problem=(item_id, form.option.errors), status=400)
    answered = attempt(operations.answer, current_user, row, item_id, form.option.data)
    if answered.refusal:
        return _checks_page(slug, version, problem=(item_id, [_("Choose one of the answers.")]),
                            status=400)
    item, correct = answered.result
    return _checks_page(slug, version, result=(item_id, form.option.data, correct))


def _checks_page(slug, version, result=None, problem=None, status=200):
    row = queries.module_row(db.session, slug, version)
    content = row.content()
    history = queries.check_history(db.session, current_user.id, row.id)
    objectives = {o.id: o.text for o in content.objectives}
    return render_template("learn/checks.html", row=row, module=content, history=history,
                           objectives=objectives, result=result, problem=problem,
                           form=AnswerForm(formdata=None), refs=_refs(content),
                           render=render_markdown), status


@bp.route("/guides")
def guides():
    rows = [r for r in queries.latest_guides(db.session)
            if authz.can("read", r)]
    return render_template("learn/guides.html", rows=rows)


@bp.route("/guides/<slug>/<version>/<page_id>")
def guide_page(slug: str, version: str, page_id: str):
    row = authz.target()
    guide = row.content()
    ids = [p.id for p in guide.pages]
    if page_id not in ids:
        abort(404)
    index = ids.index(page_id)
    refs = {r.key: r.short for r in guide.references}
    return render_template(
        "learn/guide_page.html", row=row, guide=guide, page=guide.pages[index],
        body=render_markdown(guide.pages[index].body, refs),
        previous=guide.pages[index - 1] if index else None,
        following=guide.pages[index + 1] if index + 1 < len(ids) else None)


@bp.app_template_filter("first_voice")
def first_voice(key: str) -> str:
    return {"each": _("each of you, as yourselves"), "patient": _("the patient partner"),
            "professional": _("the students"), "both": _("anyone: both voices")}.get(key, key)


