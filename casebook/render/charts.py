"""Pictures drawn from the model as SVG: a case's timeline at a glance (the web page and the
printed handout show the same drawing) and the charts of the insights page.

Each drawing is inline SVG with its text as text (searchable, copyable, read by pdftotext),
a title and a description for screen readers (role="img"), and colours by class and
`currentColor`, so the page's stylesheet gives it the light or dark scheme and print gets black
on white. Nothing here computes a figure: positions come from render/axis.py, ranges and counts
from the model; this module only places them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from casebook.model.language import N_, direction, localize_span_text
from casebook.model.case import Case
from casebook.model.case import Figure
from casebook.model.insights import Breakdown, Insights
from casebook.render.axis import MEASURED, timeline_axis

WIDTH = 680            # viewBox units; the drawing scales to the column (web) or 174 mm (print)
FONT = 11              # the labels' size in viewBox units


def _text_width(text: str, size: float = FONT) -> float:
    """A rough width of `text` (an average glyph), to keep labels from overlapping."""
    return len(text) * 0.58 * size


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class _Label:
    x: float            # centre
    width: float
    lines: tuple[str, ...]
    classes: tuple[str, ...]


def _rows(labels: list[_Label], gap: float = 8.0) -> list[int]:
    """A row for each label (left to right), the first where it overlaps no other."""
    ends: list[float] = []
    rows = []
    for label in labels:
        left = label.x - label.width / 2
        for row, end in enumerate(ends):
            if left >= end + gap:
                ends[row] = label.x + label.width / 2
                rows.append(row)
                break
        else:
            ends.append(label.x + label.width / 2)
            rows.append(len(ends) - 1)
    return rows


def _svg(view_height: float, title: str, desc: str, ident: str, body: list[str],
         css_class: str) -> Markup:
    head = (f'<svg class="chart {css_class}" viewBox="0 0 {WIDTH} {_num(view_height)}" '
            f'width="{WIDTH}" height="{_num(view_height)}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-family="Noto Sans, sans-serif" '
            f'font-size="{FONT}" fill="currentColor" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


# --- a case's timeline -------------------------------------------------------------------------

def _same(message: str) -> str:
    return message


# Words drawn inside f-strings, marked here for the catalog (pybabel reads no f-string).
_SCALE = N_("time since the start, compressed scale")


def _time(text, language: str) -> str:
    """A time (`≤ 2 days 1 h`) with its units in the page's language."""
    return localize_span_text(str(text), language)


