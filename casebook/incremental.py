"""Which pages a change touches: old catalog + new catalog -> pages to write and to delete.

`plan_pages` is a pure function, so `serve` (and later a build cache) can ask it without
rendering anything. It compares what each kind of page is rendered from:

- every page shows the site settings (title, themes) and may link the handbook PDF;
- `index.html` shows every published case and the figures computed across them;
- `lessons.html` shows every takeaway with its case;
- `cases/<slug>.html` shows one case, its previous/next neighbours and whether its PDF exists;
- `tags/<tag>.html` shows the cases of one tag.

A page is written again when what it is rendered from differs; a page of the old catalog that
the new one no longer has (a deleted or drafted case, a tag nobody uses) is deleted. Cases
compare by value (every field the templates can read), so an edit that changes nothing
visible rewrites nothing. A template change is not a catalog change: the caller rewrites
everything then (`plan_pages(None, new)`).
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .catalog import Catalog
from .site import Page, render_page, site_pages

HANDBOOK = "handbook"  # the name of the all-cases PDF in the `pdfs` set


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
    before, after = _Side(old, old_pdfs), _Side(new, new_pdfs)
    everything = old.site != new.site or before.has_handbook != after.has_handbook
    write = [page for page in pages if everything or _stale(page, before, after)]
    kept = {page.path for page in pages}
    delete = [page.path for page in site_pages(old) if page.path not in kept]
    return PagePlan(write, delete)


class _Side:
    """One catalog and its handouts, looked up by case."""

    def __init__(self, catalog: Catalog, pdfs: frozenset[str]):
        self.catalog = catalog
        self.cases = {case.slug: case for case in catalog.cases}
        self.case_pdfs = frozenset(slug for slug in self.cases if slug in pdfs)
        self.has_handbook = HANDBOOK in pdfs


def _stale(page: Page, before: _Side, after: _Side) -> bool:
    """Whether what this page of `after` is rendered from differs `before`."""
    if page.template == "case.html":
        slug = page.values["case"].slug
        return (before.cases.get(slug) != page.values["case"]
                or before.catalog.neighbours[slug] != page.values["neighbours"]
                or (slug in before.case_pdfs) != (slug in after.case_pdfs))
    if page.template == "tag.html":
        return before.catalog.tags.get(page.values["tag"]) != page.values["tag_cases"]
    if page.template == "index.html":
        return before.catalog.cases != after.catalog.cases or before.case_pdfs != after.case_pdfs
    if page.template == "lessons.html":
        return before.catalog.lessons != after.catalog.lessons
    if page.template == "404.html":
        return False  # shows the site settings only
    return True  # a kind of page this module does not know: always safe to rewrite


def changed_cases(old: Catalog | None, new: Catalog) -> tuple[list[str], list[str]]:
    """The slugs of published cases added or changed, and of those no longer published."""
    before = {case.slug: case for case in old.cases} if old else {}
    after = {case.slug: case for case in new.cases}
    changed = [slug for slug, case in after.items() if before.get(slug) != case]
    removed = [slug for slug in before if slug not in after]
    return changed, removed


def write_pages(env: jinja2.Environment, catalog: Catalog, plan: PagePlan, dest: Path,
                pdfs: frozenset[str]) -> None:
    """Carry out `plan` in the site folder `dest`.

    Every page is rendered before any is written, so a template error leaves `dest` as it was."""
    rendered = [(page.path, render_page(env, catalog, page, pdfs)) for page in plan.write]
    for path, text in rendered:
        write_file(dest / path, text)
    for path in plan.delete:
        (dest / path).unlink(missing_ok=True)


def write_file(target: Path, text: str) -> None:
    """Replace `target` in one rename, so a server reading it never sees half a page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a published page is readable
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
