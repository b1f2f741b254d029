"""Loading and checking rubrics and surveys (``assessments/<kind>/<id>/<version>.toml``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from curriculum import template, text_rules, translation_loader
from curriculum.model import (
    EXEMPLAR_AGREEMENT,
    THEMES,
    Agreement,
    Criterion,
    Exemplar,
    ExemplarRating,
    Level,
    Rubric,
    Survey,
    SurveyItem,
)
from curriculum.scoring import NOT_ASSESSED_KEY
from curriculum.source import SLUG, Report, Source, check_id, fields, fits_columns
from curriculum.versions import content_hash, parse_version
from curriculum.words import _

RUBRIC = {"id": (str, True), "version": (str, True), "title": (str, True), "lens": (str, True),
          "intro": (str, True), "levels": (list, True), "criteria": (list, True),
          "exemplars": (list, True), "open_question": (str, False),
          "plain_language_checked": (str, False), "language": (str, False)}
LEVEL = {"key": (str, True), "label": (str, True)}
CRITERION = {"id": (str, True), "title": (str, True), "theme": (str, True),
             "sections": (list, True), "descriptors": (dict, True), "guidance": (str, False)}
EXEMPLAR = {"id": (str, True), "title": (str, True), "case": (dict, True),
            "ratings": (list, True), "agreed": (list, False)}
RATING = {"criterion": (str, True), "level": (str, True), "comment": (str, True),
          "meets": (str, False)}
AGREED = {"role": (str, True), "name": (str, True), "date": ((str, date), True)}
#: Where a descriptor turns from what the level looks like to the next step (in English
#: and in Swedish).
NEXT_STEP = re.compile(r"\b(?:To reach\b|Next:|Keep\b|För att nå\b|Nästa steg:|Fortsätt\b)")
#: The fewest words a ``meets`` phrase may have (shorter ones match by accident).
MEETS_WORDS = 3
SURVEY = {"id": (str, True), "version": (str, True), "title": (str, True), "intro": (str, True),
          "scale": (list, True), "items": (list, True), "language": (str, False)}
ITEM = {"id": (str, True), "text": (str, True), "theme": (str, True),
        "respondent": (str, True), "kind": (str, True)}
LENSES = ("educator", "patient")
RESPONDENTS = ("student", "patient_partner", "patient_coteacher", "all")
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
            files, translations = translation_loader.split(root, item_dir, report)
            for file in files:
                loaded = loader(root, file, report, newest=file == files[-1])
                if loaded:
                    out.append(loaded)
            translation_loader.attach(root, loader, translations, out, report)
    return rubrics, surveys


def _identity(src: Source, data: dict, file: Path, language: str = "en") -> bool:
    """The id matches the folder, the version the file name, and the language (``language``
    key, English when left out) the ``.<language>`` of a translation's file name."""
    if not fits_columns(src, data, file.name):
        return False
    stem = file.stem if language == "en" else file.stem.rpartition(".")[0]
    if data.get("language", "en") != language:
        src.error(src.key_line("language") if "language" in data else 1,
                  _("the file '%(file)s' is the '%(language)s' text but says language = "
                    "'%(said)s'", file=file.name, language=language,
                    said=data.get("language", "en")),
                  _('set language = "%(language)s"', language=language))
        return False
    if not SLUG.match(data["id"]) or data["id"] != file.parent.name:
        src.error(src.key_line("id"),
                  _("id '%(id)s' does not match its folder '%(folder)s'", id=data["id"],
                    folder=file.parent.name),
                  _('set id = "%(folder)s"', folder=file.parent.name))
        return False
    if parse_version(data["version"]) is None or data["version"] != stem:
        src.error(src.key_line("version"),
                  _("version '%(version)s' is not a version matching the file name "
                    "'%(file)s'", version=data["version"], file=file.name),
                  _('name the file <version>.toml and set version = "%(version)s"',
                    version=stem))
        return False
    return True