def timeline_chart(case: Case, ident: str | None = None, gettext=_same,
                   compact: bool = False, language: str = "en") -> Markup:
    """The case's events on one horizontal axis, spaced as on the web page's vertical one (the
    space grows with the logarithm of the gap; a gap of unknown length is a dashed, broken
    stretch), each labelled with its time since the start and who acted; marked events carry
    their mark in words above the axis. `compact` (print, where a handout must stay within two
    pages): the time since the start only, on one line (the list beside it says who). In a
    right-to-left language the drawing is mirrored: the start is on the right, as on its page."""
    ident = ident or f"timeline-chart-{case.slug}"
    # Laid out left to right, then drawn mirrored for a right-to-left page (x -> WIDTH - x).
    rtl = direction(language) == "rtl"
    # WeasyPrint draws an SVG's text glyph by glyph, without shaping or bidi: Arabic would
    # print as loose letters in reverse. So the print drawing of a right-to-left language has
    # no words (the event list beside it gives every time and mark); the web's keeps them.
    words = not (compact and rtl)

    def X(x: float) -> str:
        return _num(WIDTH - x if rtl else x)

    points = timeline_axis(case)
    left, right = 30.0, 30.0
    spaces = [float(point.space) for point in points]
    total = sum(spaces)
    span = WIDTH - left - right
    xs, run = [], 0.0
    for space in spaces:
        run += space
        xs.append(left + (run / total * span if total else span / 2))
    marks_rows = len(set(_rows([_Label(x, _text_width(p.event.mark, 9) + 4, (), ())
                                for x, p in zip(xs, points) if p.event.mark and words])))
    axis_y = 10.0 + 13 * marks_rows if compact else 44.0
    body: list[str] = []
    # The axis: a stretch per gap, solid where measured, dashed with a break where not.
    for index in range(1, len(points)):
        x1, x2 = xs[index - 1], xs[index]
        measured = points[index].gap == MEASURED
        dash = "" if measured else ' stroke-dasharray="5 4"'
        body.append(f'<line class="chart-axis" x1="{X(x1)}" y1="{_num(axis_y)}" x2="{X(x2)}" '
                    f'y2="{_num(axis_y)}" stroke="currentColor" stroke-width="2"{dash}/>')
        if not measured and x2 - x1 > 16:
            middle = (x1 + x2) / 2
            slant = "-5" if rtl else "5"
            body.append(f'<path class="chart-break" d="M{X(middle - 5)} {_num(axis_y + 7)} '
                        f'l{slant} -14 M{X(middle)} {_num(axis_y + 7)} l{slant} -14" '
                        f'stroke="currentColor" '
                        f'stroke-width="1.5" fill="none"/>')
    # Marks above the axis, in words.
    marks = [(_Label(x, _text_width(gettext(p.event.mark.replace("-", " ")).upper(), 9) + 4,
                     (gettext(p.event.mark.replace("-", " ")).upper(),), ("chart-mark",)), p)
             for x, p in zip(xs, points) if p.event.mark and words]
    for (label, point), row in zip(marks, _rows([m for m, _ in marks])):
        x = min(max(label.x, label.width / 2 + 2), WIDTH - label.width / 2 - 2)
        y = axis_y - 16 - row * 13
        body.append(f'<text class="chart-mark mark-{point.event.mark}" x="{X(x)}" y="{_num(y)}" '
                    f'text-anchor="middle" font-size="9" font-weight="700">{escape(label.lines[0])}</text>')
    # The events: a dot each (a ring around a marked one), numbered in reading order.
    for number, (x, point) in enumerate(zip(xs, points), 1):
        event = point.event
        if event.mark:
            body.append(f'<circle class="chart-ring" cx="{X(x)}" cy="{_num(axis_y)}" r="9" '
                        f'fill="none" stroke="currentColor" stroke-width="1.5"/>')
        body.append(f'<circle class="chart-dot side-{event.who.side}" cx="{X(x)}" '
                    f'cy="{_num(axis_y)}" r="5.5"/>')
    # Labels below: the time since the start, then who; staggered in rows so none overlap.
    labels = []
    for x, point in zip(xs, points) if words else ():
        elapsed = _time(point.event.elapsed, language)
        lines = ((elapsed,) if compact else (elapsed, _shorten(point.event.who.name, 22)))
        width = max(_text_width(line) for line in lines) * 1.08
        labels.append(_Label(x, width, lines, ()))
    rows = _rows(labels)
    row_height = 15 if compact else 30
    for label, row in zip(labels, rows):
        x = min(max(label.x, label.width / 2 + 2), WIDTH - label.width / 2 - 2)
        y = axis_y + 22 + row * row_height
        if row:
            body.append(f'<line class="chart-leader" x1="{X(label.x)}" y1="{_num(axis_y + 8)}" '
                        f'x2="{X(label.x)}" y2="{_num(y - 11)}" stroke="currentColor" '
                        f'stroke-width="0.75" opacity="0.6"/>')
        who = (f'<tspan class="chart-muted" x="{X(x)}" dy="13">{escape(label.lines[1])}</tspan>'
               if len(label.lines) > 1 else "")
        body.append(f'<text x="{X(x)}" y="{_num(y)}" text-anchor="middle">'
                    f'<tspan font-weight="700">{escape(label.lines[0])}</tspan>{who}</text>')
    height = axis_y + 22 + (max(rows) + 1 if rows else 1) * row_height + (-8 if compact else 6)
    first, last = points[0].event, points[-1].event
    unknown = sum(1 for point in points[1:] if point.gap != MEASURED)
    desc = (gettext("%(num)s events, from %(first)s at the start to %(last)s at %(time)s since "
                    "the start. Each event is a dot on a line of time that grows with the time "
                    "between events") % {"num": len(points), "first": first.who.name,
                                         "last": last.who.name, "time": _time(last.elapsed, language)}
            + (gettext("; %(num)s of the gaps are of unknown length (dashed)") % {"num": unknown}
               if unknown else "")
            + gettext(". The timeline below gives every event in words."))
    return _svg(height, gettext("Timeline of “%(title)s” at a glance") % {"title": case.title},
                desc, ident, body,
                "timeline-chart")


