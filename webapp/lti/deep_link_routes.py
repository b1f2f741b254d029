"""The pages an instructor chooses on after "add Coproduce" in their course. The platform
frames them, where Coproduce's sign-in cookie is not sent: the single-use token in the address
stands for the instructor (and for the form token), and only the platform may frame them."""

from __future__ import annotations

from flask import abort, render_template, request

from webapp.extensions import csrf, db
from webapp.lti import bp, deep_linking
from webapp.security import framed_by
from webapp.web import attempt


@bp.route("/lti/deep-link/<token>", methods=["GET", "POST"])
@csrf.exempt
def deep_link(token: str):
    row = deep_linking.find(db.session, token)
    if row is None:
        abort(404)
    back = row.settings.get("deep_link_return_url", "")
    posts_to = deep_linking.origin_of(back)
    framed_by(deep_linking.frame_origins(row.platform), [posts_to] if posts_to else [])
    problem = ""
    if request.method == "POST":
        form = request.form.to_dict()
        if form.get("action") == "link":
            outcome = attempt(deep_linking.link_course, row, form.get("cohort_id") or "")
        else:
            outcome = attempt(lambda s: deep_linking.answer(
                s, row, deep_linking.choose(s, row, form)))
            if not outcome.refusal:
                return render_template("lti/deep_link_return.html", back=back,
                                       jwt=outcome.result)
        problem = outcome.message if outcome.refusal else ""
        row = deep_linking.find(db.session, token)
        if row is None:
            abort(404)
    return render_template("lti/deep_link.html", row=row, token=token, problem=problem,
                           typed=request.form if problem else {},
                           **deep_linking.choices(db.session, row)), 400 if problem else 200
