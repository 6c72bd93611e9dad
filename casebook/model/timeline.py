"""Time phrases (`when`) and the elapsed-time ranges computed from them.

The contract is CASE-FORMAT.md, "Time phrases (`when`), version 2". A phrase says how long
after a reference event (the previous one, or the one `from:` names) something happened. The
ranges are computed forward, event by event, and must contain the true time for any events
the phrases truthfully describe, without being wider than the phrases force:

- each event's elapsed range comes from its reference's range and the phrase's gap;
- calendar phrases (`same day`, `next day`) are about calendar days, not 24-hour gaps: every
  event also carries the range of calendar days after the start's day it may lie on, and an
  event on the k-th calendar day lies between k-1 and k+1 days after the start (closer when
  the start's time of day is known);
- every event starts no earlier than the previous one (events are listed in order);
- absolute dates are measured between the instants both dates allow; after an undated start
  they are also measured from the first dated event (`since`).
"""
from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

SECOND, MINUTE, HOUR, DAY, WEEK = 1, 60, 3600, 86400, 7 * 86400
MONTH = 30 * DAY
YEAR = 365 * DAY

UNIT_NAMES = {SECOND: "second", MINUTE: "minute", HOUR: "hour", DAY: "day", WEEK: "week",
              MONTH: "month", YEAR: "year"}
# Every way to write a unit; the plural ones may also stand alone (`within hours`).
UNIT_WORDS = {
    "second": SECOND, "seconds": SECOND, "s": SECOND, "sec": SECOND, "secs": SECOND,
    "minute": MINUTE, "minutes": MINUTE, "min": MINUTE, "mins": MINUTE,
    "hour": HOUR, "hours": HOUR, "h": HOUR, "hr": HOUR, "hrs": HOUR,
    "day": DAY, "days": DAY, "d": DAY,
    "week": WEEK, "weeks": WEEK, "wk": WEEK, "wks": WEEK,
    "month": MONTH, "months": MONTH, "mo": MONTH,
    "year": YEAR, "years": YEAR, "yr": YEAR, "yrs": YEAR,
}
PLURAL_UNIT_WORDS = {"seconds", "secs", "minutes", "mins", "hours", "hrs", "days", "weeks",
                     "wks", "months", "years", "yrs"}
# "within hours" means less than one of the next larger unit.
NEXT_LARGER = {SECOND: MINUTE, MINUTE: HOUR, HOUR: DAY, DAY: WEEK, WEEK: MONTH, MONTH: YEAR}
IMMEDIATELY = 5 * MINUTE
A_FEW = (2, 4)
SEVERAL = (3, 7)

_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
# Number words past sixty are not accepted, but an error can still say what to write.
_BIG = {"seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
        "sixty-one": 61, "dozen": 12, "zero": 0}


def _number_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_ONES, 1)}
    words.update({word: n for n, word in enumerate(_TEENS, 10)})
    for tens, value in _TENS.items():
        words[tens] = value
        for n, one in enumerate(_ONES, 1):
            words[f"{tens}-{one}"] = value + n
    words["sixty"] = 60
    return words


NUMBER_WORDS = _number_words()
_WORDS = (set(NUMBER_WORDS) | set(UNIT_WORDS) | {
    "start", "later", "after", "about", "within", "immediately", "same", "next", "day",
    "morning", "evening", "a", "an", "half", "few", "several", "to", "-", "–", "—", "~"})


@dataclass(frozen=True)
class Span:
    """A range of durations in seconds; `high` None: no upper bound."""

    low: int = 0
    high: int | None = 0
    about: bool = False

    @property
    def known(self) -> bool:
        """Whether the range says anything (not from 0 with no upper bound)."""
        return self.low > 0 or self.high is not None

    @property
    def bounded(self) -> bool:
        return self.high is not None

    @property
    def midpoint(self) -> float:
        assert self.high is not None
        return (self.low + self.high) / 2

    def __add__(self, other: "Span") -> "Span":
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(self.low + other.low, high, self.about or other.about)

    def __str__(self) -> str:
        return format_span(self)


