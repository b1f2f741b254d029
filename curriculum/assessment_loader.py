"""Loading and checking rubrics and surveys (``assessments/<kind>/<id>/<version>.toml``)."""

from __future__ import annotations

from pathlib import Path

from curriculum import template, text_rules
from curriculum.model import (
    THEMES,
    Criterion,
    Exemplar,
    ExemplarRating,
    Level,
    Rubric,
    Survey,
    SurveyItem,
)
from curriculum.source import SLUG, Report, Source, check_id, fields, fits_columns
from curriculum.versions import content_hash, parse_version

RUBRIC = {"id": (str, True), "version": (str, True), "title": (str, True), "lens": (str, True),
          "intro": (str, True), "levels": (list, True), "criteria": (list, True),
          "exemplars": (list, True), "open_question": (str, False),
          "plain_language_checked": (str, False)}
LEVEL = {"key": (str, True), "label": (str, True)}
CRITERION = {"id": (str, True), "title": (str, True), "theme": (str, True),
             "sections": (list, True), "descriptors": (dict, True), "guidance": (str, False)}
EXEMPLAR = {"id": (str, True), "title": (str, True), "case": (dict, True),
            "ratings": (list, True)}
RATING = {"criterion": (str, True), "level": (str, True), "comment": (str, True)}
SURVEY = {"id": (str, True), "version": (str, True), "title": (str, True), "intro": (str, True),
          "scale": (list, True), "items": (list, True)}
ITEM = {"id": (str, True), "text": (str, True), "theme": (str, True),
        "respondent": (str, True), "kind": (str, True)}
LENSES = ("educator", "patient")
RESPONDENTS = ("student", "patient_partner", "all")
KINDS = ("rating", "text", "then_now")


def load_assessments(root: Path, report: Report) -> tuple[list[Rubric], list[Survey]]:
    rubrics, surveys = [], []
    base = root / "assessments"
    for kind, loader, out in (("rubrics", _load_rubric, rubrics),
                              ("surveys", _load_survey, surveys)):
        folder = base / kind
        if not folder.is_dir():
            continue
        for item_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            for file in sorted(item_dir.glob("*.toml")):
                loaded = loader(root, file, report)
                if loaded:
                    out.append(loaded)
    return rubrics, surveys


def _identity(src: Source, data: dict, file: Path) -> bool:
    if not fits_columns(src, data, file.name):
        return False
    if not SLUG.match(data["id"]) or data["id"] != file.parent.name:
        src.error(src.key_line("id"), f"id {data['id']!r} does not match its folder "
                  f"{file.parent.name!r}", f"set id = \"{file.parent.name}\"")
        return False
    if parse_version(data["version"]) is None or data["version"] != file.stem:
        src.error(src.key_line("version"), f"version {data['version']!r} is not a version "
                  f"matching the file name {file.name!r}",
                  f'name the file <version>.toml and set version = "{file.stem}"')
        return False
    return True


def _theme(src: Source, value: str, line: int) -> bool:
    if value not in THEMES:
        src.error(src.key_line("theme", line), f"theme {value!r} is not known",
                  "use one of: " + ", ".join(THEMES))
        return False
    return True


