"""The website build: each case's page rendered once and kept in the build cache; the pages
about many cases rendered from small summaries.

1. `read_cases`: every case file's bytes and key (`cache.content_key` of the program key, its
   name, its bytes and whether its handout is linked). Cases whose key the cache holds are not
   read again. The others are checked and rendered by `--jobs` worker processes, which hand
   back a summary and the case's page with a slot where the links to the previous and next
   case go (the order of the cases is known only once all are read).
2. `write_site_pages`: once every case is valid, the case pages go into the staging folder:
   hard-linked from the previous site when its page has the same key (case and pager), else
   the cached page with its pager filled in. The index, lessons and listing pages are
   rendered from the summaries.
3. `SiteCache.save`, after the site is published: the entries this build used, nothing else.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .cache import CACHE_FOLDER, content_key, load_pickle, program_key, save_pickle, write_atomically
from .catalog import Catalog, catalog_of
from .load import Loader, case_files, sort_cases
from .model import CaseSummary, Site
from .problems import InvalidInput, Problem
from .site import (CARD_ROOTS, PAGER_SLOT, TEMPLATES, Page, case_page, catalog_pages, environment,
                   fill_pager, render_cards, render_page, render_pager, write, write_site_files)
from .workers import map_in_chunks
from .yamltree import read_small_file


@dataclass(frozen=True)
class CaseFile:
    path: Path
    data: bytes | None    # None when unreadable or too large: the loader then says why
    key: str | None       # None: not cacheable (see `data`)


@dataclass(frozen=True)
class Entry:
    """What the cache keeps of a valid case (its page is a file of its own)."""

    summary: CaseSummary
    cards: dict[str, Markup]        # its card, for each place cards are shown (CARD_ROOTS)


@dataclass(frozen=True)
class FreshCase:
    """What a worker hands back for a case the cache did not hold."""

    entry: Entry | None             # None when the case has problems
    problems: list[Problem]
    page: str | None                # the case page with PAGER_SLOT; None for drafts


class SiteCache:
    """`output/.cache/site/`: an entry for each valid case, its page (with the pager slot),
    and what the published site's case pages were made from."""

    def __init__(self, out: Path, program: str):
        self.folder = out / CACHE_FOLDER / "site"
        self.program = program
        self.entries: dict[str, Entry] = load_pickle(self.folder / "entries.pickle", {})
        self.published: dict[str, tuple] = load_pickle(self.folder / "published.pickle", {})

    def key(self, path: Path, data: bytes | None, links_handout: bool) -> str | None:
        if data is None:
            return None
        return content_key(self.program, path.name, str(links_handout), data)

    def page_file(self, key: str) -> Path:
        return self.folder / "pages" / f"{key}.html"

    def save(self, entries: dict[str, Entry], published: dict[str, tuple]) -> None:
        """Keep what this build used and drop the rest."""
        save_pickle(self.folder / "entries.pickle", entries)
        save_pickle(self.folder / "published.pickle", published)
        pages = self.folder / "pages"
        for page in pages.iterdir() if pages.is_dir() else ():
            if page.stem not in entries:
                page.unlink(missing_ok=True)


@dataclass
class CaseSet:
    """Every case file of a build, read and checked; the case pages not yet in the cache."""

    site: Site
    cache: SiteCache
    keys: dict[str, str | None]            # slug -> cache key
    entries: dict[str, Entry]              # slug -> summary and cards
    summaries: list[CaseSummary]           # in reading order, drafts included
    fresh_pages: dict[str, str]            # slug -> page with PAGER_SLOT, cache had none


def read_cases(site_file: Path, cases_dir: Path, out: Path, handout_links: frozenset[str],
               jobs: int = 1, templates: Path = TEMPLATES) -> CaseSet:
    """site.yaml and every case, checked; InvalidInput lists every problem of every file.
    `handout_links`: the slugs whose case page links a handout."""
    site, problems = Loader().site(site_file)
    files, name_problems = case_files(cases_dir)
    problems += name_problems
    cache = SiteCache(out, program_key(site_file, templates))
    read = []
    for path in files:
        data = read_small_file(path)
        read.append(CaseFile(path, data, cache.key(path, data, path.stem in handout_links)))
    cached = {f.path: cache.entries[f.key] for f in read
              if f.key in cache.entries and (cache.entries[f.key].summary.draft
                                             or cache.page_file(f.key).is_file())}
    missing = [f for f in read if f.path not in cached]
    global _job
    _job = (site, templates, handout_links)
    fresh = dict(zip((f.path for f in missing), map_in_chunks(_check_and_render, missing, jobs)))
    entries, pages = {}, {}
    for f in read:
        if f.path in cached:
            entries[f.path.stem] = cached[f.path]
            continue
        problems += fresh[f.path].problems
        if fresh[f.path].entry:
            entries[f.path.stem] = fresh[f.path].entry
            if fresh[f.path].page is not None:
                pages[f.path.stem] = fresh[f.path].page
    if problems:
        raise InvalidInput(problems)
    summaries = sort_cases([entry.summary for entry in entries.values()])
    return CaseSet(site, cache, {f.path.stem: f.key for f in read}, entries, summaries, pages)


