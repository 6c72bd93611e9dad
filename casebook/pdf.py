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

import hashlib
import mimetypes
import os
import re
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from .catalog import Catalog
from .compose import CHAPTER_LINK, Part, compose
from .model import HANDBOOK_SLUG, Case, Site
from .site import TEMPLATES, environment
from .publish import write_atomically
from .sourcedate import source_date
from .workers import worker_pool

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
    newest_case_date: str | None = None

    @property
    def edition_label(self) -> str:
        return "Facilitator edition" if self.edition == FACILITATOR else "Participant edition"


def handout_document(site: Site, case: Case) -> PrintDocument:
    return PrintDocument(
        kind="handout", edition=PARTICIPANT, title=case.title, author=site.title,
        subject=f"{case.organization}: a case from {site.title}", keywords=list(case.tags),
        paper=CSS_PAPER[site.paper], footer=site.title, created=source_date())


def handbook_document(catalog: Catalog, edition: str) -> PrintDocument:
    site = catalog.site
    title = site.title if edition == PARTICIPANT else f"{site.title} (Facilitator edition)"
    footer = site.title if edition == PARTICIPANT else f"Facilitator edition · {site.title}"
    return PrintDocument(
        kind="handbook", edition=edition, title=title, author=site.title,
        subject=site.description, keywords=list(catalog.tags), paper=CSS_PAPER[site.paper],
        footer=footer, created=source_date(), newest_case_date=newest_case_date(catalog.cases))


def newest_case_date(cases: list[Case]) -> str | None:
    # Dates are YYYY, YYYY-MM or YYYY-MM-DD, so the greatest string is the latest date.
    return max((case.date for case in cases if case.date), default=None)


# --- HTML ------------------------------------------------------------------------------------


def handout_html(env: jinja2.Environment, site: Site, case: Case) -> str:
    return env.get_template("handout.html").render(
        site=site, doc=handout_document(site, case), case=case, edition=PARTICIPANT,
        link_themes=False, root="")


def notes_html(env: jinja2.Environment, site: Site, case: Case) -> str:
    """The facilitator notes of a case, printed after its chapter in the facilitator edition."""
    doc = PrintDocument(
        kind="notes", edition=FACILITATOR, title=case.title, author=site.title,
        subject=f"{case.organization}: a case from {site.title}", keywords=list(case.tags),
        paper=CSS_PAPER[site.paper], footer="", created=source_date())
    return env.get_template("print/notes.html").render(site=site, doc=doc, case=case)


def front_html(env: jinja2.Environment, catalog: Catalog, edition: str,
               pages: dict[str, int]) -> str:
    """Cover and contents; `pages` gives the page each chapter starts ("case-<slug>",
    "lessons"). This document gives the handbook its metadata."""
    return link_chapters(env.get_template("print/front.html").render(
        site=catalog.site, catalog=catalog, doc=handbook_document(catalog, edition),
        edition=edition), pages)


def lessons_html(env: jinja2.Environment, catalog: Catalog, edition: str,
                 pages: dict[str, int]) -> str:
    return link_chapters(env.get_template("print/lessons.html").render(
        site=catalog.site, catalog=catalog, doc=handbook_document(catalog, edition),
        edition=edition, link_themes=False, root=""), pages)


def stamp_html(env: jinja2.Environment, site: Site, footer: str, pages: int) -> str:
    """The footer and "page X of Y" of a `pages`-page PDF, to stamp on it after composing."""
    doc = PrintDocument(kind="stamp", edition=PARTICIPANT, title=footer, author=site.title,
                        subject="", keywords=[], paper=CSS_PAPER[site.paper], footer=footer,
                        created=source_date())
    return env.get_template("print/stamp.html").render(site=site, doc=doc, pages=pages)


_CHAPTER_HREF = re.compile(r'href="#((?:case-[^"]+)|lessons)"')


def link_chapters(html: str, pages: dict[str, int]) -> str:
    """Links to a chapter of the handbook (`#case-<slug>`, `#lessons`) point at a part laid
    out elsewhere: they become CHAPTER_LINK links, which composing resolves, and carry the
    chapter's first page as data-page, which the print CSS shows."""
    return _CHAPTER_HREF.sub(
        lambda match: f'href="{CHAPTER_LINK}{match[1]}" data-page="{pages[match[1]]}"', html)


# --- WeasyPrint ------------------------------------------------------------------------------


