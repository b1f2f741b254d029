"""The re-exposure schedule: entries come back as chosen, never twice a day, and stop."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from curriculum.reexposure import (
    ANSWERS,
    CHANGED_MIND,
    ENDING,
    NOT_TODAY,
    STILL_TRUE,
    STOP,
    Schedule,
    answer,
    due_first,
    is_due,
    next_return,
    return_dates,
)

START = date(2026, 9, 1)
days = st.integers(min_value=0, max_value=120)


def day(n: int) -> date:
    return START + timedelta(days=n)


schedules = st.builds(
    lambda chosen, occasions: Schedule(
        START, day(chosen) if chosen is not None else None, tuple(day(o) for o in occasions)),
    st.one_of(st.none(), days), st.lists(days, max_size=3))
#: What the author does each day: nothing, or one answer.
behaviour = st.lists(st.one_of(st.none(), st.sampled_from(ANSWERS)), min_size=1, max_size=130)


def live(schedule: Schedule, actions) -> list[tuple[date, bool, str | None]]:
    """Walk day by day: (day, shown, answer given) while the author answers when shown."""
    seen = []
    for n, action in enumerate(actions):
        today = day(n)
        shown = is_due(schedule, today)
        given_answer = action if shown else None
        if given_answer:
            schedule = answer(schedule, given_answer, today)
            assert not is_due(schedule, today), "an answered entry came back the same day"
        seen.append((today, shown, given_answer))
    return seen


@given(schedules, days)
def test_an_entry_comes_back_on_every_date_it_was_given_until_answered(schedule, n):
    for when in return_dates(schedule):
        assert when > START
        assert is_due(schedule, when), "a return date passed without the entry coming back"
    if not return_dates(schedule):
        assert not is_due(schedule, day(n))


@given(schedules, behaviour)
def test_nothing_is_shown_twice_in_a_day_and_every_return_date_is_met(schedule, actions):
    walk = live(schedule, actions)
    # a return date that came round was shown on that day, or the entry was already waiting
    # from an earlier one (the author left it unanswered), or the schedule had ended
    ended = None
    for today, shown, given_answer in walk:
        if ended is None and today in return_dates(schedule):
            assert shown, f"{today} was a return date and the entry did not come back"
        if given_answer in ENDING and ended is None:
            ended = today


@given(schedules, behaviour, st.sampled_from(sorted(ENDING)))
def test_did_it_or_stop_ends_the_entry_for_good(schedule, actions, ending):
    first = return_dates(schedule)[0] if return_dates(schedule) else None
    if first is None:
        return
    stopped = answer(schedule, ending, first)
    for n in range(0, 200):
        assert not is_due(stopped, first + timedelta(days=n))
    assert next_return(stopped, first) is None


@given(schedules, st.sampled_from([STILL_TRUE, CHANGED_MIND]))
def test_one_answer_covers_every_date_that_has_come_round(schedule, kind):
    dates = return_dates(schedule)
    if not dates:
        return
    last = dates[-1]
    answered = answer(schedule, kind, last + timedelta(days=3))
    for n in range(3, 100):
        assert not is_due(answered, last + timedelta(days=n))


def test_with_no_date_chosen_it_comes_back_after_two_seven_and_thirty_days():
    schedule = Schedule(START)
    shown = [n for n in range(60) if is_due(schedule, day(n))]
    assert shown[0] == 2
    schedule = answer(schedule, STILL_TRUE, day(2))
    assert [n for n in range(3, 60) if is_due(schedule, day(n))][0] == 7
    schedule = answer(schedule, CHANGED_MIND, day(7))
    assert [n for n in range(8, 60) if is_due(schedule, day(n))][0] == 30
    schedule = answer(schedule, STILL_TRUE, day(30))
    assert not any(is_due(schedule, day(n)) for n in range(31, 400))


def test_a_chosen_date_replaces_the_spaced_days_but_the_debrief_still_brings_it_back():
    schedule = Schedule(START, come_back_on=day(10), occasions=(day(20),))
    assert [n for n in range(60) if is_due(schedule, day(n))][0] == 10
    schedule = answer(schedule, STILL_TRUE, day(10))
    assert [n for n in range(11, 60) if is_due(schedule, day(n))][0] == 20
    assert next_return(schedule, day(12)) == day(20)


def test_not_today_brings_it_back_tomorrow():
    schedule = answer(Schedule(START, come_back_on=day(5)), NOT_TODAY, day(5))
    assert not is_due(schedule, day(5))
    assert is_due(schedule, day(6))
    assert next_return(schedule, day(5)) == day(6)


def test_an_entry_is_not_due_on_the_day_it_was_written_even_with_an_occasion_that_day():
    schedule = Schedule(START, come_back_on=START, occasions=(START,))
    assert return_dates(schedule) == []
    assert not is_due(schedule, START)


def test_the_longest_waiting_entries_come_first_and_at_most_two():
    entries = [("new", Schedule(day(8), come_back_on=day(9))),
               ("old", Schedule(START, come_back_on=day(3))),
               ("middle", Schedule(START, come_back_on=day(6))),
               ("stopped", answer(Schedule(START, come_back_on=day(1)), STOP, day(1)))]
    assert due_first(entries, day(9)) == ["old", "middle"]
    assert due_first(entries, day(9), limit=5) == ["old", "middle", "new"]


def test_an_unknown_answer_is_refused():
    try:
        answer(Schedule(START), "maybe", day(2))
    except ValueError as error:
        assert "still_true" in str(error)
    else:
        raise AssertionError("an unknown answer was accepted")


@given(schedules, behaviour, st.integers(min_value=0, max_value=60))
def test_the_stored_next_day_says_exactly_when_it_is_due(schedule, actions, later):
    """The home page asks only the day kept after the last change (``next_return``): on every
    later day with no answer in between, "due" is "that day has come"."""
    last_day = day(0)
    for today, _shown, given_answer in live(schedule, actions):
        if given_answer:
            schedule = answer(schedule, given_answer, today)
        last_day = today
    back = next_return(schedule, last_day)
    for n in range(0, later + 1):
        when = last_day + timedelta(days=n)
        if n == 0 and schedule.last_answer_on == last_day:
            assert not is_due(schedule, when)
            continue
        assert is_due(schedule, when) == (back is not None and back <= when), when
