"""What the site shows across cases: tags, lessons by theme, outcome counts, median figures,
and the facets the index filters by."""
from __future__ import annotations

import hashlib
import math
import re
import statistics
from dataclasses import dataclass

from casebook.model.language import N_, gettext_for, localize_span_text
from casebook.model.paging import ListPage, paginate
from casebook.model.case import OUTCOMES, Case, CaseSummary, channel_phrase, Project, Site, Takeaway, Theme

# The pages about many cases read only what a summary holds, so either will do.
AnyCase = Case | CaseSummary
from casebook.model.timeline import DAY, HOUR, MINUTE, MONTH, WEEK, YEAR, Span, format_span


@dataclass(frozen=True)
class Lesson:
    case: AnyCase
    takeaway: Takeaway


@dataclass(frozen=True)
class ThemeLessons:
    theme: Theme
    lessons: list[Lesson]


@dataclass(frozen=True)
class Mark:
    """One case in a figure's picture: a bar from its range's low end to its high end (a dot
    when exact), on a log scale of time; `open` when it has no upper end."""

    x: str          # SVG user units, ready to write
    y: str
    width: str
    kind: str       # exact | range | open | unknown (a CSS class)
    label: str      # the case's title and range, for the mark's tooltip ("" when many)


@dataclass(frozen=True)
class Picture:
    marks: list[Mark]
    height: str     # of the SVG's viewBox (its width is PICTURE_WIDTH)
    row: str        # height of one bar
    ticks: list[tuple[str, str]]    # (x, label) along the axis
    axis_y: str
    text: str       # the picture in words (its text equivalent)


@dataclass(frozen=True)
class FigureSummary:
    """A figure across cases: the median as a range (the median of the low ends to the median
    of the high ends, an open high end counted as infinite), never more precise than the
    cases allow, with how many cases were measured and a picture of them."""

    name: str           # "first response", "resolution"
    median: str | None  # e.g. "≤ 2 h" or "1 h–2 days"; None when no case has the figure
    measured: int       # cases whose range says something
    unknown: int        # cases whose range is `unknown`
    missing: int        # cases without the figure (no company reply, no resolution)
    picture: Picture | None   # for more than two cases with the figure


# Kept under its old name for the pages that read the first response only.
ResponseSummary = FigureSummary


@dataclass(frozen=True)
class Neighbours:
    previous: AnyCase | None
    next: AnyCase | None


@dataclass(frozen=True)
class FacetOption:
    key: str        # the value a card carries, safe in a class or file name
    label: str
    count: int      # published cases with this value
    href: str       # the page listing those cases, relative to the site root


@dataclass(frozen=True)
class Facet:
    """One way to filter the index (theme, tag, outcome, channel); each option is also a page,
    so the filters are plain links when scripts do not run."""

    name: str       # "theme": the card's data-theme attribute holds its keys
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class Listing:
    """A page of cards for one facet value: what a filter link opens without scripts."""

    path: str
    heading: str
    intro: str
    cases: list[AnyCase]
    pages: list[ListPage[AnyCase]]   # the cases cut into pages, the first at `path`


@dataclass(frozen=True)
class Catalog:
    site: Site
    cases: list[AnyCase]                       # published, in reading order
    tags: dict[str, list[AnyCase]]             # sorted by tag
    lessons: list[ThemeLessons]             # in site.yaml order, themes without lessons kept
    outcomes: list[tuple[str, int]]         # outcomes that occur, in the contract's order
    first_response: FigureSummary
    resolution: FigureSummary
    neighbours: dict[str, Neighbours]
    facets: list[Facet]
    card_filters: dict[str, dict[str, str]]   # slug -> {"data-theme": "listen speed", ...}
    listings: list[Listing]
    index_pages: list[ListPage[AnyCase]]     # the index's cards cut into pages, the first index.html

    @property
    def theme_counts(self) -> list[tuple[Theme, int]]:
        """Every theme with how many takeaways point to it, in site.yaml order."""
        return [(group.theme, len(group.lessons)) for group in self.lessons]


def build_catalog(project: Project) -> Catalog:
    return catalog_of(project.site, project.published)


