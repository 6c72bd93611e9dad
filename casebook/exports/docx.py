"""A course's participant pack (or a case's handout) as an editable document: `<slug>.docx`,
made with python-docx.

Built from the word processor's own styles, so it edits like any document: Title, Heading 1
(each agenda item), Heading 2 (a case's sections), Heading 3 (each question), which the
navigation pane shows as the outline; List Bullet for lists; a table per timeline; and under
each chosen question the course's `answer_lines` ruled lines (a table of empty rows with only
lines between them, which every word processor draws). No facilitator notes.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, RGBColor

from casebook.exports.shared import (office_bytes, Export, Words, case_exhibits, export_date, facts_line,
                                     print_copy)
from casebook.model.blocks import BULLET, NUMBERED, Block, Run, blocks
from casebook.model.case import Case
from casebook.model.course import ACTIVITY, BREAK, CASE, AgendaItem
from casebook.render.images import logo_png

LINK_COLOUR = RGBColor(0x0B, 0x5C, 0xAD)
ANSWER_LINE_HEIGHT = Inches(0.36)
LOGO_HEIGHT, LOGO_WIDTH = Inches(0.8), Inches(2.5)    # the logo above the title, at most
# The site's paper (site.yaml `paper`), as the PDFs use it: width, height in inches.
PAPER = {"A4": (8.27, 11.69), "letter": (8.5, 11.0)}
PAGE_MARGIN = 1.0
# Each table's columns as parts of the text width.
AGENDA_COLUMNS = (0.25, 0.75)
TIMELINE_COLUMNS = (0.19, 0.23, 0.15, 0.43)


def document_bytes(export: Export) -> bytes:
    """The pack as a .docx file: the same bytes for the same export and date."""
    document = Document()
    width, height = PAPER[export.site.paper]
    for section in document.sections:
        section.page_width, section.page_height = Inches(width), Inches(height)
        section.left_margin = section.right_margin = Inches(PAGE_MARGIN)
        section.top_margin = section.bottom_margin = Inches(PAGE_MARGIN)
    words = export.words
    write_front(document, export)
    for item in export.items:
        if item.kind == CASE:
            write_case(document, export.case(item), item, export)
        elif item.kind == ACTIVITY:
            document.add_heading(item.title, level=1)
            if item.start or item.duration:
                document.add_paragraph(time_text(item, words))
            write_rich(document, item.detail)
    return office_bytes(document, export.title, export_date())


def time_text(item: AgendaItem, words: Words) -> str:
    length = words.value(item.duration)
    return f"{item.start}–{item.end} ({length})" if item.start else length


def write_front(document, export: Export) -> None:
    if export.site.logo is not None:                    # the site's logo above the title
        data, width, height = logo_png(export.site.logo)
        scale = min(LOGO_HEIGHT / height, LOGO_WIDTH / width)
        shape = document.add_paragraph().add_run().add_picture(
            io.BytesIO(data), width=int(width * scale), height=int(height * scale))
        shape._inline.docPr.set("descr", "")           # decoration: the title says who
    document.add_heading(export.title, level=0)        # the Title style
    course, words = export.course, export.words
    if course is None:
        return
    for line in (words("audience", audience=course.audience) if course.audience else None,
                 words.date(course.date),
                 words("presenter", presenter=course.presenter)
                 if course.presenter else None,
                 (f"{course.starts}–{course.ends} · " if course.starts else "")
                 + words("length", length=words.value(course.length))):
        if line:
            document.add_paragraph(line)
    write_rich(document, course.description)
    if course.objectives:
        document.add_heading(words["course_objectives"], level=1)
        for objective in course.objectives:
            document.add_paragraph(objective, style="List Bullet")
    document.add_heading(words["agenda"], level=1)
    table = document.add_table(rows=1, cols=2, style="Table Grid")
    header(table, [words["time"], words["agenda"]])
    for item in export.items:
        label = {CASE: words["case_of"], ACTIVITY: words["activity"],
                 BREAK: words["break"]}[item.kind]
        cells = table.add_row().cells
        cells[0].text = item.time
        cells[1].text = f"{label}: {item.title}"
    set_widths(document, table, AGENDA_COLUMNS)


def write_case(document, case: Case, item: AgendaItem, export: Export) -> None:
    words = export.words
    document.add_heading(case.title, level=1)
    if export.course is not None and item.start:
        document.add_paragraph(time_text(item, words))
    document.add_paragraph(facts_line(case, words))
    document.add_heading(words["figures"], level=2)
    for key, value in (("first_response", case.figures.first_response),
                       ("resolution", case.figures.resolution),
                       ("channel_moves", case.figures.channel_moves)):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{words[key]}: ").bold = True
        paragraph.add_run(words.value(value))
    document.add_heading(words["summary"], level=2)
    write_rich(document, case.summary)
    document.add_heading(words["timeline"], level=2)
    write_timeline(document, case, words)
    document.add_heading(words["people"], level=2)
    for person in case.people.values():
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(person.name).bold = True
        paragraph.add_run(f" ({words['side'][person.side]})"
                          + (f": {person.note}" if person.note else ""))
    document.add_heading(words["takeaways"], level=2)
    for takeaway in case.takeaways:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(takeaway.lesson).bold = True
        paragraph.add_run(" (" + words("theme", title=takeaway.theme.title) + ")")
        write_rich(document, takeaway.detail)
    if case.objectives:
        document.add_heading(words["objectives"], level=2)
        for objective in case.objectives:
            document.add_paragraph(objective, style="List Bullet")
    if item.questions:
        document.add_heading(words["discussion"], level=2)
        for question in item.questions:
            document.add_heading(words("question", number=question.number), level=3)
            document.add_paragraph(question.text)
            answer_lines(document, export.answer_lines, words)
    document.add_heading(words["sources"], level=2)
    for source in case.sources:
        paragraph = document.add_paragraph(style="List Bullet")
        if source.url:
            hyperlink(paragraph, source.title, source.url)
        else:
            paragraph.add_run(source.title)
        rest = "".join(f", {part}" for part in (source.author, source.publisher) if part)
        rest += f" ({words.date(source.date)})" if source.date else ""
        rest += f". {source.note}" if source.note else ""
        if rest:
            paragraph.add_run(rest)


def write_timeline(document, case: Case, words: Words) -> None:
    exhibits = case_exhibits(case)
    numbers = {exhibit: words("exhibit", number=n)
               for n, exhibit in enumerate(exhibits, start=1)}
    table = document.add_table(rows=1, cols=4, style="Table Grid")
    header(table, [f"{words['time']} ({words['since_start']})", words["who"], words["channel"],
                   words["what"]])
    for event in case.timeline:
        cells = table.add_row().cells
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(words.value(event.elapsed)).bold = True
        cells[0].add_paragraph(f"({event.when})")
        cells[1].text = ""
        cells[1].paragraphs[0].add_run(event.who.name).bold = True
        cells[1].add_paragraph(words["side"][event.who.side])
        cells[2].text = event.channel or ""
        cell = cells[3]
        first = True
        if event.mark:
            cell.paragraphs[0].add_run(words["mark"][event.mark].upper()).bold = True
            first = False
        for block in blocks(event.what):
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            add_block(paragraph, block)
        if event.quote:
            cell.add_paragraph().add_run(f"“{event.quote}”").italic = True
        if event.exhibit is not None:
            cell.add_paragraph(f"({numbers[event.exhibit]})")
    set_widths(document, table, TIMELINE_COLUMNS)
    if exhibits:
        document.add_heading(words["exhibits"], level=3)
    for exhibit in exhibits:
        write_exhibit(document, exhibit, numbers[exhibit])


def write_exhibit(document, exhibit, label: str) -> None:
    """The print copy at its printed size (no wider than the text), with its alt text, and
    a caption: its number, its caption (or alt text) and credit."""
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    width = min(Mm(exhibit.print_width_mm), text_width)
    shape = document.add_paragraph().add_run().add_picture(
        io.BytesIO(print_copy(exhibit)), width=width)
    shape._inline.docPr.set("descr", exhibit.alt)
    caption = document.add_paragraph(style="Caption")
    caption.add_run(f"{label}: ").bold = True
    words = blocks(exhibit.caption)
    if words:
        for run in words[0].runs:
            add_run(caption, run)
    else:
        caption.add_run(exhibit.alt)
    if exhibit.credit:
        caption.add_run(f" ({exhibit.credit})")


def set_widths(document, table, parts: tuple[float, ...]) -> None:
    """The table across the text width, its columns in these parts (the grid and each cell
    say so: Word reads one, LibreOffice and Google Docs the other)."""
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    for column, part in zip(table.columns, parts):
        column.width = int(text_width * part)
    for row in table.rows:
        for cell, part in zip(row.cells, parts):
            cell.width = int(text_width * part)


def header(table, titles: list[str]) -> None:
    """The table's first row as its header: bold, and repeated on every page it spans."""
    row = table.rows[0]
    for cell, title in zip(row.cells, titles):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def write_rich(document, rich) -> None:
    for block in blocks(rich):
        style = {BULLET: "List Bullet", NUMBERED: "List"}.get(block.kind)
        if block.kind == BULLET and block.level:
            style = f"List Bullet {min(block.level + 1, 3)}"
        paragraph = document.add_paragraph(style=style)
        add_block(paragraph, block)


