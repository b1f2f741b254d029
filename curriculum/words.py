"""The words of content check's problems, in the reader's language (the web app plugs
in its translations; alone, English)."""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = lambda text: text  # noqa: E731


def set_translator(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def _(text: str, **values) -> str:
    """``text`` translated, then filled with ``values`` (``%(name)s`` placeholders)."""
    said = _translate(text)
    return said % values if values else said
