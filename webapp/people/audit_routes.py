"""The audit trail for admins: filter by kind, person and dates; page back; export to CSV."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from webapp import localtime
from webapp.export import csv_response
from webapp.extensions import db
from webapp.models import Account
from webapp.models.audit import KINDS, AuditEvent
from webapp.people import bp

PAGE = 100
CSV_LIMIT = 50_000


def _filters(args) -> tuple[dict, list[str]]:
    """The filters asked for, and a sentence for each one that could not be read."""
    found, problems = {}, []
    kind = (args.get("kind") or "").strip()
    if kind:
        if kind in KINDS:
            found["kind"] = kind
        else:
            problems.append(_("Choose one of the listed kinds of event."))
    person = (args.get("person") or "").strip()[:254]
    if person:
        found["person"] = person
    for name in ("from", "to"):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                # a day in the site's time zone, from its first moment
                found[name] = localtime.to_utc(datetime.strptime(raw, "%Y-%m-%d"),
                                               localtime.default_zone_name())
            except ValueError:
                problems.append(_("Write dates as YYYY-MM-DD, for example 2026-11-24."))
    before = (args.get("before") or "").strip()
    if before.isdigit() and len(before) < 10:
        found["before"] = int(before)
    return found, problems


def _query(found: dict):
    actor, subject = aliased(Account), aliased(Account)
    query = (select(AuditEvent, actor.email, actor.display_name, subject.email,
                    subject.display_name)
             .outerjoin(actor, actor.id == AuditEvent.actor_id)
             .outerjoin(subject, subject.id == AuditEvent.subject_id))
    if "kind" in found:
        query = query.where(AuditEvent.kind == found["kind"])
    if "person" in found:
        like = f"%{found['person'].lower()}%"
        query = query.where(or_(actor.email_key.like(like), subject.email_key.like(like),
                                actor.display_name.ilike(like),
                                subject.display_name.ilike(like)))
    if "from" in found:
        query = query.where(AuditEvent.at >= found["from"])
    if "to" in found:
        query = query.where(AuditEvent.at < localtime.add_days(
            found["to"], 1, localtime.default_zone_name()))
    if "before" in found:
        query = query.where(AuditEvent.id < found["before"])
    return query.order_by(AuditEvent.id.desc())


def _who(email, name) -> str:
    return f"{name} <{email}>" if email else ""


@bp.route("/admin/audit")
def audit():
    found, problems = _filters(request.args)
    rows = [] if problems else db.session.execute(_query(found).limit(PAGE + 1)).all()
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render_template("people/audit.html", rows=rows, kinds=KINDS, problems=problems,
                           args=request.args, more=more, who=_who,
                           older=rows[-1][0].id if more else None), (400 if problems else 200)


@bp.route("/admin/audit.csv")
def audit_csv():
    found, problems = _filters(request.args)
    if problems:
        return render_template("people/audit.html", rows=[], kinds=KINDS, problems=problems,
                               args=request.args, more=False, who=_who, older=None), 400
    found.pop("before", None)
    rows = db.session.execute(_query(found).limit(CSV_LIMIT))
    return csv_response("audit.csv", [
        pgettext("CSV column", "when"), pgettext("CSV column", "event"),
        pgettext("CSV column", "by"), pgettext("CSV column", "about"),
        pgettext("CSV column", "details")], (
        [localtime.iso(event.at), KINDS.get(event.kind, event.kind),
         _who(a_email, a_name), _who(s_email, s_name),
         "; ".join(f"{k}={v}" for k, v in sorted(event.detail.items()))]
        for event, a_email, a_name, s_email, s_name in rows))
