"""PDF rendering with WeasyPrint, allowed to fetch only ``data:`` URLs and our static files.

WeasyPrint's default fetcher would read any ``file://`` or remote URL a document names, and
embed it (``<link rel=attachment href=file:///etc/passwd>`` attaches that file to the PDF).
Here every other URL is refused, so a PDF can only contain what the app itself rendered.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

from flask import current_app

#: The pretend origin documents are rendered under; only /static/ below it resolves.
BASE_URL = "https://coproduce.invalid/"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, static_folder: Path) -> None:
            super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
            self.static_folder = static_folder.resolve()

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = BASE_URL + "static/"
            if url.startswith(prefix):
                path = (self.static_folder / url[len(prefix):].split("?")[0]).resolve()
                if path.is_relative_to(self.static_folder) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(), {
                        "Content-Type": "text/css" if path.suffix == ".css"
                        else "application/octet-stream"})
            raise ValueError(f"PDF rendering may not fetch {url[:80]}")

    return StaticOnlyFetcher


def cached_pdf(key: str, make_html) -> bytes:
    """The PDF for ``key`` (which must change whenever the content does), rendered once.

    Kept in ``PDF_CACHE_DIR`` (default ``instance/pdf-cache/``); written to a temporary file
    and renamed, so several workers may render at once and none ever reads half a file.
    """
    folder = Path(current_app.config.get("PDF_CACHE_DIR")
                  or Path(current_app.instance_path) / "pdf-cache")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = render_pdf(make_html())
    tmp = folder / f".{key}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    return pdf


def merge_pdfs(parts, target, title: str | None = None, lang: str = "en") -> int:
    """Write the PDFs in ``parts`` (bytes or paths) one after another to ``target``; returns
    the number of pages. Parts are rendered one at a time, so memory stays that of one part.

    The merged file keeps each part's text and page footers but not their screen-reader tags
    (pypdf does not join structure trees); it gets its own document title and language.
    """
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part) if isinstance(part, bytes) else part)
    if title:
        writer.add_metadata({"/Title": title})
        writer.create_viewer_preferences().display_doctitle = True
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    with open(target, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_pdf(html: str) -> bytes:
    """A tagged PDF of ``html``; links to /static/ resolve to the app's own files only.
    Its templates give it a <title> (the document title) and a ``.made`` line (the date it
    was made, repeated in each page's footer beside "Page N of M")."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfUnavailable(str(exc)) from exc
    fetcher = _fetcher_class()(Path(current_app.static_folder))
    # Tagged for screen readers (headings, paragraphs, lists, tables, links); WeasyPrint does
    # this without claiming PDF/UA conformance.
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(pdf_tags=True)
