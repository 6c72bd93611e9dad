"""A course: a training session built from published cases, as a trainer runs it in a room.

The plain, typed model every course output reads (the course pages, the participant pack, the
facilitator guide, and exporters such as pptx, docx or SCORM): every value is ready to show,
nothing is left to compute or parse. Built by casebook/reading/courses.py from
`courses/<slug>.yaml` (../shared/CASE-FORMAT.md, "Courses").

- `Course.items` is the agenda in order. Each `AgendaItem` has a `kind` (CASE, ACTIVITY or
  BREAK), its `minutes` and their `duration` text ("1 h 40 min"), and, when the course has a
  `starts` time, its clock times `start` and `end` ("09:30"; None otherwise).
- A CASE item holds the case's summary model (`case`: a model.case.CaseSummary, with slug,
  title, organization, takeaways, figures...) and the discussion questions the course chose
  (`questions`: Question(number, text), numbered as in the case, from 1).
- An ACTIVITY item has the participants' `detail` (Markdown, as a Rich: .source and .html).
- `notes` (on CASE and ACTIVITY items) are the course's facilitator notes: facilitator
  outputs only (the guide, speaker notes), never the site or the participant pack. The case's
  own facilitator notes are on the whole case (model.case.Case.facilitator_notes).
- `Course.length` is the total duration text, `Course.minutes` the total in minutes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casebook.model.case import CaseSummary, Rich, date_for_people, plain, shorten  # noqa: F401
from casebook.model.language import N_, Length, Phrase, ngettext
from casebook.model.timeline import format_duration

CASE, ACTIVITY, BREAK = "case", "activity", "break"
# courses/index.html lists every course, so no course may be called this.
COURSES_INDEX_SLUG = "index"

@dataclass(frozen=True)
class Question:
    number: int     # as numbered in the case's `discussion`, from 1
    text: str


@dataclass(frozen=True)
class AgendaItem:
    number: int                   # its place in the agenda, from 1
    kind: str                     # CASE, ACTIVITY or BREAK
    title: str                    # the case's title, the activity or the break as written
    minutes: int
    duration: str                 # minutes as a duration: "30 min", "1 h 40 min"
    start: str | None             # clock time "09:30" when the course `starts`, else None
    end: str | None
    offset: int                   # minutes from the course's start to this item's
    notes: Rich | None = None     # facilitator only (a text.DeferredRich)
    case: CaseSummary | None = None          # CASE items
    questions: tuple[Question, ...] = ()     # CASE items: the chosen questions, in order
    all_questions: bool = True               # CASE items: no `questions:` given
    detail: Rich | None = None               # ACTIVITY items: for participants

    @property
    def anchor(self) -> str:
        """The id of the item's part in the PDFs and of its row on the course page."""
        return f"item-{self.number}"

    @property
    def time(self) -> str:
        """"09:00–09:30" with clock times, else the duration."""
        return f"{self.start}–{self.end}" if self.start else self.duration

    @property
    def cue(self) -> Phrase:
        """What the facilitator does, for the run sheet: "Discuss questions 1, 3; move on at
        10:30", "Explain the task; stop at 11:50", "Back at 10:45" (English as a string; a
        renderer writes it in the page's language)."""
        if self.kind == BREAK:
            if self.end:
                return Phrase(N_("Back at %(time)s"), {"time": self.end})
            return Phrase(N_("%(length)s break"), {"length": Length(self.duration)})
        if self.kind == CASE:
            if self.questions:
                if self.end:
                    return Phrase(N_("Discuss %(questions)s; move on at %(time)s"),
                                  {"questions": self.questions_text, "time": self.end})
                return Phrase(N_("Discuss %(questions)s"), {"questions": self.questions_text})
            if self.end:
                return Phrase(N_("Read the case together; move on at %(time)s"),
                              {"time": self.end})
            return Phrase(N_("Read the case together"))
        if self.end:
            return Phrase(N_("Explain the task; stop at %(time)s"), {"time": self.end})
        return Phrase(N_("Explain the task"))

    @property
    def questions_text(self) -> Phrase:
        """Which questions a CASE item uses, in words: "questions 1, 3", "no questions"."""
        if not self.questions:
            return Phrase(N_("no questions"))
        numbers = ", ".join(str(q.number) for q in self.questions)
        singular, plural = ngettext("question %(numbers)s", "questions %(numbers)s")
        return Phrase(singular, {"numbers": numbers}, plural, len(self.questions))


@dataclass(frozen=True)
class Course:
    slug: str
    file: Path
    title: str
    audience: str | None
    date: str | None              # as written: YYYY, YYYY-MM or YYYY-MM-DD
    date_text: str | None         # for people: "3 December 2026", "December 2026", "2026"
    starts: str | None            # "09:00", or None: no clock times anywhere
    ends: str | None
    presenter: str | None
    description: Rich | None
    objectives: list[str]
    answer_lines: int             # ruled lines under each question in the pack
    items: tuple[AgendaItem, ...]
    minutes: int                  # the agenda's total
    length: str                   # the total as a duration: "3 h 30 min"

    @property
    def pack_key(self) -> str:
        """How a build names its participant pack among the site's PDFs (the `pdfs` set)."""
        return f"courses/{self.slug}"

    @property
    def pack_path(self) -> str:
        """Its participant pack, from the site's root."""
        return f"pdf/courses/{self.slug}.pdf"

    @property
    def page_path(self) -> str:
        return f"courses/{self.slug}.html"

    @property
    def case_items(self) -> tuple[AgendaItem, ...]:
        return tuple(item for item in self.items if item.kind == CASE)

    @property
    def case_slugs(self) -> tuple[str, ...]:
        """The cases it uses, each once, in agenda order."""
        return tuple(dict.fromkeys(item.case.slug for item in self.case_items))

    @property
    def description_text(self) -> str:
        """One line for meta descriptions and the courses listing."""
        text = plain(self.description) if self.description else ""
        return shorten(text or f"{self.title}: " + ", ".join(
            item.title for item in self.items if item.kind != BREAK))


def clock(minutes_since_midnight: int) -> str:
    """A clock time on the 24-hour clock; past midnight it goes round again."""
    hours, minutes = divmod(minutes_since_midnight % (24 * 60), 60)
    return f"{hours:02d}:{minutes:02d}"


def duration(minutes: int) -> Length:
    return Length(format_duration(minutes * 60))


def plan_agenda(starts: str | None, items: list[dict]) -> tuple[list[AgendaItem], int]:
    """The agenda items with their times, from each item's values (as AgendaItem's fields,
    without number, times and duration); and the total minutes."""
    begin = None
    if starts is not None:
        hours, minutes = starts.split(":")
        begin = int(hours) * 60 + int(minutes)
    planned, offset = [], 0
    for number, values in enumerate(items, start=1):
        minutes = values["minutes"]
        start = end = None
        if begin is not None:
            start, end = clock(begin + offset), clock(begin + offset + minutes)
        planned.append(AgendaItem(number=number, duration=duration(minutes), start=start,
                                  end=end, offset=offset, **values))
        offset += minutes
    return planned, offset
