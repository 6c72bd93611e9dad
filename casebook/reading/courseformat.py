"""The course file format, `courses/<slug>.yaml` (../shared/CASE-FORMAT.md, "Courses"), field
by field, with the checks that look at the cases a course names: a published case, a question
number that case has, at least one case in the agenda."""
from __future__ import annotations

from dataclasses import dataclass, field

from casebook.reading.fields import (INVALID, Check, ClockTime, Field, Integer, Kind, ListOf,
                                     MarkdownText, PartialDate, Record, Text, _hint, _shape,
                                     _shown, child)
from casebook.reading.yamltree import Mapping, Sequence

MAX_MINUTES = 480          # one agenda item: at most a working day
MAX_ANSWER_LINES = 20
# A course's agenda: a long day's worth. Each case item puts a copy of the case in the pack, so
# 2,000 items (60 KB of YAML) made a build run for minutes and take 2 GB.
MAX_AGENDA_ITEMS = 40
MAX_OBJECTIVES = 30
DEFAULT_ANSWER_LINES = 4
ITEM_KINDS = ("case", "activity", "break")


@dataclass
class CourseCheck(Check):
    """A Check that also knows the casebook's cases: the published ones with their number of
    discussion questions, the drafts, and those whose file has problems of its own (a course
    naming one of those is not blamed for it)."""

    questions: dict[str, int] = field(default_factory=dict)
    drafts: set[str] = field(default_factory=set)
    unchecked: set[str] = field(default_factory=set)


class CaseRef(Text):
    """The slug of a published case."""

    expected = "the name of a published case: its file name in cases/ without .yaml"

    def convert(self, text, node, path, ctx: CourseCheck):
        if text in ctx.questions:
            return text
        if text in ctx.unchecked:
            return INVALID   # the case file's own problems are reported
        if text in ctx.drafts:
            return ctx.fail(node, path, f"`{_shown(text)}` is a draft case (a course uses "
                                        "published cases: set `draft: false` in the case, "
                                        "or choose another)")
        return ctx.fail(node, path, f"`{_shown(text)}` is not a published case (expected "
                                    f"{self.expected}{_hint(text, ctx.questions)})")

    def schema(self):
        return {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}


MINUTES = Field(Integer(1, MAX_MINUTES, "minutes"), required=True)
NOTES = Field(MarkdownText(10_000), note="facilitator only: the guide, never the site or the pack")

CASE_ITEM = Record({
    "case": Field(CaseRef(), required=True),
    "minutes": MINUTES,
    "questions": Field(ListOf(Integer(1, 99), unique=True),
                       note="which discussion questions, numbered from 1; default all"),
    "notes": NOTES,
}, "an agenda item")

ACTIVITY_ITEM = Record({
    "activity": Field(Text(max_length=200), required=True),
    "minutes": MINUTES,
    "detail": Field(MarkdownText(3_000), note="for participants (Markdown)"),
    "notes": NOTES,
}, "an agenda item")

BREAK_ITEM = Record({
    "break": Field(Text(max_length=120), required=True),
    "minutes": MINUTES,
}, "an agenda item")

ITEMS = {"case": CASE_ITEM, "activity": ACTIVITY_ITEM, "break": BREAK_ITEM}


class AgendaItem(Kind):
    """One agenda item: a case, an activity or a break, told apart by which of those fields it
    has; a case's `questions` must be numbers that case has."""

    expected = "an agenda item (`case:`, `activity:` or `break:`, with `minutes:`)"

    def check(self, node, path, ctx: CourseCheck):
        if not isinstance(node, Mapping):
            return ctx.fail(node, path, f"is {_shape(node)} (expected {self.expected})")
        kinds = [kind for kind in ITEM_KINDS if kind in node.values]
        if len(kinds) != 1:
            found = ("none of " if not kinds else "more than one of ") + ", ".join(
                f"`{kind}`" for kind in (kinds or ITEM_KINDS))
            return ctx.fail(node, path, f"has {found} (an agenda item is one case, one "
                                        "activity or one break, with its `minutes`)")
        values = ITEMS[kinds[0]].check(node, path, ctx)
        if values is INVALID:
            return INVALID
        values["kind"] = kinds[0]
        if kinds[0] == "case" and values["questions"]:
            have = ctx.questions[values["case"]]
            numbers = node.values["questions"].items
            for index, (number, written) in enumerate(zip(values["questions"], numbers)):
                if number > have:
                    have_text = (f"it has {have} (1 to {have})" if have
                                 else "it has none (write `questions: []` or leave the line out)")
                    values = ctx.fail(written, child(child(path, "questions"), index),
                                      f"the case `{values['case']}` has no question {number} "
                                      f"({have_text})")
        return values

    def schema(self):
        return {"oneOf": [record.schema() for record in ITEMS.values()]}


class Agenda(ListOf):
    """The agenda: at least one item, and at least one of them a case."""

    def check(self, node, path, ctx):
        items = super().check(node, path, ctx)
        if isinstance(node, Sequence) and node.items:
            kinds = [item.values for item in node.items if isinstance(item, Mapping)]
            if not any("case" in values for values in kinds):
                return ctx.fail(node, path, "has no case (expected at least one item with "
                                            "`case:`, the name of a published case)")
        return items


COURSE = Record({
    "title": Field(Text(max_length=120), required=True),
    "audience": Field(Text(max_length=200)),
    "date": Field(PartialDate()),
    "starts": Field(ClockTime(), note="the clock time of the first item; clock times are "
                                      "shown only when it is given"),
    "presenter": Field(Text(max_length=200)),
    "description": Field(MarkdownText(3_000)),
    "objectives": Field(ListOf(Text(max_length=300), max_items=MAX_OBJECTIVES), default=[]),
    "answer_lines": Field(Integer(0, MAX_ANSWER_LINES, "ruled lines per question in the pack"),
                          default=DEFAULT_ANSWER_LINES),
    "agenda": Field(Agenda(AgendaItem(), min_items=1, max_items=MAX_AGENDA_ITEMS), required=True),
}, "a course")
