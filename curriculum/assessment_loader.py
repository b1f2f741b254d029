"""Loading and checking rubrics and surveys (``assessments/<kind>/<id>/<version>.toml``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from curriculum import template, text_rules
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
    to_data,
)
from curriculum.scoring import NOT_ASSESSED_KEY
from curriculum.source import SLUG, Report, Source, check_id, fields, fits_columns
from curriculum.versions import content_hash, parse_version, version_key

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
            files, translations = _split(root, item_dir, report)
            for file in files:
                loaded = loader(root, file, report, newest=file == files[-1])
                if loaded:
                    out.append(loaded)
            _attach(root, loader, translations, out, report)
    return rubrics, surveys


def _split(root: Path, item_dir: Path, report: Report) -> tuple[list[Path], list[Path]]:
    """``<version>.toml`` files (the versions, oldest first) and ``<version>.<language>.toml``
    files (their translations); any other name is an error."""
    files, translations = [], []
    for file in sorted(item_dir.glob("*.toml")):
        head, _dot, tail = file.stem.rpartition(".")
        if parse_version(file.stem) is not None:
            files.append(file)
        elif parse_version(head) is not None and tail in template.LANGUAGES and tail != "en":
            translations.append(file)
        else:
            Source(root, file, report).error(
                1, f"{file.name!r} is neither a version nor a translation of one",
                'name it <version>.toml, or <version>.sv.toml for its Swedish text')
    return sorted(files, key=lambda f: version_key(f.stem)), translations


def _attach(root: Path, loader, translations: list[Path], out: list, report: Report) -> None:
    """Check each translation against the version it translates, and keep it with that
    version (``translations[language]``): same ids, keys and structure, other words."""
    for file in translations:
        version, _dot, language = file.stem.rpartition(".")
        src = Source(root, file, report)
        base = next((v for v in out if v.version == version
                     and v.id == file.parent.name), None)
        if base is None:
            src.error(1, f"translates version {version}, which did not load",
                      f"add {version}.toml beside it, or fix its errors first")
            continue
        translated = loader(root, file, report, newest=False, language=language)
        if translated is None:
            continue
        differs = shape(base) != shape(translated)
        if differs:
            src.error(1, f"the {language!r} text of {base.id} {version} does not have the same "
                      "ids, keys and structure as the English",
                      "translate only the words: keep every id, key, level, theme, section, "
                      "respondent, kind and rating exactly as in " + f"{version}.toml")
            continue
        data = to_data(translated)
        data.pop("translations", None)
        base.translations[language] = data


def shape(content) -> tuple:
    """Everything of a rubric or survey version except its words."""
    if isinstance(content, Rubric):
        return (content.id, content.version, content.lens,
                tuple(level.key for level in content.levels),
                tuple((c.id, c.theme, c.sections, tuple(c.descriptors)) for c in content.criteria),
                tuple((e.id, tuple(e.case), tuple((r.criterion, r.level) for r in e.ratings),
                       tuple((a.role, a.date) for a in e.agreed)) for e in content.exemplars))
    return (content.id, content.version, len(content.scale),
            tuple((i.id, i.theme, i.respondent, i.kind) for i in content.items))


def _identity(src: Source, data: dict, file: Path, language: str = "en") -> bool:
    """The id matches the folder, the version the file name, and the language (``language``
    key, English when left out) the ``.<language>`` of a translation's file name."""
    if not fits_columns(src, data, file.name):
        return False
    stem = file.stem if language == "en" else file.stem.rpartition(".")[0]
    if data.get("language", "en") != language:
        src.error(src.key_line("language") if "language" in data else 1,
                  f"the file {file.name!r} is the {language!r} text but says language = "
                  f"{data.get('language', 'en')!r}", f'set language = "{language}"')
        return False
    if not SLUG.match(data["id"]) or data["id"] != file.parent.name:
        src.error(src.key_line("id"), f"id {data['id']!r} does not match its folder "
                  f"{file.parent.name!r}", f"set id = \"{file.parent.name}\"")
        return False
    if parse_version(data["version"]) is None or data["version"] != stem:
        src.error(src.key_line("version"), f"version {data['version']!r} is not a version "
                  f"matching the file name {file.name!r}",
                  f'name the file <version>.toml and set version = "{stem}"')
        return False
    return True


def _theme(src: Source, value: str, line: int) -> bool:
    if value not in THEMES:
        src.error(src.key_line("theme", line), f"theme {value!r} is not known",
                  "use one of: " + ", ".join(THEMES))
        return False
    return True


