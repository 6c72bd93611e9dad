"""The website: every page of `output/site/` rendered from the catalog."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from markupsafe import Markup

from casebook.model.language import gettext_for
from casebook.model.catalog import AnyCase, Catalog, Neighbours
from casebook.web.feed import atom_feed, sitemap
from casebook.model.case import Case, Site, shorten
from casebook.model.course import Course
from casebook.model.insights import build_insights
from casebook.web.search import CaseTerms, case_terms, search_files
from casebook.render.templates import BUILTIN, Templates, as_templates

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


def site_pages(catalog: Catalog, courses: Sequence[Course] = ()) -> list[Page]:
    pages = catalog_pages(catalog, courses)
    return pages[:3] + case_pages(catalog) + pages[3:]


def catalog_pages(catalog: Catalog, courses: Sequence[Course] = ()) -> list[Page]:
    """The pages about many cases: index, lessons, 404, the index's further pages, the
    listings (each page of each), insights and the courses (their listing, then one page each),
    in that order."""
    site = catalog.site
    _ = gettext_for(site.language)
    index_pages = [Page(paging.path, "index.html", site.description,
                        {"courses": list(courses), "paging": paging})
                   for paging in catalog.index_pages]
    pages = [index_pages[0],
             Page("lessons.html", "lessons.html",
                  shorten(_("Every takeaway of the casebook, grouped by theme:") + " " +
                          ", ".join(theme.title for theme in site.themes.values()))),
             Page("404.html", "404.html", site.description, in_sitemap=False)]
    pages += index_pages[1:]
    pages += [Page(paging.path, "listing.html",
                   shorten(f"{listing.heading}: " + ", ".join(c.title for c in paging.items)),
                   {"listing": listing, "paging": paging})
              for listing in catalog.listings for paging in listing.pages]
    pages.append(Page("insights.html", "insights.html",
                      _("Figures and charts across the casebook's cases: first response and "
                        "resolution case by case, outcomes by channel, theme and industry, "
                        "cases over time."), {"insights": build_insights(catalog)}))
    return pages + course_pages(courses, site.language)


def course_pages(courses: Sequence[Course], language: str = "en") -> list[Page]:
    """courses/index.html (written even when there are none: every page's navigation links
    to it) and one page per course."""
    _ = gettext_for(language)
    listing = Page("courses/index.html", "courses.html",
                   shorten(_("Training sessions built from the cases:") + " " +
                           ", ".join(course.title for course in courses)) if courses
                   else _("Training sessions built from the cases."), {"courses": list(courses)})
    return [listing] + [Page(course.page_path, "course.html", course.description_text,
                             {"course": course}) for course in courses]


def case_pages(catalog: Catalog) -> list[Page]:
    """One page per published case; `catalog.cases` must be whole cases here, not summaries."""
    return [case_page(case, catalog.neighbours[case.slug]) for case in catalog.cases]


def case_page(case: Case, neighbours: Neighbours | Markup) -> Page:
    """A case's page; `neighbours` may be a ready pager (see PAGER_SLOT)."""
    key = "neighbours" if isinstance(neighbours, Neighbours) else "pager"
    return Page(f"cases/{case.slug}.html", "case.html", case.description,
                {"case": case, key: neighbours})


# Where a case page's links to the previous and next case go when the page is rendered before
# the order of all cases is known (a build's workers, the cache): filled in by `fill_pager`.
# Author text can never produce it: every "<" of theirs is escaped.
PAGER_SLOT = Markup("<!--casebook:pager-->")


def fill_pager(html: str, pager: str) -> str:
    return html.replace(PAGER_SLOT, pager, 1)


def render_pager(env: jinja2.Environment, neighbours: Neighbours, site: Site | None = None) -> Markup:
    return Markup(env.get_template("partials/pager.html").render(neighbours=neighbours, site=site))


# Cards are shown on the index (at the site root) and on listings (one folder down).
CARD_ROOTS = ("", "../")


def render_card(env: jinja2.Environment, case: AnyCase, root: str,
                site: Site | None = None) -> Markup:
    return Markup(env.get_template("partials/card.html").render(case=case, root=root, site=site))


def render_cards(env: jinja2.Environment, case: AnyCase,
                 site: Site | None = None) -> dict[str, Markup]:
    """The case's card as HTML, for each place a card is shown."""
    return {root: render_card(env, case, root, site) for root in CARD_ROOTS}


def shown_cards(env: jinja2.Environment, page: Page, catalog: Catalog) -> dict[str, Markup]:
    """The cards of the cases a page shows, for a page rendered without ready cards."""
    cases = page.values["paging"].items if "paging" in page.values else catalog.cases
    return {case.slug: render_card(env, case, page.root, catalog.site) for case in cases}


def render_page(env: jinja2.Environment, catalog: Catalog | None, page: Page,
                pdfs: frozenset[str], site: Site | None = None,
                cards: dict[str, Markup] | None = None) -> str:
    """A page as HTML; case pages need no catalog when their pager is given (`site` then).
    `cards`: every case's card for this page's root, when rendered already."""
    site = catalog.site if catalog else site
    base = site.base_url
    # The 404 page is served at whatever address was missing, so relative links cannot work there.
    root = base if page.path == "404.html" and base else page.root
    values = dict(page.values)
    if "neighbours" in values:
        values["pager"] = render_pager(env, values.pop("neighbours"), site)
    if page.template in ("index.html", "listing.html"):
        values["cards"] = cards if cards is not None else shown_cards(env, page, catalog)
    return env.get_template(page.template).render(
        site=site, catalog=catalog, root=root, page_path=page.path,
        description=page.description,
        canonical=base + page.path if base and page.in_sitemap else "",
        pdfs=pdfs, link_themes=True, timeline_gap_labels=True, **values)


def write_site_files(catalog: Catalog, dest: Path, templates: Templates | Path = BUILTIN,
                     courses: Sequence[Course] = (),
                     terms_of: Callable[[AnyCase], CaseTerms] = case_terms) -> None:
    """The files beside the pages (assets, and whatever is built from all cases at once):
    `serve` writes these again after updating only some pages. A casebook's own static files
    (templates/static/) win over Casebook's."""
    as_templates(templates).copy_folder("static", dest / "assets")
    if catalog.site.logo:
        (dest / catalog.site.logo.asset).write_bytes(catalog.site.logo.data)
    for name, text in search_files(catalog, terms_of):
        write(dest / "assets" / "search" / name, text)
    if catalog.site.base_url:
        write(dest / "feed.xml", atom_feed(catalog))
        write(dest / "sitemap.xml", sitemap(catalog.site.base_url, sitemap_paths(catalog, courses)))


def sitemap_paths(catalog: Catalog, courses: Sequence[Course] = ()) -> list[str]:
    pages = catalog_pages(catalog, courses)
    return ([p.path for p in pages[:3] if p.in_sitemap]
            + [f"cases/{case.slug}.html" for case in catalog.cases]
            + [p.path for p in pages[3:]])


def write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
