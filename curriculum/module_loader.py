"""Loading and checking one module version (guides: ``guide_loader``; both share the
helpers here for identity, language, references and Markdown files)."""

from __future__ import annotations

import re
from pathlib import Path

from curriculum import plan_loader, template, text_rules
from curriculum.model import (
    PATIENT_VOICES,
    Case,
    CaseSection,
    CheckItem,
    Lesson,
    ModuleVersion,
    Objective,
    Option,
    Reference,
)
from curriculum.source import SLUG, Report, Source, check_id, fields, fits_columns
from curriculum.versions import content_hash, parse_version
from curriculum.words import _

MODULE = {"id": (str, True), "version": (str, True), "title": (str, True),
          "summary": (str, True), "minutes": (int, True), "changes": (str, False),
          "supersedes": (list, False), "superseded_because": (str, False),
          "objectives": (list, True), "lessons": (list, True), "references": (list, True),
          "language": (str, False), "edition_of": (dict, False)}
EDITION_OF = {"id": (str, True), "version": (str, True)}
OBJECTIVE = {"id": (str, True), "text": (str, True), "rubric_criteria": (list, False)}
LESSON = {"id": (str, True), "title": (str, True), "minutes": (int, True), "file": (str, True)}
REFERENCE = {"key": (str, True), "text": (str, True), "short": (str, True), "url": (str, False),
             "reading": (str, False), "open_access": (bool, False), "language": (str, False),
             "alternative": (str, False)}
READINGS = ("required", "optional")
#: Languages a reader of the course can be expected to read; a reading in another language
#: needs an alternative beside it.
COURSE_LANGUAGES = ("en", "sv")
CASE = {"title": (str, True), "fictional": (bool, True), "patient_voice": (str, True),
        "content_note": (str, False), "scenario": (str, True), "sections": (list, True),
        "plain_language_checked": (str, False)}
SECTION = {"key": (str, True), "prompt": (str, True)}
CHECKS = {"items": (list, True)}
ITEM = {"id": (str, True), "objective": (str, True), "question": (str, True),
        "options": (list, True)}
OPTION = {"text": (str, True), "correct": (bool, True), "explanation": (str, True)}



def _identity(src: Source, data: dict, folder: Path) -> bool:
    """The id and version in the file match the folders they sit in, and fit the database."""
    ok = fits_columns(src, data, src.path.name)
    slug_dir, version_dir = folder.parent.name, folder.name
    if not SLUG.match(data["id"]):
        src.error(src.key_line("id"), _("id '%(id)s' is not a valid slug", id=data["id"]),
                  _("use lower-case words joined by hyphens, like services-are-coproduced"))
        ok = False
    elif data["id"] != slug_dir:
        src.error(src.key_line("id"),
                  _("id '%(id)s' does not match its folder '%(folder)s'", id=data["id"],
                    folder=slug_dir),
                  _('set id = "%(folder)s" or rename the folder', folder=slug_dir))
        ok = False
    if parse_version(data["version"]) is None:
        src.error(src.key_line("version"),
                  _("version '%(version)s' is not a version", version=data["version"]),
                  _('write three numbers like "1.0.0" (major.minor.patch)'))
        ok = False
    elif data["version"] != version_dir:
        src.error(src.key_line("version"),
                  _("version '%(version)s' does not match its folder '%(folder)s'",
                    version=data["version"], folder=version_dir),
                  _('set version = "%(folder)s" or rename the folder', folder=version_dir))
        ok = False
    return ok


def _references(src: Source, entries: list) -> tuple[Reference, ...]:
    out, seen = [], set()
    for index, entry in enumerate(entries):
        line = src.header_line("references", index)
        ref = fields(src, entry, REFERENCE, line, _("a reference"))
        if ref is None or not check_id(src, ref["key"], line, _("reference key"), seen):
            continue
        url = ref.get("url", "")
        if url and not url.startswith(("http://", "https://")):
            src.error(src.key_line("url", line),
                      _("reference url '%(url)s' is not http(s)", url=url),
                      _("give an http:// or https:// address, or leave url out"))
        _reading(src, ref, line)
        out.append(Reference(ref["key"], ref["text"].strip(), ref["short"].strip(), url,
                             ref.get("reading", ""), ref.get("open_access"),
                             ref.get("language", ""), ref.get("alternative", "")))
    keys = {r.key for r in out}
    for index, ref in enumerate(out):
        if ref.alternative and (ref.alternative not in keys or ref.alternative == ref.key):
            src.error(src.key_line("alternative", src.header_line("references", index)),
                      _("alternative '%(key)s' is not another reference of this module",
                        key=ref.alternative),
                      _("give the key of another [[references]] entry"))
    return tuple(out)


