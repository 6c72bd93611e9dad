"""The printed handouts: one PDF per case, the handbook, and its facilitator edition.

Rendered by WeasyPrint from the same model and partials as the website (print differs by CSS,
`templates/print/handout.css`). Every PDF is tagged (PDF/UA-1), embeds its fonts, fetches
nothing from outside the templates folder, and is byte-identical for the same input.

Each case is laid out once per build, as its own document (its chapter), in worker processes,
and kept in a cache by the hash of everything its layout depends on. The handout is that
chapter; both handbooks are composed from the chapters (casebook/compose.py) with a front
matter, a lessons chapter and, in the facilitator edition, a notes part per case, each laid
out on its own with the page numbers the chapters now have. Footers and page numbers are
stamped last, so a chapter's layout does not depend on where it is printed.
"""
from __future__ import annotations

import mimetypes
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from casebook.model.catalog import Catalog
from casebook.printing.compose import CHAPTER_LINK
from casebook.model.case import HANDBOOK_SLUG, Case, Site
from casebook.model.course import Course
from casebook.model.language import N_, gettext_for
from casebook.render.templates import BUILTIN, Templates, as_templates, css_content
from casebook.render.sourcedate import source_date

HANDBOOK = HANDBOOK_SLUG                              # output/site/pdf/handbook.pdf
FACILITATOR_HANDBOOK = "handbook-facilitator.pdf"     # output/facilitator/
PARTICIPANT, FACILITATOR = "participant", "facilitator"
PDF_VARIANT = "pdf/ua-1"   # tagged, with a structure tree screen readers can follow
CSS_PAPER = {"A4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class PrintDocument:
    """What the print templates show about the document itself: metadata, footer, edition."""

    kind: str                  # "handout", "handbook", "notes" or "stamp"
    edition: str               # PARTICIPANT or FACILITATOR
    title: str
    author: str
    subject: str
    keywords: list[str]
    paper: str                 # a CSS page size
    footer: str
    created: str | None        # W3C date-time from SOURCE_DATE_EPOCH, else no date at all
    newest_case_date: str | None = None   # as cases write it (2009-04): templates say it (local_date)

    @property
    def edition_label(self) -> str:
        if self.kind == "course":
            return N_("Facilitator guide") if self.edition == FACILITATOR else N_("Participant pack")
        return N_("Facilitator edition") if self.edition == FACILITATOR else N_("Participant edition")


def handout_document(site: Site, case: Case) -> PrintDocument:
    return PrintDocument(
        kind="handout", edition=PARTICIPANT, title=case.title, author=site.title,
        subject=gettext_for(site.language)(N_("%(organization)s: a case from %(site)s")) % {
            "organization": case.organization, "site": site.title}, keywords=list(case.tags),
        paper=CSS_PAPER[site.paper], footer=site.title, created=source_date())


def handbook_document(catalog: Catalog, edition: str) -> PrintDocument:
    site = catalog.site
    _ = gettext_for(site.language)
    title = site.title if edition == PARTICIPANT else f"{site.title} ({_('Facilitator edition')})"
    footer = site.title if edition == PARTICIPANT else f"{_('Facilitator edition')} · {site.title}"
    return PrintDocument(
        kind="handbook", edition=edition, title=title, author=site.title,
        subject=site.description, keywords=list(catalog.tags), paper=CSS_PAPER[site.paper],
        footer=footer, created=source_date(), newest_case_date=newest_case_date(catalog.cases))


def newest_case_date(cases: list[Case]) -> str | None:
    """The latest case's date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    # Dates are YYYY, YYYY-MM or YYYY-MM-DD, so the greatest string is the latest date.
    return max((case.date for case in cases if case.date), default=None)


# --- HTML ------------------------------------------------------------------------------------


def handout_html(env: jinja2.Environment, site: Site, case: Case,
                 pictures: Path | None = None) -> str:
    """`pictures`: the folder of the exhibits' copies (build/exhibits.py), which the PDF
    embeds; it must hold them when the HTML is laid out (`render_pdf(..., pictures)`)."""
    return env.get_template("handout.html").render(
        site=site, doc=handout_document(site, case), case=case, edition=PARTICIPANT,
        link_themes=False, root="", answer_lines=ANSWER_LINES,
        print_pictures=pictures_url(pictures))


def pictures_url(pictures: Path | None) -> str:
    return pictures.resolve().as_uri() + "/" if pictures else ""


def notes_html(env: jinja2.Environment, site: Site, case: Case) -> str:
    """The facilitator notes of a case, printed after its chapter in the facilitator edition."""
    doc = PrintDocument(
        kind="notes", edition=FACILITATOR, title=case.title, author=site.title,
        subject=f"{case.organization}: a case from {site.title}", keywords=list(case.tags),
        paper=CSS_PAPER[site.paper], footer="", created=source_date())
    return env.get_template("print/notes.html").render(site=site, doc=doc, case=case,
                                                       answer_lines=NOTES_LINES)


def front_html(env: jinja2.Environment, catalog: Catalog, edition: str,
               pages: dict[str, int]) -> str:
    """Cover and contents; `pages` gives the page each chapter starts ("case-<slug>",
    "lessons"). This document gives the handbook its metadata."""
    return env.get_template("print/front.html").render(
        site=catalog.site, catalog=catalog, doc=handbook_document(catalog, edition),
        edition=edition, **chapter_links(pages))


def lessons_html(env: jinja2.Environment, catalog: Catalog, edition: str,
                 pages: dict[str, int]) -> str:
    return env.get_template("print/lessons.html").render(
        site=catalog.site, catalog=catalog, doc=handbook_document(catalog, edition),
        edition=edition, link_themes=False, root="", **chapter_links(pages))


def stamp_html(env: jinja2.Environment, site: Site, footer: str, pages: int,
               cover: bool = False) -> str:
    """The footer and "page X of Y" of a `pages`-page PDF, to stamp on it after composing;
    with `cover`, the first page is a cover and gets neither."""
    doc = PrintDocument(kind="stamp", edition=PARTICIPANT, title=footer, author=site.title,
                        subject="", keywords=[], paper=CSS_PAPER[site.paper], footer=footer,
                        created=source_date())
    return env.get_template("print/stamp.html").render(site=site, doc=doc, pages=pages,
                                                       cover=cover,
                                                       page_numbers=page_numbers(site.language))


def page_numbers(language: str) -> Markup:
    """"page X of Y" in the language, as the CSS `content` of the footer's page numbers: the
    catalog's words (quotes, backslashes and markup characters dropped) around the counters."""
    return css_content(gettext_for(language)(N_("page %(page)s of %(pages)s")),
                       page="counter(page)", pages="counter(pages)")


@dataclass(frozen=True)
class ChapterLink:
    """A link to a part of a composed PDF (a chapter of the handbook, an item of a course's
    pack), which is laid out on its own: `href` is a CHAPTER_LINK that composing resolves,
    `page` the part's first page (the print CSS shows it)."""

    href: str
    page: int


def chapter_links(pages: dict[str, int]) -> dict:
    """What front matter and the lessons chapter link to, made from the parts' anchors
    ("case-<slug>", "lessons", "item-<n>") and first pages: `part_links` (anchor -> link),
    `case_chapters` (slug -> link) and `lessons_chapter`. Built from the model, never found in
    rendered HTML, so no text of a case can pass for a link."""
    links = {anchor: ChapterLink(CHAPTER_LINK + anchor, page) for anchor, page in pages.items()}
    return {"part_links": links,
            "case_chapters": {anchor.removeprefix("case-"): link for anchor, link in links.items()
                              if anchor.startswith("case-")},
            "lessons_chapter": links.get("lessons")}


# --- courses: the participant pack and the facilitator guide ------------------------------
# A pack is its front matter (cover, agenda), then each case and activity of the agenda as a
# part of its own; the guide's front matter is a cover and the run sheet, and each case's part
# is followed by the case's facilitator notes (the very part the facilitator handbook uses).

def course_document(site: Site, course: Course, edition: str) -> PrintDocument:
    label = gettext_for(site.language)(
        N_("Facilitator guide") if edition == FACILITATOR else N_("Participant pack"))
    return PrintDocument(
        kind="course", edition=edition, title=f"{course.title} ({label})",
        author=course.presenter or site.title, subject=course.description_text, keywords=[],
        paper=CSS_PAPER[site.paper], footer=f"{label} · {course.title}", created=source_date())


def course_front_html(env: jinja2.Environment, site: Site, course: Course, edition: str,
                      pages: dict[str, int]) -> str:
    """The cover and the agenda (pack) or run sheet (guide); `pages` gives the page each item
    starts ("item-<n>"). This document gives the PDF its metadata."""
    return env.get_template("print/course-front.html").render(
        site=site, course=course, doc=course_document(site, course, edition), in_print=True,
        root="", **chapter_links(pages))


def course_case_html(env: jinja2.Environment, site: Site, case: Case,
                     questions: tuple, lines: int, pictures: Path | None = None) -> str:
    """A case as a course's pack prints it: only the chosen questions, `lines` ruled lines each
    (`pictures` as for handout_html)."""
    return env.get_template("print/course-case.html").render(
        site=site, doc=handout_document(site, case), case=case, edition=PARTICIPANT,
        link_themes=False, root="", course_questions=questions, answer_lines=lines,
        print_pictures=pictures_url(pictures))


def course_activity_html(env: jinja2.Environment, site: Site, course: Course, item) -> str:
    doc = PrintDocument(kind="activity", edition=PARTICIPANT, title=item.title,
                        author=course.presenter or site.title, subject=course.title, keywords=[],
                        paper=CSS_PAPER[site.paper], footer="", created=source_date())
    return env.get_template("print/course-activity.html").render(
        site=site, doc=doc, item=item, answer_lines=course.answer_lines)


# --- WeasyPrint ------------------------------------------------------------------------------


def _project_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Hands WeasyPrint files from the templates folders (and the exhibits' print copies,
        which the build made) and nothing else: no network, no file elsewhere on the machine,
        whatever a case or a template points at. Documents address files under Casebook's own
        templates folder; a casebook's override of the same name wins. The logo comes inside
        the HTML, as a data: image."""

        def __init__(self, templates: Templates | Path, pictures: Path | None = None):
            super().__init__(allowed_protocols=("file", "data"))
            self.templates = as_templates(templates)
            self.allowed = [folder.resolve() for folder in self.templates.folders]
            self.pictures = pictures.resolve() if pictures else None
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith(("data:image/png;base64,", "data:image/svg+xml;base64,")):
                return super().fetch(url, headers)
            path = local_path(url)
            folder = next((f for f in self.allowed if path and path.is_relative_to(f)), None)
            if folder is not None:
                path = self.templates.find(path.relative_to(folder).as_posix())
            elif path is not None and self.pictures and path.is_relative_to(self.pictures) \
                    and path.is_file():
                folder = self.pictures
            if folder is None or path is None:
                self.refused.append(url)
                raise ValueError(f"Casebook fetches nothing outside its templates: {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return ProjectFetcher


def local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(unquote(parts.path)).resolve()


@contextmanager
def fixed_font_timestamps():
    """Font subsetting stamps the current time into each embedded font unless SOURCE_DATE_EPOCH
    is set; without one, stamp a fixed time so the same input gives the same bytes."""
    had = "SOURCE_DATE_EPOCH" in os.environ
    if not had:
        os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if not had:
            del os.environ["SOURCE_DATE_EPOCH"]


_PRINT_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(print/[a-z-]+\.css)">\n?')


def render_pdf(html: str, templates: Templates | Path = BUILTIN,
               pictures: Path | None = None) -> bytes:
    """One HTML document to PDF bytes; templates/ is the base for the stylesheet (a
    casebook's override of a stylesheet or a file it uses wins), and `pictures` the folder of
    the exhibits' print copies it may embed.

    The print stylesheets it links are parsed once per process (each document would parse
    them again, a tenth of a chapter's layout time) and handed to WeasyPrint in their order."""
    import weasyprint

    templates = as_templates(templates)
    fetcher = _project_fetcher_class()(templates, pictures)
    names = _PRINT_STYLESHEET.findall(html)

    def document(text: str):
        return weasyprint.HTML(string=_PRINT_STYLESHEET.sub("", text),
                               base_url=templates.builtin.as_uri() + "/", url_fetcher=fetcher)

    stylesheets = [print_stylesheet(templates, name) for name in names]
    with fixed_font_timestamps():
        options = {**weasyprint.DEFAULT_OPTIONS, "stylesheets": stylesheets,
                   "pdf_variant": PDF_VARIANT, "uncompressed_pdf": False}
        rendered = _filled_at_once(html, document, options)
        if rendered is not None:
            return rendered.write_pdf(**options)
        rendered = document(html).render(**options)
        if "data-answer=" in html and len(rendered.pages) > HANDOUT_PAGES:
            # A long case: fewer ruled lines, if that keeps it on a sheet.
            html, rendered = _fit_answer_lines(html, rendered, document, options)
        # Ruled lines to use a last page's space: laid out again with them, kept if it fits.
        grown = _fill_last_page(rendered, html) if "data-answer=" in html else None
        if grown is not None:
            second = document(grown).render(**options)
            if len(second.pages) == len(rendered.pages):   # never a page more
                rendered = second
        return rendered.write_pdf(**options)


_stylesheets: dict[tuple[Templates, str], tuple[bytes, object]] = {}


def print_stylesheet(templates: Templates, name: str):
    """templates/`name` (a casebook's own when it has one) parsed, reused while its bytes
    stay the same."""
    import weasyprint

    data = templates.find(name).read_bytes()
    known = _stylesheets.get((templates, name))
    if known is None or known[0] != data:
        fetcher = _project_fetcher_class()(templates)
        known = (data, weasyprint.CSS(string=data.decode("utf-8"),
                                      base_url=(templates.builtin / name).as_uri(),
                                      url_fetcher=fetcher))
        _stylesheets[(templates, name)] = known
    return known[1]


# --- ruled answer lines that use the page ----------------------------------------------------

ANSWER_LINES = 3           # ruled lines under each discussion question: fewer (down to one)
                           # where that keeps a handout on its pages, more where the last page
                           # has room (`_fit_answer_lines`, `_fill_last_page`)
HANDOUT_PAGES = 2          # a handout fits one sheet printed on both sides
NOTES_LINES = 5            # ruled lines for the facilitator's own notes, at the least
MAX_EXTRA_LINES = 20       # added to one space, however much of the page is left
RULE_PITCH_MM = 7.3        # one ruled line per 7.3 mm: templates/print/handout.css, `.rule`
_PX_PER_MM = 96 / 25.4
_ANSWER_SPACE = re.compile(r'(<div class="answer-space[^"]*" data-answer="([^"]+)"[^>]*>)')
_RULE = '<div class="rule"></div>'


def _fit_answer_lines(html: str, rendered, document, options):
    """The HTML and its layout with fewer ruled lines under each question (one at the least),
    the first count that lays the document out on HANDOUT_PAGES; the original when none does.
    A count whose lines cannot make room for what runs over (`_room_needed`) is not laid out:
    most long cases run over by far more than all their lines but one take."""
    needed = _room_needed(rendered, html)
    for keep in range(ANSWER_LINES - 1, 0, -1):
        fewer = _ANSWER_SPACE_WITH_RULES.sub(
            lambda match: match[1] + _RULE * min(keep, match[2].count(_RULE)), html)
        removed = (html.count(_RULE) - fewer.count(_RULE)) * RULE_PITCH_MM * _PX_PER_MM
        if removed < needed:
            continue
        laid_out = document(fewer).render(**options)
        if len(laid_out.pages) <= HANDOUT_PAGES:
            return fewer, laid_out
    return html, rendered


# Margins truncated at a page break and rounding: what a layout on fewer pages may gain
# besides the lines taken out.
_FIT_SLACK_MM = 15


def _room_needed(rendered, html: str) -> float:
    """How much less height (CSS px) the flow would have to take to fit on HANDOUT_PAGES pages,
    at the least: what it takes on its pages (from the top of each page's area to the bottom
    of its lowest line or empty box, so no gap left by a break is counted, nor a margin)
    beyond HANDOUT_PAGES whole pages, less _FIT_SLACK_MM. Taking ruled lines out shortens the
    flow by their height and no more, so fewer lines than that cannot make it fit. 0 (try
    every count) where pieces may repeat on every page (tables' headers, cloned borders)."""
    if "<table" in html or "clone" in html:
        return 0.0
    pages = [page._page_box for page in rendered.pages]
    flow = sum(_flow_height(page) for page in pages)
    spare = HANDOUT_PAGES * pages[0].height + _FIT_SLACK_MM * _PX_PER_MM
    return max(0.0, flow - spare)


def _flow_height(page) -> float:
    from weasyprint.formatting_structure.boxes import LineBox

    top = page.content_box_y()
    lowest = top
    for box in _boxes(page.children[0]):
        if isinstance(box, LineBox):
            lowest = max(lowest, box.position_y + box.height)
        elif not getattr(box, "children", None):
            lowest = max(lowest, box.border_box_y() + box.border_height())
    return lowest - top


_ANSWER_SPACE_WITH_RULES = re.compile(
    r'(<div class="answer-space[^"]*" data-answer="[^"]+"[^>]*>)((?:<div class="rule"></div>)*)')


def _fill_last_page(document, html: str) -> str | None:
    """The HTML again with more ruled lines under the questions on the document's last page,
    so that they use the space the page would leave blank; None when there is nothing to
    grow, or when less than a quarter of the page is blank. Only the last page: lines added
    there push nothing onto another page."""
    room, spaces, height = _last_page_room(document)
    if not spaces or room < height / 4:   # a page three-quarters used is not
        return None                       # worth a second layout
    # One line's space is kept free, against rounding: the page must not overflow.
    free_lines = int(room / (RULE_PITCH_MM * _PX_PER_MM)) - 1
    extra = min(free_lines // len(spaces), MAX_EXTRA_LINES)
    if extra < 1:
        return None
    return _grown(html, set(spaces), extra)


def _grown(html: str, spaces: set[str], extra: int) -> str:
    return _ANSWER_SPACE.sub(
        lambda match: match[1] + _RULE * extra if match[2] in spaces else match[1], html)


def _last_page_room(document) -> tuple[float, list[str], float]:
    """The blank height at the foot of the last page, below its last line or answer space
    (CSS px); the answer spaces on that page; the page area's height."""
    page = document.pages[-1]._page_box
    bottom = page.content_box_y() + page.height
    used, spaces = 0.0, []
    for box in _boxes(page):
        element = getattr(box, "element", None)
        if element is not None and element.get("data-answer") and box.element_tag == "div":
            spaces.append(element.get("data-answer"))
            used = max(used, box.position_y + box.margin_height())
        elif type(box).__name__ == "LineBox":
            used = max(used, box.position_y + box.height)
    return bottom - used, list(dict.fromkeys(spaces)), page.height


def _filled_at_once(html: str, document, options):
    """A one-page document with one answer space (a case's facilitator notes) as render_pdf
    would make it in two layouts, in one: laid out first with all MAX_EXTRA_LINES added,
    which is the result when that layout is one page with at least a line's room to spare
    (then, without them, the page had room for them and one line more, so _fill_last_page
    would add exactly MAX_EXTRA_LINES and the second layout would keep them). None when not
    so, with one layout spent; render_pdf then takes its usual way."""
    found = _ANSWER_SPACE.findall(html)
    if len(found) != 1:
        return None
    laid_out = document(_grown(html, {found[0][1]}, MAX_EXTRA_LINES)).render(**options)
    if len(laid_out.pages) != 1:
        return None
    room, spaces, height = _last_page_room(laid_out)
    pitch = RULE_PITCH_MM * _PX_PER_MM
    # 5 % of a line against rounding: the decision must be the one two layouts would make.
    if spaces != [found[0][1]] or room < 1.05 * pitch \
            or room + MAX_EXTRA_LINES * pitch < height / 4:
        return None
    return laid_out


def _boxes(root):
    pending = [root]
    while pending:
        box = pending.pop()
        yield box
        pending.extend(getattr(box, "children", None) or ())
