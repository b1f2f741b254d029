"""CSV cells a spreadsheet opens safely, in the conventions of the reader's language."""

import csv
import io

from flask import Flask
from flask_babel import Babel, force_locale
from hypothesis import given
from hypothesis import strategies as st

from webapp.export import csv_response, safe_cell


def test_formulas_are_quoted_and_numbers_keep_their_sign():
    assert safe_cell('=HYPERLINK("http://x")').startswith("'=")
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("+46 70 123 45 67") == "'+46 70 123 45 67"
    assert safe_cell("+1.2") == "+1.2"  # a change in confidence: a number, not text
    assert safe_cell("-0.4") == "-0.4"
    assert safe_cell(-3) == "-3"
    assert safe_cell("1.2.0") == "1.2.0"


def test_swedish_numbers_take_a_decimal_comma():
    assert safe_cell("+1.2", ",") == "+1,2"
    assert safe_cell("12.5%", ",") == "12,5%"
    assert safe_cell(3.25, ",") == "3,25"
    assert safe_cell("1.2.0", ",") == "1.2.0"  # a version number is not a number


@given(st.text(max_size=30))
def test_no_cell_a_spreadsheet_would_run_leaves_unquoted(text):
    cell = safe_cell(text)
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell.lstrip("+-").replace(".", "").rstrip("%").isdigit()


def _download(code):
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context(), force_locale(code):
        response = csv_response("x.csv", ["about", "value"], [["Confidence", "+1.2"],
                                                               ["Share", "12.5%"]])
        return response.get_data(as_text=True)


def test_a_swedish_reader_gets_semicolons_a_byte_order_mark_and_decimal_commas():
    body = _download("sv")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["about", "value"], ["Confidence", "+1,2"], ["Share", "12,5%"]]


def test_an_english_reader_gets_commas_and_decimal_points():
    body = _download("en")
    assert not body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body)))[1] == ["Confidence", "+1.2"]
