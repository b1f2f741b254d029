"""Every PDF carries a title, the date it was made and page numbers, and is tagged for
screen readers (a structure tree of headings, paragraphs, lists and tables)."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import signed_in
from tests.web.test_learn import published  # noqa: F401  (fixture)
from tests.web.test_reports import programme  # noqa: F401  (fixture)
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Contribution


def _read(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    root = reader.trailer["/Root"]
    return reader, text, root


def _tags(root) -> set[str]:
    """The kinds of structure element in the PDF's tag tree."""
    return set(_tree(root)[0])


def _tree(root) -> tuple[list[str], list[str]]:
    """Every structure element's kind, and the alternative texts (/Alt) of its figures."""
    found, alts, stack = [], [], [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, list) or hasattr(node, "__iter__") and not hasattr(node, "get"):
            stack.extend(item.get_object() for item in node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.append(str(node["/S"]))
            if node["/S"] == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend([k.get_object() for k in kids] if isinstance(kids, list) else [kids])
    return found, alts


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


def test_a_report_chart_is_a_figure_with_its_text_alternative(app, programme):  # noqa: F811
    answer = signed_in(app, "lead@example.org").get(
        f"/programmes/{programme['P']}/reports/modules/{programme['v10']}/report.pdf")
    assert answer.status_code == 200
    reader, text, root = _read(answer.data)
    kinds, alts = _tree(root)
    assert "Clinical microsystems" in reader.metadata.title
    assert "/Figure" in kinds and alts
    assert all(alt.startswith(("Bar chart of the table", "Run chart")) for alt in alts), alts


def test_the_certificate_has_title_date_page_numbers_and_a_tagged_table(app, world):
    with app.app_context():
        partner = db.session.scalar(select(Account.id).where(
            Account.email_key == "partner@example.org"))
        db.session.add(Contribution(account_id=partner, cohort_id=world.ids["C"],
                                    activity="meeting", on_date=now(), minutes=90,
                                    confirmed_at=now()))
        db.session.commit()
    answer = signed_in(app, "partner@example.org").get(
        f"/contributions/certificate.pdf?cohort={world.ids['C']}")
    assert answer.status_code == 200
    reader, text, root = _read(answer.data)
    assert reader.metadata.title == "Certificate of contribution"
    assert "Page 1 of 1" in text and "Made " in text
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= _tags(root)
