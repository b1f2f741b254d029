"""Loading and checking one guide version."""

from __future__ import annotations

from pathlib import Path

from curriculum import limits, text_rules
from curriculum.model import AUDIENCES, Guide, GuidePage
from curriculum.module_loader import _cite, _identity, _language, _markdown_file, _references
from curriculum.source import Report, Source, check_id, fields
from curriculum.versions import content_hash
from curriculum.words import _

GUIDE = {"id": (str, True), "version": (str, True), "title": (str, True),
         "summary": (str, True), "audience": (list, True), "pages": (list, True),
         "references": (list, False), "language": (str, False)}
PAGE = {"id": (str, True), "title": (str, True), "file": (str, True),
        "plain_language_checked": (str, False)}


def load_guide(root: Path, folder: Path, report: Report) -> Guide | None:
    src = Source(root, folder / "guide.toml", report)
    if not src.path.exists():
        src.error(1, _("guide.toml is missing"),
                  _("every guide version folder needs guide.toml"))
        return None
    data = src.toml()
    if data is None or fields(src, data, GUIDE, 1, "guide.toml") is None:
        return None
    if not _identity(src, data, folder) or not _language(src, data):
        return None
    language = data.get("language", "en")
    audience = tuple(str(a) for a in data["audience"])
    for role in audience:
        if role not in AUDIENCES:
            src.error(src.key_line("audience"), _("audience '%(role)s' is not a role", role=role),
                      _("use any of: %(choices)s", choices=", ".join(AUDIENCES)))
            return None
    if len(set(audience)) != len(audience) or limits.too_long(" ".join(audience),
                                                              limits.AUDIENCE_CHARS):
        src.error(src.key_line("audience"), _("audience names a role more than once"),
                  _("list each role once"))
        return None
    references = _references(src, data.get("references", []))
    keys = {r.key for r in references}
    patient_facing = bool({"patient_partner", "patient_coteacher"} & set(audience))
    pages, seen = [], set()
    for index, entry in enumerate(data["pages"]):
        line = src.header_line("pages", index)
        page = fields(src, entry, PAGE, line, _("a page"))
        if page is None or not check_id(src, page["id"], line, _("page id"), seen):
            return None
        md, body = _markdown_file(src, root, folder, page["file"], src.key_line("file", line),
                                  report)
        if md is None:
            return None
        _cite(md, body, 1, keys)
        hard = text_rules.hard_to_read(body, language) if patient_facing else None
        if hard and "plain_language_checked" not in page:
            md.warning(1, _("this page reads at %(score)s (patients read it)", score=hard),
                       _("use shorter sentences and everyday words, or, once patients have "
                         'read it, add plain_language_checked = "who checked, when" to the page '
                         "entry"))
        pages.append(GuidePage(page["id"], page["title"].strip(), page["file"], body))
    return Guide(data["id"], data["version"], data["title"].strip(), data["summary"].strip(),
                 audience, tuple(pages), references, content_hash(folder), language)