def add_block(paragraph, block: Block) -> None:
    if block.kind == NUMBERED:
        paragraph.add_run(f"{block.number}. ")
    for run in block.runs:
        add_run(paragraph, run)


def add_run(paragraph, run: Run) -> None:
    if run.href:
        hyperlink(paragraph, run.text, run.href, bold=run.bold, italic=run.italic)
        return
    added = paragraph.add_run(run.text)
    added.bold = run.bold or None
    added.italic = run.italic or None
    if run.code:
        added.font.name = "Courier New"


def hyperlink(paragraph, text: str, url: str, bold: bool = False, italic: bool = False) -> None:
    """A link the reader can follow (python-docx has no call for one: the element by hand)."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for name, on in (("w:b", bold), ("w:i", italic)):
        if on:
            properties.append(OxmlElement(name))
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    properties.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def answer_lines(document, count: int, words: Words) -> None:
    """`count` ruled lines to write on: a one-column table of empty rows, with only the lines
    below each row drawn (a row grows as an answer is typed into it)."""
    if count <= 0:
        return
    table = document.add_table(rows=count, cols=1)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        drawn = side in ("bottom", "insideH")
        border.set(qn("w:val"), "single" if drawn else "nil")
        if drawn:
            border.set(qn("w:sz"), "4")
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "808080")
        borders.append(border)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))      # the schema's order: borders before it
    if look is not None:
        look.addprevious(borders)
    else:
        properties.append(borders)
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), words["answer"])
    table._tbl.tblPr.append(caption)
    for row in table.rows:
        row.height = ANSWER_LINE_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    set_widths(document, table, (1.0,))
    document.add_paragraph()
