"""One build: files -> model -> the site (and the PDFs), published only when all succeeded."""
from __future__ import annotations

import shutil
import sys
import time
from contextlib import ExitStack
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casebook.model.catalog import Catalog, catalog_of
from casebook.reading.load import find_site_file, shown
from casebook.model.case import HANDBOOK_SLUG
from casebook.model.course import Course
from casebook.build.publish import (claim_output, clean_stale, os_error_reason, output_lock,
                                    staging)
from casebook.render.sourcedate import source_date
from casebook.render.templates import BUILTIN, Templates, templates_for
from casebook.build.cache import prepare_cache
from casebook.build.exhibits import (exhibits_cache, make_exhibit_copies, prune_exhibits,
                                     publish_exhibits)
from casebook.build.sitebuild import CaseSet, WrittenSite, read_cases, whole_cases, write_site_pages


@dataclass(frozen=True)
class BuildOptions:
    root: Path                 # the repository: templates, default site.yaml
    cases: Path
    out: Path
    only: str | None = None    # "site", "pdf" or None for both
    jobs: int = 1
    quiet: bool = False


@dataclass(frozen=True)
class BuildResult:
    cases: int
    pages: int
    pdfs: int
    seconds: float
    notes: tuple = ()   # what `check` notes about the input (reading.problems.Problem)

    def summary(self) -> str:
        return f"{self.cases} cases, {self.pages} pages, {self.pdfs} PDFs, {self.seconds:.1f} s"


