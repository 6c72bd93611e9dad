"""The printed handouts: one PDF per case, the handbook, and its facilitator edition.

Rendered by WeasyPrint from the same model and partials as the website (print differs by CSS,
`templates/print/handout.css`). Every PDF is tagged (PDF/UA-1), embeds its fonts, fetches
nothing from outside the templates folder, and is byte-identical for the same input.
"""
from __future__ import annotations

import mimetypes
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from .catalog import Catalog
from .model import HANDBOOK_SLUG, Case, Site
from .site import TEMPLATES, environment

HANDBOOK = HANDBOOK_SLUG                              # output/site/pdf/handbook.pdf
FACILITATOR_HANDBOOK = "handbook-facilitator.pdf"     # output/facilitator/
PARTICIPANT, FACILITATOR = "participant", "facilitator"
PDF_VARIANT = "pdf/ua-1"   # tagged, with a structure tree screen readers can follow
CSS_PAPER = {"A4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class PrintDocument:
    """What the print templates show about the document itself: metadata, footer, edition."""

    kind: str                  # "handout" or "handbook"
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


class BadSourceDate(Exception):
    """SOURCE_DATE_EPOCH is set but is not a number of seconds."""


def source_date() -> str | None:
    """The reproducible-builds date, when the caller set one; PDFs carry no other date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    if not epoch.strip().isdigit():
        raise BadSourceDate(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds "
                            "since 1970 (unset it, or set it to a time such as 1700000000)")
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def handbook_html(env: jinja2.Environment, catalog: Catalog, edition: str) -> str:
    return env.get_template("handbook.html").render(
        site=catalog.site, catalog=catalog, doc=handbook_document(catalog, edition),
        edition=edition, link_themes=False, root="")


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


def render_pdf(html: str, templates: Path = TEMPLATES) -> bytes:
    """One HTML document to PDF bytes; templates/ is the base for the stylesheet."""
    import weasyprint

    fetcher = _project_fetcher_class()(templates)
    document = weasyprint.HTML(string=html, base_url=templates.as_uri() + "/",
                               url_fetcher=fetcher)
    with fixed_font_timestamps():
        return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


# --- the build's PDFs ------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfJob:
    """One PDF to write: a case's handout (slug set) or a handbook edition."""

    target: Path
    slug: str | None = None
    edition: str = PARTICIPANT

    def html(self, env: jinja2.Environment, catalog: Catalog) -> str:
        if self.slug is None:
            return handbook_html(env, catalog, self.edition)
        case = next(case for case in catalog.cases if case.slug == self.slug)
        return handout_html(env, catalog.site, case)


def pdf_jobs(catalog: Catalog, site_pdf_dir: Path, facilitator_dir: Path) -> list[PdfJob]:
    """The handbooks first: they take longest, so with several workers they start first."""
    return [PdfJob(facilitator_dir / FACILITATOR_HANDBOOK, edition=FACILITATOR),
            PdfJob(site_pdf_dir / f"{HANDBOOK}.pdf"),
            *(PdfJob(site_pdf_dir / f"{case.slug}.pdf", case.slug) for case in catalog.cases)]


_worker_catalog: Catalog | None = None


def _start_worker(catalog: Catalog) -> None:
    global _worker_catalog
    _worker_catalog = catalog


def _run_job(job: PdfJob) -> Path:
    return write_job(job, _worker_catalog)


def write_job(job: PdfJob, catalog: Catalog, templates: Path = TEMPLATES) -> Path:
    job.target.parent.mkdir(parents=True, exist_ok=True)
    job.target.write_bytes(render_pdf(job.html(environment(templates), catalog), templates))
    return job.target


def write_pdfs(catalog: Catalog, site_pdf_dir: Path, facilitator_dir: Path, jobs: int = 1,
               on_done=lambda path: None) -> list[Path]:
    """Write every handout and both handbooks; the handouts are independent, so with jobs > 1
    they render in worker processes side by side."""
    todo = pdf_jobs(catalog, site_pdf_dir, facilitator_dir)
    if jobs <= 1 or len(todo) == 1:
        written = []
        for job in todo:
            written.append(write_job(job, catalog))
            on_done(written[-1])
        return written
    with ProcessPoolExecutor(min(jobs, len(todo)), initializer=_start_worker,
                             initargs=(catalog,)) as pool:
        written = []
        for path in pool.map(_run_job, todo):
            written.append(path)
            on_done(path)
        return written
