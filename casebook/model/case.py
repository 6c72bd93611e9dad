"""The plain, typed model every renderer reads: no YAML, no parsing, values ready to show."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from casebook.model.brand import Accent, Logo
from casebook.model.language import N_, Phrase, direction
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
    organization: str | None = None     # who publishes the casebook
    logo: Logo | None = None
    accent: Accent | None = None

    @property
    def direction(self) -> str:
        """`rtl` or `ltr`: the writing direction of the site's language (dir= on every page)."""
        return direction(self.language)


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
    quote: str | None = None          # the message's exact words (plain text)
    exhibit: "Exhibit | None" = None  # model.pictures.Exhibit, shown with this event (the
                                      # first event that names it)

    @property
    def channel_phrase(self) -> str | None:
        """The channel as the end of a sentence: "on Twitter", "by phone", "in person"."""
        return channel_phrase(self.channel) if self.channel else None


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

    span: Span | None      # None: nothing to measure (no company reply, no resolution)

    def __str__(self) -> str:
        return "—" if self.span is None else str(self.span)

    @property
    def kind(self) -> str:
        """How it is drawn: none | unknown | open (a lower end, no upper) | exact | range."""
        if self.span is None:
            return "none"
        if not self.span.known:
            return "unknown"
        if self.span.high is None:
            return "open"
        return "exact" if self.span.low == self.span.high else "range"


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

    @property
    def date_text(self) -> str | None:
        """The date for people: "April 2009", "18 February 2014", "2014"."""
        return date_for_people(self.date)


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
    # What `check` notes about the file, never problems; printed as `note:`.
    hints: tuple[Hint, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)   # each field's line, for notes
    exhibits: tuple = ()              # model.pictures.Exhibit, in the file's order
    exhibits_after: tuple = ()        # those no event shows: shown after the timeline

    @cached_property
    def description(self) -> str:
        """The summary as one short plain line, for meta descriptions, cards and the feed."""
        return shorten(plain(self.summary))

    @cached_property
    def lead(self) -> str:
        """The summary's first sentence, for the cards."""
        return first_sentence(plain(self.summary))

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
                           lead=self.lead,
                           discussion=self.discussion, hints=self.hints, lines=self.lines)


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
    lead: str = ""              # the summary's first sentence
    hints: tuple[Hint, ...] = ()    # kept for the notes a cached build prints
    lines: dict[str, int] = field(default_factory=dict)


# Channels are free text. Most are platforms, written "on Twitter"; these common words take
# another preposition, and read in lowercase ("by phone", not "on Phone"). Each is a catalog
# message, so a page in another language writes it in its own words ("telefonisch").
_CHANNEL_WORDS = {
    "in person": N_("in person"), "in-person": N_("in person"),
    "face to face": N_("face to face"),
    "phone": N_("by phone"), "telephone": N_("by phone"), "phone call": N_("by phone"),
    "call": N_("by phone"),
    "email": N_("by email"), "e-mail": N_("by email"), "mail": N_("by mail"),
    "letter": N_("by letter"), "post": N_("by post"), "sms": N_("by SMS"),
    "text": N_("by text message"), "text message": N_("by text message"), "fax": N_("by fax"),
    "chat": N_("in chat"), "live chat": N_("in live chat"), "web chat": N_("in web chat"),
    "blog": N_("on a blog"), "forum": N_("on a forum"), "website": N_("on the website"),
    "press": N_("in the press"), "news media": N_("in the news media"),
    "newspaper": N_("in a newspaper"),
    "tv": N_("on TV"), "television": N_("on television"), "radio": N_("on the radio"),
    "store": N_("in the store"), "shop": N_("in the shop"),
}


def channel_phrase(name: str) -> Phrase:
    """A channel as the words that follow "who did what": `on Twitter`, `by phone` (English as
    a string; a renderer writes it in the page's language)."""
    known = _CHANNEL_WORDS.get(" ".join(name.casefold().split()))
    return Phrase(known) if known else Phrase(N_("on %(channel)s"), {"channel": name})


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def date_for_people(date: str | None) -> str | None:
    """A date as written in a case (YYYY, YYYY-MM or YYYY-MM-DD) in words: "April 2009"."""
    if date is None:
        return None
    parts = [int(part) for part in date.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


DESCRIPTION_LENGTH = 160
LEAD_LENGTH = 220
# A sentence ends at . ! or ? (and any closing quote or bracket) before a space and a capital,
# a digit or an opening quote, unless the word before is an abbreviation ("Mr.", "U.S.").
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "inc", "ltd", "co", "no", "jr", "sr",
                  "sept", "oct", "nov", "dec", "jan", "feb", "mar", "apr", "aug", "e.g", "i.e"}


def first_sentence(text: str) -> str:
    """The first sentence of a plain text, shortened at a word if it is very long."""
    text = " ".join(text.split())
    for end in _SENTENCE_END.finditer(text):
        word = text[:end.start()].rsplit(" ", 1)[-1]
        if text[end.start()] == "." and (word.casefold() in _ABBREVIATIONS
                                         or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word)):
            continue
        return shorten(text[:end.end()], LEAD_LENGTH)
    return shorten(text, LEAD_LENGTH)


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
    notes: tuple = ()   # reading.problems.Problem: what `check` notes, never problems

    @property
    def published(self) -> list[Case]:
        return [case for case in self.cases if not case.draft]
