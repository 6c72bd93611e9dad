"""The command line: `build.py [check | new "Title" | new --course "Title" | import FILE | serve |
export [--course SLUG | --case SLUG] [--to pptx|docx|scorm] | init DIR] [options]`;
installed as a package, `casebook` runs the same commands on the casebook in the current
folder (`casebook build` is `build.py`)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import jinja2

from casebook.render.templates import template_error
from casebook.reading.courses import courses_folder
from casebook.reading.load import Loader, case_files, find_site_file, shown, sort_cases
from casebook.build.project import load_project
from casebook.authoring.new import NewCaseError, new_case, new_course, start_casebook
from casebook.reading.problems import InvalidInput, notes_summary, terminal_safe
from casebook.reading.schemas import SCHEMA_DIR
from casebook.build.pipeline import BuildOptions, run_build
from casebook.build.publish import OutputRefused, os_error_reason
from casebook.render.sourcedate import BadSourceDate

ROOT = Path(__file__).resolve().parent.parent   # the repository, for build.py
COMMANDS = ("build", "check", "new", "import", "serve", "export", "init")
EXPORT_FORMATS = ("pptx", "docx", "scorm")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def make_parser(root: Path = ROOT, prog: str = "build.py") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build the casebook website and PDF handouts from case files.",
        epilog="commands: (none) build the site and PDFs; check: validate only; "
               'new "Title": start a case file; import FILE: a draft case from a conversation '
               "export (CSV, XLSX, Mastodon, Bluesky or X JSON); serve: build, serve and rebuild "
               "on change; export: slides, an editable pack and a SCORM package of each course "
               "into output/exports/; init DIR: start a new casebook in DIR. "
               "Exit status: 0 built, 1 invalid input (nothing published), 2 wrong usage.")
    parser.add_argument("command", nargs="?", default="build", choices=COMMANDS,
                        help="what to do (default: build)")
    parser.add_argument("title", nargs="?", metavar="TITLE | FILE | DIR",
                        help='the new case\'s title (with "new"); the export (with "import"); '
                             'the new casebook\'s folder (with "init")')
    parser.add_argument("--course", metavar="TITLE | SLUG",
                        help='new --course "Title": start a course file in courses/; '
                             "export --course SLUG: export that course only")
    parser.add_argument("--case", dest="export_case", metavar="SLUG",
                        help="export --case SLUG: export one published case alone")
    parser.add_argument("--to", choices=EXPORT_FORMATS,
                        help="export: only this format (default: all three)")
    parser.add_argument("--cases", type=Path, default=root / "cases", metavar="DIR",
                        help="folder of case files (default: cases/)")
    parser.add_argument("--out", type=Path, default=root / "output", metavar="DIR",
                        help="output folder (default: output/)")
    parser.add_argument("--only", choices=("site", "pdf"), help="build only the site or only the PDFs")
    parser.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--port", type=_port, default=8000, metavar="N",
                        help="port for serve (default: 8000)")
    parser.add_argument("--pdf", action="store_true", help="serve: rebuild the PDFs too")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.add_argument("--title", dest="import_title", metavar="T",
                        help="import: the case's title (default: the thread's first words)")
    parser.add_argument("--company", dest="companies", action="append", default=[],
                        metavar="HANDLE", help="import: a company account (side company); "
                        "repeat for several; with or without @ and the server")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def run() -> int:
    """The installed `casebook` command: the casebook in the current folder."""
    return main(root=Path.cwd(), prog="casebook")


def main(argv: list[str] | None = None, root: Path = ROOT, prog: str = "build.py") -> int:
    parser = make_parser(root, prog)
    args = parser.parse_args(argv)
    args.root, args.prog = root, prog
    if args.course is not None and (args.command not in ("new", "export") or (
            args.command == "new" and args.title is not None)):
        parser.error('--course goes with new and a title of its own: build.py new --course "Title"'
                     "; or with export: build.py export --course SLUG")
    if args.command != "export" and (args.export_case is not None or args.to is not None):
        parser.error("--case and --to go with export: build.py export --case SLUG --to pptx")
    if args.command == "export" and args.course is not None and args.export_case is not None:
        parser.error("export takes --course SLUG or --case SLUG, not both")
    if args.command == "export" and (args.only is not None or args.pdf):
        parser.error("--only and --pdf do not go with export (choose its files with --to)")
    if args.command == "new" and args.title is None and args.course is None:
        parser.error('give a title with new: build.py new "Title"')
    if args.command == "import" and args.title is None:
        parser.error("give the export to import: build.py import FILE")
    if args.command == "init" and args.title is None:
        parser.error(f"give the new casebook's folder: {prog} init DIR")
    if args.command not in ("new", "import", "init") and args.title is not None:
        parser.error('only new takes a title, import a file and init a folder: build.py new '
                     '"Title", build.py import FILE, build.py init DIR')
    if args.command != "import" and (args.import_title is not None or args.companies):
        parser.error("--title and --company go with import: build.py import FILE --title T")
    try:
        if args.command == "check":
            return check(args)
        if args.command == "new":
            return new(args)
        if args.command == "import":
            return import_export(args)
        if args.command == "export":
            return export(args)
        if args.command == "serve":
            from casebook.preview.serve import serve
            return serve(args, root)
        if args.command == "init":
            return init(args)
        return build(args)
    except InvalidInput as invalid:
        report(invalid)
        return EXIT_INVALID
    except (OutputRefused, BadSourceDate) as refused:
        print(f"{prog}: {terminal_safe(str(refused))}", file=sys.stderr)
        return EXIT_USAGE
    except jinja2.TemplateError as error:
        print(terminal_safe(template_error(error)), file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:  # the disk, not the input: say what failed, without a traceback
        print(f"{prog}: could not write the output ({os_error_reason(error)}); "
              "the previous output is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130


def report(invalid: InvalidInput) -> None:
    for problem in invalid.problems:
        print(problem, file=sys.stderr)
    files = len({p.file for p in invalid.problems})
    count = sum(problem.hidden or 1 for problem in invalid.problems)
    print(f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}; "
          "nothing was published", file=sys.stderr)


def check(args) -> int:
    project = load_project(args.root, args.cases, jobs=args.jobs)
    drafts = sum(case.draft for case in project.cases)
    courses = len(project.courses)
    report_notes(project.notes)
    print(f"{len(project.cases)} cases checked ({drafts} draft{'s' * (drafts != 1)}), "
          f"{courses} course{'s' * (courses != 1)}, no problems"
          + (f"; {notes_summary(project.notes)}" if project.notes else ""))
    return EXIT_OK


def report_notes(notes) -> None:
    """Notes go where problems go, each line saying `note:`; they never change the exit status."""
    for note in notes:
        print(note, file=sys.stderr)


def checked_site(args):
    """site.yaml beside the cases (or the repository's), checked; InvalidInput if it is not
    valid (what new, new --course and import start from)."""
    site, problems = Loader().site(find_site_file(args.cases, args.root))
    if problems:
        raise InvalidInput(problems)
    return site


def new(args) -> int:
    if args.course is not None:
        return new_course_file(args)
    site = checked_site(args)
    try:
        path = new_case(args.title, args.cases, site, SCHEMA_DIR / "case.schema.json")
    except NewCaseError as error:
        print(f"build.py new: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {shown(path)} (a draft: set `draft: false` to publish it)")
    return EXIT_OK


def new_course_file(args) -> int:
    """`new --course "Title"`: a course with the first published case (reading order)."""
    site = checked_site(args)
    loader, published = Loader(), []
    for path in case_files(args.cases)[0]:
        case = loader.case(path, site)[0]
        if case is not None and not case.draft:
            published.append(case)
    try:
        path = new_course(args.course, courses_folder(args.cases),
                          [case.slug for case in sort_cases(published)],
                          SCHEMA_DIR / "course.schema.json")
    except NewCaseError as error:
        print(f"build.py new: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {shown(path)} (check it with `build.py check`)")
    return EXIT_OK


def import_export(args) -> int:
    from casebook.authoring.importing.draft import import_case
    from casebook.authoring.importing.posts import ImportFailed
    site = checked_site(args)
    try:
        path = import_case(Path(args.title), args.cases, site, SCHEMA_DIR / "case.schema.json",
                           title=args.import_title, companies=tuple(args.companies))
    except (ImportFailed, NewCaseError) as error:
        print(f"build.py import: {terminal_safe(str(error))}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {shown(path)} (a draft: write its summary and takeaways, then set "
          "`draft: false` to publish it)")
    return EXIT_OK


def export(args) -> int:
    """`export`: each course (or the one named, or a case alone) as slides, a pack and a SCORM
    package in OUT/exports/, never in the published site."""
    from casebook.exports.run import ExportRefused, run_export
    project = load_project(args.root, args.cases, jobs=args.jobs)
    try:
        written = run_export(project, args.out, course=args.course, case=args.export_case,
                             formats=(args.to,) if args.to else EXPORT_FORMATS)
    except ExportRefused as refused:
        print(f"{args.prog} export: {terminal_safe(str(refused))}", file=sys.stderr)
        return EXIT_INVALID
    for path in written:
        print(f"wrote {shown(path)}")
    if not written:
        print("no course to export (courses/ has none); export a case with --case SLUG")
    return EXIT_OK


def build(args) -> int:
    result = run_build(BuildOptions(root=args.root, cases=args.cases, out=args.out, only=args.only,
                                    jobs=args.jobs, quiet=args.quiet))
    report_notes(result.notes)
    print(result.summary())
    if result.notes:
        print(notes_summary(result.notes), file=sys.stderr)
    return EXIT_OK


def init(args) -> int:
    """`init DIR`: a new casebook (site.yaml, cases/ with one example case that passes check,
    a .gitignore that keeps output/ out of version control)."""
    try:
        written = start_casebook(Path(args.title))
    except NewCaseError as error:
        print(f"{args.prog} init: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_INVALID
    for path in written:
        print(f"wrote {shown(path)}")
    folder = shown(Path(args.title))
    if args.prog == "casebook":
        print(f"next: cd {folder} && casebook check && casebook build")
    else:
        print(f"next: {args.prog} --cases {folder}/cases --out {folder}/output")
    return EXIT_OK
