"""The website build: each case read and rendered once, the pages about many cases rendered
from small summaries, and what did not change taken from the previous build.

1. `read_cases`: every case file's bytes and key (`cache.content_key` of the program key, the
   file's name and bytes, and whether its handout is linked). A case whose key the cache
   holds is not read again: its summary and cards come from the cache. The others are checked
   and rendered by `--jobs` worker processes, which hand back the summary and the cards, and
   write the case's page, with a slot for the links to the previous and next case (the order
   of the cases is known only once all are read), into a private temporary folder: no page is
   held in memory, by the workers or by the build, so memory does not grow with the number of
   cases read.
2. `write_site_pages`, once every case is valid: a case page whose key and pager are those of
   the page the previous build published, untouched since, is hard-linked from it; any other
   is rendered (cached cases whose neighbours changed are read again for it). The index,
   lessons and listing pages are rendered from the summaries and cards. Workers write.
3. `WrittenSite.remember`, after publishing: the cache keeps this build's entries and what each
   published case page was made from, and nothing else. Each entry is a file of its own
   (`entries/KEY.json`), so a build writes only the entries of the cases it read and deletes
   only those no case has any more.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import weakref
from typing import TypeVar
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from casebook.build.cache import (CACHE_FOLDER, cache_secret, content_key, folder_fingerprint,
                                  load_signed, program_key, register, save_signed)
from casebook.reading.exhibits import case_folder
from casebook.model.catalog import Catalog, Neighbours, catalog_of
from casebook.model.course import Course
from casebook.model.language import format_partial_date, translations
from casebook.reading.courses import load_courses
from casebook.reading.load import Loader, case_files, shown, sort_cases
from casebook.reading.notes import casebook_notes, site_notes
from casebook.model.case import Case, CaseSummary, Site
from casebook.reading.problems import InvalidInput, Problem
from casebook.render.templates import BUILTIN, Templates, environment
from casebook.web.site import (CARD_ROOTS, PAGER_SLOT, Page, case_page, catalog_pages,
                   render_cards, render_page, render_pager, write,
                   write_site_files)
from casebook.build.workers import iter_in_chunks, map_in_chunks, worker_count
from casebook.web.data import RecordPieces, record_pieces, write_site_data
from casebook.web.search import CaseTerms, case_terms
from casebook.reading.yamltree import read_small_file


@dataclass(frozen=True)
class CaseFile:
    path: Path
    data: bytes | None    # None when unreadable or too large: the loader then says why
    key: str | None       # None: not cacheable (see `data`)


@register
@dataclass(frozen=True)
class Entry:
    """What the cache keeps of a valid case."""

    summary: CaseSummary
    cards: dict[str, Markup]        # its card, for each place cards are shown (CARD_ROOTS)
    exhibits: tuple = ()            # model.pictures.Exhibit: the pictures its page shows
    data: RecordPieces | None = None    # its record in data/cases.json and cases.csv
    search: CaseTerms | None = None     # its terms for the search index (web/search.py)


register(RecordPieces)
register(CaseTerms)


@dataclass(frozen=True)
class FreshCase:
    """What a worker hands back for a case it read."""

    entry: Entry | None             # None when the case has problems
    problems: list[Problem]
    page: Path | None               # the case page with PAGER_SLOT, written; None for drafts


class SiteCache:
    """`output/.cache/site/`: an entry for each valid case, and what each case page of the
    published site was made from."""

    def __init__(self, out: Path, program: str):
        self.folder = out / CACHE_FOLDER / "site"
        self.program = program
        try:
            self.stored = {name[:-5] for name in os.listdir(self.folder / "entries")
                           if name.endswith(".json")}
        except OSError:
            self.stored: set[str] = set()
        # case page path -> (page key, inode, size, mtime) of the file published
        published = load_signed(self.folder / "published.json", {})
        self.published: dict[str, tuple] = {
            path: made for path, made in (published.items() if isinstance(published, dict) else ())
            if isinstance(made, tuple) and len(made) == 4}

    def key(self, path: Path, data: bytes | None, links_handout: bool) -> str | None:
        if data is None:
            return None
        # The case's pictures are part of it: a changed, added or removed one is a new key.
        return content_key(self.program, path.name, str(links_handout), data,
                           folder_fingerprint(case_folder(path)))

    def entry(self, key: str | None) -> Entry | None:
        """The entry stored under `key`, if any: signed by this build's key, and for that key
        (a signed entry stored under another key's name is no entry)."""
        if key not in self.stored:
            return None
        stored = load_signed(self.folder / "entries" / f"{key}.json", None)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key \
                and isinstance(stored[1], Entry):
            return stored[1]
        self.stored.discard(key)
        return None

    def save(self, keys: set[str], fresh: Path, published: dict[str, tuple]) -> None:
        """Keep the entries of `keys` (those not stored yet are in the folder `fresh`, where
        the workers wrote them), delete those not used now."""
        folder = self.folder / "entries"
        folder.mkdir(parents=True, exist_ok=True)
        for key in keys - self.stored:
            try:
                shutil.move(fresh / f"{key}.json", folder / f"{key}.json")
            except FileNotFoundError:  # not written (a full disk, say): read again next time
                pass
        for key in self.stored - keys:
            (folder / f"{key}.json").unlink(missing_ok=True)
        (self.folder / "entries.json").unlink(missing_ok=True)   # the cache before format 3
        save_signed(self.folder / "published.json", published)


@dataclass
class CaseSet:
    """Every case file of a build, read and checked."""

    site: Site
    cache: SiteCache
    files: dict[str, CaseFile]             # slug -> file
    entries: dict[str, Entry]              # slug -> summary and cards
    summaries: list[CaseSummary]           # in reading order, drafts included
    pages: dict[str, Path]                 # slug -> page with PAGER_SLOT, for those rendered
    records: Spool | None = None           # the entries' `data`, kept on disk (see Spool)
    pending: Path | None = None            # where the workers write pages and new entries
    courses: list[Course] = field(default_factory=list)   # courses/, checked against the cases
    templates: Templates = BUILTIN         # Casebook's, and the casebook's overrides
    notes: tuple[Problem, ...] = ()        # what `check` notes (never problems)

    def close(self) -> None:
        """Remove the pages and records written for this build (once the site is written)."""
        if self.pending is not None:
            shutil.rmtree(self.pending, ignore_errors=True)


def read_cases(site_file: Path, cases_dir: Path, out: Path, handout_links: frozenset[str],
               jobs: int = 1, templates: Templates = BUILTIN) -> CaseSet:
    """site.yaml and every case, checked; InvalidInput lists every problem of every file.
    `handout_links`: the slugs whose case page links a handout."""
    site, problems = Loader().site(site_file)
    paths, name_problems = case_files(cases_dir)
    problems += name_problems
    logo = site.logo.data if site and site.logo else b""
    cache = SiteCache(out, program_key(site_file, templates, logo))
    files = {}
    for path in paths:
        data = read_small_file(path)
        files[path.stem] = CaseFile(path, data, cache.key(path, data, path.stem in handout_links))
    global _job
    pending = Path(tempfile.mkdtemp(prefix="casebook-pages-"))
    # What only data/cases.json and cases.csv show goes to disk until they are written: each
    # entry holds where its record is in `records`, not the record.
    records = Spool(pending / "records")
    # The folder goes with the spool: once the pages are written, or when reading failed.
    weakref.finalize(records, shutil.rmtree, pending, True)

    def kept(entry: Entry) -> Entry:
        return dataclasses.replace(entry, data=entry.data and records.add(entry.data),
                                   search=entry.search and records.add(entry.search))

    entries = {slug: kept(entry) for slug, f in files.items() if (entry := cache.entry(f.key))}
    _job = _Job(site, templates, handout_links, pending)
    missing = [f for slug, f in files.items() if slug not in entries]
    if worker_count(jobs, len(missing)) > 1:
        _job.env = _before_fork(templates, site)
    pages = {}
    for file, fresh in zip(missing, iter_in_chunks(_check_and_render, missing, jobs)):
        problems += fresh.problems
        if fresh.entry:
            entries[file.path.stem] = kept(fresh.entry)
        if fresh.page is not None:
            pages[file.path.stem] = fresh.page
    records.file.flush()   # before any worker is forked
    summaries = sort_cases([entries[slug].summary for slug in files if slug in entries])
    courses, course_problems = load_courses(cases_dir, site, summaries,
                                            {slug for slug in files if slug not in entries})
    problems += course_problems
    if problems:
        raise InvalidInput(problems)
    notes = site_notes(shown(site_file), site, site_file.read_text(encoding="utf-8")) + \
        casebook_notes([(shown(files[slug].path), entries[slug].summary) for slug in files])
    cases = CaseSet(site, cache, files, entries, summaries, pages, records, pending, courses,
                    templates=templates, notes=tuple(notes))
    return cases


@dataclass
class _Job:
    """What forked workers need: set before they start."""

    site: Site
    templates: Templates
    handout_links: frozenset[str]
    pending: Path                       # where they write the case pages they render
    env: jinja2.Environment | None = None   # made once in each process that renders


_job: _Job | None = None

# What a worker renders a case with: compiled once before the workers fork, instead of once
# in each of them.
_CASE_TEMPLATES = ("case.html", "base.html", "partials/card.html", "partials/facts.html",
                   "partials/figures.html", "partials/timeline-chart.html",
                   "partials/timeline.html", "partials/quote.html", "partials/exhibit.html",
                   "partials/people.html", "partials/takeaways.html", "partials/questions.html",
                   "partials/sources.html")


def _before_fork(templates: Templates, site: Site | None) -> jinja2.Environment:
    """What every worker would otherwise make for itself: the environment with the case
    page's templates compiled, the site language's catalog and Babel's data, the cache key."""
    env = environment(templates)
    try:
        for name in _CASE_TEMPLATES:
            env.get_template(name)
    except jinja2.TemplateError:  # a casebook's broken override: reported where it is used
        env = environment(templates)
    if site is not None:
        translations(site.language)
        format_partial_date("2000-01-01", site.language)
    cache_secret()   # made once, here (the first build on a machine): all workers sign alike
    return env


def _check_and_render(files: list[CaseFile]) -> list[FreshCase]:
    job = _job
    site, handout_links = job.site, job.handout_links
    if job.env is None:
        job.env = environment(job.templates)
    loader, env = Loader(), job.env
    results = []
    for file in files:
        case, problems = loader.case(file.path, site, file.data)
        if case is None:
            results.append(FreshCase(None, problems, None))
            continue
        page = None
        if not case.draft:
            links = frozenset({case.slug}) & handout_links
            page = job.pending / f"{case.slug}.html"
            page.write_text(render_page(env, None, case_page(case, PAGER_SLOT), links, site=site),
                            encoding="utf-8")
        summary = case.summarize()
        entry = Entry(summary, render_cards(env, summary, site), case.exhibits,
                      record_pieces(case), case_terms(summary))
        if file.key is not None:   # the cache keeps it once the site is published
            try:
                save_signed(job.pending / "entries" / f"{file.key}.json", (file.key, entry))
            except OSError:
                pass
        results.append(FreshCase(entry, problems, page))
    return results


R = TypeVar("R", RecordPieces, CaseTerms)


class Spool:
    """Case records (and search terms) kept in a file rather than in memory, each read back when written out."""

    def __init__(self, path: Path):
        self.file = open(path, "w+b")

    def add(self, record: R) -> R:
        """Where `record`'s texts are now (a RecordPieces or a CaseTerms: a dataclass of
        texts): each as "offset:length"."""
        where = []
        for text in dataclasses.astuple(record):
            data = text.encode()
            where.append(f"{self.file.seek(0, os.SEEK_END)}:{len(data)}")
            self.file.write(data)
        return type(record)(*where)

    def get(self, where: R) -> R:
        texts = []
        for place in dataclasses.astuple(where):
            offset, length = map(int, place.split(":"))
            self.file.seek(offset)
            texts.append(self.file.read(length).decode())
        return type(where)(*texts)


def whole_cases(cases: CaseSet, jobs: int = 1) -> list[Case]:
    """The published cases as whole models, in reading order, read from the same bytes as
    the site (for the PDFs, which show what the summaries leave out)."""
    files = [cases.files[summary.slug] for summary in cases.summaries if not summary.draft]
    read = map_in_chunks(_read_whole, files, jobs)
    problems = [problem for _, found in read for problem in found]
    if problems:  # in the facilitator notes, which the site does not show or check
        raise InvalidInput(problems)
    return [case for case, _ in read]


def _read_whole(files: list[CaseFile]) -> list[tuple[Case | None, list[Problem]]]:
    site, loader = _job.site, Loader(all_markdown=True)
    return [loader.case(file.path, site, file.data) for file in files]


@dataclass(frozen=True)
class WrittenSite:
    catalog: Catalog
    pages: int
    published: dict[str, tuple]   # case page path -> (page key, inode, size, mtime)

    def remember(self, cases: CaseSet) -> None:
        """After publishing: the cache keeps this build's entries, for the next build."""
        cases.cache.save({key for slug in cases.entries
                          if (key := cases.files[slug].key) is not None},
                         cases.pending / "entries", self.published)


def write_site_pages(cases: CaseSet, dest: Path, previous: Path, pdfs: frozenset[str],
                     jobs: int = 1, templates: Templates | None = None) -> WrittenSite:
    """Every page and the assets into the staging folder `dest`; `previous` is the site the
    last build published. `pdfs`: the handouts (and "handbook") the published site holds."""
    catalog = catalog_of(cases.site, [c for c in cases.summaries if not c.draft])
    templates = templates or cases.templates
    env = environment(templates)
    # A case page is made from its file and its pager, which shows only the neighbours' slugs
    # and titles (`_pager_links`): keyed by those, no pager is rendered to tell what changed.
    page_keys = {case.slug: content_key(cases.files[case.slug].key or "",
                                        repr(_pager_links(catalog, case.slug)))
                 for case in catalog.cases}
    linked = {slug for slug in page_keys if slug not in cases.pages and _unchanged(
        cases.cache.published.get(f"cases/{slug}.html"), page_keys[slug],
        previous / "cases" / f"{slug}.html")}
    _render_again([slug for slug in page_keys if slug not in linked and slug not in cases.pages],
                  cases, jobs)
    pages = catalog_pages(catalog, cases.courses)
    cards = {root: {slug: entry.cards[root] for slug, entry in cases.entries.items()}
             for root in CARD_ROOTS}
    global _writing
    _writing = _Writing(cases, catalog, env, dest, previous, pdfs, page_keys, pages, cards)
    # Unchanged case pages are linked here (that is quick); workers write the rest, the big
    # pages about all cases first.
    published = {}
    todo = [page.path for page in pages]
    for case in catalog.cases:
        path = f"cases/{case.slug}.html"
        if case.slug in linked and _link(previous / path, dest / path):
            if cases.files[case.slug].key is not None:
                published[path] = (page_keys[case.slug], *_identity(dest / path))
        else:
            todo.append(case.slug)
    if worker_count(jobs, len(todo)) > 1:   # compiled once, here, not in every worker
        try:
            for name in env.list_templates(filter_func=_site_template):
                env.get_template(name)
        except jinja2.TemplateError:  # a casebook's broken override: reported where it is used
            env = environment(templates)
            _writing = dataclasses.replace(_writing, env=env)
    published.update(filter(None, map_in_chunks(_write_share, todo, jobs)))

    def terms_of(case: CaseSummary) -> CaseTerms:
        where = cases.entries[case.slug].search
        return cases.records.get(where) if where else case_terms(case)

    write_site_files(catalog, dest, templates, cases.courses, terms_of)
    write_site_data(dest, (cases.records.get(cases.entries[case.slug].data)
                           for case in catalog.cases))
    return WrittenSite(catalog, len(pages) + len(catalog.cases), published)


def _render_again(slugs: list[str], cases: CaseSet, jobs: int) -> None:
    """The pages of cached cases that cannot be linked (their neighbours changed, say)."""
    again = [cases.files[slug] for slug in slugs]
    for file, fresh in zip(again, map_in_chunks(_check_and_render, again, jobs)):
        cases.pages[file.path.stem] = fresh.page


def _unchanged(recorded: tuple | None, page_key: str, previous: Path) -> bool:
    """Whether the previous build's page is exactly what this build would write: made from
    the same key, and untouched since (the same file, size and time)."""
    if recorded is None or recorded[0] != page_key:
        return False
    try:
        return _identity(previous) == tuple(recorded[1:])
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True)
class _Writing:
    cases: CaseSet
    catalog: Catalog
    env: jinja2.Environment
    dest: Path
    previous: Path
    pdfs: frozenset[str]
    page_keys: dict[str, str]
    pages: list[Page]
    cards: dict[str, dict[str, Markup]]


