"""The plain, typed model every renderer reads: no YAML, no parsing, values ready to show."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .timeline import Span

SIDES = ("customer", "company", "public")
OUTCOMES = ("positive", "negative", "mixed", "unresolved", "unknown")
MARKS = ("escalation", "resolution", "turning-point")
PAPERS = ("A4", "letter")
# pdf/handbook.pdf holds every case, so no case may be called this.
HANDBOOK_SLUG = "handbook"


@dataclass(frozen=True)
class Rich:
    """A Markdown field: what the author wrote and its safe HTML."""

    source: str
    html: Markup


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    description: Rich | None


@dataclass(frozen=True)
class Site:
    title: str
    description: str
    base_url: str
    language: str
    paper: str
    themes: dict[str, Theme]


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    side: str
    note: str | None


@dataclass(frozen=True)
class Event:
    when: str           # as the author wrote it
    who: Person
    channel: str        # the event's own, or the one it carries over
    what: Rich
    mark: str | None
    elapsed: Span       # since the start
    channel_changed: bool


@dataclass(frozen=True)
class Takeaway:
    lesson: str
    theme: Theme
    detail: Rich | None


@dataclass(frozen=True)
class Source:
    title: str
    author: str | None
    publisher: str | None
    date: str | None
    url: str | None


@dataclass(frozen=True)
class Figure:
    """A computed figure: a range, or nothing to measure (shown as a dash)."""

    span: Span | None

    def __str__(self) -> str:
        return "—" if self.span is None else str(self.span)


@dataclass(frozen=True)
class Figures:
    first_response: Figure
    resolution: Figure
    channel_moves: int


@dataclass(frozen=True)
class Case:
    slug: str
    file: Path
    title: str
    organization: str
    industry: str | None
    date: str | None
    location: str | None
    channels: list[str]
    outcome: str
    tags: list[str]
    draft: bool
    summary: Rich
    people: dict[str, Person]
    timeline: list[Event]
    takeaways: list[Takeaway]
    objectives: list[str]
    discussion: list[str]
    facilitator_notes: Rich | None
    sources: list[Source]
    figures: Figures


@dataclass(frozen=True)
class Project:
    """Everything a build reads: the site settings and every valid case (drafts included)."""

    site: Site
    cases: list[Case]

    @property
    def published(self) -> list[Case]:
        return [case for case in self.cases if not case.draft]
