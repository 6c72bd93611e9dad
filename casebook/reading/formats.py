"""The case file and `site.yaml` formats (../shared/CASE-FORMAT.md), field by field."""
from __future__ import annotations

import json

from casebook.reading.fields import (AccentColour, BaseUrl, Choice, LogoFile, Field, Flag, ListOf, MapOf, MarkdownText, PartialDate, Pattern,
                     Phrase, Record, Ref, Text, Timeline, Url)
from casebook.model.case import MARKS, OUTCOMES, PAPERS, SIDES
from casebook.reading.exhibits import Exhibits, PictureFile

# Limits: generous for any real case (the largest shipped one needs a tenth of each), finite so
# that no case file, however written, makes a build slow or its output large (README "Limits").
MAX_TAGS = 30
MAX_CHANNELS = 20
MAX_PEOPLE = 100
MAX_EVENTS = 300
MAX_TAKEAWAYS = 30
MAX_QUESTIONS = 30          # objectives, and discussion questions, each
MAX_SOURCES = 50
MAX_EXHIBITS = 50
MAX_THEMES = 50             # in site.yaml
# Markdown fields, in characters.
MAX_SUMMARY = 10_000
MAX_NOTES = 20_000
MAX_MARKDOWN = 3_000        # an event's `what`, a takeaway's `detail`, a theme's `description`

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
KEY = r"[A-Za-z0-9][A-Za-z0-9_-]*"
KEY_EXPECTED = "letters, digits, - or _, such as `twc` or `agent-1`"

THEME = Record({
    "title": Field(Text(max_length=120), required=True),
    "description": Field(MarkdownText(MAX_MARKDOWN)),
}, "a theme")

SITE = Record({
    "title": Field(Text(max_length=120), required=True),
    "description": Field(Text(max_length=300), required=True),
    # On every page (its canonical link) and in the feed: kept short.
    "base_url": Field(BaseUrl(max_length=300), default="", note='"" for relative links; else https://host/path/'),
    "language": Field(Pattern(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
                              "a language code such as en or en-GB"), default="en"),
    "paper": Field(Choice(*PAPERS), default="A4"),
    "organization": Field(Text(max_length=120),
                          note="who publishes the casebook: in the site header and on PDF covers"),
    "logo": Field(LogoFile(), note="an SVG or PNG file beside site.yaml"),
    "accent": Field(AccentColour(), note="links, buttons and headings; 4.5:1 on white"),
    "themes": Field(MapOf(THEME, KEY, KEY_EXPECTED, max_items=MAX_THEMES, names_files=True),
                     required=True),
}, "the site settings")

PERSON = Record({
    "name": Field(Text(max_length=120), required=True),
    "side": Field(Choice(*SIDES), required=True),
    "note": Field(Text(max_length=200)),
}, "a person")

EVENT = Record({
    "id": Field(Pattern(SLUG, "lowercase-hyphenated, such as `first-reply`"),
                note="lets a later event say `from: <id>`"),
    "when": Field(Phrase(), required=True),
    "from": Field(Text(max_length=120), note="`start` or the id of an earlier event: measure "
                  "`when` from it instead of the previous event"),
    "who": Field(Ref("people", "a person of this case"), required=True),
    "channel": Field(Ref("channels", "one of this case's channels")),
    "what": Field(MarkdownText(MAX_MARKDOWN), required=True),
    "mark": Field(Choice(*MARKS)),
    "quote": Field(Text(max_length=2000, multiline=True),
                   note="the message's exact words, shown as a quoted post; never invent one"),
    "exhibit": Field(Ref("exhibits", "an exhibit of this case")),
}, "an event")

TAKEAWAY = Record({
    "lesson": Field(Text(max_length=200), required=True),
    "theme": Field(Ref("themes", "a theme of site.yaml"), required=True),
    "detail": Field(MarkdownText(MAX_MARKDOWN)),
}, "a takeaway")

SOURCE = Record({
    "title": Field(Text(max_length=300), required=True,
                   note='an untitled source is described in brackets: "[Untitled blog post]"'),
    "author": Field(Text(max_length=200)),
    "publisher": Field(Text(max_length=200)),
    "date": Field(PartialDate()),
    "url": Field(Url()),
    "note": Field(Text(max_length=300),
                  note="plain text, such as: Republished with the author's permission"),
}, "a source")

EXHIBIT = Record({
    "id": Field(Pattern(SLUG, "lowercase-hyphenated, such as `reply-screenshot`"), required=True),
    "file": Field(PictureFile(), required=True),
    "alt": Field(Text(max_length=300), required=True,
                 note="what the picture shows, for readers who cannot see it"),
    "caption": Field(MarkdownText(MAX_MARKDOWN)),
    "credit": Field(Text(max_length=200)),
}, "an exhibit")

# Field order matters: `people` and `channels` are checked before the timeline refers to them.
CASE = Record({
    "title": Field(Text(max_length=120), required=True),
    "organization": Field(Text(max_length=120), required=True),
    "industry": Field(Text(max_length=120)),
    "date": Field(PartialDate()),
    "location": Field(Text(max_length=120)),
    "channels": Field(ListOf(Text(max_length=60), min_items=1, unique=True,
                                max_items=MAX_CHANNELS), required=True),
    "outcome": Field(Choice(*OUTCOMES), required=True),
    "tags": Field(ListOf(Pattern(SLUG, "lowercase-hyphenated, such as `public-reply`"),
                         unique=True, max_items=MAX_TAGS), default=[]),
    "draft": Field(Flag(), default=False),
    "summary": Field(MarkdownText(MAX_SUMMARY), required=True),
    "people": Field(MapOf(PERSON, KEY, KEY_EXPECTED, max_items=MAX_PEOPLE), required=True),
    "timeline": Field(Timeline(EVENT, min_items=1, max_items=MAX_EVENTS), required=True),
    "takeaways": Field(ListOf(TAKEAWAY, min_items=1, max_items=MAX_TAKEAWAYS), required=True),
    "objectives": Field(ListOf(Text(max_length=300), max_items=MAX_QUESTIONS), default=[]),
    "discussion": Field(ListOf(Text(max_length=500), max_items=MAX_QUESTIONS), default=[]),
    "facilitator_notes": Field(MarkdownText(MAX_NOTES)),
    "sources": Field(ListOf(SOURCE, min_items=1, max_items=MAX_SOURCES), required=True),
    "exhibits": Field(Exhibits(EXHIBIT, max_items=MAX_EXHIBITS), default=[]),
}, "a case")


def json_schema(record: Record, title: str) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
              **record.schema()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


from casebook.reading.courseformat import COURSE  # noqa: E402 - it uses the fields above

SCHEMAS = {"case.schema.json": (CASE, "Casebook case file"),
           "site.schema.json": (SITE, "Casebook site.yaml"),
           "course.schema.json": (COURSE, "Casebook course file")}