_writing: _Writing | None = None   # what forked workers write: set before they start


def _write_share(todo: list[str]) -> list[tuple[str, tuple] | None]:
    """Write each page of the share (a page's path, or a case's slug); for each case page,
    what the next build needs to know to link it: (path, (page key, *file identity))."""
    job = _writing
    pages = {page.path: page for page in job.pages}
    done = []
    for item in todo:
        if item in pages:
            page = pages[item]
            write(job.dest / page.path, render_page(job.env, job.catalog, page, job.pdfs,
                                                    cards=job.cards.get(page.root)))
            done.append(None)
        else:
            done.append(_write_case_page(job, item))
    return done


def _write_case_page(job: _Writing, slug: str) -> tuple[str, tuple] | None:
    path = f"cases/{slug}.html"
    target = job.dest / path
    page = job.cases.pages.get(slug) or _check_and_render([job.cases.files[slug]])[0].page
    pager = render_pager(job.env, _pager_links(job.catalog, slug), job.catalog.site)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.read_bytes().replace(_SLOT, pager.encode(), 1))
    if job.cases.files[slug].key is None:
        return None
    return path, (job.page_keys[slug], *_identity(target))


_SLOT = PAGER_SLOT.encode()


@dataclass(frozen=True)
class _Link:
    slug: str
    title: str


def _pager_links(catalog: Catalog, slug: str) -> Neighbours:
    """What a case page's pager shows of its neighbours, and all its template can read (any
    other field is an error), so the page's key holds all the pager is made from."""
    neighbours = catalog.neighbours[slug]
    return Neighbours(*(_Link(case.slug, case.title) if case else None
                        for case in (neighbours.previous, neighbours.next)))


def _site_template(name: str) -> bool:
    return name.endswith(".html") and ("/" not in name or name.startswith("partials/"))


def _link(previous: Path, target: Path) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(previous, target)
    except OSError:  # gone since, or a file system without hard links: written instead
        return False
    return True
