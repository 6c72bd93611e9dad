"""The website: every page of `output/site/` rendered from the catalog."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .catalog import Catalog

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Page:
    path: str          # relative to the site root, with forward slashes
    template: str
    values: dict

    @property
    def root(self) -> str:
        """The relative way back to the site root, so pages work from disk and any sub-path."""
        return "../" * self.path.count("/")


def site_pages(catalog: Catalog) -> list[Page]:
    pages = [Page("index.html", "index.html", {}),
             Page("lessons.html", "lessons.html", {}),
             Page("404.html", "404.html", {})]
    pages += [Page(f"cases/{case.slug}.html", "case.html",
                   {"case": case, "neighbours": catalog.neighbours[case.slug]})
              for case in catalog.cases]
    pages += [Page(f"tags/{tag}.html", "tag.html", {"tag": tag, "tag_cases": cases})
              for tag, cases in catalog.tags.items()]
    return pages


def render_page(env: jinja2.Environment, catalog: Catalog, page: Page, pdfs: frozenset[str]) -> str:
    return env.get_template(page.template).render(
        site=catalog.site, catalog=catalog, root=page.root, page_path=page.path,
        pdfs=pdfs, link_themes=True, **page.values)


def write_site(catalog: Catalog, dest: Path, pdfs: frozenset[str] = frozenset(),
               templates: Path = TEMPLATES) -> int:
    """Write every page and the assets into `dest`; the number of pages written.

    `pdfs` names the handouts (slugs, and "handbook") that the published site will hold:
    pages link only to those."""
    env = environment(templates)
    pages = site_pages(catalog)
    for page in pages:
        target = dest / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(env, catalog, page, pdfs), encoding="utf-8")
    write_site_files(catalog, dest, templates)
    return len(pages)


def write_site_files(catalog: Catalog, dest: Path, templates: Path = TEMPLATES) -> None:
    """The files beside the pages (assets, and whatever is built from all cases at once):
    `serve` writes these again after updating only some pages."""
    shutil.copytree(templates / "static", dest / "assets", dirs_exist_ok=True)
