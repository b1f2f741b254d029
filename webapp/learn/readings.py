"""How a module's readings are described: required or optional, open or not, and language."""

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale

from webapp.learn import bp


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """ "fr" → "French" in the reader's language (the code itself if Babel does not know it)."""
    try:
        return Locale.parse(code).get_display_name(get_locale() or "en") or code
    except (ValueError, UnknownLocaleError):
        return code
