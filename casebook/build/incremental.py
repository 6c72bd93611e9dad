"""Which pages a change touches: old catalog + new catalog -> pages to write and to delete.

`plan_pages` is a pure function, so `serve` (and later a build cache) can ask it without
rendering anything. A page is rendered from three things, and is written again when one of
them differs between the two catalogs:

- the site settings (title, themes), shown on every page, and whether the handbook PDF exists;
- its own values (`Page.values`: a case and its previous/next neighbours, a tag and its cases);
- what its template reads from the catalog at large, listed in `catalog_reads`: the index
  shows every case, the lessons page every takeaway, a case page whether its handout exists.

A page the new catalog no longer has (a deleted or drafted case, a tag nobody uses) is
deleted. Cases compare by value, so an edit that changes nothing shown rewrites nothing.
A template change is not a catalog change: the caller rewrites everything then
(`plan_pages(None, new)`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from casebook.model.catalog import Catalog
from casebook.model.case import HANDBOOK_SLUG
from casebook.build.publish import write_atomically
from casebook.render.templates import TEMPLATES
from casebook.web.site import Page, render_page, site_pages, write_site_files

HANDBOOK = HANDBOOK_SLUG  # the name of the all-cases PDF in the `pdfs` set


@dataclass(frozen=True)
class PagePlan:
    write: list[Page]     # pages to render, in site_pages order
    delete: list[str]     # paths (relative to the site root) of pages that no longer exist

    def __bool__(self) -> bool:
        return bool(self.write or self.delete)


def plan_pages(old: Catalog | None, new: Catalog,
               old_pdfs: frozenset[str] = frozenset(),
               new_pdfs: frozenset[str] = frozenset()) -> PagePlan:
    """The pages to write and delete to turn the site of `old` into the site of `new`.

    `old` None means nothing is known about the current pages: write every page.
    `old_pdfs` / `new_pdfs` are the handouts the site links before and after."""
    pages = site_pages(new)
    if old is None:
        return PagePlan(pages, [])
    old_pages = {page.path: page for page in site_pages(old)}
    kept = {page.path for page in pages}
    delete = [path for path in old_pages if path not in kept]
    before, after = _Side(old, old_pdfs), _Side(new, new_pdfs)
    if old.site != new.site or before.has_handbook != after.has_handbook:
        return PagePlan(pages, delete)
    write = [page for page in pages
             if old_pages.get(page.path) != page or _reads_differ(page, before, after)]
    return PagePlan(write, delete)


def catalog_reads(page: Page, side: _Side):
    """What the page's template reads beyond the page's own values; None if not known."""
    if page.template == "index.html":
        return side.catalog.cases, side.case_pdfs    # every card, the figures across cases
    if page.template == "lessons.html":
        return side.catalog.lessons
    if page.template == "case.html":
        return page.values["case"].slug in side.case_pdfs   # the handout link
    if page.template == "listing.html":
        return len(side.catalog.cases)     # the website's filter pages say "N of M cases"
    if page.template in ("tag.html", "404.html", "courses.html"):
        return ()
    if page.template == "course.html":
        return page.values["course"].pack_key in side.pdfs   # the pack's link
    return None


def _reads_differ(page: Page, before: _Side, after: _Side) -> bool:
    reads = catalog_reads(page, after)
    return reads is None or reads != catalog_reads(page, before)  # unknown: always write


class _Side:
    """One catalog and its handouts."""

    def __init__(self, catalog: Catalog, pdfs: frozenset[str]):
        self.catalog = catalog
        self.pdfs = pdfs
        self.case_pdfs = frozenset(case.slug for case in catalog.cases if case.slug in pdfs)
        self.has_handbook = HANDBOOK in pdfs


def changed_cases(old: Catalog | None, new: Catalog) -> tuple[list[str], list[str]]:
    """The slugs of published cases added or changed, and of those no longer published."""
    before = {case.slug: case for case in old.cases} if old else {}
    after = {case.slug: case for case in new.cases}
    changed = [slug for slug, case in after.items() if before.get(slug) != case]
    removed = [slug for slug in before if slug not in after]
    return changed, removed


def write_pages(env: jinja2.Environment, catalog: Catalog, plan: PagePlan, dest: Path,
                pdfs: frozenset[str], templates: Path = TEMPLATES) -> None:
    """Carry out `plan` in the site folder `dest`, and bring the files beside the pages
    (built from all cases at once) up to date.

    Every page is rendered before any is written, so a template error leaves `dest` as it was."""
    if not plan:
        return
    rendered = [(page.path, render_page(env, catalog, page, pdfs)) for page in plan.write]
    for path, text in rendered:
        write_atomically(dest / path, text.encode("utf-8"))  # a server may be reading it
    for path in plan.delete:
        (dest / path).unlink(missing_ok=True)
    write_site_files(catalog, dest, templates)
