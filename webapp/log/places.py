"""Where in a module an entry was written from: a lesson, a knowledge check item or a case
template part. Only ids are kept, so the entry links back without copying anyone's words."""

from __future__ import annotations

from flask_babel import gettext as _

from curriculum import template
from webapp.refusals import Refused


def objective_ids(module) -> list[str]:
    """The module version's objective ids (tags an entry may carry), none without a module."""
    return [o.id for o in module.content().objectives] if module is not None else []


def checked_place(module, place: str, place_id: str | None) -> str | None:
    """``place_id`` if it names a lesson, check item or case part of ``module`` (as ``place``
    says); None where the place names nothing in a module."""
    place_id = (place_id or "").strip() or None
    if place in ("own", "placement"):
        return None
    if place == "feedback":
        return place_id  # the case whose feedback it answers: checked by the caller
    if module is None:
        raise Refused(_("An entry about a lesson, a check or a case part needs its module."))
    content = module.content()
    known = {"lesson": {lesson.id for lesson in content.lessons},
             "check": {item.id for item in content.checks},
             "case": set(template.KEYS)}[place]
    if place_id not in known:
        raise Refused(_("That part of the module is not here any more. Write the entry "
                        "about the module as a whole."))
    return place_id


def label(module, place: str, place_id: str | None) -> str:
    """Where it was written, in words: "Lesson: Who is at the centre?"."""
    if place == "placement":
        return _("On placement")
    if place == "feedback":
        return _("Feedback on our case") if module is None else _(
            "Feedback on our case: %(module)s", module=module.title)
    if module is None or not place_id:
        return module.title if module is not None else _("My own note")
    content = module.content()
    if place == "lesson":
        title = next((x.title for x in content.lessons if x.id == place_id), place_id)
        return _("Lesson: %(title)s", title=title)
    if place == "check":
        return _("Knowledge check in %(module)s", module=module.title)
    if place == "case":
        section = template.BY_KEY.get(place_id)
        return _("Case part %(n)d: %(part)s", n=section.number, part=section.heading) \
            if section else module.title
    return module.title
