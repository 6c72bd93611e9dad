"""Making the build's PDFs: each document laid out once in worker processes and cached by
content (`Layouts`), then every handout and both handbooks composed from the laid-out parts.
What the documents contain is casebook/printing/pdf.py's; this module decides what is laid out
again, where it runs and where it is written."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from casebook.build.cache import cache_secret, sign
from casebook.build.exhibits import make_exhibit_copies
from casebook.build.publish import write_atomically
from casebook.build.workers import worker_pool
from casebook.model.catalog import Catalog
from casebook.model.course import ACTIVITY, BREAK, CASE, Course
from casebook.printing.compose import Part, compose
from casebook.printing.pdf import (FACILITATOR, FACILITATOR_HANDBOOK, HANDBOOK, PARTICIPANT,
                                   course_activity_html, course_case_html, course_document,
                                   course_front_html, front_html, handbook_document,
                                   handout_html, lessons_html, notes_html, render_pdf,
                                   stamp_html)
from casebook.render.templates import BUILTIN, Templates, as_templates, environment


# --- laid-out documents, cached by content ---------------------------------------------------

# Part of every cache key: bump it when what a key stands for changes (how HTML becomes a PDF).
LAYOUT_FORMAT = "casebook-layout-1"

# What this process laid out (a label per document, cache hits not included): for tests.
layout_log: list[str] = []


def layout_salt(templates: Templates | Path = BUILTIN) -> bytes:
    """What every layout depends on besides its HTML: the files under templates/ that
    WeasyPrint may fetch (stylesheets, fonts, images: everything but the Jinja templates,
    whose effect is in the HTML), a casebook's overrides winning, the WeasyPrint and pydyf
    versions and LAYOUT_FORMAT."""
    import pydyf
    import weasyprint

    digest = hashlib.sha256(f"{LAYOUT_FORMAT}\0{weasyprint.__version__}\0"
                            f"{pydyf.__version__}\0".encode())
    for name, path in as_templates(templates).files().items():
        if path.suffix != ".html":
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


class Layouts:
    """Laid-out PDFs in `folder`, found by the hash of their HTML and the salt: a document
    whose inputs did not change is not laid out again. Each entry's name also ends with a
    signature, with the build's key (`cache.sign`), of that hash and of the entry's own bytes:
    a damaged or swapped file, or one that a build without the key put there, claims to be a
    layout it is not, and is never used, only laid out again.
    Entries are written whole (temporary file, then rename); `prune` drops those this build
    did not use."""

    def __init__(self, folder: Path, salt: bytes, pool=None, pictures: Path | None = None,
                 templates: Templates = BUILTIN):
        self.folder = folder
        self.salt = salt
        self.templates = templates
        self.pool = pool
        self.pictures = pictures     # the exhibits' copies, which documents may embed
        self.used: set[Path] = set()
        cache_secret()  # read before the workers start, so that all of them sign alike
        folder.mkdir(parents=True, exist_ok=True)

    def key(self, html: str) -> str:
        return hashlib.sha256(self.salt + html.encode()).hexdigest()

    def cached(self, key: str) -> Path | None:
        """The entry laid out for `key`, if it is there whole."""
        for entry in self.folder.glob(f"{key}-*.pdf"):
            if _is_whole(entry, key):
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
        pictures = str(self.pictures) if self.pictures else None
        work = [(html, str(self.folder), key, pictures, self.templates)
                for key, (_, html) in todo.items()]
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
    return f"{key}-{sign(b'layout', key.encode(), hashlib.sha256(data).digest())[:40]}.pdf"


def _is_whole(entry: Path, key: str) -> bool:
    """Whether `entry` is a regular file holding what its name claims, signed by this build."""
    try:
        handle = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return False
            return entry.name == _entry_name(key, file.read())
    except OSError:
        return False


def _lay_out(work: tuple[str, str, str, str | None, Templates]) -> tuple[Path, int]:
    """Lay out one document into the cache folder: the entry and its page count."""
    html, folder, key, pictures, templates = work
    data = render_pdf(html, templates, pictures=Path(pictures) if pictures else None)
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


def _compose_all(jobs: tuple[Compose, ...]) -> list[Path]:
    return [_compose(job) for job in jobs]


def write_pdfs(catalog: Catalog, site_pdf_dir: Path, facilitator_dir: Path, jobs: int = 1,
               on_done=lambda path: None, cache_dir: Path | None = None,
               courses: Sequence[Course] = (), pictures: Path | None = None,
               templates: Templates = BUILTIN) -> list[Path]:
    """Write every handout, both handbooks and each course's pack and guide; returns their
    paths. Layouts run in `jobs` worker processes and are kept in `cache_dir` (None: kept for
    this build only); `pictures` holds the exhibits' copies (build/exhibits.py); `templates`:
    Casebook's and the casebook's own."""
    with ExitStack() as stack:
        if cache_dir is None:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-pdf-")))
        exhibits = [exhibit for case in catalog.cases for exhibit in case.exhibits]
        if pictures is None and exhibits:   # no build made the copies: made for these PDFs
            pictures = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-pictures-")))
            make_exhibit_copies(exhibits, pictures, jobs)
        # The salt imports WeasyPrint: before the fork, so that workers do not each import it.
        salt = layout_salt(templates)
        with worker_pool(jobs) as pool:
            layouts = Layouts(cache_dir, salt, pool, pictures, templates)
            todo = plan_pdfs(catalog, layouts, site_pdf_dir, facilitator_dir)
            todo += plan_course_pdfs(catalog, courses, layouts, site_pdf_dir, facilitator_dir)
        # Fresh workers compose: a worker's memory after a hundred layouts plus a handbook's
        # composing would be the build's peak. The two handbooks are composed one after the
        # other by one worker, everything else (course packs, handouts) by the others: two
        # handbooks composed at once held 430 MB each (100 cases).
        handbooks = {site_pdf_dir / f"{HANDBOOK}.pdf", facilitator_dir / FACILITATOR_HANDBOOK}
        tasks = [tuple(job for job in todo if job.target in handbooks)]
        tasks += [(job,) for job in todo if job.target not in handbooks]
        tasks = [task for task in tasks if task]
        written = []
        with worker_pool(jobs) as pool:
            for paths in (pool.imap(_compose_all, tasks, chunksize=1) if pool
                          else map(_compose_all, tasks)):
                for path in paths:
                    written.append(path)
                    on_done(path)
        layouts.prune()
        return written


def plan_pdfs(catalog: Catalog, layouts: Layouts, site_pdf_dir: Path,
              facilitator_dir: Path) -> list[Compose]:
    """Lay out every part, then say how each PDF is composed from them: the handbooks first
    (they take longest), then the handouts."""
    env = environment(layouts.templates)
    site, cases = catalog.site, catalog.cases
    laid_out = layouts.lay_out(
        [(f"chapter {case.slug}", handout_html(env, site, case, layouts.pictures)) for case in cases]
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
                                         totals[edition], cover=True)) for edition in editions]
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


# --- courses ---------------------------------------------------------------------------------

COURSE_EDITIONS = (PARTICIPANT, FACILITATOR)


def plan_course_pdfs(catalog: Catalog, courses: Sequence[Course], layouts: Layouts,
                     site_pdf_dir: Path, facilitator_dir: Path) -> list[Compose]:
    """Each course's participant pack (site_pdf_dir/courses/<slug>.pdf) and facilitator guide
    (facilitator_dir/courses/<slug>.pdf), composed from parts laid out on their own: a case's
    part depends on the case, the chosen questions and the answer lines only (not on the
    course's times, notes or order), and its notes part is the facilitator handbook's."""
    if not courses:
        return []
    env = environment(layouts.templates)
    site = catalog.site
    whole = {case.slug: case for case in catalog.cases}
    documents, places = [], []      # (label, HTML) to lay out; (course, item, piece) of each
    for course in courses:
        for item in course.items:
            if item.kind == CASE:
                case = whole[item.case.slug]
                documents.append((f"course case {case.slug}", course_case_html(
                    env, site, case, item.questions, course.answer_lines, layouts.pictures)))
                places.append((course.slug, item.number, "participant"))
                documents.append((f"notes {case.slug}", notes_html(env, site, case)))
                places.append((course.slug, item.number, "notes"))
            elif item.kind == ACTIVITY:
                documents.append((f"course {course.slug} activity {item.number}",
                                  course_activity_html(env, site, course, item)))
                places.append((course.slug, item.number, "participant"))
    laid_out = dict(zip(places, layouts.lay_out(documents)))
    parts_of = {}   # (slug, edition) -> [(anchor, [((path, pages), nested), ...]), ...]
    for course in courses:
        for edition in COURSE_EDITIONS:
            chapters = []
            for item in course.items:
                if item.kind == BREAK:
                    continue
                pieces = [(laid_out[(course.slug, item.number, "participant")], False)]
                if edition == FACILITATOR and item.kind == CASE:
                    pieces.append((laid_out[(course.slug, item.number, "notes")], True))
                chapters.append((item.anchor, pieces))
            parts_of[(course.slug, edition)] = chapters
    fronts = lay_out_course_fronts(env, site, courses, layouts, parts_of)
    totals = {key: front_pages + sum(count for _, pieces in chapters
                                     for (_, count), _ in pieces)
              for key, chapters in parts_of.items()
              for front_pages in [fronts[key][1]]}
    keys = list(parts_of)
    stamps = layouts.lay_out([
        (f"stamp course {slug} {edition}", stamp_html(
            env, site, course_document(site, next(c for c in courses if c.slug == slug),
                                       edition).footer, totals[(slug, edition)], cover=True))
        for slug, edition in keys])
    todo = []
    for (slug, edition), (stamp, _) in zip(keys, stamps):
        parts = [Part(fronts[(slug, edition)][0])]
        for anchor, pieces in parts_of[(slug, edition)]:
            parts += [Part(path, anchor if n == 0 else None, nested)
                      for n, ((path, _), nested) in enumerate(pieces)]
        folder = site_pdf_dir if edition == PARTICIPANT else facilitator_dir
        todo.append(Compose(folder / "courses" / f"{slug}.pdf", tuple(parts), stamp))
    return todo


def lay_out_course_fronts(env, site, courses: Sequence[Course], layouts: Layouts,
                          parts_of: dict) -> dict:
    """Each course's and edition's front matter, (path, its page count): laid out again with
    the items' page numbers until the number of front pages it was laid out for holds."""
    by_slug = {course.slug: course for course in courses}
    guesses = {key: 2 for key in parts_of}      # the cover and one page of agenda
    for _ in range(5):
        laid_out = layouts.lay_out([
            (f"front course {slug} {edition}", course_front_html(
                env, site, by_slug[slug], edition,
                chapter_pages(guesses[(slug, edition)], parts_of[(slug, edition)])))
            for slug, edition in parts_of])
        counts = {key: count for key, (_, count) in zip(parts_of, laid_out)}
        if counts == guesses:
            return {key: (path, count) for key, (path, count) in zip(parts_of, laid_out)}
        guesses = counts
    raise RuntimeError("a course's front matter does not settle on a number of pages")
