"""The plain, typed model every renderer reads: no YAML, no parsing, values ready to show."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from casebook.model.timeline import Since, Span

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
    channel: str | None  # as the file states it: an event without one shows none
    what: Rich
    mark: str | None
    elapsed: Span       # since the start
    channel_changed: bool   # states a channel other than the last one stated before it
    id: str | None = None
    ref: int | None = None       # index of the event `from:` names (None: the previous one)
    since: Since | None = None   # after an undated start: the time since the first dated event


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
    note: str | None = None     # e.g. "Republished with the author's permission"


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
class Hint:
    """Advice from `check` that is not a problem: the case is published as it is."""

    line: int
    path: str
    message: str


@dataclass(frozen=True)
class CaseFacts:
    """A case's name and facts: what a whole case and its summary both hold."""

    slug: str
    title: str
    organization: str
    industry: str | None
    date: str | None
    location: str | None
    channels: list[str]
    outcome: str
    tags: list[str]
    draft: bool


@dataclass(frozen=True)
class Case(CaseFacts):
    file: Path
    summary: Rich
    people: dict[str, Person]
    timeline: list[Event]
    takeaways: list[Takeaway]
    objectives: list[str]
    discussion: list[str]
    facilitator_notes: Rich | None    # a text.DeferredRich: only one edition shows it
    sources: list[Source]
    figures: Figures
    hints: tuple[Hint, ...] = ()

    @cached_property
    def description(self) -> str:
        """The summary as one short plain line, for meta descriptions, cards and the feed."""
        return shorten(plain(self.summary))

    @cached_property
    def search_text(self) -> str:
        """What a reader may search for, in reading order (facilitator notes never included)."""
        parts = [plain(self.summary)]
        parts += [f"{event.who.name}: {plain(event.what)}" for event in self.timeline]
        parts += [" ".join(filter(None, [t.lesson + ".", plain(t.detail)]))
                  for t in self.takeaways]
        parts += self.objectives + self.discussion
        parts += [f"{p.name}{': ' + p.note if p.note else ''}" for p in self.people.values()]
        return " ".join(part for part in parts if part)

    def summarize(self) -> CaseSummary:
        facts = {name.name: getattr(self, name.name) for name in fields(CaseFacts)}
        return CaseSummary(**facts, takeaways=self.takeaways, figures=self.figures,
                           description=self.description, search_text=self.search_text,
                           discussion=self.discussion)


@dataclass(frozen=True)
class CaseSummary(CaseFacts):
    """What pages about many cases show of one case (index, listings, lessons, search, feed):
    small enough to keep for a thousand cases and to cache between builds, with the same
    names as on `Case`, so those pages read either."""

    takeaways: list[Takeaway]
    figures: Figures
    description: str
    search_text: str
    discussion: list[str]       # its questions: the ones a course chooses are shown


DESCRIPTION_LENGTH = 160


def plain(rich: Rich | None) -> str:
    """A Markdown field as plain text: its HTML without tags, spaces collapsed."""
    if rich is None:
        return ""
    return " ".join(Markup(rich.html).striptags().split())


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Text cut at a word boundary, for meta descriptions."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


@dataclass(frozen=True)
class Project:
    """Everything a build reads: the site settings, every valid case (drafts included) and
    the courses (model/course.py)."""

    site: Site
    cases: list[Case]
    courses: list = field(default_factory=list)

    @property
    def published(self) -> list[Case]:
        return [case for case in self.cases if not case.draft]