def _project_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Hands WeasyPrint files from the templates folder and nothing else: no network, no
        file elsewhere on the machine, whatever a case or a template points at."""

        def __init__(self, allowed: Path):
            super().__init__(allowed_protocols=("file",))
            self.allowed = allowed.resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            path = local_path(url)
            if path is None or not path.is_relative_to(self.allowed) or not path.is_file():
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


def render_pdf(html: str, templates: Path = TEMPLATES) -> bytes:
    """One HTML document to PDF bytes; templates/ is the base for the stylesheet.

    The print stylesheets it links are parsed once per process (each document would parse
    them again, a tenth of a chapter's layout time) and handed to WeasyPrint in their order."""
    import weasyprint

    fetcher = _project_fetcher_class()(templates)
    names = _PRINT_STYLESHEET.findall(html)
    document = weasyprint.HTML(string=_PRINT_STYLESHEET.sub("", html),
                               base_url=templates.as_uri() + "/", url_fetcher=fetcher)
    stylesheets = [print_stylesheet(templates, name) for name in names]
    with fixed_font_timestamps():
        return document.write_pdf(stylesheets=stylesheets, pdf_variant=PDF_VARIANT,
                                  uncompressed_pdf=False)


_stylesheets: dict[tuple[Path, str], tuple[bytes, object]] = {}


def print_stylesheet(templates: Path, name: str):
    """templates/`name` parsed, reused while its bytes stay the same."""
    import weasyprint

    data = (templates / name).read_bytes()
    known = _stylesheets.get((templates, name))
    if known is None or known[0] != data:
        fetcher = _project_fetcher_class()(templates)
        known = (data, weasyprint.CSS(string=data.decode("utf-8"),
                                      base_url=(templates / name).as_uri(), url_fetcher=fetcher))
        _stylesheets[(templates, name)] = known
    return known[1]


# --- laid-out documents, cached by content ---------------------------------------------------

# Part of every cache key: bump it when what a key stands for changes (how HTML becomes a PDF).
LAYOUT_FORMAT = "casebook-layout-1"

# What this process laid out (a label per document, cache hits not included): for tests.
layout_log: list[str] = []


def layout_salt(templates: Path = TEMPLATES) -> bytes:
    """What every layout depends on besides its HTML: the files under templates/ that
    WeasyPrint may fetch (stylesheets, fonts, images: everything but the Jinja templates,
    whose effect is in the HTML), the WeasyPrint and pydyf versions and LAYOUT_FORMAT."""
    import pydyf
    import weasyprint

    digest = hashlib.sha256(f"{LAYOUT_FORMAT}\0{weasyprint.__version__}\0"
                            f"{pydyf.__version__}\0".encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file() and p.suffix != ".html"):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


class Layouts:
    """Laid-out PDFs in `folder`, found by the hash of their HTML and the salt: a document
    whose inputs did not change is not laid out again. Each entry's name also ends with the
    hash of its own bytes, so a damaged or swapped file is never used, only laid out again.
    Entries are written whole (temporary file, then rename); `prune` drops those this build
    did not use."""

    def __init__(self, folder: Path, salt: bytes, pool=None):
        self.folder = folder
        self.salt = salt
        self.pool = pool
        self.used: set[Path] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def key(self, html: str) -> str:
        return hashlib.sha256(self.salt + html.encode()).hexdigest()

    def cached(self, key: str) -> Path | None:
        """The entry laid out for `key`, if it is there whole."""
        for entry in self.folder.glob(f"{key}-*.pdf"):
            if entry.name == _entry_name(key, entry.read_bytes()):
                return entry
            entry.unlink(missing_ok=True)
        return None

    def lay_out(self, documents: list[tuple[str, str]]) -> list[tuple[Path, int]]:
        """(path, page count) of each (label, HTML) document, laid out where not cached."""
        keys = [self.key(html) for _, html in documents]
        found = {key: self.cached(key) for key in set(keys)}
        todo = {}
        for (label, html), key in zip(documents, keys):
            if found[key] is None and key not in todo:
                todo[key] = (label, html)
        for label, _ in todo.values():
            layout_log.append(label)
        work = [(html, str(self.folder), key) for key, (_, html) in todo.items()]
        if self.pool is None or len(work) <= 1:
            done = dict(zip(todo, map(_lay_out, work)))
        else:
            done = dict(zip(todo, self.pool.imap(_lay_out, work, chunksize=1)))
        results = [done[key] if key in done else (found[key], page_count(found[key]))
                   for key in keys]
        self.used.update(path for path, _ in results)
        return results

    def prune(self) -> None:
        for entry in self.folder.iterdir():
            if entry not in self.used and entry.is_file():
                entry.unlink()


def _entry_name(key: str, data: bytes) -> str:
    return f"{key}-{hashlib.sha256(data).hexdigest()[:32]}.pdf"


def _lay_out(work: tuple[str, str, str]) -> tuple[Path, int]:
    """Lay out one document into the cache folder: the entry and its page count."""
    html, folder, key = work
    data = render_pdf(html)
    target = Path(folder) / _entry_name(key, data)
    write_atomically(target, data)
    return target, page_count(target)


def page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


# --- the build's PDFs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Compose:
    """One PDF to write from laid-out parts."""

    target: Path
    parts: tuple[Part, ...]
    stamp: Path


def _compose(job: Compose) -> Path:
    compose(list(job.parts), job.stamp, job.target)
    return job.target


def write_pdfs(catalog: Catalog, site_pdf_dir: Path, facilitator_dir: Path, jobs: int = 1,
               on_done=lambda path: None, cache_dir: Path | None = None) -> list[Path]:
    """Write every handout and both handbooks; returns their paths. Layouts run in `jobs`
    worker processes and are kept in `cache_dir` (None: kept for this build only)."""
    with ExitStack() as stack:
        if cache_dir is None:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-pdf-")))
        with worker_pool(jobs) as pool:
            layouts = Layouts(cache_dir, layout_salt(TEMPLATES), pool)
            todo = plan_pdfs(catalog, layouts, site_pdf_dir, facilitator_dir)
        # Fresh workers compose: a worker's memory after a hundred layouts plus a handbook's
        # composing would be the build's peak.
        written = []
        with worker_pool(jobs) as pool:
            for path in (pool.imap(_compose, todo, chunksize=1) if pool else map(_compose, todo)):
                written.append(path)
                on_done(path)
        layouts.prune()
        return written


def plan_pdfs(catalog: Catalog, layouts: Layouts, site_pdf_dir: Path,
              facilitator_dir: Path) -> list[Compose]:
    """Lay out every part, then say how each PDF is composed from them: the handbooks first
    (they take longest), then the handouts."""
    env = environment(TEMPLATES)
    site, cases = catalog.site, catalog.cases
    laid_out = layouts.lay_out(
        [(f"chapter {case.slug}", handout_html(env, site, case)) for case in cases]
        + [(f"notes {case.slug}", notes_html(env, site, case)) for case in cases])
    chapters, notes = laid_out[:len(cases)], laid_out[len(cases):]
    slugs = [case.slug for case in cases]
    editions = {
        PARTICIPANT: [(f"case-{slug}", [(chapter, False)])
                      for slug, chapter in zip(slugs, chapters)],
        FACILITATOR: [(f"case-{slug}", [(chapter, False), (note, True)])
                      for slug, chapter, note in zip(slugs, chapters, notes)],
    }
    targets = {PARTICIPANT: site_pdf_dir / f"{HANDBOOK}.pdf",
               FACILITATOR: facilitator_dir / FACILITATOR_HANDBOOK}
    fronts = lay_out_fronts(env, catalog, layouts, editions)
    lessons = layouts.lay_out([
        (f"lessons {edition}", lessons_html(env, catalog, edition, fronts[edition][1]))
        for edition in editions])
    totals = {edition: fronts[edition][1]["lessons"] - 1 + lessons[i][1]
              for i, edition in enumerate(editions)}
    handout_counts = sorted({pages for _, pages in chapters})
    stamps = layouts.lay_out(
        [(f"stamp {edition}", stamp_html(env, site, handbook_document(catalog, edition).footer,
                                         totals[edition])) for edition in editions]
        + [(f"stamp handout {pages}", stamp_html(env, site, site.title, pages))
           for pages in handout_counts])
    handout_stamps = dict(zip(handout_counts, (path for path, _ in stamps[len(editions):])))
    todo = []
    for i, (edition, chapters_of) in enumerate(editions.items()):
        parts = [Part(fronts[edition][0])]
        for anchor, pieces in chapters_of:
            parts += [Part(path, anchor if n == 0 else None, nested)
                      for n, ((path, _), nested) in enumerate(pieces)]
        parts.append(Part(lessons[i][0], "lessons"))
        todo.append(Compose(targets[edition], tuple(parts), stamps[i][0]))
    for slug, (path, pages) in zip(slugs, chapters):
        todo.append(Compose(site_pdf_dir / f"{slug}.pdf", (Part(path),), handout_stamps[pages]))
    return todo


def lay_out_fronts(env, catalog: Catalog, layouts: Layouts, editions: dict) -> dict:
    """Each edition's cover and contents, (path, chapter start pages). The contents show the
    page each chapter starts, which depends on how many pages the front matter itself takes:
    laid out again until the guess holds."""
    # The cover, then about 36 contents entries a page (one a case, one for the lessons).
    guess = 1 + -(-(len(catalog.cases) + 1) // 36)
    guesses = {edition: guess for edition in editions}
    for _ in range(5):
        pages = {edition: chapter_pages(guesses[edition], chapters)
                 for edition, chapters in editions.items()}
        laid_out = layouts.lay_out([
            (f"front {edition}", front_html(env, catalog, edition, pages[edition]))
            for edition in editions])
        counts = {edition: count for edition, (_, count) in zip(editions, laid_out)}
        if counts == guesses:
            return {edition: (path, pages[edition])
                    for edition, (path, _) in zip(editions, laid_out)}
        guesses = counts
    raise RuntimeError("the handbook's contents do not settle on a number of pages")


def chapter_pages(front: int, chapters: list) -> dict[str, int]:
    """The printed page number each chapter starts on, after `front` pages of front matter."""
    pages, number = {}, front + 1
    for anchor, pieces in chapters:
        pages[anchor] = number
        number += sum(count for (_, count), _ in pieces)
    pages["lessons"] = number
    return pages
