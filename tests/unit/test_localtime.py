"""Time where people live: reading typed local times, counting days and saying when."""

from datetime import datetime

import pytest

from webapp import create_app, localtime

STOCKHOLM = "Europe/Stockholm"


@pytest.fixture(scope="module")
def ctx():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "x", "DEFAULT_TIME_ZONE": STOCKHOLM})
    with app.test_request_context():
        yield


def test_typed_local_times_are_stored_as_utc_in_summer_and_winter(ctx):
    assert localtime.to_utc(datetime(2026, 10, 20, 23, 59), STOCKHOLM) == datetime(2026, 10, 20,
                                                                                   21, 59)
    assert localtime.to_utc(datetime(2026, 12, 20, 23, 59), STOCKHOLM) == datetime(2026, 12, 20,
                                                                                   22, 59)


def test_a_time_the_clocks_skip_is_read_an_hour_later(ctx):
    typed = datetime(2027, 3, 28, 2, 30)  # clocks go from 02:00 to 03:00
    assert localtime.to_utc(typed, STOCKHOLM) == datetime(2027, 3, 28, 1, 30)
    assert localtime.read_as(typed, STOCKHOLM) == datetime(2027, 3, 28, 3, 30)
    assert localtime.read_as(datetime(2027, 3, 28, 3, 30), STOCKHOLM) is None


def test_a_time_that_happens_twice_is_read_as_the_first(ctx):
    typed = datetime(2026, 10, 25, 2, 30)  # clocks go from 03:00 back to 02:00
    assert localtime.to_utc(typed, STOCKHOLM) == datetime(2026, 10, 25, 0, 30)
    assert localtime.read_as(typed, STOCKHOLM) is None


@pytest.mark.parametrize("stored, days, expected", [
    (datetime(2026, 10, 23, 21, 59), 3, datetime(2026, 10, 26, 22, 59)),  # autumn: 73 hours
    (datetime(2027, 3, 26, 22, 59), 3, datetime(2027, 3, 29, 21, 59)),    # spring: 71 hours
])
def test_adding_days_keeps_the_local_time_of_day_across_a_clock_change(ctx, stored, days,
                                                                       expected):
    moved = localtime.add_days(stored, days, STOCKHOLM)
    assert moved == expected
    assert localtime.clock(moved, STOCKHOLM) == "23:59"


def test_when_and_due_say_it_in_local_words(ctx):
    due = datetime(2026, 10, 23, 21, 59)  # Fri 23 Oct 23:59 in Stockholm
    assert localtime.when(due, STOCKHOLM) == "Fri 23 Oct 2026, 23:59"
    assert localtime.when(due, "America/New_York") == "Fri 23 Oct 2026, 17:59"
    at = datetime(2026, 10, 20, 8, 0)
    assert localtime.due(due, STOCKHOLM, at) == "due in 3 days (Fri 23 Oct 2026, 23:59)"
    assert localtime.due(due, STOCKHOLM, datetime(2026, 10, 22, 8)) == "due tomorrow at 23:59"
    assert localtime.due(due, STOCKHOLM, datetime(2026, 10, 23, 8)) == "due today at 23:59"
    # 22:30 UTC on the 23rd is already the 24th in Stockholm: it was due yesterday
    assert localtime.due(due, STOCKHOLM, datetime(2026, 10, 23, 22, 30)) == \
        "was due yesterday (Fri 23 Oct 2026, 23:59)"
    assert localtime.due(due, STOCKHOLM, datetime(2026, 10, 30, 8)) == \
        "was due 7 days ago (Fri 23 Oct 2026, 23:59)"


def test_files_for_other_programs_carry_the_offset(ctx):
    assert localtime.iso(datetime(2026, 7, 1, 12, 0), STOCKHOLM) == "2026-07-01T14:00:00+02:00"
    assert localtime.iso(datetime(2026, 7, 1, 12, 0)) == "2026-07-01T12:00:00+00:00"


def test_a_programme_without_a_zone_uses_the_configured_one(ctx):
    class Programme:
        time_zone = None

    class Cohort:
        programme = Programme()

    assert localtime.zone_name(Cohort()) == STOCKHOLM
    assert localtime.place(Cohort()) == "Stockholm time"
    assert localtime.zone_name("Not/AZone") == STOCKHOLM
