"""Report tables built from published figures: the same tables feed the web page, the CSV and
the PDF, so every view shows exactly what ``curriculum.aggregate`` allowed and nothing else.

A table is either shown whole or replaced by the reason it is hidden; there is no half-table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from flask_babel import gettext as _

from curriculum import aggregate
from curriculum.aggregate import Shown
from webapp.reports.figures import Figures
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

#: Diverging colours for ordered levels, lowest first (readable in greyscale too).
PALETTE = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac", "#053061")
#: The respondents counted per cohort; co-teachers' numbers show with their own table only.
LEARNERS = ("student", "patient")


def respondent_label(kind: str) -> str:
    """Who a figure is about, in the reader's language: "students", "patient partners"…"""
    return {"student": _("students"), "patient": _("patient partners"),
            "coteacher": _("patient co-teachers")}[kind]


def lens_label(lens: str) -> str:
    return {"educator": _("educator lens"), "patient": _("patient lens")}[lens]


@dataclass
class Table:
    anchor: str
    title: str
    #: who the figures are about, e.g. "students, 3 cohorts pooled, 41 people"
    about: str
    columns: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)
    #: why the whole table is hidden ("" when shown)
    hidden_because: str = ""
    #: draw the rows as stacked bars (a distribution over the columns)
    bars: bool = False
    note: str = ""

    def segments(self, width: int = 420) -> list[list[tuple[str, str, str, str]]]:
        """Per row, the stacked bar's pieces as (x, width, colour, title), for the SVG."""
        last = max(len(self.columns) - 1, 1)
        out = []
        for label, values in self.rows:
            total, x, pieces = sum(values), 0.0, []
            for i, value in enumerate(values):
                if total and value:
                    w = width * value / total
                    pieces.append((f"{x:.1f}", f"{w:.1f}",
                                   PALETTE[i * (len(PALETTE) - 1) // last],
                                   f"{label}: {self.columns[i]} {value}"))
                    x += w
            out.append(pieces)
        return out

    def legend(self, width: int = 420) -> list[tuple[int, str, str]]:
        last = max(len(self.columns) - 1, 1)
        return [(i * width // len(self.columns), PALETTE[i * (len(PALETTE) - 1) // last],
                 column) for i, column in enumerate(self.columns)]


def why_hidden(reason: str) -> str:
    """A hidden figure's label: the same words for every cell hidden to protect people,
    whichever rule hid it (``aggregate.HIDDEN``), so the label tells a reader nothing."""
    if reason == aggregate.HIDDEN:
        return _("hidden to protect small groups")
    return reason


def _scope(figures: Figures, table, mv: int, cohort: int | None, kind: str) -> Shown:
    """The published figure for a module version, pooled (cohort None) or for one cohort."""
    if cohort is None:
        found = table.pooled.get((str(mv), kind))
    else:
        found = table.cells.get((str(mv), str(cohort), kind))
    return found or Shown((), None, None, _("nobody has answered yet"))


def _who(kind_label: str, shown: Shown, cohort: int | None) -> str:
    where = _("all cohorts pooled") if cohort is None else _("this cohort")
    if not shown.shown:
        return f"{kind_label}, {where}"
    return f"{kind_label}, {where}, n = {shown.n}"


def survey_tables(figures: Figures, survey, mv: int, cohort: int | None) -> list[Table]:
    tables = []
    for kind, role in (("student", "student"), ("patient", PATIENT_PARTNER),
                       ("coteacher", PATIENT_COTEACHER)):
        items = [i for i in survey.items if i.kind == "rating" and i.respondent == role]
        shown = _scope(figures, figures.survey, mv, cohort, kind)
        table = Table(f"survey-{kind}-{mv}", _("Module feedback from %(who)s",
                                                who=respondent_label(kind)),
                      _who(respondent_label(kind), shown, cohort), list(survey.scale),
                      hidden_because=why_hidden(shown.hidden_because), bars=True)
        if shown.shown:
            for item in items:
                counts = shown.answers.get(item.id, {})
                table.rows.append((item.text, [counts.get(str(i), 0)
                                               for i in range(len(survey.scale))]))
        tables.append(table)
    return tables


def confidence_table(figures: Figures, survey, mv: int, cohort: int | None) -> Table:
    shown = _scope(figures, figures.confidence, mv, cohort, "student")
    table = Table(f"confidence-{mv}", _("Confidence, then and now (students, 0–10)"),
                  _who(respondent_label("student"), shown, cohort),
                  [_("answered"), _("mean then"), _("mean now"), _("change")],
                  hidden_because=why_hidden(shown.hidden_because),
                  note=_("How students see themselves, asked once after the module; not an "
                         "outcome measure."))
    if shown.shown and survey is not None:
        for item in survey.items:
            sums = shown.answers.get(item.id, {})
            answered = sums.get("answered", 0)
            if not answered:
                table.rows.append((item.text, [0, "–", "–", "–"]))
                continue
            then, now_ = sums["then"] / answered, sums["now"] / answered
            table.rows.append((item.text, [answered, f"{then:.1f}", f"{now_:.1f}",
                                           f"{now_ - then:+.1f}"]))
    return table


def checks_table(figures: Figures, mv: int, cohort: int | None) -> Table:
    shown = _scope(figures, figures.checks, mv, cohort, "student")
    table = Table(f"checks-{mv}", _("Knowledge checks: right at the first try, per objective"),
                  _who(respondent_label("student"), shown, cohort),
                  [_("first tries"), _("right first time"), _("share")],
                  hidden_because=why_hidden(shown.hidden_because))
    row = figures.versions.get(mv)
    if shown.shown and row is not None:
        module = row.content()
        for objective in module.objectives:
            items = [c.id for c in module.checks if c.objective == objective.id]
            right = sum(shown.answers.get(i, {}).get("right", 0) for i in items)
            tries = right + sum(shown.answers.get(i, {}).get("wrong", 0) for i in items)
            share = f"{100 * right / tries:.0f}%" if tries else "–"
            table.rows.append((objective.text, [tries, right, share]))
    return table


def log_table(figures: Figures, mv: int, cohort: int | None) -> Table:
    """The learning log, counted: people who recorded, came back to and shared entries about
    the module, per respondent type (a cohort's co-teachers count with its patient partners),
    and plans carried out. Shown per respondent type only
    where its pool (or cohort) meets the small-cell rules; never per person, never words."""
    table = Table(f"log-{mv}", _("Learning log: recording, coming back, sharing"),
                  _("people who wrote entries about the module"),
                  [_("people who recorded"), _("came back to an entry"), _("shared an entry"),
                   _("“What happened?” after a plan")],
                  note=_("Counts of people, never of anyone's entries; the log is never "
                         "assessed and nobody's words are shown here."))
    hidden = []
    for kind in LEARNERS:
        shown = _scope(figures, figures.log, mv, cohort, kind) if figures.log else None
        label = _("students") if kind == "student" else _("patient partners and co-teachers")
        if shown is None or not shown.shown:
            hidden.append(f"{label}: {why_hidden(shown.hidden_because if shown else '')}")
            continue
        counts = shown.answers.get("log", {})
        table.rows.append((label, [shown.n, counts.get("revisited", 0),
                                   counts.get("shared", 0), counts.get("carried_out", 0)]))
    if not table.rows:
        table.hidden_because = "; ".join(hidden)
    elif hidden:
        table.note = f"{table.note} {'; '.join(hidden)}"
    return table


def rubric_tables(figures: Figures, mv: int, cohort: int | None) -> list[Table]:
    tables = []
    for lens in ("educator", "patient"):
        shown = _scope(figures, figures.rubric, mv, cohort, lens)
        used = sorted({key.split("/")[0] for key in (shown.answers or {})}, key=int)
        if not shown.shown or not used:
            tables.append(Table(f"rubric-{lens}-{mv}", _("Rubric levels, %(lens)s",
                                                         lens=lens_label(lens)),
                                _who(_("reviews"), shown, cohort), [],
                                hidden_because=why_hidden(shown.hidden_because)
                                or _("no reviews yet")))
            continue
        for rubric_id in used:
            rubric = figures.rubrics[int(rubric_id)].content()
            table = Table(f"rubric-{lens}-{mv}-{rubric_id}",
                          _("Rubric levels, %(lens)s (%(rubric)s %(version)s)",
                            lens=lens_label(lens), rubric=rubric.title,
                            version=rubric.version),
                          _who(_("reviews"), shown, cohort), [lv.label for lv in rubric.levels],
                          bars=True, note=_("Counts of reviews per level; levels are words, "
                                            "never added up. Never shown per reviewer."))
            for criterion in rubric.criteria:
                counts = shown.answers.get(f"{rubric_id}/{criterion.id}", {})
                table.rows.append((criterion.title, [counts.get(lv.key, 0)
                                                     for lv in rubric.levels]))
            tables.append(table)
    return tables


def differ_table(figures: Figures, mv: int, cohorts: list[tuple[int, str]],
                 cohort: int | None) -> Table:
    """Submissions whose two reviews point in opposite directions on some theme; shown only
    where the patient-lens figures are."""
    table = Table(f"differ-{mv}", _("Perspectives differ"), _("submissions reviewed in both "
                                                            "lenses"),
                  [_("submissions where the lenses differ")])
    scope = [(cid, name) for cid, name in cohorts if cohort in (None, cid)]
    for cid, name in scope:
        shown = figures.rubric.cells.get((str(mv), str(cid), "patient"))
        if shown is None:
            value = _("no patient-lens reviews yet")
        elif shown.shown:
            value = figures.differ.get((mv, cid), 0)
        else:
            value = why_hidden(shown.hidden_because)
        table.rows.append((name, [value]))
    if cohort is None:
        pooled = _scope(figures, figures.rubric, mv, None, "patient")
        total = sum(figures.differ.get((mv, cid), 0) for cid, _name in scope)
        table.rows.append((_("All cohorts pooled"), [
            total if pooled.shown else why_hidden(pooled.hidden_because)]))
    return table


def respondents_table(figures: Figures, mv: int, cohorts: list[tuple[int, str]]) -> Table:
    """How many answered in each cohort, each cell shown or hidden by the same decision."""
    table = Table(f"respondents-{mv}", _("Who answered the module feedback, per cohort"),
                  _("respondents"), [respondent_label(kind) for kind in LEARNERS])
    for cid, name in cohorts:
        values = []
        for kind in LEARNERS:
            shown = figures.survey.cells.get((str(mv), str(cid), kind))
            if shown is None:
                values.append(0)
            else:
                values.append(shown.n if shown.shown else
                              why_hidden(shown.hidden_because))
        table.rows.append((name, values))
    pooled = [_scope(figures, figures.survey, mv, None, kind) for kind in LEARNERS]
    table.rows.append((_("All cohorts pooled"), [
        p.n if p.shown else why_hidden(p.hidden_because) for p in pooled]))
    return table


@dataclass
class RunChart:
    title: str
    #: (label, version, value or None when hidden, why hidden)
    points: list[tuple[str, str, float | None, str]]
    median: float | None


def agreement(shown: Shown, survey, role: str) -> float | None:
    """Share of rating answers at the top two points of the scale (agree, strongly agree)."""
    if not shown.shown:
        return None
    top = {str(len(survey.scale) - 1), str(len(survey.scale) - 2)}
    ids = [i.id for i in survey.items if i.kind == "rating" and i.respondent == role]
    total = sum(sum(shown.answers.get(i, {}).values()) for i in ids)
    agree = sum(n for i in ids for value, n in shown.answers.get(i, {}).items() if value in top)
    return round(100 * agree / total, 1) if total else None


def run_chart(figures: Figures, survey, slug: str) -> RunChart:
    """Students' agreement per cohort, in the order the cohorts took the module, across its
    versions; hidden cells are gaps that say why (Perla, Provost & Murray 2011)."""
    points = []
    for taken in figures.taken:
        row = figures.versions.get(taken.module_version_id)
        if row is None or row.slug != slug:
            continue
        shown = _scope(figures, figures.survey, taken.module_version_id, taken.cohort_id,
                       "student")
        value = agreement(shown, survey, "student") if survey else None
        why = why_hidden(shown.hidden_because) or (
            "" if value is not None else _("no rating answers"))
        points.append((taken.cohort, row.version, value, why))
    values = [p[2] for p in points if p[2] is not None]
    return RunChart(_("Students who agree or strongly agree, per cohort (%)"), points,
                    round(median(values), 1) if values else None)


def versions_table(figures: Figures, survey, slug: str) -> Table:
    """Each version of the module that a cohort of the programme took, pooled across them,
    side by side: respondents and the share who agree, per respondent type (hidden pools
    say why)."""
    table = Table(f"versions-{slug}", _("Versions side by side"),
                  _("all cohorts pooled, per version"),
                  [_("students"), _("students who agree (%)"), _("patient partners"),
                   _("patient partners who agree (%)")],
                  note=_("Cohorts differ in more than the version they took; read this with "
                         "the run chart, not as proof that a change worked."))
    taken = {t.module_version_id for t in figures.taken}  # a version no cohort took: no row
    rows = sorted((row for row in figures.versions.values()
                   if row.slug == slug and row.id in taken),
                  key=lambda row: (row.major, row.minor, row.patch))
    for row in rows:
        values = []
        for kind, role in (("student", "student"), ("patient", PATIENT_PARTNER)):
            shown = _scope(figures, figures.survey, row.id, None, kind)
            if shown.shown:
                share = agreement(shown, survey, role) if survey else None
                values += [shown.n, "–" if share is None else share]
            else:
                hidden = why_hidden(shown.hidden_because)
                values += [hidden, hidden]
        table.rows.append((_("version %(v)s", v=row.version), values))
    return table