class Progress:
    """One updating line on a terminal; silent when not a terminal or with --quiet."""

    def __init__(self, quiet: bool, stream=sys.stderr):
        self.stream = stream
        self.active = not quiet and stream.isatty()

    def step(self, message: str) -> None:
        if self.active:
            self.stream.write(f"\r\033[K{message}")
            self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\r\033[K")
            self.stream.flush()


def run_build(options: BuildOptions) -> BuildResult:
    started = time.monotonic()
    progress = Progress(options.quiet)
    progress.step("Reading cases")
    previous_site = options.out / "site"
    site_file = find_site_file(options.cases, options.root)
    cases = read_cases(site_file, options.cases, options.out,
                       handout_links(options, previous_site), options.jobs,
                       templates_for(site_file))
    published = [case for case in cases.summaries if not case.draft]
    with ExitStack() as locked:
        locked.callback(cases.close)
        if options.only != "site":
            source_date()  # a bad SOURCE_DATE_EPOCH stops the build before anything is written
        claim_output(options.out)
        # One build at a time in an output folder: another one's staging folders are not
        # leftovers to clean, and two swaps must not interleave.
        locked.enter_context(output_lock(options.out, lambda: print(
            f"build.py: another build is writing {shown(options.out)}; waiting for it to "
            "finish", file=sys.stderr, flush=True)))
        return _publish(options, cases, published, previous_site, progress, started)


def _publish(options: BuildOptions, cases: CaseSet, published: list, previous_site: Path,
             progress: Progress, started: float) -> BuildResult:
    clean_stale(options.out)
    prepare_cache(options.out)
    slugs = {c.slug for c in published}
    exhibits = [x for case in published for x in cases.entries[case.slug].exhibits]
    pictures = exhibits_cache(options.out)
    if exhibits:
        progress.step(f"Preparing pictures ({len(exhibits)})")
    make_exhibit_copies(exhibits, pictures, options.jobs)
    written = None
    # Both folders are swapped in only after everything was written into both.
    with ExitStack() as publishing:
        stage = publishing.enter_context(staging(options.out, "site"))
        if options.only == "site":
            pdfs = keep_previous_pdfs(previous_site, stage, slugs, cases.courses)
        else:
            facilitator = publishing.enter_context(staging(options.out, "facilitator"))
            catalog = catalog_of(cases.site, whole_cases(cases, options.jobs))
            pdfs = build_pdfs(catalog, stage, facilitator, options.jobs, progress, cases.courses,
                              pictures, cases.templates)
        progress.step(f"Writing the site ({len(published)} cases)")
        if options.only == "pdf" and not cases.courses and reuse_previous_pages(
                previous_site, stage, slugs, pdfs):
            pages = count_pages(stage)
        else:
            written = write_site_pages(cases, stage, previous_site, frozenset(pdfs), options.jobs)
            pages = written.pages
        publish_exhibits(exhibits, pictures, stage)
    if written:
        remember(written, cases)
    prune_exhibits(options.out, exhibits)
    progress.done()
    # the facilitator handbook and guides, if rendered
    count = len(pdfs) + (options.only != "site") * (1 + len(cases.courses))
    return BuildResult(len(published), pages, count, time.monotonic() - started, cases.notes)


def remember(written: WrittenSite, cases: CaseSet) -> None:
    """Keep the cache for the next build; the site is published already, so failing to is
    not the build's failure, only a slower next build."""
    try:
        written.remember(cases)
    except OSError as error:
        print(f"build.py: the site is published, but the build cache could not be saved "
              f"({os_error_reason(error)}); the next build reads every case again",
              file=sys.stderr)


def handout_links(options: BuildOptions, previous_site: Path) -> frozenset[str]:
    """The cases whose page will link a handout: with --only site those whose handout the
    previous site has (it is kept); otherwise every case, since every handout is rendered."""
    if options.only == "site":
        return frozenset(pdf.stem for pdf in (previous_site / "pdf").glob("*.pdf"))
    return frozenset(path.stem for path in options.cases.glob("*.yaml"))


def build_pdfs(catalog: Catalog, stage: Path, facilitator: Path, jobs: int,
               progress: Progress, courses: Sequence[Course] = (),
               pictures: Path | None = None, templates: Templates = BUILTIN) -> set[str]:
    """Every handout and the handbook into stage/pdf, each course's pack into
    stage/pdf/courses, the facilitator editions beside the site; the names (slugs, "handbook"
    and "courses/<slug>") of the PDFs the site now holds. `pictures`: the exhibits' copies."""
    total = len(catalog.cases) + 2 + 2 * len(courses)
    done = 0

    def report(_path: Path) -> None:
        nonlocal done
        done += 1
        progress.step(f"Rendering PDFs ({done}/{total})")

    from casebook.build.pdfbuild import write_pdfs  # WeasyPrint and qpdf: loaded only by builds that make PDFs

    written = write_pdfs(catalog, stage / "pdf", facilitator, jobs, on_done=report,
                         cache_dir=stage.parent / ".cache" / "pdf", courses=courses,
                         pictures=pictures, templates=templates)
    return {path.relative_to(stage / "pdf").with_suffix("").as_posix()
            for path in written if path.is_relative_to(stage / "pdf")}


def reuse_previous_pages(previous_site: Path, stage: Path, slugs: set[str], pdfs: set[str]) -> bool:
    """With --only pdf, keep the published pages as they are when they still fit: the same
    cases, linking to the same PDFs. Otherwise (no previous site, cases or PDFs changed, or
    courses, whose pages this cannot tell apart) the caller writes them afresh, since the site
    must stay complete and link only to PDFs that exist."""
    if not (previous_site / "index.html").is_file():
        return False
    previous_cases = published_slugs(previous_site)
    previous_pdfs = {pdf.stem for pdf in (previous_site / "pdf").glob("*.pdf")}
    if previous_cases != slugs or previous_pdfs != pdfs:
        return False
    shutil.copytree(previous_site, stage, dirs_exist_ok=True,
                    ignore=lambda folder, names: ["pdf"] if Path(folder) == previous_site else [])
    return True


def published_slugs(site: Path) -> set[str]:
    """The cases a built site shows: one page each under cases/."""
    return {page.stem for page in (site / "cases").glob("*.html")}


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def keep_previous_pdfs(previous_site: Path, stage: Path, slugs: set[str],
                       courses: Sequence[Course] = ()) -> set[str]:
    """With the site alone rebuilt, the handouts of cases still published stay, the
    handbook too while it holds the same cases (else it would show unpublished ones), and
    the pack of each course that is still there with all its cases published."""
    keep = slugs | ({HANDBOOK_SLUG} if published_slugs(previous_site) == slugs else set())
    keep |= {course.pack_key for course in courses if set(course.case_slugs) <= slugs}
    kept = set()
    pdf_dir = previous_site / "pdf"
    for pdf in sorted([*pdf_dir.glob("*.pdf"), *pdf_dir.glob("courses/*.pdf")]):
        name = pdf.relative_to(pdf_dir).with_suffix("").as_posix()
        if name in keep:
            (stage / "pdf" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, stage / "pdf" / pdf.relative_to(pdf_dir))
            kept.add(name)
    return kept