def catalog_of(site: Site, cases: list[AnyCase]) -> Catalog:
    """The catalog of the published `cases`, in reading order."""
    values = {case.slug: case_facet_values(case) for case in cases}
    members = _members(cases, values)
    facets = _facets(site, cases, members)
    return Catalog(
        site=site,
        cases=cases,
        tags=_tags(cases),
        lessons=_lessons(site, cases),
        outcomes=[(o, n) for o in OUTCOMES if (n := sum(c.outcome == o for c in cases))],
        first_response=summarize_figure(cases, "first_response", site.language),
        resolution=summarize_figure(cases, "resolution", site.language),
        neighbours={case.slug: Neighbours(cases[i - 1] if i else None,
                                          cases[i + 1] if i + 1 < len(cases) else None)
                    for i, case in enumerate(cases)},
        facets=facets,
        card_filters={slug: {f"data-{name}": " ".join(sorted(keys)) for name, keys in v.items()}
                      for slug, v in values.items()},
        listings=_listings(facets, members, site.language),
        index_pages=paginate(cases, "index.html"),
    )


def channel_key(name: str) -> str:
    """A channel name as a key for class names and file names.

    A plain name keeps a readable key ("Live chat" -> "live-chat"); any other (non-Latin
    letters, punctuation, markup) gets a stable hashed one, so two names never share a key
    by losing their characters and no author text ends up in an address."""
    plain = " ".join(name.lower().split())
    if re.fullmatch(r"[a-z0-9]+(?:[ -][a-z0-9]+)*", plain):
        return plain.replace(" ", "-")
    return "channel-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


FACET_LABELS = {"theme": N_("Theme"), "tag": N_("Tag"), "outcome": N_("Outcome"),
                "channel": N_("Channel")}
FACET_FOLDERS = {"theme": "themes", "tag": "tags", "outcome": "outcomes", "channel": "channels"}


def case_facet_values(case: AnyCase) -> dict[str, set[str]]:
    return {
        "theme": {takeaway.theme.key for takeaway in case.takeaways},
        "tag": set(case.tags),
        "outcome": {case.outcome},
        "channel": {channel_key(channel) for channel in case.channels},
    }


def _members(cases: list[AnyCase],
             values: dict[str, dict[str, set[str]]]) -> dict[str, dict[str, list[AnyCase]]]:
    """For each facet and value, the cases that have it, in reading order."""
    members: dict[str, dict[str, list[AnyCase]]] = {name: {} for name in FACET_LABELS}
    for case in cases:
        for name, keys in values[case.slug].items():
            for key in keys:
                members[name].setdefault(key, []).append(case)
    return members


def _facets(site: Site, cases: list[AnyCase],
            members: dict[str, dict[str, list[AnyCase]]]) -> list[Facet]:
    labels = {
        "theme": {key: theme.title for key, theme in site.themes.items()},
        "tag": {tag: tag for case in cases for tag in case.tags},
        "outcome": {outcome: gettext_for(site.language)(outcome) for outcome in OUTCOMES},
        "channel": {channel_key(c): c for case in reversed(cases) for c in case.channels},
    }
    orders = {"theme": list(site.themes), "outcome": list(OUTCOMES),
              "tag": sorted(labels["tag"]), "channel": sorted(labels["channel"])}
    facets = []
    for name, label in FACET_LABELS.items():
        options = []
        for key in orders[name]:
            count = len(members[name].get(key, ()))
            if count:
                options.append(FacetOption(key, labels[name][key], count,
                                           f"{FACET_FOLDERS[name]}/{key}.html"))
        facets.append(Facet(name, label, options))
    return facets


def _listings(facets: list[Facet], members: dict[str, dict[str, list[AnyCase]]],
              language: str = "en") -> list[Listing]:
    """A page per facet value, its words in the site's `language`."""
    _ = gettext_for(language)
    headings = {"theme": _("Cases with a lesson on “%(name)s”"), "tag": _("Cases tagged “%(name)s”"),
                "outcome": _("Cases with outcome “%(name)s”"), "channel": _("Cases %(name)s")}
    listings = []
    for facet in facets:
        for option in facet.options:
            intro = ""
            if facet.name == "theme":
                intro = _("Every case with a takeaway under the theme “%(name)s”.") % {
                    "name": option.label}
            label = (channel_phrase(option.label).translated(language) if facet.name == "channel"
                     else option.label)
            cases = members[facet.name][option.key]
            listings.append(Listing(
                option.href, headings[facet.name] % {"name": label}, intro, cases,
                paginate(cases, option.href)))
    return listings


def _tags(cases: list[AnyCase]) -> dict[str, list[AnyCase]]:
    tags: dict[str, list[AnyCase]] = {}
    for case in cases:
        for tag in case.tags:
            tags.setdefault(tag, []).append(case)
    return dict(sorted(tags.items()))


