"""What every export shares: the words it shows (one place, for translation), what is exported
(a course, or a case alone), its date, and zip files with the same bytes for the same input."""
from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime, timezone

from casebook.model.case import Case, Site, channel_phrase
from casebook.model.course import CASE, AgendaItem, Course, Question
from casebook.model.language import N_, format_partial_date, gettext_for
from casebook.render.images import make_copies
from casebook.render.templates import in_language
from casebook.render.sourcedate import source_date

# Every word the exports show that is not the author's, the site's vocabulary where it has one:
# catalog messages (English here), written in the site's language by Words.
WORDS = {
    "agenda": N_("Agenda"),
    "summary": N_("Summary"),
    "timeline": N_("Timeline"),
    "figures": N_("Figures"),
    "first_response": N_("First response"),
    "resolution": N_("Resolution"),
    "channel_moves": N_("Channel moves"),
    "people": N_("People"),
    "takeaways": N_("Takeaways"),
    "objectives": N_("Objectives"),
    "course_objectives": N_("Objectives"),
    "discussion": N_("Discussion questions"),
    "question": N_("Question %(number)s"),
    "sources": N_("Sources"),
    "theme": N_("Theme: %(title)s"),
    "outcome": N_("Outcome: %(outcome)s"),
    "continued": N_("%(title)s (continued)"),
    "events_of": N_("%(title)s: events %(first)s–%(last)s of %(total)s"),
    "event_of": N_("%(title)s: event %(first)s of %(total)s"),
    "since_start": N_("since the start"),
    "time": N_("Time"),
    "who": N_("Who"),
    "channel": N_("Channel"),
    "what": N_("What happened"),
    "on_channel": N_("on %(channel)s"),
    "mark": {"escalation": N_("escalation"), "resolution": N_("resolution"),
             "turning-point": N_("turning point")},
    "side": {"customer": N_("customer"), "company": N_("company"), "public": N_("public")},
    "activity": N_("Activity"),
    "break": N_("Break"),
    "length": N_("Length: %(length)s"),
    "audience": N_("Audience: %(audience)s"),
    "presenter": N_("Presenter: %(presenter)s"),
    "answer": N_("Your answer"),
    "case_of": N_("Case"),
    "start": N_("Start"),
    "back_to_agenda": N_("Agenda"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "course_complete": N_("You have reached the last case of this course."),
    "skip": N_("Skip to content"),
    "course_nav": N_("Course"),
    "facilitator_notes": N_("Facilitator notes"),
    "course_notes": N_("Notes for this item"),
    "exhibit": N_("Exhibit %(number)s"),
    "exhibits": N_("Exhibits"),
}



class Words:
    """The exports' words in a language: `words["summary"]`, `words("question", number=2)`,
    and the model's values (times, channels, dates) as the site writes them in it."""

    def __init__(self, language: str):
        self.language = language
        self._ = gettext_for(language)

    def __getitem__(self, key: str):
        value = WORDS[key]
        if isinstance(value, dict):
            return {name: self._(word) for name, word in value.items()}
        return self._(value)

    def __call__(self, key: str, **values) -> str:
        return self[key] % values

    def value(self, value) -> str:
        """A time, a Figure, a course's length, a Phrase (a cue, a channel) in the language."""
        return str(in_language(value, self.language))

    def channel(self, name: str) -> str:
        return channel_phrase(name).translated(self.language)

    def date(self, text: str | None) -> str | None:
        return format_partial_date(text, self.language) if text else None


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
    def words(self) -> Words:
        return Words(self.site.language)

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


def facts_line(case: Case, words: Words) -> str:
    """The case's facts in one line, as the site's facts partial shows them."""
    parts = [case.organization]
    parts += [part for part in (words.date(case.date), case.industry, case.location) if part]
    parts += [", ".join(case.channels), words("outcome", outcome=words._(case.outcome))]
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