def _theme(src: Source, value: str, line: int) -> bool:
    if value not in THEMES:
        src.error(src.key_line("theme", line), _("theme '%(theme)s' is not known", theme=value),
                  _("use one of: %(choices)s", choices=", ".join(THEMES)))
        return False
    return True


def _load_rubric(root: Path, file: Path, report: Report, newest: bool = True,
                 language: str = "en") -> Rubric | None:
    """One rubric version. Only the ``newest`` version of a rubric (the one reviewers practise
    on) must cite a descriptor phrase for each exemplar rating; earlier ones are history."""
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, RUBRIC, 1, _("a rubric")) is None:
        return None
    if not _identity(src, data, file, language):
        return None
    ok = True
    if data["lens"] not in LENSES:
        src.error(src.key_line("lens"), _("lens '%(lens)s' is not known", lens=data["lens"]),
                  _('use "educator" or "patient"'))
        ok = False
    levels, seen = [], set()
    for index, entry in enumerate(data["levels"]):
        line = src.header_line("levels", index)
        lev = fields(src, entry, LEVEL, line, _("a level"))
        if lev and lev["key"] == NOT_ASSESSED_KEY:
            src.error(src.key_line("key", line),
                      _("'%(key)s' is kept for a criterion a reviewer leaves unassessed",
                        key=NOT_ASSESSED_KEY),
                      _("give the level another key"))
            ok = False
        elif lev and check_id(src, lev["key"], line, _("level key"), seen):
            levels.append(Level(lev["key"], lev["label"]))
        else:
            ok = False
    if len(levels) < 2:
        src.error(src.key_line("levels"), _("a rubric needs at least two levels"),
                  _("list [[levels]] from lowest to highest"))
        ok = False
    level_keys = [lv.key for lv in levels]
    criteria, seen = [], set()
    if language == "en":
        report.declared_criteria |= {f"{data['id']}/{entry['id']}" for entry in data["criteria"]
                                     if isinstance(entry, dict)
                                     and isinstance(entry.get("id"), str)}
    for index, entry in enumerate(data["criteria"]):
        line = src.header_line("criteria", index)
        crit = fields(src, entry, CRITERION, line, _("a criterion"))
        if crit is None or not check_id(src, crit["id"], line, _("criterion id"), seen):
            ok = False
            continue
        ok &= _theme(src, crit["theme"], line)
        for key in crit["sections"]:
            if key not in template.KEYS:
                src.error(src.key_line("sections", line),
                          _("template section '%(key)s' is unknown", key=key),
                          _("use any of: %(choices)s", choices=", ".join(template.KEYS)))
                ok = False
        desc_line = src.table_line("criteria.descriptors", line)
        missing = [k for k in level_keys if not str(crit["descriptors"].get(k, "")).strip()]
        extra = [k for k in crit["descriptors"] if k not in level_keys]
        if missing:
            src.error(desc_line, _("criterion '%(id)s' has no descriptor for %(levels)s",
                                  id=crit["id"], levels=", ".join(missing)),
                      _("write what each level looks like, as a next step"))
            ok = False
        if extra:
            src.error(desc_line, _("criterion '%(id)s' describes unknown level(s) %(levels)s",
                                  id=crit["id"], levels=", ".join(extra)),
                      _("use the level keys: %(keys)s", keys=", ".join(level_keys)))
            ok = False
        criteria.append(Criterion(crit["id"], crit["title"], crit["theme"],
                                  tuple(crit["sections"]),
                                  {k: str(crit["descriptors"].get(k, "")).strip()
                                   for k in level_keys}, crit.get("guidance", "").strip()))
    exemplars = _exemplars(src, data["exemplars"], {c.id: c for c in criteria},
                           set(level_keys), newest or language != "en")
    if exemplars is None:
        ok = False
    elif not exemplars:
        src.error(src.key_line("exemplars"), _("a rubric version needs at least one exemplar"),
                  _("add an [[exemplars]] case with agreed ratings for reviewers to practise "
                    "on"))
        ok = False
    if data["lens"] == "patient" and "plain_language_checked" not in data:
        _plain(src, data["intro"] + "\n" + "\n".join(
            d for c in criteria for d in c.descriptors.values()), language,
            _("patient-lens wording"))
    if not ok:
        return None
    return Rubric(data["id"], data["version"], data["title"], data["lens"],
                  data["intro"].strip(), tuple(levels), tuple(criteria), tuple(exemplars),
                  data.get("open_question", "").strip(), content_hash(file), language)