UNKNOWN = Span(0, None)
ZERO = Span()


@dataclass(frozen=True)
class Moment:
    """An absolute date or time: the instants it allows, from `earliest` up to `latest`
    (exclusive; equal to `earliest` for a time to the second, which is that instant)."""

    earliest: datetime
    latest: datetime
    precision: str      # year | month | day | minute | second

    @property
    def last(self) -> datetime:
        """The last whole second it allows."""
        return self.latest if self.latest == self.earliest else self.latest - timedelta(seconds=1)

    def ends_before(self, other: "Moment") -> bool:
        return self.last < other.earliest


@dataclass(frozen=True)
class When:
    """A parsed time phrase."""

    text: str                  # as written
    kind: str                  # start | moment | gap | calendar | later
    gap: Span | None = None    # for `gap` (and `later`: unknown)
    moment: Moment | None = None
    days: int = 0              # for `calendar`: 0 same day, 1 next day

    @property
    def is_start(self) -> bool:
        return self.kind == "start"


class PhraseError(ValueError):
    """A phrase that is not in the grammar; the message names the phrase, the part not
    understood and the closest accepted phrase."""


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?)?)?")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)*|[-–—~]|\S")


def normalize(text: str) -> str:
    phrase = " ".join(text.lower().split())
    return phrase[4:] if phrase.startswith("the ") else phrase


# The longest `when` read: real phrases take a few words ("about three hours later"), and the
# parser's and its explanation's work grows faster than the length (500,000 digits: minutes).
MAX_PHRASE = 80


@functools.lru_cache(maxsize=4096)  # a casebook repeats a few dozen phrases thousands of times
def parse_when(text: str) -> When:
    """Parse one `when` phrase; PhraseError says what is wrong."""
    if len(text) > MAX_PHRASE:
        raise PhraseError(f"is {len(text)} characters long (a time phrase is at most "
                          f"{MAX_PHRASE}, such as `about 3 hours later` or `2014-02-03 14:05`)")
    phrase = normalize(text)
    if re.match(r"\d{4}(?:[-/.]|$)", phrase):
        return When(text, "moment", moment=parse_moment(phrase, text))
    tokens = _TOKEN.findall(phrase)
    parser = _Parser(tokens)
    result = parser.phrase()
    if result is None:
        raise PhraseError(_explain(text, tokens, parser))
    kind, value = result
    if kind == "start":
        return When(text, "start", gap=ZERO)
    if kind == "later":
        return When(text, "later", gap=UNKNOWN)
    if kind == "calendar":
        return When(text, "calendar", gap=Span(0, (value + 1) * DAY), days=value)
    return When(text, "gap", gap=value)