# --- the insights page --------------------------------------------------------------------------

# The time scale of the timing chart: compressed like the timeline's (log of minutes), so a
# reply in two minutes and one in two weeks both read.
TICKS = ((60, "1 min"), (3600, "1 h"), (86400, "1 day"), (7 * 86400, "1 week"),
         (30 * 86400, "1 month"), (365 * 86400, "1 year"))


def _scale(seconds: float) -> float:
    return math.log10(1 + max(0.0, seconds) / 60)


def timing_chart(insights: Insights, ident: str = "timing-chart", gettext=_same,
                 language: str = "en") -> Markup:
    """Each case's first response and resolution as the range its timeline allows: a bar from
    the lower to the upper end, a dot where both are the same, a bar running off the right
    edge with an arrow where there is no upper end; words where nothing is known."""
    label_width, x0, x1 = 214.0, 222.0, 600.0
    reach = max(insights.longest, 3600)
    top_tick = next((s for s, _ in TICKS if s >= reach), TICKS[-1][0])
    full = _scale(max(top_tick, reach))

    def x(seconds: float) -> float:
        return x0 + (x1 - x0) * _scale(seconds) / full

    body = []
    # Legend and scale.
    body.append('<rect class="timing-first" x="0" y="4" width="18" height="9"/>'
                f'<text x="24" y="12">{escape(gettext("First response"))}</text>'
                '<rect class="timing-resolution" x="130" y="4" width="18" height="9" '
                'fill="none" stroke="currentColor" stroke-width="1.5"/>'
                f'<text x="154" y="12">{escape(gettext("Resolution"))}</text>'
                f'<text class="chart-muted" x="{_num(WIDTH)}" y="12" text-anchor="end" font-size="10">'
                f'{escape(gettext(_SCALE))}</text>')
    top = 30.0
    row_height, group = 11.0, 34.0
    bottom = top + group * len(insights.in_order)
    for seconds, label in TICKS:
        if seconds > max(top_tick, reach):
            break
        tx = x(seconds)
        body.append(f'<line class="chart-grid" x1="{_num(tx)}" y1="{_num(top - 4)}" x2="{_num(tx)}" '
                    f'y2="{_num(bottom)}" stroke="currentColor" stroke-width="0.5" opacity="0.35"/>'
                    f'<text class="chart-muted" x="{_num(tx)}" y="{_num(bottom + 13)}" '
                    f'text-anchor="middle" font-size="10">{_time(label, language)}</text>')
    body.append(f'<line class="chart-axis" x1="{_num(x0)}" y1="{_num(top - 4)}" x2="{_num(x0)}" '
                f'y2="{_num(bottom)}" stroke="currentColor" stroke-width="1"/>'
                f'<text class="chart-muted" x="{_num(x0)}" y="{_num(bottom + 13)}" '
                'text-anchor="middle" font-size="10">0</text>')
    for index, case in enumerate(insights.in_order):
        y = top + index * group
        body.append(f'<text x="{_num(label_width)}" y="{_num(y + row_height + 3)}" text-anchor="end">'
                    f'{escape(_shorten(case.title, 36))}</text>')
        for row, (figure, css) in enumerate(((case.figures.first_response, "timing-first"),
                                             (case.figures.resolution, "timing-resolution"))):
            body.append(_timing_mark(figure, css, x, x0, x1, y + row * (row_height + 2), row_height,
                                     gettext("no company reply") if row == 0
                                     else gettext("no resolution"), gettext, language))
    height = bottom + 20
    counts = {kind: sum(1 for case in insights.in_order
                       if case.figures.first_response.kind == kind)
              for kind in ("exact", "range", "open", "unknown", "none")}
    desc = gettext(
        "First response and resolution of each case (%(cases)s), each drawn as the range of time "
        "its timeline allows, on a compressed scale from 0 to %(top)s. First response: "
        "%(measured)s measured, %(open)s open-ended, %(unknown)s unknown, %(none)s with no "
        "company reply. The table after the chart gives every value.") % {
            "cases": insights.cases, "top": _time(dict(TICKS).get(top_tick, ""), language),
            "measured": counts["exact"] + counts["range"], "open": counts["open"],
            "unknown": counts["unknown"], "none": counts["none"]}
    return _svg(height, gettext("First response and resolution, case by case"), desc, ident, body,
                "timing-chart")