def _plain(src: Source, text: str, language: str, what: str) -> None:
    """Warn when patient-facing text is hard to read (English: reading grade; Swedish: LIX)."""
    if language == "en":
        grade = text_rules.too_hard_to_read(text)
        if grade:
            src.warning(src.key_line("intro"),
                        _("%(what)s reads at grade %(grade).1f", what=what, grade=grade),
                        _('simplify it, or add plain_language_checked = "who checked, when"'))
        return
    hard = text_rules.hard_to_read(text, language)
    if hard:
        src.warning(src.key_line("intro"),
                    _("%(what)s is hard to read (%(score)s)", what=what, score=hard),
                    _('shorter sentences and everyday words, or add plain_language_checked = '
                      '"who checked, when"'))


def _exemplars(src: Source, entries: list, criteria: dict[str, Criterion],
               levels: set[str], newest: bool) -> list[Exemplar] | None:
    out, seen, ok = [], set(), True
    for index, entry in enumerate(entries):
        line = src.header_line("exemplars", index)
        ex = fields(src, entry, EXEMPLAR, line, _("an exemplar"))
        if ex is None or not check_id(src, ex["id"], line, _("exemplar id"), seen):
            ok = False
            continue
        unknown = [k for k in ex["case"] if k not in template.KEYS]
        if unknown:
            src.error(src.table_line("exemplars.case", line),
                      _("exemplar case has unknown sections: %(keys)s",
                        keys=", ".join(unknown)),
                      _("use the template keys: %(keys)s", keys=", ".join(template.KEYS)))
            ok = False
        ratings = []
        for r_index, raw in enumerate(ex["ratings"]):
            r_line = src.header_line("exemplars.ratings", r_index, line)
            rating = fields(src, raw, RATING, r_line, _("an exemplar rating"))
            if rating is None:
                ok = False
                continue
            if rating["criterion"] not in criteria or rating["level"] not in levels:
                src.error(r_line, _("rating of '%(criterion)s' at '%(level)s' names an unknown "
                                    "criterion or level", criterion=rating["criterion"],
                                    level=rating["level"]),
                          _("use ids from this rubric"))
                ok = False
            else:
                ok &= _meets(src, rating, criteria[rating["criterion"]], r_line, newest)
            ratings.append(ExemplarRating(rating["criterion"], rating["level"],
                                          rating["comment"].strip(),
                                          rating.get("meets", "").strip()))
        if {r.criterion for r in ratings} != set(criteria):
            src.error(line, _("exemplar '%(id)s' must rate every criterion once", id=ex["id"]),
                      _("add one [[exemplars.ratings]] per criterion"))
            ok = False
        agreed = _agreed(src, ex.get("agreed", []), line)
        ok &= agreed is not None
        out.append(Exemplar(ex["id"], ex["title"], {k: str(v).strip() for k, v in
                                                    ex["case"].items()}, tuple(ratings),
                            tuple(agreed or ())))
    return out if ok else None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[\w'’-]+", text.lower()))


def what_it_shows(descriptor: str) -> str:
    """The part of a descriptor that says what the level looks like (before its next step)."""
    found = NEXT_STEP.search(descriptor)
    return descriptor[:found.start()].strip() if found else descriptor.strip()


def _meets(src: Source, rating: dict, criterion: Criterion, line: int, newest: bool) -> bool:
    """An exemplar rating quotes the phrase of its level's descriptor that the work meets, so
    a rating and its own descriptor cannot drift apart."""
    level, meets = rating["level"], rating.get("meets", "").strip()
    shows = what_it_shows(criterion.descriptors.get(level, ""))
    if not meets:
        if newest:
            src.error(line, _("the exemplar rating of '%(criterion)s' at '%(level)s' cites no "
                              "descriptor phrase", criterion=criterion.id, level=level),
                      _('add meets = "…", a phrase of what the %(level)s descriptor says the '
                        "level looks like: %(shows)s", level=level, shows=repr(shows))
                      if shows else
                      _('add meets = "…", a phrase of what the %(level)s descriptor says the '
                        "level looks like", level=level))
        return not newest
    if not shows:
        src.error(line, _("the %(level)s descriptor of '%(criterion)s' gives only a next step, "
                          "so a rating cannot say what it meets", level=level,
                          criterion=criterion.id),
                  _("start the descriptor with what the level looks like, then the next step "
                    "(\"To reach …\" or \"Next: …\")"))
        return False
    if len(_words(meets).split()) < MEETS_WORDS or _words(meets) not in _words(shows):
        src.error(src.key_line("meets", line),
                  _("the exemplar rating of '%(criterion)s' at '%(level)s' cites %(meets)s, "
                    "which is not a phrase of its descriptor", criterion=criterion.id,
                    level=level, meets=repr(meets)),
                  _("quote at least %(n)d words of %(shows)s, or rate it at the level whose "
                    "descriptor the work meets", n=MEETS_WORDS, shows=repr(shows)))
        return False
    return True


def _agreed(src: Source, entries: list, line: int) -> list[Agreement] | None:
    """Who agreed an exemplar's ratings; until two patient co-teachers and an educator have,
    it shows as provisional."""
    out, ok = [], True
    for index, raw in enumerate(entries):
        a_line = src.header_line("exemplars.agreed", index, line)
        entry = fields(src, raw, AGREED, a_line, _("an agreement"))
        if entry is None:
            ok = False
            continue
        if entry["role"] not in EXEMPLAR_AGREEMENT:
            src.error(src.key_line("role", a_line),
                      _("role '%(role)s' cannot agree an exemplar", role=entry["role"]),
                      _("use one of: %(choices)s", choices=", ".join(EXEMPLAR_AGREEMENT)))
            ok = False
        when = entry["date"]
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                src.error(src.key_line("date", a_line),
                          _("date '%(date)s' is not a date", date=when),
                          _("write it as 2027-01-31"))
                ok = False
                continue
        if not entry["name"].strip():
            src.error(src.key_line("name", a_line), _("an agreement needs a name or initials"),
                      _('write name = "initials"'))
            ok = False
        out.append(Agreement(entry["role"], entry["name"].strip(), when.isoformat()))
    return out if ok else None


def _load_survey(root: Path, file: Path, report: Report, newest: bool = True,
                 language: str = "en") -> Survey | None:
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, SURVEY, 1, _("a survey")) is None:
        return None
    if not _identity(src, data, file, language):
        return None
    ok = True
    items, seen = [], set()
    for index, entry in enumerate(data["items"]):
        line = src.header_line("items", index)
        item = fields(src, entry, ITEM, line, _("a survey item"))
        if item is None or not check_id(src, item["id"], line, _("item id"), seen):
            ok = False
            continue
        ok &= _theme(src, item["theme"], line)
        for key, allowed in (("respondent", RESPONDENTS), ("kind", KINDS)):
            if item[key] not in allowed:
                src.error(src.key_line(key, line),
                          _("%(key)s '%(value)s' is not known", key=key, value=item[key]),
                          _("use one of: %(choices)s", choices=", ".join(allowed)))
                ok = False
        items.append(SurveyItem(item["id"], item["text"].strip(), item["theme"],
                                item["respondent"], item["kind"]))
    if not ok:
        return None
    return Survey(data["id"], data["version"], data["title"], data["intro"].strip(),
                  tuple(str(s) for s in data["scale"]), tuple(items), content_hash(file),
                  language)
