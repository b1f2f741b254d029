"""Practice before reviewing: rate a rubric version's exemplars and compare with the agreed
ratings. Nothing is stored; it is for the reviewer alone."""

from flask import abort, render_template, request

from curriculum import scoring, template
from webapp.extensions import db
from webapp.review import bp, operations


@bp.route("/reviews/practice/<lens>", methods=["GET", "POST"])
def practice(lens: str):
    if lens not in operations.RUBRIC_OF:
        abort(404)
    row = operations.latest_rubric(db.session, lens)
    if row is None:
        abort(404)
    rubric = row.content()
    index = request.values.get("exemplar", "0")
    index = int(index) if index.isdigit() and int(index) < len(rubric.exemplars) else 0
    exemplar = rubric.exemplars[index]
    mine = comparison = None
    if request.method == "POST":
        mine = {c.id: request.form.get(f"rating-{c.id}", "") for c in rubric.criteria}
        comparison = scoring.compare_with_agreed(rubric, exemplar, mine)
    return render_template("review/practice.html", lens=lens, rubric=rubric,
                           exemplar=exemplar, index=index, parts=template.SECTIONS,
                           mine=mine or {}, comparison=comparison)