class _Parser:
    """Recursive descent over the words of a phrase; remembers how far any reading got, so
    an error can point at the word it stopped at."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.furthest = 0
        self.reason: str | None = None

    def phrase(self):
        for rule in (self._fixed, self._about, self._after, self._within, self._units_later,
                     self._gap_later):
            result = rule()
            if result is not None:
                return result
        return None

    def _at(self, pos: int) -> str | None:
        return self.tokens[pos] if pos < len(self.tokens) else None

    def _reach(self, pos: int, reason: str | None = None) -> None:
        if pos > self.furthest or (pos == self.furthest and reason and not self.reason):
            self.furthest, self.reason = pos, reason

    def _end(self, pos: int) -> bool:
        self._reach(pos)
        return pos == len(self.tokens)

    def _fixed(self):
        t = self.tokens
        if t[:1] in (["start"], ["later"], ["immediately"]):
            self._reach(1)
        if t == ["start"]:
            return "start", None
        if t == ["later"]:
            return "later", None
        if t == ["immediately"]:
            return "gap", Span(0, IMMEDIATELY)
        if t[:1] == ["same"]:
            self._reach(1)
            if self._at(1) == "day" and self._end(2):
                return "calendar", 0
        if t[:1] == ["next"]:
            self._reach(1)
            if self._at(1) in ("day", "morning", "evening") and self._end(2):
                return "calendar", 1
        return None

    def _about(self):
        if self._at(0) not in ("about", "~"):
            return None
        self._reach(1)
        pos, gap = self._gap(1)
        if gap is not None and self._at(pos) == "later" and self._end(pos + 1):
            return "gap", Span(gap.low, gap.high, about=True)
        if gap is not None:
            self._reach(pos)
        return None

    def _after(self):
        if self._at(0) != "after":
            return None
        self._reach(1)
        pos, gap = self._gap(1)
        if gap is not None and self._end(pos):
            return "gap", gap
        return None

    def _within(self):
        if self._at(0) != "within":
            return None
        self._reach(1)
        word = self._at(1)
        if word in PLURAL_UNIT_WORDS and len(self.tokens) == 2:
            unit = UNIT_WORDS[word]
            if unit == YEAR:
                self._reach(1, f"`within {word}` has no larger unit to count up to (write "
                               "`within 2 years`, say, or `years later`)")
                return None
            return "gap", Span(0, NEXT_LARGER[unit])
        pos, gap = self._gap(1)
        if gap is not None and self._end(pos):
            return "gap", Span(0, gap.high)
        return None

    def _units_later(self):
        word = self._at(0)
        if word in PLURAL_UNIT_WORDS:
            self._reach(1)
        if word in PLURAL_UNIT_WORDS and self._at(1) == "later" and self._end(2):
            return "gap", Span(2 * UNIT_WORDS[word], None)
        return None

    def _gap_later(self):
        pos, gap = self._gap(0)
        if gap is None:
            return None
        if self._at(pos) == "later" and self._end(pos + 1):
            return "gap", gap
        self._reach(pos)
        return None

    def _gap(self, pos: int) -> tuple[int, Span | None]:
        """GAP at `pos`: the position after it and the gap, or (pos, None)."""
        word = self._at(pos)
        if word in ("a", "an") and self._at(pos + 1) == "few":
            return self._counted(pos + 2, A_FEW)
        if word == "several":
            return self._counted(pos + 1, SEVERAL)
        if word == "half" and self._at(pos + 1) in ("a", "an"):
            unit = self._unit(pos + 2)
            return (pos + 3, Span(unit // 2, unit // 2)) if unit else (pos, None)
        if word in ("a", "an"):
            unit = self._unit(pos + 1)
            return (pos + 2, Span(unit, unit)) if unit else (pos, None)
        start, first = self._number(pos)
        if first is None:
            return pos, None
        if self._at(start) in ("-", "–", "—", "to"):
            end, second = self._number(start + 1)
            if second is None:
                return pos, None
            unit = self._unit(end)
            if not unit:
                return pos, None
            low, high = sorted((first, second))
            return end + 1, Span(_seconds(low, unit), _seconds(high, unit))
        unit = self._unit(start)
        if not unit:
            return pos, None
        return start + 1, Span(_seconds(first, unit), _seconds(first, unit))

    def _counted(self, pos: int, counts: tuple[int, int]) -> tuple[int, Span | None]:
        word = self._at(pos)
        if word in PLURAL_UNIT_WORDS:
            unit = UNIT_WORDS[word]
            return pos + 1, Span(counts[0] * unit, counts[1] * unit)
        self._reach(pos, None if word is None or word in _WORDS else _not_a_unit(word))
        return pos, None

    def _number(self, pos: int) -> tuple[int, float | None]:
        word = self._at(pos)
        if word is None:
            self._reach(pos)
            return pos, None
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            return pos + 1, float(word)
        if word in _TENS and self._at(pos + 1) in _ONES:  # "twenty five"
            return pos + 2, NUMBER_WORDS[f"{word}-{self._at(pos + 1)}"]
        if word in NUMBER_WORDS:
            return pos + 1, NUMBER_WORDS[word]
        if word in _BIG or _big_number(word) is not None:
            self._reach(pos, f"`{word}` is not a number we read (write digits, or a word from "
                             "one to sixty)")
        else:
            self._reach(pos)
        return pos, None

    def _unit(self, pos: int) -> int | None:
        word = self._at(pos)
        if word in UNIT_WORDS:
            return UNIT_WORDS[word]
        self._reach(pos, None if word is None or word in _WORDS else _not_a_unit(word))
        return None


def _seconds(count: float, unit: int) -> int:
    return int(round(count * unit))


def _not_a_unit(word: str) -> str:
    return f"`{word}` is not a unit (second, minute, hour, day, week, month or year)"


def _big_number(word: str) -> int | None:
    """A number word past sixty (`seventy-five`), for the suggestion only."""
    if word in _BIG:
        return _BIG[word]
    tens, _, one = word.partition("-")
    if tens in _BIG and one in _ONES:
        return _BIG[tens] + _ONES.index(one) + 1
    return None


def _explain(text: str, tokens: list[str], parser: _Parser) -> str:
    """What is wrong with a phrase: the part not understood, and the closest accepted one."""
    shown = text if len(text) <= 60 else text[:60] + "…"
    if parser.reason:
        reason = parser.reason
    elif not tokens:
        reason = "it is empty"
    elif parser.furthest >= len(tokens):
        reason = f"it stops after `{tokens[-1]}`"
    else:
        word = tokens[parser.furthest]
        if word not in _WORDS:
            reason = f"`{word}` is not a word of time phrases"
        else:
            reason = f"`{word}` is not understood there"
    return (f"`{shown}` is not a time phrase: {reason} "
            f"(closest accepted phrase: `{closest_phrase(text)}`)")


# Ordinary ways of saying it that the grammar does not take, and what to write instead.
IDIOMS = {
    "following day": "next day", "the following day": "next day", "next week": "a week later",
    "the next week": "a week later", "next month": "a month later", "next year": "a year later",
    "that day": "same day", "that morning": "same day", "that evening": "same day",
    "same morning": "same day", "same evening": "same day", "same night": "same day",
    "that night": "same day", "within the hour": "within an hour", "moments later": "immediately",
    "at once": "immediately", "right away": "immediately", "straight away": "immediately",
    "soon after": "later", "shortly after": "later", "soon": "later", "eventually": "later",
    "afterwards": "later", "a fortnight later": "2 weeks later", "overnight": "next day",
    "the day after": "next day", "day after": "next day", "a couple of days later": "2 days later",
    "a couple of hours later": "2 hours later", "a couple of weeks later": "2 weeks later",
}


def closest_phrase(text: str) -> str:
    """The accepted phrase most like `text`, with the author's number and unit where given."""
    if normalize(text) in IDIOMS:
        return IDIOMS[normalize(text)]
    tokens = _TOKEN.findall(normalize(text))
    # A number word past sixty is compared as the digits the suggestion will hold.
    phrase = " ".join(str(_big_number(w)) if _big_number(w) is not None else w for w in tokens)
    number = "2"
    units: list[int] = []
    for index, word in enumerate(tokens):
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            number = word
        elif word in NUMBER_WORDS:
            number = word
        elif _big_number(word) is not None:
            number = str(_big_number(word))
        elif word in UNIT_WORDS:
            units.append(UNIT_WORDS[word])
    if not units:
        unknown = [w for w in tokens if w not in _WORDS and not w[:1].isdigit()]
        names = [UNIT_NAMES[u] + "s" for u in UNIT_NAMES]
        guesses = [m for w in unknown for m in difflib.get_close_matches(w, names, 1, 0.5)]
        units = [UNIT_WORDS[g] for g in guesses] or list(UNIT_NAMES)
    candidates = ["start", "later", "immediately", "same day", "next day", "next morning",
                  "next evening", "2009-09-09", "2009-09-09 14:05"]
    for unit in dict.fromkeys(units):
        one, many = UNIT_NAMES[unit], UNIT_NAMES[unit] + "s"
        article = "an" if one == "hour" else "a"
        counted = one if number in ("1", "one") else many
        candidates += [f"{number} {counted} later", f"after {number} {counted}",
                       f"about {number} {counted} later", f"within {number} {counted}",
                       f"{article} {one} later", f"within {article} {one}",
                       f"a few {many} later", f"several {many} later", f"{many} later"]
        if unit != YEAR:
            candidates.append(f"within {many}")
        if unit in (HOUR, DAY):
            candidates += [f"half {article} {one} later", f"within half {article} {one}"]
    return max(candidates, key=lambda c: (difflib.SequenceMatcher(None, phrase, c).ratio(),
                                          -candidates.index(c)))