def _reading(src: Source, ref: dict, line: int) -> None:
    """A reading says whether it is required, whether it is open access and its language."""
    flags = [k for k in ("open_access", "language", "alternative") if k in ref]
    if "reading" not in ref:
        if flags:
            src.error(src.key_line(flags[0], line),
                      _("%(key)s is only for a reading", key=flags[0]),
                      _('add reading = "required" or "optional", or remove it'))
        return
    if ref["reading"] not in READINGS:
        src.error(src.key_line("reading", line),
                  _("reading '%(reading)s' is not known", reading=ref["reading"]),
                  _('use "required" or "optional"'))
    for key in ("open_access", "language"):
        if key not in ref:
            src.error(line, _("the reading '%(reading)s' does not say its %(key)s",
                              reading=ref["key"], key=key),
                      _("add open_access = true or false") if key == "open_access"
                      else _('add language = "en" (a two-letter code)'))
    language = ref.get("language", "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        src.error(src.key_line("language", line),
                  _("language '%(language)s' is not a two-letter code", language=language),
                  _('write it like "en", "sv" or "fr"'))
    elif language and language not in COURSE_LANGUAGES and "alternative" not in ref:
        src.error(src.key_line("language", line),
                  _("the reading '%(reading)s' is in '%(language)s' with nothing beside it",
                    reading=ref["key"], language=language),
                  _('add alternative = "<key>" naming a reading in English or Swedish'))


def _markdown_file(src_owner: Source, root: Path, folder: Path, name: str, line: int,
                   report: Report) -> tuple[Source | None, str]:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()) or not name.endswith(".md"):
        src_owner.error(line, _("file '%(file)s' must be a .md file inside this version's folder",
                                file=name),
                        _("use a path like lessons/01-name.md"))
        return None, ""
    if not path.is_file():
        src_owner.error(line, _("file '%(file)s' does not exist", file=name),
                        _("create %(path)s or fix the name",
                          path=f"{folder.relative_to(root).as_posix()}/{name}"))
        return None, ""
    md = Source(root, path, report)
    if not md.readable:
        return None, ""
    for problem in text_rules.check_markdown(md.text):
        md.error(problem.line, problem.message, problem.fix)
    if not md.text.strip():
        md.error(1, _("the file is empty"), _("write the text, or remove it from the list"))
    return md, md.text


def _cite(src: Source, text: str, first_line: int, known: set[str]) -> None:
    for offset, key in text_rules.citations(text):
        if key not in known:
            src.error(first_line + offset - 1, _("citation [@%(key)s] has no reference", key=key),
                      _('add a [[references]] entry with key = "%(key)s" or fix the key',
                        key=key))


def _plain(src: Source, text: str, line: int, what: str) -> None:
    for problem in text_rules.check_plain_text(text):
        src.error(line + problem.line - 1,
                  _("%(problem)s in %(what)s", problem=problem.message, what=what), problem.fix)


