"""Course Markdown → safe HTML: markdown-it with HTML off, then nh3 with an allow-list.

Content is checked before it is published, but rendering does not trust that: raw HTML is
never passed through, only http(s) links and same-page anchors survive, and citations
``[@key]`` become links to the reference list.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from curriculum.text_rules import CITATION, markdown_parser

_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre",
         "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_PARSER = markdown_parser()


def _cite(references: dict[str, str]):
    def replace(match: re.Match) -> str:
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        shorts = [references.get(k, k) for k in keys]
        return f"[({'; '.join(shorts)})](#ref-{keys[0]})"
    return replace


def render_markdown(text: str, references: dict[str, str] | None = None) -> Markup:
    """Safe HTML for course Markdown. ``references`` maps citation keys to short forms."""
    source = CITATION.sub(_cite(references or {}), text)
    html = _PARSER.render(source)
    # Headings inside a lesson sit below the page's own h1.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                      url_schemes={"http", "https"}, link_rel="noopener noreferrer")
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)
