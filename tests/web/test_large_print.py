"""Large-print PDFs of the case brief and of a whole guide: A4, body text 16 pt or more."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import signed_in
from tests.web.test_learn import published  # noqa: F401  (fixture)


def _text_and_sizes(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    sizes, parts = [], []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append((font_size * (tm[0] or 1), len(text.strip())))

    for page in reader.pages:
        parts.append(page.extract_text(visitor_text=visit))
    box = reader.pages[0].mediabox
    return "\n".join(parts), sizes, (round(float(box.width)), round(float(box.height)))


@pytest.mark.parametrize("path, who, expected", [
    ("/modules/example-module/1.0.0/case-large-print.pdf", "partner@example.org",
     "The nine parts of the case"),
    ("/guides/example-guide/1.0.0/large-print.pdf", "partner@example.org",
     "Welcome, patient partner"),
])
def test_large_print_is_a4_with_big_text_and_page_numbers(app, published, path, who,  # noqa: F811
                                                         expected):
    answer = signed_in(app, who).get(path)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text, sizes, (width, height) = _text_and_sizes(answer.data)
    assert (width, height) == (595, 842)  # A4 in points
    assert expected in text and "Page 1 of" in text and "Printed" in text
    # WeasyPrint draws in CSS pixels scaled to points (1 px = 0.75 pt)
    chars: dict[float, int] = {}
    for size, count in sizes:
        chars[round(size * 0.75)] = chars.get(round(size * 0.75), 0) + count
    body = max(chars, key=chars.get)  # the size most of the text is in
    assert body >= 16, chars
    assert min(chars) >= 12, chars  # even the page footer


def test_a_student_cannot_fetch_a_guide_not_written_for_them(app, published):  # noqa: F811
    answer = signed_in(app, "student@example.org").get(
        "/guides/example-guide/1.0.0/large-print.pdf")
    assert answer.status_code == 403


def test_the_pages_link_to_their_large_print(app, published):  # noqa: F811
    partner = signed_in(app, "partner@example.org")
    case = partner.get("/modules/example-module/1.0.0/case").get_data(as_text=True)
    assert "/modules/example-module/1.0.0/case-large-print.pdf" in case
    guide = partner.get("/guides/example-guide/1.0.0/welcome").get_data(as_text=True)
    assert "/guides/example-guide/1.0.0/large-print.pdf" in guide