def load_module(root: Path, folder: Path, report: Report,
                criteria: set[str], newest: bool = True) -> ModuleVersion | None:
    """One module version. The ``newest`` version of a module must have a session plan."""
    src = Source(root, folder / "module.toml", report)
    data = src.toml() if src.path.exists() else None
    if not src.path.exists():
        src.error(1, _("module.toml is missing"),
                  _("every module version folder needs module.toml"))
        return None
    if data is None or fields(src, data, MODULE, 1, "module.toml") is None:
        return None
    if not _identity(src, data, folder):
        return None
    _supersedes(src, data, folder)
    if not _language(src, data):
        return None
    edition_of = _edition_of(src, data)
    if edition_of is None:
        return None
    references = _references(src, data["references"])
    keys = {r.key for r in references}
    objectives, seen = [], set()
    for index, entry in enumerate(data["objectives"]):
        line = src.header_line("objectives", index)
        obj = fields(src, entry, OBJECTIVE, line, _("an objective"))
        if obj is None or not check_id(src, obj["id"], line, _("objective id"), seen):
            continue
        linked = tuple(str(c) for c in obj.get("rubric_criteria", []))
        for name in linked:
            if name not in criteria:
                src.error(src.key_line("rubric_criteria", line),
                          _("rubric criterion '%(name)s' does not exist", name=name),
                          _("name it as rubric-id/criterion-id, e.g. case-rubric/listening"))
        _cite(src, obj["text"], src.key_line("text", line), keys)
        objectives.append(Objective(obj["id"], obj["text"].strip(), linked))
    if not data["objectives"]:
        src.error(src.key_line("objectives"), _("a module needs objectives"),
                  _("add [[objectives]]"))
    lessons, seen = [], set()
    for index, entry in enumerate(data["lessons"]):
        line = src.header_line("lessons", index)
        les = fields(src, entry, LESSON, line, _("a lesson"))
        if les is None or not check_id(src, les["id"], line, _("lesson id"), seen):
            continue
        md, body = _markdown_file(src, root, folder, les["file"], src.key_line("file", line),
                                  report)
        if md is not None:
            _cite(md, body, 1, keys)
            lessons.append(Lesson(les["id"], les["title"], les["minutes"], les["file"], body))
    if not data["lessons"]:
        src.error(src.key_line("lessons"), _("a module needs lessons"), _("add [[lessons]]"))
    case = _load_case(root, folder, report, keys, data.get("language", "en"))
    checks = _load_checks(root, folder, report, keys, {o.id for o in objectives})
    if case is None or checks is None:
        return None
    assessed = {c.objective for c in checks} | {o.id for o in objectives if o.rubric_criteria}
    for index, objective in enumerate(objectives):
        if objective.id not in assessed:
            src.error(src.header_line("objectives", index),
                      _("objective '%(id)s' is not assessed", id=objective.id),
                      _("point a knowledge-check item at it (objective = …) or list the rubric "
                        "criteria that assess it (rubric_criteria = […])"))
    if len(lessons) != len(data["lessons"]) or len(objectives) != len(data["objectives"]):
        return None
    plan = plan_loader.load_plan(root, folder, report, minutes=data["minutes"],
                                 objectives=tuple(objectives), lessons=tuple(lessons),
                                 required=newest)
    if plan is None and (folder / "plan.toml").exists():
        return None
    return ModuleVersion(
        slug=data["id"], version=data["version"], title=data["title"].strip(),
        summary=data["summary"].strip(), minutes=data["minutes"],
        objectives=tuple(objectives), lessons=tuple(lessons), case=case, checks=checks,
        references=references, changes=data.get("changes", "").strip(),
        content_hash=content_hash(folder),
        supersedes=tuple(str(v) for v in data.get("supersedes", ())),
        superseded_because=data.get("superseded_because", "").strip(), plan=plan,
        language=data.get("language", "en"), edition_of=edition_of)


def _edition_of(src: Source, data: dict) -> tuple[str, str] | None:
    """``edition_of = { id = "…", version = "…" }``: the module version this one is an
    edition of in another language (checked against it in ``loader.check_editions``);
    ``()`` when the version is no edition."""
    if "edition_of" not in data:
        return ()
    line = src.key_line("edition_of")
    entry = fields(src, data["edition_of"], EDITION_OF, line, "edition_of")
    if entry is None:
        return None
    if not SLUG.match(entry["id"]) or parse_version(entry["version"]) is None:
        src.error(line, _("edition_of names '%(id)s' '%(version)s', which is not a module id "
                          "and version", id=entry["id"], version=entry["version"]),
                  _('write edition_of = { id = "services-are-coproduced", version = "1.2.0" }'))
        return None
    if entry["id"] == data["id"]:
        src.error(line, _("a module version cannot be an edition of its own module"),
                  _("give the edition its own id (for example the id with -sv at the end)"))
        return None
    return (entry["id"], entry["version"])


def _language(src: Source, data: dict) -> bool:
    """``language``, when given, is one the course is offered in."""
    if data.get("language", "en") in COURSE_LANGUAGES:
        return True
    src.error(src.key_line("language"),
              _("language '%(language)s' is not offered", language=data["language"]),
              _('write language = "en" (English) or "sv" (Swedish)'))
    return False


def _supersedes(src: Source, data: dict, folder: Path) -> None:
    """``supersedes`` names earlier versions of this module, and says why."""
    listed = data.get("supersedes", [])
    if not listed:
        if "superseded_because" in data:
            src.error(src.key_line("superseded_because"),
                      _("superseded_because without supersedes"),
                      _('add supersedes = ["<earlier version>"] or remove it'))
        return
    line = src.key_line("supersedes")
    siblings = {p.name for p in folder.parent.iterdir() if p.is_dir()}
    mine = parse_version(data["version"])
    for version in listed:
        if not isinstance(version, str) or version not in siblings:
            src.error(line, _("supersedes %(version)s, which is not a version of this module",
                              version=repr(version)),
                      _("list earlier versions of this module by their folder names"))
        elif parse_version(version) is None or parse_version(version) >= mine:
            src.error(line, _("supersedes '%(version)s', which is not earlier than %(mine)s",
                              version=version, mine=data["version"]),
                      _("a version can only supersede earlier ones"))
    if not data.get("superseded_because", "").strip():
        src.error(line, _("supersedes does not say why"),
                  _('add superseded_because = "what the earlier version lacks"'))


