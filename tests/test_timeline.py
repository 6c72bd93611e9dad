"""Time phrases and elapsed-time ranges: the contract's grammar and arithmetic."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from casebook.model.timeline import (DAY, HOUR, MINUTE, MONTH, UNKNOWN, WEEK, PhraseError, Span,
                               elapsed_times, format_duration, format_span, parse_when)


@pytest.mark.parametrize("phrase, low, high, about", [
    ("start", 0, 0, False),
    ("2 minutes later", 2 * MINUTE, 2 * MINUTE, False),
    ("20 minutes later", 20 * MINUTE, 20 * MINUTE, False),
    ("after 3 hours", 3 * HOUR, 3 * HOUR, False),
    ("after twenty minutes", 20 * MINUTE, 20 * MINUTE, False),
    ("about 20 minutes later", 20 * MINUTE, 20 * MINUTE, True),
    ("about two weeks later", 2 * WEEK, 2 * WEEK, True),
    ("within 2 minutes", 0, 2 * MINUTE, False),
    ("within two minutes", 0, 2 * MINUTE, False),
    ("within 5 min", 0, 5 * MINUTE, False),
    ("within 1 h", 0, HOUR, False),
    ("within 3 d", 0, 3 * DAY, False),
    ("within 1 month", 0, MONTH, False),
    ("within seconds", 0, MINUTE, False),
    ("within minutes", 0, HOUR, False),
    ("within hours", 0, DAY, False),
    ("within days", 0, WEEK, False),
    ("within weeks", 0, MONTH, False),
    ("same day", 0, DAY, False),
    ("next day", DAY, 2 * DAY, False),
    ("days later", 2 * DAY, None, False),
    ("hours later", 2 * HOUR, None, False),
    ("twenty-one days later", 21 * DAY, 21 * DAY, False),
    ("sixty seconds later", 60, 60, False),
    ("Within Two Minutes", 0, 2 * MINUTE, False),
])
def test_relative_phrases_give_the_contracts_gap(phrase, low, high, about):
    gap = parse_when(phrase).gap
    assert (gap.low, gap.high, gap.about) == (low, high, about)
    assert parse_when(phrase).text == phrase  # shown as written


def test_later_is_an_unknown_gap():
    assert not parse_when("later").gap.known


@pytest.mark.parametrize("phrase, message", [
    ("soon", "`soon` is not a time phrase"),
    ("immediately", "is not a time phrase"),
    ("within 2 lightyears", "`lightyears` is not a unit"),
    ("seventy minutes later", "`seventy` is not a number"),
    ("within hour", "should be a plural unit"),
    ("2014-13-45", "is not a real date"),
    ("2014-02-30", "is not a real date"),
    ("2014/02/03", "not a time phrase"),
    ("hours", "not a time phrase"),
])
def test_anything_else_is_an_error_naming_the_phrase(phrase, message):
    with pytest.raises(PhraseError, match=message):
        parse_when(phrase)


def test_absolute_dates_allow_their_whole_period():
    month = parse_when("2009-09").moment
    assert (month.earliest.day, month.latest.month) == (1, 10)
    day = parse_when("2009-09-09").moment
    assert (day.latest - day.earliest).days == 1
    minute = parse_when("2009-09-09 14:05").moment
    assert minute.earliest == minute.latest


def whens(*phrases):
    return [parse_when(p) for p in phrases]


def test_elapsed_adds_the_gaps_since_start():
    elapsed, misplaced = elapsed_times(whens("start", "within 2 minutes", "next day", "later", "2 hours later"))
    assert misplaced == []
    assert [str(s) for s in elapsed] == ["0 s", "≤ 2 min", "1–2 days", "unknown", "unknown"]


def test_elapsed_between_absolute_dates_is_their_difference():
    elapsed, _ = elapsed_times(whens("2009-09-09", "2009-09-11", "2009-09-11 10:00", "3 hours later"))
    assert (elapsed[1].low, elapsed[1].high) == (DAY, 3 * DAY)
    assert (elapsed[2].low, elapsed[2].high) == (DAY + 10 * HOUR, 2 * DAY + 10 * HOUR)
    assert (elapsed[3].low, elapsed[3].high) == (DAY + 13 * HOUR, 2 * DAY + 13 * HOUR)


def test_a_date_after_a_relative_start_is_unknown_from_there_on():
    elapsed, _ = elapsed_times(whens("start", "next day", "2009-09-11", "2 hours later"))
    assert [s.known for s in elapsed] == [True, True, False, False]


@pytest.mark.parametrize("phrases, position, message", [
    (("start", "start"), 1, "`start` is only for the first event"),
    (("next day", "start"), 0, "first event's `when` must be `start` or a date"),
    (("2009-09-10", "2009-09-09"), 1, "before the date of an earlier event"),
])
def test_phrases_out_of_place_are_reported(phrases, position, message):
    _, misplaced = elapsed_times(whens(*phrases))
    assert misplaced[0][0] == position and message in misplaced[0][1]


@pytest.mark.parametrize("seconds, text", [
    (45, "45 s"), (20 * MINUTE, "20 min"), (3 * HOUR + 5 * MINUTE, "3 h 5 min"),
    (DAY, "1 day"), (2 * DAY + HOUR, "2 days 1 h"), (2 * DAY + HOUR + 59, "2 days 1 h"),
    (0, "0 s"), (HOUR + 30, "1 h"),
])
def test_durations_are_written_in_their_two_largest_units(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("span, text", [
    (Span(2 * MINUTE, 2 * MINUTE), "2 min"),
    (Span(20 * MINUTE, 20 * MINUTE, about=True), "~20 min"),
    (Span(0, 2 * MINUTE), "≤ 2 min"),
    (Span(2 * DAY, None), "≥ 2 days"),
    (Span(DAY, 2 * DAY), "1–2 days"),
    (Span(2 * DAY, 2 * DAY + HOUR), "2 days–2 days 1 h"),
    (UNKNOWN, "unknown"),
])
def test_ranges_are_shown_in_the_contracts_forms(span, text):
    assert format_span(span) == text


units = st.sampled_from(["second", "minute", "hour", "day", "week", "month"])
numbers = st.integers(min_value=1, max_value=60)


@st.composite
def phrases(draw):
    n, unit = draw(numbers), draw(units)
    plural = unit + ("s" if n != 1 else "")
    return draw(st.sampled_from([
        f"{n} {plural} later", f"after {n} {plural}", f"about {n} {plural} later",
        f"within {n} {plural}", f"within {unit}s", f"{unit}s later", "same day", "next day",
        "later"]))


@given(st.lists(phrases(), max_size=12))
def test_elapsed_ranges_never_invert_and_only_grow(rest):
    elapsed, misplaced = elapsed_times(whens("start", *rest))
    assert misplaced == []
    previous = Span()
    for span in elapsed:
        if not span.known:
            previous = span
            continue
        assert 0 <= span.low
        assert span.high is None or span.low <= span.high
        if previous.known:
            assert span.low >= previous.low
            assert previous.high is None or span.high is None or span.high >= previous.high
        previous = span


@given(st.lists(phrases(), min_size=1, max_size=8))
def test_elapsed_is_the_sum_of_the_gaps(rest):
    elapsed, _ = elapsed_times(whens("start", *rest))
    gaps = [parse_when(p).gap for p in rest]
    if all(g.known for g in gaps):
        assert elapsed[-1].low == sum(g.low for g in gaps)
        highs = [g.high for g in gaps]
        assert elapsed[-1].high == (None if None in highs else sum(highs))
        assert elapsed[-1].about == any(g.about for g in gaps)
    else:
        assert not elapsed[-1].known


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=10**8))
def test_a_range_always_has_a_readable_form(a, b):
    text = format_span(Span(min(a, b), max(a, b)))
    assert text and "unknown" not in text and not text.startswith("-")