def _load_rubric(root: Path, file: Path, report: Report) -> Rubric | None:
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, RUBRIC, 1, "a rubric") is None:
        return None
    if not _identity(src, data, file):
        return None
    ok = True
    if data["lens"] not in LENSES:
        src.error(src.key_line("lens"), f"lens {data['lens']!r} is not known",
                  'use "educator" or "patient"')
        ok = False
    levels, seen = [], set()
    for index, entry in enumerate(data["levels"]):
        line = src.header_line("levels", index)
        lev = fields(src, entry, LEVEL, line, "a level")
        if lev and check_id(src, lev["key"], line, "level key", seen):
            levels.append(Level(lev["key"], lev["label"]))
        else:
            ok = False
    if len(levels) < 2:
        src.error(src.key_line("levels"), "a rubric needs at least two levels",
                  "list [[levels]] from lowest to highest")
        ok = False
    level_keys = [lv.key for lv in levels]
    criteria, seen = [], set()
    report.declared_criteria |= {f"{data['id']}/{entry['id']}" for entry in data["criteria"]
                                 if isinstance(entry, dict) and isinstance(entry.get("id"), str)}
    for index, entry in enumerate(data["criteria"]):
        line = src.header_line("criteria", index)
        crit = fields(src, entry, CRITERION, line, "a criterion")
        if crit is None or not check_id(src, crit["id"], line, "criterion id", seen):
            ok = False
            continue
        ok &= _theme(src, crit["theme"], line)
        for key in crit["sections"]:
            if key not in template.KEYS:
                src.error(src.key_line("sections", line), f"template section {key!r} is unknown",
                          "use any of: " + ", ".join(template.KEYS))
                ok = False
        desc_line = src.table_line("criteria.descriptors", line)
        missing = [k for k in level_keys if not str(crit["descriptors"].get(k, "")).strip()]
        extra = [k for k in crit["descriptors"] if k not in level_keys]
        if missing:
            src.error(desc_line, f"criterion {crit['id']!r} has no descriptor for "
                      + ", ".join(missing), "write what each level looks like, as a next step")
            ok = False
        if extra:
            src.error(desc_line, f"criterion {crit['id']!r} describes unknown level(s) "
                      + ", ".join(extra), "use the level keys: " + ", ".join(level_keys))
            ok = False
        criteria.append(Criterion(crit["id"], crit["title"], crit["theme"],
                                  tuple(crit["sections"]),
                                  {k: str(crit["descriptors"].get(k, "")).strip()
                                   for k in level_keys}, crit.get("guidance", "").strip()))
    exemplars = _exemplars(src, data["exemplars"], {c.id for c in criteria}, set(level_keys))
    if exemplars is None:
        ok = False
    elif not exemplars:
        src.error(src.key_line("exemplars"), "a rubric version needs at least one exemplar",
                  "add an [[exemplars]] case with agreed ratings for reviewers to practise on")
        ok = False
    if data["lens"] == "patient" and "plain_language_checked" not in data:
        text = data["intro"] + "\n" + "\n".join(
            d for c in criteria for d in c.descriptors.values())
        grade = text_rules.too_hard_to_read(text)
        if grade:
            src.warning(src.key_line("intro"), f"patient-lens wording reads at grade {grade:.1f}",
                        'simplify it, or add plain_language_checked = "who checked, when"')
    if not ok:
        return None
    return Rubric(data["id"], data["version"], data["title"], data["lens"],
                  data["intro"].strip(), tuple(levels), tuple(criteria), tuple(exemplars),
                  data.get("open_question", "").strip(), content_hash(file))


def _exemplars(src: Source, entries: list, criteria: set[str],
               levels: set[str]) -> list[Exemplar] | None:
    out, seen, ok = [], set(), True
    for index, entry in enumerate(entries):
        line = src.header_line("exemplars", index)
        ex = fields(src, entry, EXEMPLAR, line, "an exemplar")
        if ex is None or not check_id(src, ex["id"], line, "exemplar id", seen):
            ok = False
            continue
        unknown = [k for k in ex["case"] if k not in template.KEYS]
        if unknown:
            src.error(src.table_line("exemplars.case", line),
                      "exemplar case has unknown sections: " + ", ".join(unknown),
                      "use the template keys: " + ", ".join(template.KEYS))
            ok = False
        ratings = []
        for r_index, raw in enumerate(ex["ratings"]):
            r_line = src.header_line("exemplars.ratings", r_index, line)
            rating = fields(src, raw, RATING, r_line, "an exemplar rating")
            if rating is None:
                ok = False
                continue
            if rating["criterion"] not in criteria or rating["level"] not in levels:
                src.error(r_line, f"rating of {rating['criterion']!r} at {rating['level']!r} "
                          "names an unknown criterion or level", "use ids from this rubric")
                ok = False
            ratings.append(ExemplarRating(rating["criterion"], rating["level"],
                                          rating["comment"].strip()))
        if {r.criterion for r in ratings} != criteria:
            src.error(line, f"exemplar {ex['id']!r} must rate every criterion once",
                      "add one [[exemplars.ratings]] per criterion")
            ok = False
        out.append(Exemplar(ex["id"], ex["title"], {k: str(v).strip() for k, v in
                                                    ex["case"].items()}, tuple(ratings)))
    return out if ok else None


def _load_survey(root: Path, file: Path, report: Report) -> Survey | None:
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, SURVEY, 1, "a survey") is None:
        return None
    if not _identity(src, data, file):
        return None
    ok = True
    items, seen = [], set()
    for index, entry in enumerate(data["items"]):
        line = src.header_line("items", index)
        item = fields(src, entry, ITEM, line, "a survey item")
        if item is None or not check_id(src, item["id"], line, "item id", seen):
            ok = False
            continue
        ok &= _theme(src, item["theme"], line)
        for key, allowed in (("respondent", RESPONDENTS), ("kind", KINDS)):
            if item[key] not in allowed:
                src.error(src.key_line(key, line), f"{key} {item[key]!r} is not known",
                          "use one of: " + ", ".join(allowed))
                ok = False
        items.append(SurveyItem(item["id"], item["text"].strip(), item["theme"],
                                item["respondent"], item["kind"]))
    if not ok:
        return None
    return Survey(data["id"], data["version"], data["title"], data["intro"].strip(),
                  tuple(str(s) for s in data["scale"]), tuple(items), content_hash(file))