def _load_case(root: Path, folder: Path, report: Report, keys: set[str],
               language: str = "en") -> Case | None:
    src = Source(root, folder / "case.toml", report)
    if not src.path.exists():
        src.error(1, _("case.toml is missing"), _("every module version needs a case"))
        return None
    data = src.toml()
    if data is None or fields(src, data, CASE, 1, "case.toml") is None:
        return None
    ok = True
    if data["fictional"] is not True:
        src.error(src.key_line("fictional"), _("the case must be fictional"),
                  _("write a fictional composite case and set fictional = true"))
        ok = False
    if data["patient_voice"] not in PATIENT_VOICES:
        src.error(src.key_line("patient_voice"),
                  _("patient_voice '%(voice)s' is not known", voice=data["patient_voice"]),
                  _('use "own_experience" or "persona"'))
        ok = False
    for key in ("scenario", "content_note", "title"):
        if key in data:
            _plain(src, data[key], src.key_line(key), key)
            _cite(src, data[key], src.key_line(key), keys)
    sections = []
    for index, entry in enumerate(data["sections"]):
        line = src.header_line("sections", index)
        sec = fields(src, entry, SECTION, line, _("a case section"))
        if sec is None:
            ok = False
            continue
        _plain(src, sec["prompt"], src.key_line("prompt", line), _("a section prompt"))
        _cite(src, sec["prompt"], src.key_line("prompt", line), keys)
        sections.append(CaseSection(sec["key"], sec["prompt"].strip()))
    got = [s.key for s in sections]
    if ok and got != list(template.KEYS):
        missing = [k for k in template.KEYS if k not in got]
        unknown = [k for k in got if k not in template.KEYS]
        values = {"missing": ", ".join(missing), "unknown": ", ".join(unknown)}
        if missing and unknown:
            message = _("the case must have the nine template sections in order (missing "
                        "%(missing)s; unknown %(unknown)s)", **values)
        elif missing:
            message = _("the case must have the nine template sections in order (missing "
                        "%(missing)s)", **values)
        elif unknown:
            message = _("the case must have the nine template sections in order (; unknown "
                        "%(unknown)s)", **values)
        else:
            message = _("the case must have the nine template sections in order (order)")
        src.error(src.key_line("sections") if not data["sections"] else
                  src.header_line("sections", 0), message,
                  _("list [[sections]] with key = %(keys)s", keys=", ".join(template.KEYS)))
        ok = False
    hard = text_rules.hard_to_read(data["scenario"], language)
    if hard and "plain_language_checked" not in data:
        src.warning(src.key_line("scenario"),
                    _("the scenario reads at %(score)s (patients read it)", score=hard),
                    _("use shorter sentences and everyday words, or, once patients have read "
                      'it, add plain_language_checked = "who checked, when"'))
    if not ok:
        return None
    return Case(data["title"].strip(), data["scenario"].strip(), data["patient_voice"],
                tuple(sections), data.get("content_note", "").strip())


def _load_checks(root: Path, folder: Path, report: Report, keys: set[str],
                 objectives: set[str]) -> tuple[CheckItem, ...] | None:
    src = Source(root, folder / "checks.toml", report)
    if not src.path.exists():
        src.error(1, _("checks.toml is missing"),
                  _("every module version needs knowledge checks"))
        return None
    data = src.toml()
    if data is None or fields(src, data, CHECKS, 1, "checks.toml") is None:
        return None
    items, seen, ok = [], set(), True
    for index, entry in enumerate(data["items"]):
        line = src.header_line("items", index)
        item = fields(src, entry, ITEM, line, _("a check item"))
        if item is None or not check_id(src, item["id"], line, _("check item id"), seen):
            ok = False
            continue
        if item["objective"] not in objectives:
            src.error(src.key_line("objective", line),
                      _("objective '%(id)s' is not in module.toml", id=item["objective"]),
                      _("use the id of one of the module's objectives"))
            ok = False
        _plain(src, item["question"], src.key_line("question", line), _("a question"))
        options = []
        for o_index, raw in enumerate(item["options"]):
            o_line = src.header_line("items.options", o_index, line)
            opt = fields(src, raw, OPTION, o_line, _("an option"))
            if opt is None:
                ok = False
                continue
            for key in ("text", "explanation"):
                _plain(src, opt[key], src.key_line(key, o_line),
                       _("an option's %(key)s", key=key))
                _cite(src, opt[key], src.key_line(key, o_line), keys)
            options.append(Option(opt["text"].strip(), opt["correct"], opt["explanation"].strip()))
        if len(options) < 2 or sum(o.correct for o in options) != 1:
            src.error(line, _("check item '%(id)s' needs 2+ options with exactly one correct",
                              id=item["id"]),
                      _("mark one option correct = true and the others correct = false"))
            ok = False
        items.append(CheckItem(item["id"], item["objective"], item["question"].strip(),
                               tuple(options)))
    return tuple(items) if ok else None
