"""Time phrases (`when`) and the elapsed-time ranges computed from them.

A phrase says how long after the previous event something happened; summing the gaps gives
each event's elapsed time since the start as a range: exact, about, within, at least, unknown.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

SECOND, MINUTE, HOUR, DAY, WEEK = 1, 60, 3600, 86400, 7 * 86400
MONTH = 30 * DAY
YEAR = 365 * DAY

UNIT_SECONDS = {
    "second": SECOND, "minute": MINUTE, "min": MINUTE, "hour": HOUR, "h": HOUR,
    "day": DAY, "d": DAY, "week": WEEK, "month": MONTH,
}
# "within hours" means less than one of the next larger unit.
NEXT_LARGER = {SECOND: MINUTE, MINUTE: HOUR, HOUR: DAY, DAY: WEEK, WEEK: MONTH, MONTH: YEAR}

_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def _number_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_ONES, 1)}
    words.update({word: n for n, word in enumerate(_TEENS, 10)})
    for tens, value in _TENS.items():
        words[tens] = value
        for n, one in enumerate(_ONES, 1):
            words[f"{tens}-{one}"] = words[f"{tens} {one}"] = value + n
    words["sixty"] = 60
    return words


NUMBER_WORDS = _number_words()

ACCEPTED_FORMS = ("start, a date (2009-09-09, 2009-09 or 2009-09-09 14:05), N UNIT later, "
                  "after N UNIT, about N UNIT later, within N UNIT, within UNITs, same day, "
                  "next day, UNITs later, later; N is digits or a word from one to sixty, "
                  "UNIT is second, minute, hour, day, week or month (min, h, d)")


@dataclass(frozen=True)
class Span:
    """A range of durations in seconds. `high` None: no upper bound. `known` False: unknown."""

    low: int = 0
    high: int | None = 0
    about: bool = False
    known: bool = True

    def __add__(self, other: "Span") -> "Span":
        if not (self.known and other.known):
            return UNKNOWN
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(self.low + other.low, high, self.about or other.about)

    @property
    def bounded(self) -> bool:
        return self.known and self.high is not None

    @property
    def midpoint(self) -> float:
        assert self.bounded
        return (self.low + self.high) / 2

    def __str__(self) -> str:
        return format_span(self)


UNKNOWN = Span(known=False)
ZERO = Span()


@dataclass(frozen=True)
class Moment:
    """An absolute date or time, with the earliest and latest instant it allows."""

    earliest: datetime
    latest: datetime  # exclusive for a day or month, the instant itself for a time

    def ends_before(self, other: "Moment") -> bool:
        if self.earliest == self.latest:
            return self.latest < other.earliest
        return self.latest <= other.earliest


@dataclass(frozen=True)
class When:
    """A parsed time phrase: a gap after the previous event, the start, or a moment."""

    text: str
    gap: Span | None = None      # relative phrases
    moment: Moment | None = None  # absolute dates
    is_start: bool = False


class PhraseError(ValueError):
    pass


_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?: (\d{2}):(\d{2}))?)?")
_NUMBER = r"(\d+|[a-z]+(?:[ -][a-z]+)?)"
_UNIT = r"([a-z]+)"
_PATTERNS = [
    (re.compile(rf"about {_NUMBER} {_UNIT} later"), "about"),
    (re.compile(rf"{_NUMBER} {_UNIT} later"), "exact"),
    (re.compile(rf"after {_NUMBER} {_UNIT}"), "exact"),
    (re.compile(rf"within {_NUMBER} {_UNIT}"), "within"),
    (re.compile(rf"within {_UNIT}"), "within-unit"),
    (re.compile(rf"{_UNIT} later"), "units-later"),
]


@functools.lru_cache(maxsize=4096)  # a casebook repeats a few dozen phrases thousands of times
def parse_when(text: str) -> When:
    """Parse one `when` phrase; PhraseError says what is wrong."""
    phrase = " ".join(text.lower().split())
    if phrase == "start":
        return When(text, gap=ZERO, is_start=True)
    if phrase == "later":
        return When(text, gap=UNKNOWN)
    if phrase == "same day":
        return When(text, gap=Span(0, DAY))
    if phrase == "next day":
        return When(text, gap=Span(DAY, 2 * DAY))
    if re.match(r"\d{4}-", phrase):
        return When(text, moment=parse_moment(phrase))
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(phrase)
        if match:
            return When(text, gap=_gap(kind, match.groups()))
    raise PhraseError(f"`{text}` is not a time phrase")


def _gap(kind: str, groups: tuple[str, ...]) -> Span:
    if kind == "within-unit":
        unit = _unit(groups[0], plural=True)
        return Span(0, NEXT_LARGER[unit])
    if kind == "units-later":
        unit = _unit(groups[0], plural=True)
        return Span(2 * unit, None)
    amount = _number(groups[0]) * _unit(groups[1])
    if kind == "within":
        return Span(0, amount)
    return Span(amount, amount, about=kind == "about")


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    raise PhraseError(f"`{word}` is not a number (write digits or a word from one to sixty)")


def _unit(word: str, plural: bool = False) -> int:
    singular = word[:-1] if word.endswith("s") and word[:-1] not in ("h", "d") else word
    if plural and (singular == word or singular in ("min", "h", "d")):
        raise PhraseError(f"`{word}` should be a plural unit here, such as hours or days")
    if singular in UNIT_SECONDS:
        return UNIT_SECONDS[singular]
    raise PhraseError(f"`{word}` is not a unit (second, minute, hour, day, week or month)")


def parse_moment(text: str) -> Moment:
    match = _DATE.fullmatch(text)
    if not match:
        raise PhraseError(f"`{text}` is not a date (write 2009-09-09, 2009-09 or 2009-09-09 14:05)")
    year, month, day, hour, minute = (int(g) if g else None for g in match.groups())
    try:
        if day is None:
            earliest = datetime(year, month, 1)
            latest = datetime(year + month // 12, month % 12 + 1, 1)
        elif hour is None:
            earliest = datetime(year, month, day)
            latest = earliest + timedelta(days=1)
        else:
            # A time written to the minute is taken as that instant.
            earliest = latest = datetime(year, month, day, hour, minute)
    except ValueError:
        raise PhraseError(f"`{text}` is not a real date or time") from None
    return Moment(earliest, latest)


def elapsed_times(whens: list[When]) -> tuple[list[Span], list[tuple[int, str]]]:
    """Each event's elapsed range since the start, and the positions whose phrase cannot be
    where it is (with the reason)."""
    elapsed: list[Span] = []
    misplaced: list[tuple[int, str]] = []
    start: Moment | None = None
    previous_moment: Moment | None = None
    for index, when in enumerate(whens):
        if index == 0:
            if when.is_start:
                elapsed.append(ZERO)
            elif when.moment:
                start = previous_moment = when.moment
                elapsed.append(ZERO)
            else:
                misplaced.append((index, "the first event's `when` must be `start` or a date"))
                elapsed.append(UNKNOWN)
            continue
        if when.is_start:
            misplaced.append((index, "`start` is only for the first event (say how long after "
                                     "the previous event this happened)"))
            elapsed.append(UNKNOWN)
        elif when.moment:
            if previous_moment and when.moment.ends_before(previous_moment):
                misplaced.append((index, "this date is before the date of an earlier event "
                                         "(events are listed in the order they happened)"))
            previous_moment = when.moment
            elapsed.append(_between(start, when.moment) if start else UNKNOWN)
        else:
            elapsed.append(elapsed[-1] + when.gap)
    return elapsed, misplaced


def _between(start: Moment, moment: Moment) -> Span:
    low = max(0, int((moment.earliest - start.latest).total_seconds()))
    high = max(low, int((moment.latest - start.earliest).total_seconds()))
    return Span(low, high)


_DISPLAY_UNITS = [(DAY, "day", "days"), (HOUR, "h", "h"), (MINUTE, "min", "min"), (SECOND, "s", "s")]


def _parts(seconds: int) -> list[tuple[int, str, str]]:
    """The two largest non-zero units of a duration (smaller units are dropped)."""
    parts = []
    rest = int(seconds)
    for size, one, many in _DISPLAY_UNITS:
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, one, many))
        if len(parts) == 2:
            break
    return [p for p in parts if p[0]] or [(0, "s", "s")]


def format_duration(seconds: float) -> str:
    return " ".join(f"{count} {one if count == 1 else many}" for count, one, many in _parts(round(seconds)))


def format_span(span: Span) -> str:
    if not span.known:
        return "unknown"
    about = "~" if span.about else ""
    if span.high is None:
        return f"≥ {about}{format_duration(span.low)}"
    if span.low == span.high:
        return f"{about}{format_duration(span.low)}"
    if span.low == 0:
        return f"≤ {about}{format_duration(span.high)}"
    low, high = _parts(span.low), _parts(span.high)
    if len(low) == len(high) == 1 and low[0][1] == high[0][1]:
        count, one, many = high[0]
        return f"{about}{low[0][0]}–{count} {one if count == 1 else many}"
    return f"{about}{format_duration(span.low)}–{format_duration(span.high)}"
