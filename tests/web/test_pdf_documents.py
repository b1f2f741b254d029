"""Every PDF carries a title, the date it was made and page numbers, and is tagged for
screen readers (a structure tree of headings, paragraphs, lists and tables)."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import signed_in
from tests.web.test_learn import published  # noqa: F401  (fixture)


def _read(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    root = reader.trailer["/Root"]
    return reader, text, root


def _tags(root) -> set[str]:
    """The kinds of structure element in the PDF's tag tree."""
    found, stack = set(), [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, list) or hasattr(node, "__iter__") and not hasattr(node, "get"):
            stack.extend(item.get_object() for item in node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend([k.get_object() for k in kids] if isinstance(kids, list) else [kids])
    return found


@pytest.mark.parametrize("path, title", [
    ("/modules/example-module/1.0.0.pdf", "An example module"),
    ("/modules/example-module/1.0.0/case-large-print.pdf", "large print"),
])
def test_course_pdfs_have_title_date_page_numbers_and_tags(app, published, path,  # noqa: F811
                                                          title):
    answer = signed_in(app, "partner@example.org").get(path)
    assert answer.status_code == 200
    reader, text, root = _read(answer.data)
    assert title in reader.metadata.title
    assert "Page 1 of" in text and ("Made " in text or "Printed " in text)
    assert "/StructTreeRoot" in root and "/MarkInfo" in root
    assert {"/H1", "/P"} <= _tags(root)


def test_the_report_pdf_is_tagged_with_its_tables(app, work):
    answer = signed_in(app, "lead@example.org").get(
        f"/programmes/{work.ids['PMVPDF']}")
    assert answer.status_code == 200
    reader, text, root = _read(answer.data)
    assert reader.metadata.title and "Page 1 of" in text and "Made " in text
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI"} <= _tags(root)
