"""Warnings for text that looks like it identifies someone: shapes, not certainty."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.casework.safeguards import identifier_warnings


@pytest.mark.parametrize("text, expected", [
    ("Write to anna.berg@example.se about it.", "email"),
    ("Her number is 19800101-1234.", "id_number"),
    ("Personnummer 800101-1234", "id_number"),
    ("NHS 943 476 5919 on the letter", "nhs_number"),
    ("Call +44 7700 900123 after six", "phone"),
    ("Call 070-123 45 67", "phone"),
    ("Maria Svensson was admitted on 12/03/2024.", "name_and_date"),
    ("On 3 March 2024 Maria Svensson came home.", "name_and_date"),
])
def test_shapes_that_may_identify_someone_are_named(text, expected):
    assert expected in identifier_warnings(text)


@pytest.mark.parametrize("text", [
    "Leon is 76 and lives with Grace on the second floor.",
    "We met on Tuesday; the clinic opens at 8.",
    "She takes 2 tablets a day and walks 5000 steps.",
    "",
])
def test_ordinary_case_text_gets_no_warning(text):
    assert identifier_warnings(text) == []


_PIECES = ["Ana", "Berg", " ", "-", "+", "(", ")", ".", "@", "x", "0", "1", "4", "6", "7",
           "9", "19", "850709", "March", "12th", "\n", "mail", "example.org", "å", "/",
           "2024", "Jan", "3rd", "٣", "12345678"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@settings(max_examples=400, deadline=None)
def test_the_quick_checks_find_exactly_what_the_full_patterns_find(pieces):
    """The cheap questions asked first ("@" at all, a run of eight digits, a date at all)
    never hide a finding: the answer is the one every pattern run in full gives."""
    from webapp.casework import safeguards as s

    text = "".join(pieces)
    full = []
    if s._EMAIL.search(text):
        full.append("email")
    if s._PERSONNUMMER.search(text):
        full.append("id_number")
    elif s._NHS.search(text):
        full.append("nhs_number")
    elif s._PHONE.search(text):
        full.append("phone")
    if s._NAME_WITH_DATE.search(text):
        full.append("name_and_date")
    assert identifier_warnings(text) == full
