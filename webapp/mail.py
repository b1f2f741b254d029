"""Queue mail in the outbox (inside the caller's transaction) and send it later."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from webapp import language as languages
from webapp import partner_names
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Outbox


def queue(session, *, to: Account | str, subject, template: str, kind: str,
          language: str | None = None, partner_name: str | None = None, **context) -> Outbox:
    """Write a message to the outbox; it is sent only if the caller's transaction commits.

    It is written in its recipient's language: ``to`` is their account (their choice, else
    their programme's default), or an address with ``language`` (else the site's default).
    It names patient partners as the recipient's programme does (``partner_name`` for an
    address; see ``webapp.partner_names``).
    So ``subject`` and any value of ``context`` that is words rather than data are passed
    lazily (``lazy_gettext``, or ``LazyString`` around a function that formats a date), and
    read here in that language.
    """
    name = partner_name  # what the recipient's programme calls patient partners
    if isinstance(to, Account):
        address, code = to.email, languages.of_account(session, to)
        name = partner_names.of_account(session, to)
    else:
        address = to
        code = language if languages.is_language(language) else languages.default_language()
    with force_locale(code), partner_names.speaking_for(name):
        values = {key: str(value) if isinstance(value, LazyString) else value
                  for key, value in context.items()}
        body = render_template(f"mail/{template}", **values)
        subject = str(subject)
    message = Outbox(to_address=address, subject=subject, body=body, kind=kind)
    session.add(message)
    return message


def send_pending(echo=print, limit: int = 500) -> tuple[int, int]:
    """Send unsent messages; returns (sent, failed). Failures stay queued for the next run."""
    config = current_app.config
    pending = db.session.scalars(
        select(Outbox).where(Outbox.sent_at.is_(None)).order_by(Outbox.id).limit(limit)
    ).all()
    sent = failed = 0
    for message in pending:
        message.attempts += 1
        try:
            if config["MAIL_BACKEND"] == "console":
                echo(_console_text(message))
            else:
                _send_smtp(config, message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)[:500]
            failed += 1
        else:
            message.sent_at = now()
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed


def _console_text(message: Outbox) -> str:
    rule = "-" * 72
    return f"{rule}\nTo: {message.to_address}\nSubject: {message.subject}\n\n{message.body}\n{rule}"


def _send_smtp(config, message: Outbox) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
