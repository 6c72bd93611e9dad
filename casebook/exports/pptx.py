"""A course (or a case) as a slide deck for the room: `<slug>.pptx`, made with python-pptx.

Slides use the default template's plain layouts (Title Slide, Title Only) and text boxes:
what PowerPoint, LibreOffice Impress and Google Slides all read. Nothing is shrunk to fit:
every box is sized from its text at a fixed size, and what does not fit moves to the next
slide (a timeline shows a few events per slide). Facilitator notes (the course's and the
case's) go into the speaker notes only.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from casebook.exports.shared import (office_bytes, Export, Words, case_exhibits, export_date, facts_line,
                                     print_copy)
from casebook.model.blocks import BULLET, NUMBERED, Block, Run, blocks, plain_text
from casebook.model.case import Case, Event
from casebook.model.course import ACTIVITY, BREAK, CASE, AgendaItem
from casebook.render.images import logo_png

INCH = 914400
WIDTH, HEIGHT = 12192000, 6858000            # 16:9, 13.33 x 7.5 inches
MARGIN = int(0.6 * INCH)
BOX_INSET_X, BOX_INSET_Y = int(0.1 * INCH), int(0.05 * INCH)   # a text box's own margins
CONTENT_WIDTH = WIDTH - 2 * MARGIN
GAP = int(0.2 * INCH)

TITLE_SIZE, BIG_TITLE_SIZE = 32, 40
BODY_SIZE, META_SIZE, QUESTION_SIZE = 20, 16, 28
LINE = 1.2                  # line height as a multiple of the font size
CHAR_WIDTH = 0.5            # a character's width as a multiple of the size: Calibri and its
                            # metric twin Carlito measure about 0.42, so this leaves room
EVENTS_PER_SLIDE = 4        # "a few": fewer when their text is long
GREY = RGBColor(0x55, 0x55, 0x55)

TITLE_SLIDE, TITLE_ONLY = 0, 5               # the default template's layouts
LOGO_TOP = MARGIN // 2                       # the title slide's logo: its top edge,
LOGO_HEIGHT, LOGO_WIDTH = int(0.9 * INCH), 3 * INCH   # and at most this high and wide


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box: runs at one size, a space above it."""

    runs: tuple[Run, ...]
    size: int = BODY_SIZE
    bold: bool = False
    space_before: int = 0   # points
    grey: bool = False
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def para(text: str, **kwargs) -> Para:
    return Para((Run(text),), **kwargs)


def wrapped_lines(text: str, size: int, width: int) -> int:
    """How many lines `text` takes at `size` points in a box `width` EMU wide (its insets
    taken off), wrapping at spaces, a character counted at CHAR_WIDTH of the size."""
    per_line = max(1, int((width - 2 * BOX_INSET_X) / (size * CHAR_WIDTH * 12700)))
    lines = 0
    for line in text.split("\n"):
        count, used = 1, 0
        for word in line.split(" "):
            length = len(word)
            need = length if used == 0 else used + 1 + length
            if need <= per_line:
                used = need
                continue
            if used:
                count += 1
            while length > per_line:               # a word longer than a line breaks anywhere
                count, length = count + 1, length - per_line
            used = length
        lines += count
    return lines


def text_height(paras: list[Para], width: int) -> int:
    """The height in EMU that `paras` need in a box `width` wide, insets included."""
    points = sum(wrapped_lines(p.text, p.size, width - indent(p)) * p.size * LINE
                 + p.space_before for p in paras)
    return int(points * 12700) + 2 * BOX_INSET_Y


def indent(p: Para) -> int:
    return int(p.level * 0.4 * INCH)


def fits(paras: list[Para], width: int, height: int) -> bool:
    return text_height(paras, width) <= height