_job: tuple | None = None   # what forked workers need: set before they start


def _check_and_render(files: list[CaseFile]) -> list[FreshCase]:
    site, templates, handout_links = _job
    loader, env = Loader(), environment(templates)
    results = []
    for file in files:
        case, problems = loader.case(file.path, site, file.data)
        if case is None:
            results.append(FreshCase(None, problems, None))
            continue
        page = None
        if not case.draft:
            links = frozenset({case.slug}) & handout_links
            page = render_page(env, None, case_page(case, PAGER_SLOT), links, site=site)
        summary = case.summarize()
        results.append(FreshCase(Entry(summary, render_cards(env, summary)), problems, page))
    return results


@dataclass(frozen=True)
class WrittenSite:
    catalog: Catalog
    pages: int
    published: dict[str, tuple]   # case page path -> (page key, inode, size, mtime)

    def remember(self, cases: CaseSet) -> None:
        """After publishing: the cache keeps this build's entries, for the next build."""
        cases.cache.save({key: entry for slug, entry in cases.entries.items()
                          if (key := cases.keys[slug]) is not None},
                         self.published)


def write_site_pages(cases: CaseSet, dest: Path, previous: Path, pdfs: frozenset[str],
                     jobs: int = 1, templates: Path = TEMPLATES) -> WrittenSite:
    """Every page and the assets into the staging folder `dest`; `previous` is the site the
    last build published. `pdfs`: the handouts (and "handbook") the published site holds."""
    catalog = catalog_of(cases.site, [c for c in cases.summaries if not c.draft])
    env = environment(templates)
    pagers = {case.slug: render_pager(env, catalog.neighbours[case.slug]) for case in catalog.cases}
    pages = catalog_pages(catalog)
    cards = {root: {slug: entry.cards[root] for slug, entry in cases.entries.items()}
             for root in CARD_ROOTS}
    global _writing
    _writing = _Writing(cases, catalog, env, dest, previous, pdfs, pagers, pages, cards)
    # Workers write their share of the pages; the big pages about all cases come first.
    todo = [page.path for page in pages] + [case.slug for case in catalog.cases]
    published = dict(filter(None, map_in_chunks(_write_share, todo, jobs)))
    write_site_files(catalog, dest, templates)
    return WrittenSite(catalog, len(pages) + len(catalog.cases), published)


@dataclass(frozen=True)
class _Writing:
    cases: CaseSet
    catalog: Catalog
    env: jinja2.Environment
    dest: Path
    previous: Path
    pdfs: frozenset[str]
    pagers: dict[str, str]
    pages: list[Page]
    cards: dict[str, dict[str, Markup]]


_writing: _Writing | None = None   # what forked workers write: set before they start


def _write_share(todo: list[str]) -> list[tuple[str, tuple] | None]:
    """Write each page of the share (a page's path, or a case's slug); for each case page
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
    path, key = f"cases/{slug}.html", job.cases.keys[slug]
    pager = job.pagers[slug]
    page_key = content_key(key or "", pager)
    if key is None or not _link_previous(job.cases.cache.published.get(path), page_key,
                                         job.previous / path, job.dest / path):
        write(job.dest / path, fill_pager(_case_page(job.cases, slug), pager))
    return None if key is None else (path, (page_key, *_identity(job.dest / path)))


def _case_page(cases: CaseSet, slug: str) -> str:
    """The case's page with its pager slot: rendered by this build (and kept), or cached."""
    key, page = cases.keys[slug], cases.fresh_pages.get(slug)
    if page is None:
        return cases.cache.page_file(key).read_text(encoding="utf-8")
    if key is not None:
        write_atomically(cases.cache.page_file(key), page.encode("utf-8"))
    return page


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _link_previous(recorded: tuple | None, page_key: str, previous: Path, target: Path) -> bool:
    """Hard-link the previous build's page when it is exactly what this build would write:
    made from the same key, and untouched since (same file, size and time)."""
    if recorded is None or recorded[0] != page_key:
        return False
    try:
        if _identity(previous) != tuple(recorded[1:]):
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(previous, target)
    except OSError:  # gone, or a file system without hard links: write it instead
        return False
    return True
