"""What every export shares: the words it shows (one place, for translation), what is exported
(a course, or a case alone), its date, and zip files with the same bytes for the same input."""
from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime, timezone

from casebook.model.case import Case, Site
from casebook.model.course import CASE, AgendaItem, Course, Question
from casebook.render.images import make_copies
from casebook.render.sourcedate import source_date

# Every word the exports show that is not the author's, the site's vocabulary where it has one.
WORDS = {
    "agenda": "Agenda",
    "summary": "Summary",
    "timeline": "Timeline",
    "figures": "Figures",
    "first_response": "First response",
    "resolution": "Resolution",
    "channel_moves": "Channel moves",
    "people": "People",
    "takeaways": "Takeaways",
    "objectives": "Objectives",
    "course_objectives": "Objectives",
    "discussion": "Discussion questions",
    "question": "Question {number}",
    "sources": "Sources",
    "theme": "Theme: {title}",
    "outcome": "Outcome: {outcome}",
    "continued": "{title} (continued)",
    "events_of": "{title}: events {first}–{last} of {total}",
    "event_of": "{title}: event {first} of {total}",
    "since_start": "since the start",
    "time": "Time",
    "who": "Who",
    "channel": "Channel",
    "what": "What happened",
    "on_channel": "on {channel}",
    "mark": {"escalation": "escalation", "resolution": "resolution",
             "turning-point": "turning point"},
    "side": {"customer": "customer", "company": "company", "public": "public"},
    "activity": "Activity",
    "break": "Break",
    "length": "Length: {length}",
    "audience": "Audience: {audience}",
    "presenter": "Presenter: {presenter}",
    "answer": "Your answer",
    "case_of": "Case",
    "start": "Start",
    "back_to_agenda": "Agenda",
    "previous": "Previous",
    "next": "Next",
    "course_complete": "You have reached the last case of this course.",
    "skip": "Skip to content",
    "course_nav": "Course",
    "facilitator_notes": "Facilitator notes",
    "course_notes": "Notes for this item",
    "exhibit": "Exhibit {number}",
    "exhibits": "Exhibits",
}


@dataclass(frozen=True)
class Export:
    """What one export file holds: a course's agenda, or one case as an agenda of one item."""

    slug: str                      # the file name's stem
    site: Site
    title: str
    course: Course | None          # None: a case alone
    items: tuple[AgendaItem, ...]
    cases: dict[str, Case]         # the whole cases its items name, by slug
    answer_lines: int

    @property
    def case_items(self) -> tuple[AgendaItem, ...]:
        return tuple(item for item in self.items if item.kind == CASE)

    def case(self, item: AgendaItem) -> Case:
        return self.cases[item.case.slug]


def course_export(site: Site, course: Course, cases: dict[str, Case]) -> Export:
    return Export(slug=course.slug, site=site, title=course.title, course=course, items=course.items,
                  cases={slug: cases[slug] for slug in course.case_slugs},
                  answer_lines=course.answer_lines)


def case_export(site: Site, case: Case, answer_lines: int) -> Export:
    """A case alone: every discussion question, no clock or length."""
    item = AgendaItem(number=1, kind=CASE, title=case.title, minutes=0, duration="",
                      start=None, end=None, offset=0, case=case.summarize(),
                      questions=tuple(Question(number, text)
                                      for number, text in enumerate(case.discussion, start=1)))
    return Export(slug=case.slug, site=site, title=case.title, course=None, items=(item,),
                  cases={case.slug: case}, answer_lines=answer_lines)


def facts_line(case: Case) -> str:
    """The case's facts in one line, as the site's facts partial shows them."""
    parts = [case.organization]
    parts += [part for part in (case.date_text if case.date else None, case.industry,
                                case.location) if part]
    parts += [", ".join(case.channels), WORDS["outcome"].format(outcome=case.outcome)]
    return " · ".join(parts)


def case_exhibits(case: Case) -> list:
    """The case's exhibits in the order its pages show them: each with the first event that
    shows it, then those no event shows (model.pictures.Exhibit)."""
    shown = [event.exhibit for event in case.timeline if event.exhibit is not None]
    return list(dict.fromkeys(shown)) + list(case.exhibits_after)


@lru_cache(maxsize=64)
def _copies(picture) -> dict[str, bytes]:
    return make_copies(picture)


def exhibit_copies(exhibit) -> dict[str, bytes]:
    """Every copy of an exhibit's picture by name (web copies, `print.jpg` or `print.png`),
    encoded as the site's are (metadata removed), once per picture for all formats."""
    return _copies(exhibit.picture)


def print_copy(exhibit) -> bytes:
    return exhibit_copies(exhibit)[exhibit.print_copy.name]


# Zip files keep a date per entry: SOURCE_DATE_EPOCH's, or this one (the format's earliest).
FIXED_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)


def export_date() -> datetime:
    """The date every export carries (file dates, document properties)."""
    text = source_date()
    if text is None:
        return FIXED_DATE
    return max(FIXED_DATE, datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc))


def zip_bytes(entries: list[tuple[str, bytes]], date: datetime) -> bytes:
    """A zip of `entries` in the order given, every entry dated `date`, compressed the same
    way each time: the same entries give the same bytes."""
    buffer = io.BytesIO()
    stamp = date.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                      # Unix, whatever builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def redate_zip(data: bytes, date: datetime) -> bytes:
    """A zip written by a library (pptx, docx) again, entries in their order, dated `date`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return zip_bytes(entries, date)


def office_bytes(document, title: str, date: datetime) -> bytes:
    """A python-docx or python-pptx document saved with fixed core properties (no author,
    the export date, revision 1) and fixed zip dates: the same input gives the same bytes."""
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = ""
    properties.subject = properties.keywords = properties.comments = ""
    properties.created = properties.modified = properties.last_printed = date
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return redate_zip(buffer.getvalue(), export_date())
