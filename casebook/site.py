"""The website: every page of `output/site/` rendered from the catalog."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .axis import timeline_axis
from .catalog import Catalog
from .feed import atom_feed, sitemap
from .search import plain, search_script
from .workers import map_in_chunks

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DESCRIPTION_LENGTH = 160


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The timeline partial (shared with the handouts) reads each event's place on the time axis.
    env.globals["timeline_axis"] = timeline_axis
    return env


@dataclass(frozen=True)
class Page:
    path: str          # relative to the site root, with forward slashes
    template: str
    description: str
    values: dict = field(default_factory=dict)
    in_sitemap: bool = True

    @property
    def root(self) -> str:
        """The relative way back to the site root, so pages work from disk and any sub-path."""
        return "../" * self.path.count("/")


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Text cut at a word boundary, for meta descriptions."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def case_descriptions(catalog: Catalog) -> dict[str, str]:
    return {case.slug: shorten(plain(case.summary)) for case in catalog.cases}


def site_pages(catalog: Catalog) -> list[Page]:
    site = catalog.site
    descriptions = case_descriptions(catalog)
    pages = [Page("index.html", "index.html", site.description),
             Page("lessons.html", "lessons.html",
                  shorten("Every takeaway of the casebook, grouped by theme: " +
                          ", ".join(theme.title for theme in site.themes.values()))),
             Page("404.html", "404.html", site.description, in_sitemap=False)]
    pages += [Page(f"cases/{case.slug}.html", "case.html", descriptions[case.slug],
                   {"case": case, "neighbours": catalog.neighbours[case.slug]})
              for case in catalog.cases]
    pages += [Page(listing.path, "listing.html",
                   shorten(f"{listing.heading}: " + ", ".join(c.title for c in listing.cases)),
                   {"listing": listing})
              for listing in catalog.listings]
    return pages


def render_page(env: jinja2.Environment, catalog: Catalog, page: Page, pdfs: frozenset[str]) -> str:
    base = catalog.site.base_url
    # The 404 page is served at whatever address was missing, so relative links cannot work there.
    root = base if page.path == "404.html" and base else page.root
    return env.get_template(page.template).render(
        site=catalog.site, catalog=catalog, root=root, page_path=page.path,
        description=page.description,
        canonical=base + page.path if base and page.in_sitemap else "",
        pdfs=pdfs, link_themes=True, timeline_gap_labels=True, **page.values)


def write_site(catalog: Catalog, dest: Path, pdfs: frozenset[str] = frozenset(),
               templates: Path = TEMPLATES, jobs: int = 1) -> int:
    """Write every page and the assets into `dest`; the number of pages written.

    `pdfs` names the handouts (slugs, and "handbook") that the published site will hold:
    pages link only to those. With `jobs` > 1, large sites render in worker processes."""
    global _render_job
    pages = site_pages(catalog)
    _render_job = (catalog, dest, pdfs, templates)
    map_in_chunks(_write_pages, pages, jobs)
    write_site_files(catalog, dest, templates)
    return len(pages)


_render_job: tuple | None = None  # what forked workers render: set before they start


def _write_pages(pages: list[Page]) -> list[None]:
    catalog, dest, pdfs, templates = _render_job
    env = environment(templates)
    for page in pages:
        write(dest / page.path, render_page(env, catalog, page, pdfs))
    return [None] * len(pages)


def write_site_files(catalog: Catalog, dest: Path, templates: Path = TEMPLATES) -> None:
    """The files beside the pages (assets, and whatever is built from all cases at once):
    `serve` writes these again after updating only some pages."""
    shutil.copytree(templates / "static", dest / "assets", dirs_exist_ok=True)
    write(dest / "assets" / "search-index.js", search_script(catalog))
    if catalog.site.base_url:
        write(dest / "feed.xml", atom_feed(catalog, case_descriptions(catalog)))
        write(dest / "sitemap.xml", sitemap(catalog.site.base_url,
                                            [p.path for p in site_pages(catalog) if p.in_sitemap]))


def write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