def _load_rubric(root: Path, file: Path, report: Report, newest: bool = True,
                 language: str = "en") -> Rubric | None:
    """One rubric version. Only the ``newest`` version of a rubric (the one reviewers practise
    on) must cite a descriptor phrase for each exemplar rating; earlier ones are history."""
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, RUBRIC, 1, "a rubric") is None:
        return None
    if not _identity(src, data, file, language):
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
        if lev and lev["key"] == NOT_ASSESSED_KEY:
            src.error(src.key_line("key", line), f"{NOT_ASSESSED_KEY!r} is kept for a criterion "
                      "a reviewer leaves unassessed", "give the level another key")
            ok = False
        elif lev and check_id(src, lev["key"], line, "level key", seen):
            levels.append(Level(lev["key"], lev["label"]))
        else:
            ok = False
    if len(levels) < 2:
        src.error(src.key_line("levels"), "a rubric needs at least two levels",
                  "list [[levels]] from lowest to highest")
        ok = False
    level_keys = [lv.key for lv in levels]
    criteria, seen = [], set()
    if language == "en":
        report.declared_criteria |= {f"{data['id']}/{entry['id']}" for entry in data["criteria"]
                                     if isinstance(entry, dict)
                                     and isinstance(entry.get("id"), str)}
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
    exemplars = _exemplars(src, data["exemplars"], {c.id: c for c in criteria},
                           set(level_keys), newest or language != "en")
    if exemplars is None:
        ok = False
    elif not exemplars:
        src.error(src.key_line("exemplars"), "a rubric version needs at least one exemplar",
                  "add an [[exemplars]] case with agreed ratings for reviewers to practise on")
        ok = False
    if data["lens"] == "patient" and "plain_language_checked" not in data:
        _plain(src, data["intro"] + "\n" + "\n".join(
            d for c in criteria for d in c.descriptors.values()), language, "patient-lens wording")
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
            src.warning(src.key_line("intro"), f"{what} reads at grade {grade:.1f}",
                        'simplify it, or add plain_language_checked = "who checked, when"')
        return
    hard = text_rules.hard_to_read(text, language)
    if hard:
        src.warning(src.key_line("intro"), f"{what} is hard to read ({hard})",
                    'shorter sentences and everyday words, or add plain_language_checked = '
                    '"who checked, when"')


def _exemplars(src: Source, entries: list, criteria: dict[str, Criterion],
               levels: set[str], newest: bool) -> list[Exemplar] | None:
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
            else:
                ok &= _meets(src, rating, criteria[rating["criterion"]], r_line, newest)
            ratings.append(ExemplarRating(rating["criterion"], rating["level"],
                                          rating["comment"].strip(),
                                          rating.get("meets", "").strip()))
        if {r.criterion for r in ratings} != set(criteria):
            src.error(line, f"exemplar {ex['id']!r} must rate every criterion once",
                      "add one [[exemplars.ratings]] per criterion")
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
    where = f"{criterion.id!r} at {level!r}"
    if not meets:
        if newest:
            src.error(line, f"the exemplar rating of {where} cites no descriptor phrase",
                      f'add meets = "…", a phrase of what the {level} descriptor says the '
                      "level looks like" + (f": {shows!r}" if shows else ""))
        return not newest
    if not shows:
        src.error(line, f"the {level} descriptor of {criterion.id!r} gives only a next step, so "
                  "a rating cannot say what it meets", "start the descriptor with what the "
                  "level looks like, then the next step (\"To reach …\" or \"Next: …\")")
        return False
    if len(_words(meets).split()) < MEETS_WORDS or _words(meets) not in _words(shows):
        src.error(src.key_line("meets", line), f"the exemplar rating of {where} cites "
                  f"{meets!r}, which is not a phrase of its descriptor",
                  f"quote at least {MEETS_WORDS} words of {shows!r}, or rate it at the level "
                  "whose descriptor the work meets")
        return False
    return True


def _agreed(src: Source, entries: list, line: int) -> list[Agreement] | None:
    """Who agreed an exemplar's ratings; until two patient co-teachers and an educator have,
    it shows as provisional."""
    out, ok = [], True
    for index, raw in enumerate(entries):
        a_line = src.header_line("exemplars.agreed", index, line)
        entry = fields(src, raw, AGREED, a_line, "an agreement")
        if entry is None:
            ok = False
            continue
        if entry["role"] not in EXEMPLAR_AGREEMENT:
            src.error(src.key_line("role", a_line), f"role {entry['role']!r} cannot agree "
                      "an exemplar", "use one of: " + ", ".join(EXEMPLAR_AGREEMENT))
            ok = False
        when = entry["date"]
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                src.error(src.key_line("date", a_line), f"date {when!r} is not a date",
                          "write it as 2027-01-31")
                ok = False
                continue
        if not entry["name"].strip():
            src.error(src.key_line("name", a_line), "an agreement needs a name or initials",
                      'write name = "initials"')
            ok = False
        out.append(Agreement(entry["role"], entry["name"].strip(), when.isoformat()))
    return out if ok else None


def _load_survey(root: Path, file: Path, report: Report, newest: bool = True,
                 language: str = "en") -> Survey | None:
    src = Source(root, file, report)
    data = src.toml()
    if data is None or fields(src, data, SURVEY, 1, "a survey") is None:
        return None
    if not _identity(src, data, file, language):
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
                  tuple(str(s) for s in data["scale"]), tuple(items), content_hash(file),
                  language)