def _timing_mark(timing: Figure, css: str, x, x0: float, x1: float, y: float, height: float,
                 nothing: str, gettext=_same, language: str = "en") -> str:
    middle = y + height / 2
    words = f'<text class="chart-muted" x="{_num(x0 + 6)}" y="{_num(middle + 4)}" font-size="10">'
    outline = ' fill="none" stroke="currentColor" stroke-width="1.5"' if css == "timing-resolution" else ""
    if timing.kind == "none":
        return words + f"{nothing}</text>"
    if timing.kind == "unknown":
        return words + f"{escape(gettext('unknown'))}</text>"
    span = timing.span
    start = x(span.low)
    if timing.kind == "exact":
        return (f'<circle class="{css}" cx="{_num(start)}" cy="{_num(middle)}" r="{_num(height / 2)}"{outline}/>'
                f'<text x="{_num(start + height / 2 + 4)}" y="{_num(middle + 4)}" font-size="10">'
                f'{escape(_time(str(timing), language))}</text>')
    if timing.kind == "open":
        end = x1 + 22
        dashes = ' stroke-dasharray="4 3"' if outline else ""
        return (f'<rect class="{css}" x="{_num(start)}" y="{_num(y)}" width="{_num(end - start - 8)}" '
                f'height="{_num(height)}"{outline}{dashes}/>'
                f'<path class="{css}" d="M{_num(end - 8)} {_num(y - 2)} L{_num(end)} {_num(middle)} '
                f'L{_num(end - 8)} {_num(y + height + 2)} Z"/>'
                f'<text x="{_num(end + 4)}" y="{_num(middle + 4)}" font-size="10">{escape(_time(str(timing), language))}</text>')
    end = x(span.high)
    width = max(3.0, end - start)
    return (f'<rect class="{css}" x="{_num(start)}" y="{_num(y)}" width="{_num(width)}" '
            f'height="{_num(height)}"{outline}/>'
            f'<text x="{_num(start + width + 4)}" y="{_num(middle + 4)}" font-size="10">'
            f'{escape(_time(str(timing), language))}</text>')


