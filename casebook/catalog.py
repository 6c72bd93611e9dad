"""What the site shows across cases: tags, lessons by theme, outcome counts, median figures."""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from .model import OUTCOMES, Case, Project, Site, Takeaway, Theme
from .timeline import format_duration


@dataclass(frozen=True)
class Lesson:
    case: Case
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
    previous: Case | None
    next: Case | None


@dataclass(frozen=True)
class Catalog:
    site: Site
    cases: list[Case]                       # published, in reading order
    tags: dict[str, list[Case]]             # sorted by tag
    lessons: list[ThemeLessons]             # in site.yaml order, themes without lessons kept
    outcomes: list[tuple[str, int]]         # outcomes that occur, in the contract's order
    first_response: ResponseSummary
    neighbours: dict[str, Neighbours]


def build_catalog(project: Project) -> Catalog:
    cases = project.published
    return Catalog(
        site=project.site,
        cases=cases,
        tags=_tags(cases),
        lessons=_lessons(project.site, cases),
        outcomes=[(o, n) for o in OUTCOMES if (n := sum(c.outcome == o for c in cases))],
        first_response=summarize_first_response(cases),
        neighbours={case.slug: Neighbours(cases[i - 1] if i else None,
                                          cases[i + 1] if i + 1 < len(cases) else None)
                    for i, case in enumerate(cases)},
    )


def _tags(cases: list[Case]) -> dict[str, list[Case]]:
    tags: dict[str, list[Case]] = {}
    for case in cases:
        for tag in case.tags:
            tags.setdefault(tag, []).append(case)
    return dict(sorted(tags.items()))


def _lessons(site: Site, cases: list[Case]) -> list[ThemeLessons]:
    return [ThemeLessons(theme, [Lesson(case, takeaway) for case in cases
                                 for takeaway in case.takeaways if takeaway.theme.key == key])
            for key, theme in site.themes.items()]


def summarize_first_response(cases: list[Case]) -> ResponseSummary:
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