def parse_moment(phrase: str, text: str | None = None) -> Moment:
    text = text or phrase
    match = _DATE.fullmatch(phrase)
    if not match:
        raise PhraseError(f"`{text}` is not a date (write 2009, 2009-09, 2009-09-09, "
                          "2009-09-09 14:05 or 2009-09-09 14:05:30)")
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            earliest, precision = datetime(year, 1, 1), "year"
            latest = datetime(year + 1, 1, 1)
        elif day is None:
            earliest, precision = datetime(year, month, 1), "month"
            latest = datetime(year + month // 12, month % 12 + 1, 1)
        elif hour is None:
            earliest, precision = datetime(year, month, day), "day"
            latest = earliest + timedelta(days=1)
        elif second is None:
            earliest, precision = datetime(year, month, day, hour, minute), "minute"
            latest = earliest + timedelta(minutes=1)
        else:
            # A time to the second is that instant: the model counts in whole seconds.
            earliest = latest = datetime(year, month, day, hour, minute, second)
            precision = "second"
    except (ValueError, OverflowError):
        raise PhraseError(f"`{text}` is not a real date or time") from None
    return Moment(earliest, latest, precision)


# ---- Elapsed times ----

@dataclass(frozen=True)
class Since:
    """After an undated start: the time since the first dated event."""

    event: int          # index of the first dated event
    date: str           # its `when`, as written
    span: Span

    def __str__(self) -> str:
        return f"{self.span} after {self.date}"

    @property
    def shown(self) -> bool:
        """Whether the page shows it: not on the dated event itself, nor when unknown."""
        return self.span.known and self.span.high != 0


@dataclass(frozen=True)
class Times:
    elapsed: list[Span]                     # since the start, for each event
    since: list[Since | None]               # since the first dated event, after an undated start
    misplaced: list[tuple[int, str]]        # (index, why its phrase cannot be where it is)
    first_dated: int | None                 # the first dated event after an undated start


def compute_times(whens: list[When], refs: list[int | None] | None = None) -> Times:
    """Each event's elapsed range since the start (and `since` the first dated event after an
    undated start). `refs[i]` is the index of the event `when` i is measured from (None: the
    previous one); references must point to earlier events (checked by the reader)."""
    refs = list(refs) if refs is not None else [None] * len(whens)
    refs = [i - 1 if r is None else r for i, r in enumerate(refs)]
    misplaced = _misplaced(whens)
    first = whens[0] if whens else None
    origin_moment = first.moment if first is not None and first.kind == "moment" else None
    elapsed = _propagate(whens, refs, 0, origin_moment, misplaced)
    since: list[Since | None] = [None] * len(whens)
    first_dated = None
    if first is not None and first.kind != "moment":
        first_dated = next((i for i, w in enumerate(whens) if w.kind == "moment"), None)
        if first_dated is not None:
            spans = _propagate(whens, refs, first_dated, whens[first_dated].moment, None)
            date = whens[first_dated].text
            since = [None if span is None else Since(first_dated, date, span) for span in spans]
    return Times([span or UNKNOWN for span in elapsed], since, sorted(misplaced), first_dated)


def _misplaced(whens: list[When]) -> list[tuple[int, str]]:
    misplaced = []
    previous: Moment | None = None
    for index, when in enumerate(whens):
        if index == 0 and when.kind not in ("start", "moment"):
            misplaced.append((index, "the first event's `when` must be `start` or a date"))
        elif index and when.is_start:
            misplaced.append((index, "`start` is only for the first event (say how long after "
                                     "the previous event this happened)"))
        if when.moment:
            if previous and when.moment.ends_before(previous):
                misplaced.append((index, "this date is before the date of an earlier event "
                                         "(events are listed in the order they happened)"))
            previous = when.moment
    return misplaced


def _time_of_day(moment: Moment | None) -> tuple[int, int]:
    """The seconds after midnight the origin may lie at, both ends included."""
    if moment is None or moment.precision not in ("minute", "second"):
        return 0, DAY - 1
    first = moment.earliest
    low = first.hour * HOUR + first.minute * MINUTE + first.second
    return low, low + int((moment.last - moment.earliest).total_seconds())


def _propagate(whens: list[When], refs: list[int], origin: int, moment: Moment | None,
               misplaced: list | None) -> list[Span | None]:
    """The ranges since event `origin` (dated `moment`, or the undated start), forward."""
    count = len(whens)
    spans: list[Span | None] = [None] * count
    days: list[tuple[int, int | None] | None] = [None] * count   # calendar days after origin's
    if count <= origin:
        return spans
    tod = _time_of_day(moment)
    spans[origin], days[origin] = ZERO, (0, 0)
    for i in range(origin + 1, count):
        when, ref, prev = whens[i], refs[i], spans[i - 1]
        prev_days = days[i - 1]
        if ref < origin or when.kind == "start":
            span, day = Span(prev.low, None), (prev_days[0], None)
        elif when.kind == "moment":
            if moment is None:
                span, day = Span(prev.low, None, prev.about), (prev_days[0], None)
            else:
                span, day = _between(moment, when.moment), _days_between(moment, when.moment)
        elif when.kind == "later":
            span, day = Span(spans[ref].low, None, spans[ref].about), (days[ref][0], None)
        elif when.kind == "calendar":
            span = spans[ref] + when.gap
            low, high = days[ref]
            day = (low + when.days, None if high is None else high + when.days)
        else:
            span = spans[ref] + when.gap
            low, high = days[ref]
            step_high = None if when.gap.high is None else math.ceil(when.gap.high / DAY)
            day = (low + when.gap.low // DAY,
                   None if high is None or step_high is None else high + step_high)
        # Every event happens no earlier than the previous one.
        day = (max(day[0], prev_days[0]), day[1])
        span = Span(max(span.low, prev.low), span.high, span.about)
        # The calendar days and the elapsed time narrow each other.
        span = _narrow(span, _from_days(day, tod))
        day = _narrow_days(day, _to_days(span, tod))
        if span.high is not None and span.high < span.low:
            if misplaced is not None and not span.about:
                misplaced.append((i, f"by its `when` this event is at most "
                                     f"{format_duration(span.high, up=True)} after the start, "
                                     f"but an earlier event is at least "
                                     f"{format_duration(span.low)} after it (events are "
                                     "listed in the order they happened)"))
            span = Span(span.low, span.low, span.about)
        spans[i], days[i] = span, day
    return spans


def _narrow(span: Span, bounds: tuple[int, int | None]) -> Span:
    low = max(span.low, bounds[0])
    highs = [h for h in (span.high, bounds[1]) if h is not None]
    return Span(low, min(highs) if highs else None, span.about)


def _narrow_days(day, bounds):
    low = max(day[0], bounds[0])
    highs = [h for h in (day[1], bounds[1]) if h is not None]
    return low, (min(highs) if highs else None)


def _from_days(day: tuple[int, int | None], tod: tuple[int, int]) -> tuple[int, int | None]:
    """The elapsed times an event on these calendar days after the origin's may have (with a
    second to spare at each end, so `next day` reads `≤ 2 days`)."""
    low = max(0, day[0] * DAY - tod[1] - 1)
    high = None if day[1] is None else (day[1] + 1) * DAY - tod[0]
    return low, high


def _to_days(span: Span, tod: tuple[int, int]) -> tuple[int, int | None]:
    low = (tod[0] + span.low) // DAY
    high = None if span.high is None else (tod[1] + span.high) // DAY
    return low, high


def _between(start: Moment, moment: Moment) -> Span:
    low = max(0, int((moment.earliest - start.latest).total_seconds()))
    high = max(low, int((moment.latest - start.earliest).total_seconds()))
    return Span(low, high)


def _days_between(start: Moment, moment: Moment) -> tuple[int, int]:
    low = moment.earliest.toordinal() - start.last.toordinal()
    high = moment.last.toordinal() - start.earliest.toordinal()
    return max(0, low), max(0, high)


def elapsed_times(whens: list[When], refs: list[int | None] | None = None):
    """Each event's elapsed range since the start, and the misplaced phrases."""
    times = compute_times(whens, refs)
    return times.elapsed, times.misplaced


# ---- Display ----

_DISPLAY_UNITS = [(YEAR, "year", "years"), (MONTH, "month", "months"), (DAY, "day", "days"),
                  (HOUR, "h", "h"), (MINUTE, "min", "min"), (SECOND, "s", "s")]


def _split(seconds: int) -> tuple[int, int]:
    """The indexes in _DISPLAY_UNITS of a duration's largest unit and the next smaller one."""
    for index, (size, _, _) in enumerate(_DISPLAY_UNITS):
        if seconds >= size:
            return index, min(index + 1, len(_DISPLAY_UNITS) - 1)
    return len(_DISPLAY_UNITS) - 1, len(_DISPLAY_UNITS) - 1


def _rounded(seconds: int, up: bool) -> int:
    """A duration rounded at the smaller of its two largest units (down, or up)."""
    largest, smaller = _split(seconds)
    big, size = _DISPLAY_UNITS[largest][0], _DISPLAY_UNITS[smaller][0]
    whole, rest = divmod(seconds, big)
    return whole * big + (-(-rest // size) if up else rest // size) * size


def _parts(seconds: int) -> list[tuple[int, str]]:
    largest, smaller = _split(seconds)
    parts, rest = [], seconds
    for size, one, many in _DISPLAY_UNITS[largest:smaller + 1]:
        count, rest = divmod(rest, size)
        if count:
            parts.append((count, one if count == 1 else many))
    return parts or [(0, "s")]


def format_duration(seconds: float, up: bool = False) -> str:
    """A duration in its largest unit and the next smaller one, rounded down (or up)."""
    value = _rounded(max(0, int(math.ceil(seconds) if up else int(seconds))), up)
    if up:  # rounding up may carry into a larger unit: 23 h 59 min 30 s -> 1 day
        value = _rounded(value, up)
    return " ".join(f"{count} {name}" for count, name in _parts(value))


# A case page, its chart, its summary and its data record write the same spans again and again
# (57,000 calls for 1,000 cases, about 17,000 different): a span's text depends on its three
# numbers only.
@functools.lru_cache(maxsize=8192)
def format_span(span: Span) -> str:
    about = "~" if span.about else ""
    if span.high is None:
        return "unknown" if span.low == 0 else f"≥ {about}{format_duration(span.low)}"
    if span.low == span.high:
        return f"{about}{format_duration(span.low)}"
    high = format_duration(span.high, up=True)
    if span.low == 0:
        return f"≤ {about}{high}"
    low = format_duration(span.low)
    if low == high:
        return f"{about}{low}"
    low_parts = low.split(" ")
    high_parts = high.split(" ")
    if len(low_parts) == len(high_parts) == 2 and _same_unit(low_parts[1], high_parts[1]):
        return f"{about}{low_parts[0]}–{high}"
    return f"{about}{low}–{high}"


def _same_unit(a: str, b: str) -> bool:
    return a.rstrip("s") == b.rstrip("s") or a == b