def outcome_chart(insights: Insights, breakdown: Breakdown, gettext=_same,
                  language: str = "en") -> Markup:
    """Stacked bars: for each value of the facet, its cases by outcome (counts written in the
    segments, the total after the bar), outcomes in the same order and shades everywhere."""
    ident = f"outcomes-by-{breakdown.name}"
    label_width, x0, x1 = 174.0, 182.0, 620.0
    most = max((row.total for row in breakdown.rows), default=1) or 1
    body = []
    legend_x = 0.0
    for outcome in insights.outcomes:
        body.append(f'<rect class="outcome-fill-{outcome}" x="{_num(legend_x)}" y="3" width="12" '
                    f'height="11" stroke="currentColor" stroke-width="0.75"/>'
                    f'<text x="{_num(legend_x + 16)}" y="12">{escape(gettext(outcome))}</text>')
        legend_x += 28 + _text_width(gettext(outcome))
    top, row_height, step = 26.0, 16.0, 24.0
    for index, row in enumerate(breakdown.rows):
        y = top + index * step
        body.append(f'<text x="{_num(label_width)}" y="{_num(y + 12)}" text-anchor="end">'
                    f'{escape(_shorten(gettext(row.label) if not row.key else row.label, 30))}</text>')
        left = x0
        for outcome, count in row.counts:
            if not count:
                continue
            width = (x1 - x0) * count / most
            body.append(f'<rect class="outcome-fill-{outcome}" x="{_num(left)}" y="{_num(y)}" '
                        f'width="{_num(width)}" height="{_num(row_height)}" stroke="currentColor" '
                        f'stroke-width="0.75"/>')
            if width >= 16:
                body.append(f'<text class="outcome-text-{outcome}" x="{_num(left + width / 2)}" '
                            f'y="{_num(y + 12)}" text-anchor="middle" font-size="10">{count}</text>')
            left += width
        body.append(f'<text class="chart-muted" x="{_num(left + 6)}" y="{_num(y + 12)}">'
                    f'{row.total}</text>')
    height = top + step * len(breakdown.rows) + 4
    desc = (gettext(breakdown.caption) + ": "
            + "; ".join(f"{gettext(row.label) if not row.key else row.label}: "
                        + ", ".join(f"{n} {gettext(o)}" for o, n in row.counts if n)
                        for row in breakdown.rows) + ".")
    return _svg(height, gettext(breakdown.heading), desc, ident, body,
                "outcome-chart")


def years_chart(insights: Insights, ident: str = "cases-over-time", gettext=_same,
                language: str = "en") -> Markup:
    """A column per year from the first dated case to the last, its count above it."""
    years = insights.years
    x0, x1, top, base = 30.0, float(WIDTH) - 10, 18.0, 130.0
    most = max((y.count for y in years), default=1) or 1
    step = (x1 - x0) / max(1, len(years))
    width = min(36.0, step * 0.7)
    every = max(1, math.ceil(len(years) / 16))   # year labels that fit
    body = [f'<line class="chart-axis" x1="{_num(x0)}" y1="{_num(base)}" x2="{_num(x1)}" '
            f'y2="{_num(base)}" stroke="currentColor" stroke-width="1"/>']
    for index, year in enumerate(years):
        middle = x0 + step * (index + 0.5)
        height = (base - top - 6) * year.count / most
        if year.count:
            body.append(f'<rect class="years-bar" x="{_num(middle - width / 2)}" '
                        f'y="{_num(base - height)}" width="{_num(width)}" height="{_num(height)}"/>'
                        f'<text x="{_num(middle)}" y="{_num(base - height - 4)}" text-anchor="middle" '
                        f'font-size="10">{year.count}</text>')
        if index % every == 0 or index == len(years) - 1:
            body.append(f'<text class="chart-muted" x="{_num(middle)}" y="{_num(base + 14)}" '
                        f'text-anchor="middle" font-size="10">{year.year}</text>')
    desc = (gettext("Published cases by the year they happened") + ": "
            + ", ".join(f"{y.year}: {y.count}" for y in years if y.count)
            + ("; " + gettext("%(num)s undated") % {"num": insights.undated}
               if insights.undated else "") + ".")
    return _svg(base + 20, gettext("Cases over time"), desc, ident, body, "years-chart")
