"""Downloads: CSV that spreadsheets open safely, and PDF responses."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask import make_response
from flask_babel import get_locale


@dataclass(frozen=True)
class Spreadsheet:
    """How a CSV file is written for the spreadsheets of a language's users."""

    delimiter: str
    decimal: str
    bom: bool  # a byte-order mark, without which Excel reads UTF-8 as an old code page


#: English: commas and decimal points. Swedish spreadsheets split on semicolons (the comma is
#: their decimal mark) and read UTF-8 only after a byte-order mark.
SPREADSHEETS = {"en": Spreadsheet(",", ".", False), "sv": Spreadsheet(";", ",", True)}

#: A number as the app writes one: a sign, digits, a decimal part, a percent sign. A
#: spreadsheet reads it as a number, never as a formula, so it is not quoted.
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def safe_cell(value, decimal: str = ".") -> str:
    """A CSV cell that a spreadsheet will not run as a formula. A number keeps its sign (a
    "+1.2" change stays a number) and takes the spreadsheet's decimal mark."""
    text = str(value)
    if _NUMBER.fullmatch(text):
        return text.replace(".", decimal)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def spreadsheet() -> Spreadsheet:
    """The CSV conventions of the language the person is reading in."""
    return SPREADSHEETS.get(str(get_locale() or "en"), SPREADSHEETS["en"])


def csv_response(filename: str, header: list[str], rows):
    """A CSV download in the conventions of the person's language (``SPREADSHEETS``)."""
    kind = spreadsheet()
    out = io.StringIO()
    if kind.bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=kind.delimiter)
    writer.writerow([str(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value, kind.decimal) for value in row])
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(pdf: bytes, filename: str):
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
