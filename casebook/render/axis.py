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

from casebook.model.case import Case, Event
from casebook.model.timeline import UNKNOWN as UNKNOWN_SPAN
from casebook.model.timeline import Span, format_duration, parse_when

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


def timeline_axis(case: Case) -> list[AxisPoint]:
    points = []
    previous: Span | None = None
    for event in case.timeline:
        points.append(_point(event, previous))
        previous = event.elapsed
    return points


def _point(event: Event, previous: Span | None) -> AxisPoint:
    if previous is None:
        return AxisPoint(event, START, "0", "")
    gap = gap_before(event, previous)
    if gap.bounded:
        return AxisPoint(event, MEASURED, _rem(space_for(gap.midpoint)), "")
    if gap.known and gap.low:
        return AxisPoint(event, OPEN, _rem(max(BREAK_SPACE, space_for(gap.low))),
                         f"at least {format_duration(gap.low)} later")
    return AxisPoint(event, UNKNOWN, _rem(BREAK_SPACE), "time between not known")


def gap_before(event: Event, previous: Span) -> Span:
    """The time between an event and the one before it.

    A relative phrase says it directly, even where the time since the start is lost (`later`
    followed by `within 5 minutes`); between two dates it is the difference of the elapsed
    ranges."""
    when = parse_when(event.when)
    if when.gap is not None:
        return when.gap
    current = event.elapsed
    if not (previous.known and current.known):
        return UNKNOWN_SPAN
    high = None if current.high is None else max(0, current.high - previous.low)
    low = max(0, current.low - (previous.high if previous.high is not None else current.low))
    return Span(low, high)


def space_for(seconds: float) -> float:
    """The space in rem for a gap of this many seconds (compressed: log of minutes)."""
    minutes = max(0.0, seconds) / 60
    return min(MAX_SPACE, MIN_SPACE + SPACE_PER_DECADE * math.log10(1 + minutes))


def _rem(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
