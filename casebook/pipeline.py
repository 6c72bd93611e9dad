"""One build: files -> model -> the site (and the PDFs), published only when all succeeded."""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog, build_catalog
from .load import load_project
from .publish import claim_output, clean_stale, staging
from .site import write_site


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
    project = load_project(options.root, options.cases)
    catalog = build_catalog(project)
    claim_output(options.out)
    clean_stale(options.out)
    with staging(options.out, "site") as stage:
        progress.step(f"Writing the site ({len(catalog.cases)} cases)")
        pdfs = keep_previous_pdfs(options.out / "site", stage, {c.slug for c in catalog.cases})
        pages = write_site(catalog, stage, frozenset(pdfs))
    progress.done()
    return BuildResult(len(catalog.cases), pages, 0, time.monotonic() - started)


def keep_previous_pdfs(previous_site: Path, stage: Path, slugs: set[str]) -> set[str]:
    """With the site alone rebuilt, the handouts of cases still published stay."""
    kept = set()
    for pdf in sorted((previous_site / "pdf").glob("*.pdf")):
        if pdf.stem in slugs:
            (stage / "pdf").mkdir(exist_ok=True)
            shutil.copy2(pdf, stage / "pdf" / pdf.name)
            kept.add(pdf.stem)
    return kept
