"""Time phrases and elapsed-time ranges: the contract's grammar, its normative examples, and
soundness as a property (every range contains the truth the phrases describe)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from casebook.model.timeline import (DAY, HOUR, MINUTE, MONTH, SECOND, UNKNOWN, WEEK, YEAR,
                                     PhraseError, Span, compute_times, format_duration,
                                     format_span, parse_when)

# ---- The contract's normative examples, exactly as displayed ----

NORMATIVE = [
    (["start", "same day", "same day", "same day"], None, "0 s · ≤ 1 day · ≤ 1 day · ≤ 1 day"),
    (["start", "next day", "same day"], None, "0 s · ≤ 2 days · ≤ 2 days"),
    (["start", "2 hours later", "3 hours later"], None, "0 s · 2 h · 5 h"),
    (["start", "immediately"], None, "0 s · ≤ 5 min"),
    (["start", "2–3 days later", "an hour later"], None, "0 s · 2–3 days · 2 days 1 h–3 days 1 h"),
    (["2009-09-01", "2009-09-09 14:05"], None, "0 s · 7 days 14 h–8 days 15 h"),
    (["start", "later", "within 48 hours"], [None, None, 0], "0 s · unknown · ≤ 2 days"),
    (["2005-06", "2006-08"], None, "0 s · 1 year 1 month–1 year 4 months"),
    (["start", "2005-06", "2005-06-21"], None, "0 s · unknown · unknown"),
]


@pytest.mark.parametrize("phrases, refs, displayed", NORMATIVE,
                         ids=[" · ".join(p) for p, _, _ in NORMATIVE])
def test_the_contracts_normative_examples(phrases, refs, displayed):
    times = compute_times([parse_when(p) for p in phrases], refs)
    assert times.misplaced == []
    assert " · ".join(map(str, times.elapsed)) == displayed


def test_the_normative_dated_example_in_seconds():
    times = compute_times([parse_when("2009-09-01"), parse_when("2009-09-09 14:05")])
    span = times.elapsed[1]
    assert (span.low, span.high) == (7 * DAY + 14 * HOUR + 5 * MINUTE, 8 * DAY + 14 * HOUR + 6 * MINUTE)


def test_after_an_undated_start_dates_are_measured_from_the_first_dated_event():
    times = compute_times([parse_when(p) for p in ["start", "2005-06", "2005-06-21"]])
    assert times.since[0] is None and times.first_dated == 1
    assert times.since[2].event == 1
    assert (times.since[2].span.low, times.since[2].span.high) == (0, 21 * DAY)
    assert str(times.since[2]) == "≤ 21 days after 2005-06"
    assert str(times.since[1]) == "0 s after 2005-06"


def test_a_dated_start_has_no_since():
    times = compute_times([parse_when(p) for p in ["2005-06", "2005-06-21", "2 days later"]])
    assert times.since == [None, None, None] and times.first_dated is None


# ---- The grammar: every row of the contract's table ----

@pytest.mark.parametrize("phrase, low, high, about", [
    ("start", 0, 0, False),
    ("2 minutes later", 2 * MINUTE, 2 * MINUTE, False),
    ("after 3 hours", 3 * HOUR, 3 * HOUR, False),
    ("after twenty minutes", 20 * MINUTE, 20 * MINUTE, False),
    ("about 20 minutes later", 20 * MINUTE, 20 * MINUTE, True),
    ("~20 minutes later", 20 * MINUTE, 20 * MINUTE, True),
    ("~1 day later", DAY, DAY, True),
    ("about two weeks later", 2 * WEEK, 2 * WEEK, True),
    ("within 2 minutes", 0, 2 * MINUTE, False),
    ("within 5 min", 0, 5 * MINUTE, False),
    ("within 1 h", 0, HOUR, False),
    ("within 3 d", 0, 3 * DAY, False),
    ("within 1 month", 0, MONTH, False),
    ("within 48 hours", 0, 2 * DAY, False),
    ("within a day", 0, DAY, False),
    ("within half an hour", 0, 30 * MINUTE, False),
    ("within a few days", 0, 4 * DAY, False),
    ("within seconds", 0, MINUTE, False),
    ("within minutes", 0, HOUR, False),
    ("within hours", 0, DAY, False),
    ("within days", 0, WEEK, False),
    ("within weeks", 0, MONTH, False),
    ("within months", 0, YEAR, False),
    ("immediately", 0, 5 * MINUTE, False),
    ("Immediately", 0, 5 * MINUTE, False),
    ("same day", 0, DAY, False),
    ("the same day", 0, DAY, False),
    ("next day", 0, 2 * DAY, False),
    ("next morning", 0, 2 * DAY, False),
    ("the next morning", 0, 2 * DAY, False),
    ("The Next Evening", 0, 2 * DAY, False),
    ("days later", 2 * DAY, None, False),
    ("hours later", 2 * HOUR, None, False),
    ("years later", 2 * YEAR, None, False),
    ("an hour later", HOUR, HOUR, False),
    ("a week later", WEEK, WEEK, False),
    ("a year later", YEAR, YEAR, False),
    ("1 year later", YEAR, YEAR, False),
    ("2 years later", 2 * YEAR, 2 * YEAR, False),
    ("half an hour later", 30 * MINUTE, 30 * MINUTE, False),
    ("half a day later", 12 * HOUR, 12 * HOUR, False),
    ("a few days later", 2 * DAY, 4 * DAY, False),
    ("several weeks later", 3 * WEEK, 7 * WEEK, False),
    ("2–3 days later", 2 * DAY, 3 * DAY, False),
    ("2-3 days later", 2 * DAY, 3 * DAY, False),
    ("2 to 3 days later", 2 * DAY, 3 * DAY, False),
    ("about 2–3 days later", 2 * DAY, 3 * DAY, True),
    ("twenty-one days later", 21 * DAY, 21 * DAY, False),
    ("twenty-five minutes later", 25 * MINUTE, 25 * MINUTE, False),
    ("twenty five minutes later", 25 * MINUTE, 25 * MINUTE, False),
    ("sixty seconds later", 60, 60, False),
    ("1.5 hours later", 90 * MINUTE, 90 * MINUTE, False),
    ("Within Two Minutes", 0, 2 * MINUTE, False),
    ("45 s later", 45, 45, False),
    ("10 secs later", 10, 10, False),
    ("3 mins later", 3 * MINUTE, 3 * MINUTE, False),
    ("2 hrs later", 2 * HOUR, 2 * HOUR, False),
    ("2 wks later", 2 * WEEK, 2 * WEEK, False),
    ("1 mo later", MONTH, MONTH, False),
    ("3 yrs later", 3 * YEAR, 3 * YEAR, False),
    ("1 yr later", YEAR, YEAR, False),
    ("1 hr later", HOUR, HOUR, False),
    ("1 wk later", WEEK, WEEK, False),
    ("2h later", 2 * HOUR, 2 * HOUR, False),
])
def test_relative_phrases_give_the_contracts_gap(phrase, low, high, about):
    gap = parse_when(phrase).gap
    assert (gap.low, gap.high, gap.about) == (low, high, about)
    assert parse_when(phrase).text == phrase  # shown as written


def test_later_is_an_unknown_gap():
    assert not parse_when("later").gap.known


@pytest.mark.parametrize("phrase, word, closest", [
    ("soon", "`soon` is not a word of time phrases", None),
    ("in a jiffy", "`in` is not a word of time phrases", None),
    ("within 2 lightyears", "`lightyears` is not a unit", "within 2 years"),
    ("seventy minutes later", "`seventy` is not a number", "70 minutes later"),
    ("within hour", "`hour` is not understood there", "within hours"),
    ("within years", "`within years` has no larger unit", "within 2 years"),
    ("2 hours", "it stops after `hours`", "2 hours later"),
    ("about 3 hours", "it stops after `hours`", "about 3 hours later"),
    ("hours", "it stops after `hours`", "hours later"),
    ("immediately after", "`after` is not understood there", "immediately"),
    ("a few", "it stops after `few`", None),
    ("next weak", "`weak` is not a word of time phrases", None),
    # Ordinary idioms get the phrase that says the same.
    ("the following day", "`following` is not a word of time phrases", "next day"),
    ("next week", "`week` is not understood there", "a week later"),
    ("soon after", "`soon` is not a word of time phrases", "later"),
    ("a fortnight later", "`fortnight` is not a unit", "2 weeks later"),
])
def test_an_error_names_the_phrase_the_word_and_the_closest_accepted_phrase(phrase, word, closest):
    with pytest.raises(PhraseError) as error:
        parse_when(phrase)
    message = str(error.value)
    assert message.startswith(f"`{phrase}` is not a time phrase: ")
    assert word in message
    assert "(closest accepted phrase: `" in message
    if closest:
        assert f"(closest accepted phrase: `{closest}`)" in message
        parse_when(message.rsplit("`", 2)[1])   # the suggestion is itself accepted
    assert len(message) < 220 and "accepted: start" not in message   # no grammar dump


@pytest.mark.parametrize("phrase, message", [
    ("2014-13-45", "is not a real date"),
    ("2014-02-30", "is not a real date"),
    ("2014/02/03", r"is not a date \(write 2009, 2009-09"),
])
def test_a_bad_date_says_how_to_write_one(phrase, message):
    with pytest.raises(PhraseError, match=message):
        parse_when(phrase)


def test_absolute_dates_allow_their_whole_period():
    year = parse_when("2009").moment
    assert (year.earliest, year.latest) == (datetime(2009, 1, 1), datetime(2010, 1, 1))
    month = parse_when("2009-09").moment
    assert (month.earliest.day, month.latest.month) == (1, 10)
    day = parse_when("2009-09-09").moment
    assert (day.latest - day.earliest).days == 1
    minute = parse_when("2009-09-09 14:05").moment
    assert (minute.latest - minute.earliest).total_seconds() == 60
    second = parse_when("2009-09-09 14:05:30").moment
    assert second.earliest == second.latest == datetime(2009, 9, 9, 14, 5, 30)


def whens(*phrases):
    return [parse_when(p) for p in phrases]


def shown(*phrases, refs=None):
    return [str(s) for s in compute_times(whens(*phrases), refs).elapsed]


def test_calendar_days_do_not_add_up_like_gaps():
    assert shown("start", "next day", "next day") == ["0 s", "≤ 2 days", "1–3 days"]
    # Started at 22:00, the 2-hour event is at midnight and its day lasts a day more.
    assert shown("start", "2 hours later", "same day") == ["0 s", "2 h", "2 h–1 day 2 h"]
    # The start dated to the minute: its time of day is known.
    assert shown("2009-09-09 22:00", "next morning") == ["0 s", "1 h 59 min–1 day 2 h"]


def test_seconds_are_instants():
    assert shown("2024-03-04 09:12:00", "2024-03-04 09:12:30", "2024-03-04 10:00:00") == [
        "0 s", "30 s", "48 min"]


def test_every_event_starts_no_earlier_than_the_previous():
    assert shown("start", "2 hours later", "within 1 day", "within 1 hour",
                 refs=[None, None, 0, 0])[2:] == ["2 h–1 day", "2 h"]


def test_about_spreads_to_events_measured_from_it():
    assert shown("start", "about 2 hours later", "1 hour later") == ["0 s", "~2 h", "~3 h"]
    assert shown("start", "about 2 hours later", "later") == ["0 s", "~2 h", "≥ ~2 h"]


def test_later_keeps_the_low_end():
    assert shown("start", "2 days later", "later", "1 hour later") == [
        "0 s", "2 days", "≥ 2 days", "≥ 2 days 1 h"]


def test_a_date_after_a_relative_start_is_open_above():
    times = compute_times(whens("start", "next day", "2009-09-11", "2 hours later"))
    assert [str(s) for s in times.elapsed] == ["0 s", "≤ 2 days", "unknown", "≥ 2 h"]
    assert str(times.since[3]) == "2 h after 2009-09-11"


@pytest.mark.parametrize("phrases, refs, position, message", [
    (("start", "start"), None, 1, "`start` is only for the first event"),
    (("next day", "start"), None, 0, "first event's `when` must be `start` or a date"),
    (("2009-09-10", "2009-09-09"), None, 1, "before the date of an earlier event"),
    (("start", "2 days later", "within 1 hour"), [None, None, 0], 2, "at most 1 h after the start"),
])
def test_phrases_out_of_place_are_reported(phrases, refs, position, message):
    misplaced = compute_times(whens(*phrases), refs).misplaced
    assert misplaced[0][0] == position and message in misplaced[0][1]


# ---- Display ----

@pytest.mark.parametrize("seconds, text", [
    (45, "45 s"), (20 * MINUTE, "20 min"), (3 * HOUR + 5 * MINUTE, "3 h 5 min"),
    (DAY, "1 day"), (2 * DAY + HOUR, "2 days 1 h"), (2 * DAY + HOUR + 59, "2 days 1 h"),
    (0, "0 s"), (HOUR + 30, "1 h"), (DAY + 6 * MINUTE, "1 day"), (YEAR + 2 * MONTH, "1 year 2 months"),
    (457 * DAY, "1 year 3 months"), (40 * DAY, "1 month 10 days"),
])
def test_durations_are_written_in_their_two_largest_units_rounded_down(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds, text", [
    (8 * DAY + 14 * HOUR + 6 * MINUTE, "8 days 15 h"), (457 * DAY, "1 year 4 months"),
    (DAY - 30, "1 day"), (DAY + 6 * MINUTE, "1 day 1 h"), (45, "45 s"),
])
def test_upper_ends_round_up(seconds, text):
    assert format_duration(seconds, up=True) == text


@pytest.mark.parametrize("span, text", [
    (Span(2 * MINUTE, 2 * MINUTE), "2 min"),
    (Span(20 * MINUTE, 20 * MINUTE, about=True), "~20 min"),
    (Span(0, 2 * MINUTE), "≤ 2 min"),
    (Span(2 * DAY, None), "≥ 2 days"),
    (Span(DAY, 2 * DAY), "1–2 days"),
    (Span(2 * DAY, 2 * DAY + HOUR), "2 days–2 days 1 h"),
    (UNKNOWN, "unknown"),
    (Span(0, 0), "0 s"),
])
def test_ranges_are_shown_in_the_contracts_forms(span, text):
    assert format_span(span) == text


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_a_range_always_has_a_readable_form_that_covers_it(a, b):
    low, high = min(a, b), max(a, b)
    text = format_span(Span(low, high))
    assert text and "unknown" not in text and not text.startswith("-")
    assert _seconds_of(format_duration(low)) <= low
    assert _seconds_of(format_duration(high, up=True)) >= high


_SIZES = {"year": YEAR, "years": YEAR, "month": MONTH, "months": MONTH, "day": DAY,
          "days": DAY, "h": HOUR, "min": MINUTE, "s": SECOND}


def _seconds_of(text: str) -> int:
    words = text.split()
    return sum(int(n) * _SIZES[unit] for n, unit in zip(words[::2], words[1::2]))


# ---- Soundness: any truthful phrases give ranges that contain the truth ----

UNITS = [("second", SECOND), ("minute", MINUTE), ("hour", HOUR), ("day", DAY), ("week", WEEK),
         ("month", MONTH), ("year", YEAR)]
PLURAL_ABBREVIATIONS = {SECOND: "secs", MINUTE: "mins", HOUR: "hrs", WEEK: "wks", YEAR: "yrs"}
NEXT_LARGER = {SECOND: MINUTE, MINUTE: HOUR, HOUR: DAY, DAY: WEEK, WEEK: MONTH, MONTH: YEAR}
WORDS = {1: "one", 2: "two", 5: "five", 12: "twelve", 25: "twenty-five", 48: "forty-eight"}


def _count(n: int) -> str:
    return WORDS.get(n, str(n))


def true_phrases(gap: int, before: datetime, after: datetime) -> list[str]:
    """Every kind of relative phrase that is true of a gap between two instants."""
    phrases = ["later"]
    if gap <= 5 * MINUTE:
        phrases.append("immediately")
    if after.date() == before.date():
        phrases += ["same day", "the same day"]
    if (after.date() - before.date()).days == 1:
        phrases += ["next day", "the next morning", "next evening"]
    for name, unit in UNITS:
        many = name + "s"
        if gap % unit == 0 and gap:
            n = gap // unit
            phrases += [f"{_count(n)} {name if n == 1 else many} later", f"after {n} {many}"]
            if n == 1:
                phrases.append(f"{'an' if name == 'hour' else 'a'} {name} later")
        if gap * 2 == unit and unit in (HOUR, DAY):
            phrases.append(f"half {'an' if name == 'hour' else 'a'} {name} later")
        n = -(-gap // unit)
        if n:
            phrases += [f"within {n} {many}", f"within {_count(n)} {many}"]
        if unit == DAY and gap <= DAY:
            phrases.append("within a day")
        if unit in NEXT_LARGER and gap < NEXT_LARGER[unit]:
            phrases += [f"within {many}", f"within {PLURAL_ABBREVIATIONS.get(unit, many)}"]
        if gap >= 2 * unit:
            phrases.append(f"{many} later")
            low = gap // unit
            phrases += [f"{low}–{low + 1} {many}", f"{low} to {low + 2} {many}"]
            phrases[-2:] = [p + " later" for p in phrases[-2:]]
        if 2 * unit <= gap <= 4 * unit:
            phrases.append(f"a few {many} later")
        if 3 * unit <= gap <= 7 * unit:
            phrases.append(f"several {many} later")
    return phrases


DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M",
                "second": "%Y-%m-%d %H:%M:%S"}


def date_phrase(instant: datetime, precision: str) -> str:
    return instant.strftime(DATE_FORMATS[precision])


TIMES_OF_DAY = st.one_of(st.sampled_from([0, 1, 59, 60, 12 * HOUR, DAY - 3600, DAY - 60, DAY - 1]),
                         st.integers(0, DAY - 1))
PRECISIONS = st.sampled_from(["year", "month", "day", "minute", "second"])
GAPS = st.one_of(
    st.integers(0, 10 * MINUTE),
    st.integers(0, 3 * DAY),
    st.integers(0, 2 * YEAR),
    st.builds(lambda n, unit: n * unit, st.integers(1, 60), st.sampled_from([u for _, u in UNITS])),
    st.sampled_from([30 * MINUTE, 12 * HOUR, DAY, HOUR]),
)


@st.composite
def truthful_timelines(draw):
    """True instants, and for each event a phrase (and `from:`) that is true of them."""
    # Times of day near midnight are where calendar days and 24-hour gaps part.
    day = datetime(2000, 1, 1) + timedelta(days=draw(st.integers(0, 30 * 365)))
    start = day + timedelta(seconds=draw(TIMES_OF_DAY))
    instants = [start]
    for _ in range(draw(st.integers(1, 7))):
        last = instants[-1]
        if draw(st.integers(0, 3)) == 0:   # just before or after a coming midnight
            midnight = datetime.combine(last.date(), datetime.min.time()) + timedelta(
                days=draw(st.integers(1, 3)))
            gap = max(0, int((midnight - last).total_seconds()) + draw(st.integers(-120, 120)))
        else:
            gap = draw(GAPS)
        instants.append(last + timedelta(seconds=gap))
    phrases = ["start" if draw(st.booleans()) else date_phrase(start, draw(PRECISIONS))]
    refs: list[int | None] = [None]
    for index in range(1, len(instants)):
        if draw(st.integers(0, 5)) == 0:
            phrases.append(date_phrase(instants[index], draw(PRECISIONS)))
            refs.append(None)
            continue
        ref = draw(st.integers(0, index - 1)) if draw(st.integers(0, 3)) == 0 else index - 1
        gap = int((instants[index] - instants[ref]).total_seconds())
        phrases.append(draw(st.sampled_from(true_phrases(gap, instants[ref], instants[index]))))
        refs.append(None if ref == index - 1 else ref)
    return instants, phrases, refs


def contains(span: Span, seconds: int) -> bool:
    return span.low <= seconds and (span.high is None or seconds <= span.high)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truthful_timelines())
def test_every_range_contains_the_true_elapsed_time(timeline):
    instants, phrases, refs = timeline
    times = compute_times(whens(*phrases), refs)
    assert times.misplaced == [], phrases
    for index, span in enumerate(times.elapsed):
        truth = int((instants[index] - instants[0]).total_seconds())
        assert contains(span, truth), (phrases, refs, index, span, truth)
        since = times.since[index]
        if since is not None:
            truth = int((instants[index] - instants[since.event]).total_seconds())
            assert contains(since.span, truth), (phrases, refs, index, since, truth)
    for span, before in zip(times.elapsed[1:], times.elapsed):
        assert span.low >= before.low    # never earlier than the previous event
        assert span.high is None or span.low <= span.high


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from(UNITS)), min_size=1, max_size=6))
def test_exact_gaps_give_exact_ranges(gaps):
    """Not wider than the phrases force: exact gaps after a start add up exactly."""
    phrases = ["start"] + [f"{n} {name}s later" for n, (name, _) in gaps]
    last = compute_times(whens(*phrases)).elapsed[-1]
    total = sum(n * unit for n, (_, unit) in gaps)
    assert (last.low, last.high) == (total, total)
