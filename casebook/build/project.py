"""The whole casebook checked at once: site.yaml, every case file (read by `--jobs` worker
processes) and every course, every problem of every file collected (used by `check`, the tests
and the PDFs)."""
from __future__ import annotations

from pathlib import Path

from casebook.build.workers import map_in_chunks
from casebook.model.case import Project, Site
from casebook.reading.courses import load_courses
from casebook.reading.load import Loader, case_files, find_site_file, shown, sort_cases
from casebook.reading.notes import casebook_notes, site_notes
from casebook.reading.problems import InvalidInput


def load_project(root: Path, cases_dir: Path | None = None, site_file: Path | None = None,
                 jobs: int = 1) -> Project:
    """Every case and the site settings, checked; InvalidInput lists all problems of all files."""
    cases_dir = cases_dir or root / "cases"
    site_file = site_file or find_site_file(cases_dir, root)
    site, problems = Loader().site(site_file)
    files, name_problems = case_files(cases_dir)
    problems += name_problems
    cases, unchecked = [], set()
    for path, (case, found) in zip(files, load_cases(files, site, jobs)):
        problems += found
        if case:
            cases.append(case)
        else:
            unchecked.add(path.stem)
    courses, found = load_courses(cases_dir, site, [case.summarize() for case in cases],
                                  unchecked)
    problems += found
    if problems:
        raise InvalidInput(problems)
    notes = site_notes(shown(site_file), site, _text(site_file)) + casebook_notes(
        [(shown(case.file), case.summarize()) for case in cases])
    return Project(site, sort_cases(cases), courses, tuple(notes))


def load_cases(files: list[Path], site: Site | None, jobs: int = 1):
    """(case or None, problems) for each file, in the files' order; checked by `jobs` workers."""
    global _site_for_workers
    _site_for_workers = site
    return map_in_chunks(_load_share, files, jobs)


_site_for_workers: Site | None = None


def _load_share(files: list[Path]):
    loader = Loader(all_markdown=True)
    return [loader.case(path, _site_for_workers) for path in files]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
