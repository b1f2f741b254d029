"""Calendar feeds: each person's due dates, and a cohort's dates for its educators, as private
iCalendar links a calendar app subscribes to (docs/notifications.md)."""

import logging
import re

from flask import Blueprint

bp = Blueprint("calendar", __name__)



class HideFeedTokens(logging.Filter):
    """A logging filter: the secret in a calendar link, a join link or a deep-linking page's
    address never reaches a log (the request lines of the development server and of
    gunicorn's access log)."""

    PATTERN = re.compile(r"/(calendar|lti/join|lti/deep-link)/[^/\s\"?]+")

    def filter(self, record) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.PATTERN.sub(r"/\1/…", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self.PATTERN.sub(r"/\1/…", a) if isinstance(a, str)
                                else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self.PATTERN.sub(r"/\1/…", v) if isinstance(v, str)
                           else v for k, v in record.args.items()}
        return True


def hide_tokens_in_logs() -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideFeedTokens) for f in logger.filters):
            logger.addFilter(HideFeedTokens())


from webapp.calendar import routes  # noqa: E402,F401
