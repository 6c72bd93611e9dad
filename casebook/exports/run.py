"""What `build.py export` writes: each course (or the one named, or a case alone) in each
format asked for, into OUT/exports/ (beside the published site, never inside it)."""
from __future__ import annotations

import difflib
from pathlib import Path

from casebook.build.publish import claim_output, write_atomically
from casebook.exports.docx import document_bytes
from casebook.exports.pptx import deck_bytes
from casebook.exports.scorm import package_bytes
from casebook.exports.shared import Export, case_export, course_export
from casebook.model.case import Project
from casebook.reading.courseformat import DEFAULT_ANSWER_LINES

EXPORTS = "exports"
# Each format: how its file is named from the export's slug, and what makes its bytes.
FORMATS = {
    "pptx": ("{slug}.pptx", deck_bytes),
    "docx": ("{slug}.docx", document_bytes),
    "scorm": ("{slug}-scorm.zip", package_bytes),
}


class ExportRefused(Exception):
    """A course or case named that is not there: nothing was written."""


def run_export(project: Project, out: Path, course: str | None = None, case: str | None = None,
               formats: tuple[str, ...] = tuple(FORMATS)) -> list[Path]:
    """Write the exports; the files written, in order."""
    exports = chosen_exports(project, course, case)
    claim_output(out)
    written = []
    for export in exports:
        for name in formats:
            pattern, make = FORMATS[name]
            path = out / EXPORTS / pattern.format(slug=export.slug)
            write_atomically(path, make(export))
            written.append(path)
    return written


def chosen_exports(project: Project, course: str | None, case: str | None) -> list[Export]:
    cases = {c.slug: c for c in project.published}
    if case is not None:
        if case not in cases:
            drafts = {c.slug for c in project.cases if c.draft}
            if case in drafts:
                raise ExportRefused(f"the case `{case}` is a draft (set `draft: false` in "
                                    f"cases/{case}.yaml to export it); nothing was written")
            raise ExportRefused(f"no published case `{case}`{did_you_mean(case, cases)}; "
                                "nothing was written")
        return [case_export(project.site, cases[case], DEFAULT_ANSWER_LINES)]
    courses = {c.slug: c for c in project.courses}
    if course is not None:
        if course not in courses:
            raise ExportRefused(f"no course `{course}` in courses/"
                                f"{did_you_mean(course, courses)}; nothing was written")
        return [course_export(project.site, courses[course], cases)]
    return [course_export(project.site, c, cases) for c in project.courses]


def did_you_mean(slug: str, known) -> str:
    close = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.5)
    if close:
        return f" (did you mean `{close[0]}`?)"
    return f" (there are: {', '.join(sorted(known))})" if known else " (there are none)"