@dataclass
class SlidePlan:
    """A slide before it is drawn: its title, its body's paragraphs and its speaker notes."""

    title: str
    body: list[Para] = field(default_factory=list)
    notes: str = ""
    title_size: int = TITLE_SIZE
    subtitle: list[Para] | None = None      # the title slide's
    anchor_middle: bool = False             # a question or a break: body centred down
    exhibit: object = None                  # a model.pictures.Exhibit: the picture, then body
    logo: tuple | None = None               # the title slide's: (PNG bytes, width, height)
    rtl: bool = False                       # the logo at the right, where the page starts


def title_box_height(title: str, size: int) -> int:
    return text_height([para(title, size=size)], CONTENT_WIDTH)


def body_room(title: str, size: int = TITLE_SIZE) -> int:
    """The height left for the body below a title of this length."""
    return HEIGHT - 2 * MARGIN - title_box_height(title, size) - GAP


def flow(title: str, units: list[list[Para]], continued: str | None = None,
         most: int | None = None) -> list[tuple[str, list[list[Para]]]]:
    """`units` (lists of paragraphs kept together) spread over as many slides as they need,
    at most `most` units a slide; each slide's title, the later ones `continued`."""
    pages: list[tuple[str, list[list[Para]]]] = []
    current: list[list[Para]] = []
    for unit in units:
        for piece in split_unit(unit, body_room(continued or title)):
            heading = title if not pages else (continued or title)
            room = body_room(heading)
            candidate = current + [piece]
            if current and (not fits([p for u in candidate for p in u], CONTENT_WIDTH, room)
                            or (most and len(candidate) > most)):
                pages.append((heading, current))
                current = [piece]
            else:
                current = candidate
    if current or not pages:
        pages.append((title if not pages else (continued or title), current))
    return pages


def split_unit(unit: list[Para], room: int) -> list[list[Para]]:
    """A unit too tall for any slide, cut between its paragraphs, and a paragraph too tall
    cut between words: nothing is ever shrunk or cut off."""
    if fits(unit, CONTENT_WIDTH, room):
        return [unit]
    pieces, current = [], []
    for p in unit:
        for part in split_para(p, room):
            if current and not fits(current + [part], CONTENT_WIDTH, room):
                pieces.append(current)
                current = []
            current.append(part)
    if current:
        pieces.append(current)
    return pieces


def split_para(p: Para, room: int) -> list[Para]:
    if fits([p], CONTENT_WIDTH, room):
        return [p]
    words, parts, current = p.text.split(" "), [], []
    for word in words:
        if current and not fits([para(" ".join(current + [word]), size=p.size)],
                                CONTENT_WIDTH, room):
            parts.append(Para((Run(" ".join(current)),), p.size, p.bold, p.space_before, p.grey,
                              p.level))
            current = []
        current.append(word)
    parts.append(Para((Run(" ".join(current)),), p.size, p.bold, p.space_before, p.grey, p.level))
    return parts


# What the slides say ---------------------------------------------------------------------

