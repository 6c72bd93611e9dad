"""Read the course files, `courses/<slug>.yaml` beside the cases folder, check them against the
cases they name, and build the course model (casebook/model/course.py)."""
from __future__ import annotations

from pathlib import Path

from casebook.model.case import CaseSummary, Site
from casebook.model.course import (ACTIVITY, BREAK, CASE, COURSES_INDEX_SLUG, Course, Question,
                                   date_for_people, duration, plan_agenda)
from casebook.model.text import DeferredRich
from casebook.reading.courseformat import COURSE, CourseCheck
from casebook.reading.fields import INVALID
from casebook.reading.load import SLUG_FILE, Loader, shown
from casebook.reading.problems import Problem, Problems
from casebook.reading.yamltree import read_tree


def courses_folder(cases_dir: Path) -> Path:
    """`courses/` beside the cases folder (like site.yaml)."""
    return cases_dir.parent / "courses"


def course_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The course files of `folder` (none when it does not exist), and problems with names
    that would drop a course silently. Names starting with `_` or `.` are not courses."""
    files, problems = [], []
    if folder.is_symlink():   # found beside the cases, not named by the user: never followed
        return [], [Problem(shown(folder), 1, "", "is a symbolic link (the courses folder must "
                            "be a folder in the casebook, not a link to one elsewhere)")]
    if not folder.is_dir():
        return [], []
    for path in sorted(folder.iterdir()):
        name = path.name
        # A link or a FIFO named like a course is read, so that the reader says why it is
        # refused (yamltree.open_regular); other special files are skipped.
        if name.startswith(("_", ".")) or not (path.is_file() or path.is_symlink()
                                               or path.is_fifo()):
            continue
        if not name.lower().endswith((".yml", ".yaml")):
            continue
        if path.stem == COURSES_INDEX_SLUG:
            problems.append(Problem(shown(path), 1, "", f"the name `{COURSES_INDEX_SLUG}` is "
                                    "taken by the page that lists every course (rename the file)"))
        elif SLUG_FILE.fullmatch(name):
            files.append(path)
        else:
            problems.append(Problem(shown(path), 1, "", "the file name is not a usable slug "
                                    "(expected lowercase letters, digits and hyphens ending in "
                                    "`.yaml`, such as `half-day-workshop.yaml`)"))
    return files, problems


def read_course(path: Path, site: Site | None, cases: dict[str, CaseSummary],
                drafts: set[str], unchecked: set[str], loader: Loader | None = None,
                data: bytes | None = None) -> tuple[Course | None, list[Problem]]:
    """The course in `path` and its problems. `cases`: the published cases by slug; `drafts`:
    the slugs of draft cases; `unchecked`: those of case files with problems of their own."""
    loader = loader or Loader()
    problems = Problems(shown(path))
    tree = read_tree(path, problems.file, problems, data)
    if tree is None:
        return None, problems.found
    ctx = CourseCheck(problems, questions={slug: len(case.discussion)
                                           for slug, case in cases.items()},
                      drafts=drafts, unchecked=unchecked)
    values = COURSE.check(tree, "", ctx)
    if values is INVALID or site is None or problems:
        return None, problems.found
    course = build_course(path, values, cases, loader, problems)
    return (None if problems else course), problems.found


def build_course(path: Path, values, cases: dict[str, CaseSummary], loader: Loader,
                 problems: Problems) -> Course:
    def notes(item, index: int) -> DeferredRich | None:
        # A course is small: its notes are rendered now, so a failure is reported at its line.
        if item["notes"] is None:
            return None
        rich = loader.rich(item["notes"], problems, item.lines.get("notes", item.line),
                           f"agenda[{index + 1}].notes")
        result = DeferredRich(item["notes"])
        result.rendered(rich.html)
        return result

    items = []
    for index, item in enumerate(values["agenda"]):
        kind = item["kind"]
        if kind == CASE:
            case = cases[item["case"]]
            numbers = item["questions"]
            chosen = range(1, len(case.discussion) + 1) if numbers is None else numbers
            items.append(dict(kind=CASE, title=case.title, minutes=item["minutes"],
                              notes=notes(item, index), case=case,
                              questions=tuple(Question(n, case.discussion[n - 1]) for n in chosen),
                              all_questions=numbers is None))
        elif kind == ACTIVITY:
            items.append(dict(kind=ACTIVITY, title=item["activity"], minutes=item["minutes"],
                              notes=notes(item, index),
                              detail=loader.rich(item["detail"], problems,
                                                 item.lines.get("detail", item.line),
                                                 f"agenda[{index + 1}].detail")))
        else:
            items.append(dict(kind=BREAK, title=item["break"], minutes=item["minutes"]))
    agenda, total = plan_agenda(values["starts"], items)
    ends = agenda[-1].end if values["starts"] else None
    return Course(
        slug=path.stem, file=path, title=values["title"], audience=values["audience"],
        date=values["date"], date_text=date_for_people(values["date"]), starts=values["starts"],
        ends=ends, presenter=values["presenter"], description=loader.rich(values["description"], problems,
                                                values.lines.get("description", 1), "description"),
        objectives=values["objectives"], answer_lines=values["answer_lines"],
        items=tuple(agenda), minutes=total, length=duration(total))


def load_courses(cases_dir: Path, site: Site | None, summaries: list[CaseSummary],
                 unchecked: set[str]) -> tuple[list[Course], list[Problem]]:
    """Every course beside `cases_dir`, checked against the cases read (`summaries`, drafts
    included; `unchecked`: slugs of case files with problems), in file-name order."""
    files, problems = course_files(courses_folder(cases_dir))
    published = {case.slug: case for case in summaries if not case.draft}
    drafts = {case.slug for case in summaries if case.draft}
    loader, courses = Loader(), []
    for path in files:
        course, found = read_course(path, site, published, drafts, unchecked, loader)
        problems += found
        if course is not None:
            courses.append(course)
    return courses, problems
