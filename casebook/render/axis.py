"""Where each event of a timeline sits on a vertical time axis.

The gaps between incidents' events run from seconds to weeks, so a linear axis would squeeze the
quick replies into one line and stretch a slow one off the screen. The space above an event
therefore grows with the logarithm of the time since the previous event: more time, more space,
and the order of magnitude stays readable. Where the ranges give no length for a gap (`later`,
`days later`), the axis does not pretend: it draws a break and says so in words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from casebook.model.language import N_
from casebook.model.case import Case, Event
from casebook.model.timeline import DAY, HOUR, Span, format_duration, parse_when

MIN_SPACE = 0.75     # rem between two events at the same moment
SPACE_PER_DECADE = 1.25   # rem for each tenfold increase of the gap, counted in minutes
MAX_SPACE = 6.0
BREAK_SPACE = 2.5    # rem for a gap whose length is not known

MEASURED, UNKNOWN, OPEN, START = "measured", "unknown", "open", "start"


@dataclass(frozen=True)
class AxisPoint:
    """One event on the axis, with the gap that leads to it."""

    event: Event
    gap: str            # start | measured | open (at least some time) | unknown
    space: str          # rem above the event, written for a CSS custom property
    gap_label: str      # words for a gap that is not drawn to scale ("" when it is)
    gap_message: str = ""   # the same as a catalog message (the page says it in its language)
    gap_time: str = ""      # its %(time)s


def timeline_axis(case: Case) -> list[AxisPoint]:
    points = []
    for index, event in enumerate(case.timeline):
        if index == 0:
            points.append(AxisPoint(event, START, "0", ""))
        else:
            points.append(_point(event, gap_before(case.timeline, index)))
    return points


def _point(event: Event, gap: Span) -> AxisPoint:
    if gap.bounded:
        return AxisPoint(event, MEASURED, _rem(space_for(gap.midpoint)), "")
    if gap.low:
        return AxisPoint(event, OPEN, _rem(max(BREAK_SPACE, space_for(gap.low))),
                         f"at least {format_duration(gap.low)} later",
                         N_("at least %(time)s later"), format_duration(gap.low))
    return AxisPoint(event, UNKNOWN, _rem(BREAK_SPACE), "time between not known",
                     N_("time between not known"))


# Calendar phrases say which day, not how long: the axis draws a typical gap for them, so
# events of one day sit close together and the next day's a day further on.
CALENDAR_GAP = {0: Span(0, 2 * HOUR), 1: Span(DAY, DAY)}


def gap_before(timeline: list[Event], index: int) -> Span:
    """The time between an event and the one before it.

    A phrase measured from the previous event says it directly, even where the time since the
    start is lost (`later` followed by `within 5 minutes`); otherwise it is the difference of
    the two events' ranges (since the start, or since the first dated event)."""
    event, previous = timeline[index], timeline[index - 1]
    when = parse_when(event.when)
    if event.ref in (None, index - 1):
        if when.kind == "calendar":
            return CALENDAR_GAP[when.days]
        if when.kind in ("gap", "later"):
            return when.gap
    current, before = event.elapsed, previous.elapsed
    if event.since is not None and previous.since is not None:
        current, before = event.since.span, previous.since.span
    if current.high is None:
        return Span(max(0, current.low - (before.high if before.high is not None else current.low)), None)
    low = max(0, current.low - (before.high if before.high is not None else current.low))
    return Span(low, max(low, current.high - before.low))
def space_for(seconds: float) -> float:
    """The space in rem for a gap of this many seconds (compressed: log of minutes)."""
    minutes = max(0.0, seconds) / 60
    return min(MAX_SPACE, MIN_SPACE + SPACE_PER_DECADE * math.log10(1 + minutes))


def _rem(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
