"""What the site shows across cases: tags, lessons by theme, outcome counts, median figures,
and the facets the index filters by."""
from __future__ import annotations

import hashlib
import re
import statistics
from dataclasses import dataclass

from casebook.model.case import OUTCOMES, Case, CaseSummary, channel_phrase, Project, Site, Takeaway, Theme

# The pages about many cases read only what a summary holds, so either will do.
AnyCase = Case | CaseSummary
from casebook.model.timeline import format_duration


@dataclass(frozen=True)
class Lesson:
    case: AnyCase
    takeaway: Takeaway


@dataclass(frozen=True)
class ThemeLessons:
    theme: Theme
    lessons: list[Lesson]


@dataclass(frozen=True)
class ResponseSummary:
    """The median first response over cases whose range is bounded, and the others counted."""

    median: str | None     # e.g. "~1 h 30 min"; None when no case has a bounded range
    measured: int
    unbounded: int
    unknown: int
    no_reply: int


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


@dataclass(frozen=True)
class Catalog:
    site: Site
    cases: list[AnyCase]                       # published, in reading order
    tags: dict[str, list[AnyCase]]             # sorted by tag
    lessons: list[ThemeLessons]             # in site.yaml order, themes without lessons kept
    outcomes: list[tuple[str, int]]         # outcomes that occur, in the contract's order
    first_response: ResponseSummary
    neighbours: dict[str, Neighbours]
    facets: list[Facet]
    card_filters: dict[str, dict[str, str]]   # slug -> {"data-theme": "listen speed", ...}
    listings: list[Listing]

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
        first_response=summarize_first_response(cases),
        neighbours={case.slug: Neighbours(cases[i - 1] if i else None,
                                          cases[i + 1] if i + 1 < len(cases) else None)
                    for i, case in enumerate(cases)},
        facets=facets,
        card_filters={slug: {f"data-{name}": " ".join(sorted(keys)) for name, keys in v.items()}
                      for slug, v in values.items()},
        listings=_listings(facets, members),
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


FACET_LABELS = {"theme": "Theme", "tag": "Tag", "outcome": "Outcome", "channel": "Channel"}
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
        "outcome": {outcome: outcome for outcome in OUTCOMES},
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


def _listings(facets: list[Facet], members: dict[str, dict[str, list[AnyCase]]]) -> list[Listing]:
    headings = {"theme": "Cases with a lesson on “{}”", "tag": "Cases tagged “{}”",
                "outcome": "Cases with outcome “{}”", "channel": "Cases {}"}
    listings = []
    for facet in facets:
        for option in facet.options:
            intro = ""
            if facet.name == "theme":
                intro = f"Every case with a takeaway under the theme “{option.label}”."
            label = channel_phrase(option.label) if facet.name == "channel" else option.label
            listings.append(Listing(
                option.href, headings[facet.name].format(label), intro,
                members[facet.name][option.key]))
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


def summarize_first_response(cases: list[AnyCase]) -> ResponseSummary:
    spans = [case.figures.first_response.span for case in cases]
    midpoints = [span.midpoint for span in spans if span is not None and span.bounded]
    median = None
    if midpoints:
        value = statistics.median(midpoints)
        exact = all(s.low == s.high for s in spans if s is not None and s.bounded)
        median = ("" if exact else "~") + format_duration(value)
    return ResponseSummary(
        median=median,
        measured=len(midpoints),
        unbounded=sum(1 for s in spans if s is not None and s.known and s.high is None),
        unknown=sum(1 for s in spans if s is not None and not s.known),
        no_reply=sum(1 for s in spans if s is None),
    )