def _lessons(site: Site, cases: list[AnyCase]) -> list[ThemeLessons]:
    by_theme: dict[str, list[Lesson]] = {key: [] for key in site.themes}
    for case in cases:
        for takeaway in case.takeaways:
            by_theme[takeaway.theme.key].append(Lesson(case, takeaway))
    return [ThemeLessons(theme, by_theme[key]) for key, theme in site.themes.items()]


def summarize_figure(cases: list[AnyCase], name: str, language: str = "en") -> FigureSummary:
    """The figure across cases, its words in `language`."""
    spans = [getattr(case.figures, name).span for case in cases]
    present = [(case, span) for case, span in zip(cases, spans) if span is not None]
    median = None
    if present:
        lows = [span.low for _, span in present]
        highs = [math.inf if span.high is None else span.high for _, span in present]
        low, high = statistics.median(lows), statistics.median(highs)
        about = any(span.about for _, span in present)
        median = localize_span_text(format_span(Span(
            math.floor(low), None if math.isinf(high) else math.ceil(high), about)), language)
    return FigureSummary(
        name=name.replace("_", " "),
        median=median,
        measured=sum(1 for _, span in present if span.known),
        unknown=sum(1 for _, span in present if not span.known),
        missing=len(spans) - len(present),
        picture=_picture(name.replace("_", " "), present, language) if len(present) > 2 else None,
    )


def summarize_first_response(cases: list[AnyCase]) -> FigureSummary:
    return summarize_figure(cases, "first_response")


PICTURE_WIDTH = 600
MAX_LABELLED = 60    # beyond this many cases the bars carry no tooltip (the page stays small)
_LEFT, _RIGHT = 12, 570          # where 0 s and a year (or more) lie
_SCALE_END = YEAR
_TICKS = [(0, "0"), (MINUTE, "1 min"), (HOUR, "1 h"), (DAY, "1 day"), (WEEK, "1 week"),
          (MONTH, "1 month"), (YEAR, "1 year")]
_BUCKETS = [(HOUR, N_("within an hour")), (DAY, N_("within a day")), (WEEK, N_("within a week")),
            (None, N_("longer"))]   # then "open-ended" (no upper end) and "unknown"
_OPEN = N_("open-ended")


def _x(seconds: float) -> float:
    """Where a duration lies on the picture: log of minutes, so seconds and months both show."""
    seconds = min(max(seconds, 0), _SCALE_END)
    share = math.log10(1 + seconds / 60) / math.log10(1 + _SCALE_END / 60)
    return _LEFT + share * (_RIGHT - _LEFT)


def _kind(span: Span) -> str:
    if not span.known:
        return "unknown"
    if span.high is None:
        return "open"
    return "exact" if span.low == span.high else "range"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _picture(name: str, present: list[tuple[AnyCase, Span]], language: str = "en") -> Picture:
    say = gettext_for(language)
    rows = sorted(present, key=lambda item: (item[1].low, math.inf if item[1].high is None
                                              else item[1].high, item[0].slug))
    row = min(8.0, 160 / len(rows))    # a taller picture for a few cases, never over 160
    marks = []
    for index, (case, span) in enumerate(rows):
        start = _x(span.low)
        end = _RIGHT if span.high is None else _x(span.high)
        width = max(end - start, 3.0)   # an exact time is a dot
        marks.append(Mark(_n(start - (1.5 if end - start < 3 else 0)), _n(index * row),
                          _n(width), _kind(span),
                          f"{case.title}: {localize_span_text(format_span(span), language)}"
                          if len(rows) <= MAX_LABELLED else ""))
    axis_y = len(rows) * row + 2
    counts = {words: 0 for _, words in _BUCKETS}
    for _, span in rows:
        if not span.known:
            words = "unknown"
        elif span.high is None:
            words = _OPEN
        else:
            words = next(w for limit, w in _BUCKETS if limit is None or span.high <= limit)
        counts[words] = counts.get(words, 0) + 1
    counts = [f"{n} {say(words)}" for words, n in counts.items() if n]
    text = (say(N_("The %(figure)s of each case (%(cases)s) as a bar from the earliest to the "
                   "latest time its sources allow, on a scale from 0 to a year:")) % {
                  "figure": say(name), "cases": len(rows)}
            + " " + ", ".join(counts) + ".")
    return Picture(marks, _n(axis_y + 14), _n(row * 0.8),
                   [(_n(_x(seconds)), localize_span_text(label, language))
                    for seconds, label in _TICKS], _n(axis_y), text)