def rich_paras(rich, size: int = BODY_SIZE) -> list[Para]:
    out = []
    for index, block in enumerate(blocks(rich)):
        out.append(block_para(block, size, space_before=0 if index == 0 else size // 2))
    return out


def block_para(block: Block, size: int, space_before: int = 0) -> Para:
    mark = {BULLET: "• ", NUMBERED: f"{block.number}. "}.get(block.kind, "")
    runs = ((Run(mark),) if mark else ()) + block.runs
    return Para(runs, size=size, space_before=space_before, level=block.level)


def event_meta(event: Event, words: Words) -> str:
    parts = [f"{words.value(event.elapsed)} {words['since_start']}",
             f"{event.who.name} ({words['side'][event.who.side]})"]
    if event.channel:
        parts.append(words.channel(event.channel))
    if event.mark:
        parts.append(words["mark"][event.mark].upper())
    return " · ".join(parts)


def event_unit(event: Event, first: bool, words: Words) -> list[Para]:
    what = [Para(b.runs, size=BODY_SIZE, level=b.level) for b in blocks(event.what)]
    if event.quote:
        what.append(Para((Run(f"“{event.quote}”", italic=True),), size=BODY_SIZE,
                         space_before=4, level=1))
    return [para(event_meta(event, words), size=META_SIZE, bold=True, grey=False,
                 space_before=0 if first else 14)] + what


def facilitator_notes(item: AgendaItem, case: Case | None, words: Words,
                      in_course: bool = True) -> str:
    """The speaker notes of an item's first slide: the run sheet's cue (in a course), the
    course's notes, then the case's."""
    parts = [f"{words.value(item.time)} · {words.value(item.cue)}"] if in_course else []
    if item.notes is not None:
        parts.append(f"{words['course_notes']}:\n{plain_text(item.notes)}")
    if case is not None and case.facilitator_notes is not None:
        parts.append(f"{words['facilitator_notes']}:\n{plain_text(case.facilitator_notes)}")
    return "\n\n".join(parts)


def plan_deck(export: Export) -> list[SlidePlan]:
    words = export.words
    plans = [title_plan(export)]
    course = export.course
    if course is not None:
        if course.description or course.objectives:
            body = rich_paras(course.description)
            body += [para(f"• {objective}", space_before=12 if body and index == 0 else 0)
                     for index, objective in enumerate(course.objectives)]
            title = words["course_objectives"] if course.objectives else course.title
            plans += paged(title, [[p] for p in body], words)
        plans += agenda_plans(export)
    for item in export.items:
        if item.kind == CASE:
            plans += case_plans(item, export.case(item), export.course is not None, words)
        elif item.kind == ACTIVITY:
            body = [para(time_text(item, words), size=META_SIZE, grey=True)] + rich_paras(
                item.detail)
            slides = paged(item.title, [[p] for p in body], words)
            slides[0].notes = facilitator_notes(item, None, words)
            plans += slides
        elif item.kind == BREAK:
            plans.append(SlidePlan(item.title, [para(time_text(item, words), size=QUESTION_SIZE)],
                                   notes=facilitator_notes(item, None, words),
                                   anchor_middle=True))
    return plans


def time_text(item: AgendaItem, words: Words) -> str:
    length = words.value(item.duration)
    return f"{item.start}–{item.end} ({length})" if item.start else length


def paged(title: str, units: list[list[Para]], words: Words, most: int | None = None,
          continued: str | None = None) -> list[SlidePlan]:
    later = continued or words("continued", title=title)
    return [SlidePlan(heading, [p for unit in page for p in unit])
            for heading, page in flow(title, units, later, most)]


def title_plan(export: Export) -> SlidePlan:
    course, words = export.course, export.words
    if course is None:
        case = next(iter(export.cases.values()))
        lines = [facts_line(case, words)]
    else:
        lines = [line for line in (
            words("audience", audience=course.audience) if course.audience else None,
            words.date(course.date),
            words("presenter", presenter=course.presenter) if course.presenter else None,
            (f"{course.starts}–{course.ends} · " if course.starts else "")
            + words("length", length=words.value(course.length))) if line]
    logo = export.site.logo
    return SlidePlan(export.title, title_size=BIG_TITLE_SIZE,
                     subtitle=[para(line, size=BODY_SIZE) for line in lines],
                     logo=logo_png(logo) if logo else None,
                     rtl=export.site.direction == "rtl")


def agenda_plans(export: Export) -> list[SlidePlan]:
    units, words = [], export.words
    for item in export.items:
        label = {CASE: words["case_of"], ACTIVITY: words["activity"],
                 BREAK: words["break"]}[item.kind]
        units.append([Para((Run(f"{item.time}  ", bold=True), Run(f"{label}: {item.title}")),
                           space_before=8)])
    return paged(words["agenda"], units, words)


def case_plans(item: AgendaItem, case: Case, in_course: bool, words: Words) -> list[SlidePlan]:
    title = case.title
    first = [para(facts_line(case, words), size=META_SIZE, grey=True)]
    if in_course:
        first.insert(0, para(time_text(item, words), size=META_SIZE, grey=True))
    summary = [para(words["summary"], bold=True, space_before=12)] + rich_paras(case.summary)
    slides = paged(title, [first] + [[p] for p in summary], words,
                   continued=words("continued", title=words["summary"]))
    slides[0].notes = facilitator_notes(item, case, words, in_course)
    timeline_title = words["timeline"]
    total = len(case.timeline)
    units = [event_unit(event, index == 0, words) for index, event in enumerate(case.timeline)]
    pages = flow(timeline_title, units, timeline_title, most=EVENTS_PER_SLIDE)
    numbers = {exhibit: n for n, exhibit in enumerate(case_exhibits(case), start=1)}
    drawn: set[int] = set()
    number = 0
    for _, page in pages:
        first_number, number = number + 1, number + len(page)
        key = "event_of" if first_number == number else "events_of"
        heading = words(key, title=timeline_title, first=first_number, last=number, total=total)
        body = [p for unit in page for p in unit]
        if body:
            body[0] = Para(body[0].runs, body[0].size, body[0].bold, 0, body[0].grey,
                           body[0].level)
        slides.append(SlidePlan(heading, body))
        for index in range(first_number - 1, number):
            exhibit = case.timeline[index].exhibit
            if exhibit is not None and numbers[exhibit] not in drawn:
                drawn.add(numbers[exhibit])
                slides.append(exhibit_plan(exhibit, numbers[exhibit], case.timeline[index],
                                           words))
    for exhibit in case.exhibits_after:
        slides.append(exhibit_plan(exhibit, numbers[exhibit], None, words))
    slides.append(SlidePlan(words["figures"], [
        Para((Run(f"{words[key]}: ", bold=True), Run(words.value(value))), size=QUESTION_SIZE,
             space_before=0 if key == "first_response" else 18)
        for key, value in (("first_response", case.figures.first_response),
                           ("resolution", case.figures.resolution),
                           ("channel_moves", case.figures.channel_moves))]))
    for question in item.questions:
        heading = words("question", number=question.number)
        slides += [SlidePlan(page_title, [p for unit in page for p in unit], anchor_middle=True)
                   for page_title, page in flow(heading, [[para(question.text,
                                                                size=QUESTION_SIZE)]])]
    return slides


def exhibit_plan(exhibit, number: int, event: Event | None, words: Words) -> SlidePlan:
    """An exhibit's slide: the picture as large as the slide allows, its caption below."""
    caption = rich_paras(exhibit.caption, META_SIZE) if exhibit.caption else [
        para(exhibit.alt, size=META_SIZE)]
    if exhibit.credit:
        caption.append(para(exhibit.credit, size=META_SIZE, grey=True))
    if event is not None:
        caption.insert(0, para(event_meta(event, words), size=META_SIZE, bold=True))
    return SlidePlan(words("exhibit", number=number), caption, exhibit=exhibit)


# Drawing ---------------------------------------------------------------------------------

def deck_bytes(export: Export) -> bytes:
    """The deck as a .pptx file: the same bytes for the same export and date."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(WIDTH), Emu(HEIGHT)
    for plan in plan_deck(export):
        draw(presentation, plan)
    return office_bytes(presentation, export.title, export_date().replace(tzinfo=None))


def draw(presentation, plan: SlidePlan) -> None:
    if plan.subtitle is not None:
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_SLIDE])
        title_height = title_box_height(plan.title, plan.title_size)
        sub_height = text_height(plan.subtitle, CONTENT_WIDTH)
        top = max(MARGIN, (HEIGHT - title_height - GAP - sub_height) // 2)
        if plan.logo is not None:
            top = max(top, draw_logo(slide, plan) + GAP)
        place_title(slide, plan.title, plan.title_size, top)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top = Emu(MARGIN), Emu(top + title_height + GAP)
        subtitle.width, subtitle.height = Emu(CONTENT_WIDTH), Emu(sub_height)
        fill(subtitle.text_frame, plan.subtitle)
    else:
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY])
        title_height = place_title(slide, plan.title, plan.title_size, MARGIN)
        if plan.exhibit is not None:
            draw_exhibit(slide, plan, MARGIN + title_height + GAP)
        elif plan.body:
            top = MARGIN + title_height + GAP
            height = text_height(plan.body, CONTENT_WIDTH)
            room = HEIGHT - MARGIN - top
            if plan.anchor_middle:
                top += max(0, (room - height) // 2)
            box = slide.shapes.add_textbox(Emu(MARGIN), Emu(top), Emu(CONTENT_WIDTH),
                                           Emu(height))
            fill(box.text_frame, plan.body)
    if plan.notes:
        slide.notes_slide.notes_text_frame.text = plan.notes


def draw_logo(slide, plan: SlidePlan) -> int:
    """The site's logo at the top of the title slide, on the side the text starts from, at
    most LOGO_HEIGHT high and LOGO_WIDTH wide; where its bottom is."""
    data, width, height = plan.logo
    scale = min(LOGO_HEIGHT / height, LOGO_WIDTH / width)
    shown_width, shown_height = int(width * scale), int(height * scale)
    left = WIDTH - MARGIN - shown_width if plan.rtl else MARGIN
    picture = slide.shapes.add_picture(io.BytesIO(data), Emu(left), Emu(LOGO_TOP),
                                       Emu(shown_width), Emu(shown_height))
    picture.name = "Logo"
    picture._element.nvPicPr.cNvPr.set("descr", "")     # decoration: the title says who
    return LOGO_TOP + shown_height


def draw_exhibit(slide, plan: SlidePlan, top: int) -> None:
    """The picture centred, scaled to the room the caption leaves; the caption under it."""
    caption_height = text_height(plan.body, CONTENT_WIDTH)
    room = max(HEIGHT - MARGIN - top - caption_height - GAP, 2 * INCH)
    copy = plan.exhibit.print_copy
    scale = min(CONTENT_WIDTH / copy.width, room / copy.height)
    width, height = int(copy.width * scale), int(copy.height * scale)
    picture = slide.shapes.add_picture(io.BytesIO(print_copy(plan.exhibit)),
                                       Emu(MARGIN + (CONTENT_WIDTH - width) // 2), Emu(top),
                                       Emu(width), Emu(height))
    picture._element.nvPicPr.cNvPr.set("descr", plan.exhibit.alt)   # its alt text
    box = slide.shapes.add_textbox(Emu(MARGIN), Emu(top + height + GAP), Emu(CONTENT_WIDTH),
                                   Emu(caption_height))
    fill(box.text_frame, plan.body)


def place_title(slide, title: str, size: int, top: int) -> int:
    shape = slide.shapes.title
    height = title_box_height(title, size)
    shape.left, shape.top, shape.width, shape.height = (Emu(MARGIN), Emu(top),
                                                        Emu(CONTENT_WIDTH), Emu(height))
    frame = shape.text_frame
    frame.text = title
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    set_insets(frame)
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = True
    return height


def set_insets(frame) -> None:
    frame.margin_left = frame.margin_right = Emu(BOX_INSET_X)
    frame.margin_top = frame.margin_bottom = Emu(BOX_INSET_Y)


def fill(frame, paras: list[Para]) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    set_insets(frame)
    for index, p in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.line_spacing = LINE
        paragraph.space_before = Pt(p.space_before)
        paragraph.space_after = Pt(0)
        if p.level:
            paragraph._p.get_or_add_pPr().set("marL", str(indent(p)))
        for piece in p.runs:
            run = paragraph.add_run()
            run.text = piece.text
            font = run.font
            font.size = Pt(p.size)
            font.bold = p.bold or piece.bold or None
            font.italic = piece.italic or None
            if p.grey:
                font.color.rgb = GREY
            if piece.href:
                run.hyperlink.address = piece.href


def slide_count(export: Export) -> int:
    return len(plan_deck(export))


def longest_line_ratio(plan: SlidePlan) -> float:
    """How much of its box the body's estimated text takes (at most 1 when it fits)."""
    top = MARGIN + title_box_height(plan.title, plan.title_size) + GAP
    return text_height(plan.body, CONTENT_WIDTH) / max(1, HEIGHT - MARGIN - top)

