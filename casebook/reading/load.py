"""Read `site.yaml` and every case file, check them, and build the model."""
from __future__ import annotations

import os
import re
from pathlib import Path

from markupsafe import Markup

from casebook.reading import formats
from casebook.reading.fields import INVALID, Check, Fields, child
from casebook.model.case import (HANDBOOK_SLUG, Case, Event, Figure, Figures, Hint, Person, Rich,
                    Site, Source, Takeaway, Theme)
from casebook.reading.problems import Problem, Problems, terminal_safe
from casebook.reading.template_text import report_template_text
from casebook.model.names import slugify
from casebook.model.text import DeferredRich, MarkdownRenderer
from casebook.model.pictures import Exhibit
from casebook.model.timeline import compute_times
from casebook.reading.exhibits import case_folder, written_exhibit_ids
from casebook.reading.yamltree import Mapping, Node, Scalar, Sequence, read_tree

SLUG_FILE = re.compile(formats.SLUG + r"\.yaml")
MAX_SLUG = 120   # a case file's name before `.yaml`: `new` makes it from a title of 120 at most


def shown(path: Path) -> str:
    """A path as the author would type it: relative to where they are, if it is below."""
    relative = os.path.relpath(path)
    # Control characters in a name are shown as escapes: a terminal must not obey them.
    return terminal_safe(str(path) if relative.startswith("..") else relative)


def find_site_file(cases_dir: Path, default_root: Path) -> Path:
    """`site.yaml` beside the cases folder, else the repository's."""
    beside = cases_dir.parent / "site.yaml"
    # A link or a FIFO there is still the casebook's site.yaml: reading it says what is wrong.
    return beside if beside.is_file() or os.path.lexists(beside) else default_root / "site.yaml"


def case_files(cases_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The case files of a folder, and problems with names that would drop a case silently.

    A file with such a name is listed too, so that its contents are checked as well: its
    name's problem keeps the build from publishing it."""
    files, problems = [], []
    if not cases_dir.is_dir():
        return [], [Problem(shown(cases_dir), 1, "", "the cases folder does not exist")]
    # Links and special files (FIFOs, devices, folders) named like case files are listed too:
    # reading one says why it is refused (yamltree.open_regular), without following it.
    paths = sorted(path for path in cases_dir.iterdir()
                   if not path.name.startswith(("_", "."))
                   and path.name.lower().endswith((".yml", ".yaml")))
    good_stems = {path.stem for path in paths if SLUG_FILE.fullmatch(path.name)}
    for path in paths:
        if len(path.stem) > MAX_SLUG:  # its page's name, and the temporary one, would not fit
            problems.append(Problem(shown(path), 1, "", f"the file name is {len(path.stem)} "
                                    f"characters long before `.yaml` (at most {MAX_SLUG}: "
                                    "rename it)"))
            continue
        if path.stem == HANDBOOK_SLUG:
            problems.append(Problem(shown(path), 1, "", f"the name `{HANDBOOK_SLUG}` is taken by "
                                    "the PDF handbook (rename the file)"))
        elif not SLUG_FILE.fullmatch(path.name):
            problems.append(Problem(shown(path), 1, "", _misnamed(path)))
            if path.stem in good_stems:  # checked as the file of that name
                continue
        files.append(path)
    return files, problems


def _misnamed(path: Path) -> str:
    """Why a YAML file's name is not a case's name, and what to do about it."""
    stem, suffix = path.name.rsplit(".", 1)
    wanted = path.with_name(stem.lower() + ".yaml")
    if not SLUG_FILE.fullmatch(wanted.name):
        suggested = slugify(stem) or "picard-waits-for-cable"
        return (f"`{path.name}` cannot be a case's name: the name is the page's address, so "
                "it may hold only lowercase letters a-z, digits and hyphens, and ends in "
                f"`.yaml` (rename it to `{suggested}.yaml`)")
    if wanted.exists() and not wanted.samefile(path):  # two files would make one page
        return (f"has the same name as {shown(wanted)} apart from capitals or the ending, so "
                "both would be published as one page (give one of them another name)")
    if stem == stem.lower():
        return f"case files end in `.yaml` (rename it to {wanted.name})"
    return ("the file name is not a usable slug (expected lowercase letters, digits and "
            f"hyphens: rename it to {wanted.name})")


class Loader:
    """Reads files into the model. `all_markdown`: render facilitator notes too, when the
    case is read (for `check` and the PDFs); a site build never shows them, so by default they
    are rendered only if read."""

    def __init__(self, all_markdown: bool = False):
        self.markdown = MarkdownRenderer()
        self.all_markdown = all_markdown

    def rich(self, source: str | None, problems: Problems | None = None, line: int = 1,
             path: str = "") -> Rich | None:
        """A Markdown field's source and HTML; a failure to render it is its problem (added to
        `problems` at `line`, when given)."""
        if source is None:
            return None
        try:
            return Rich(source, self.markdown.render(source))
        except Exception as error:  # noqa: BLE001 - whatever fails, it is this field's fault
            if problems is None:
                raise
            problems.add(line, path, f"cannot be rendered as Markdown ({type(error).__name__}"
                                     ": simplify its markup)")
            return Rich(source, Markup(""))

    def notes(self, source: str | None, problems: Problems, line: int) -> DeferredRich | None:
        if source is None:
            return None
        notes = DeferredRich(source)
        if self.all_markdown:
            notes.rendered(self.rich(source, problems, line, "facilitator_notes").html)
        return notes

    def site(self, path: Path) -> tuple[Site | None, list[Problem]]:
        problems = Problems(shown(path))
        if not os.path.lexists(path):
            problems.add(1, "", "site.yaml is missing (expected title, description and themes)")
            return None, problems.found
        tree = read_tree(path, problems.file, problems)
        if tree is None:
            return None, problems.found
        values = formats.SITE.check(tree, "", Check(problems, folder=path.parent))
        if values is INVALID:
            return None, problems.found
        themes = {key: Theme(key, theme["title"],
                             self.rich(theme["description"], problems,
                                       theme.lines.get("description", 1),
                                       f"themes.{key}.description"))
                  for key, theme in values["themes"].items()}
        if problems:
            return None, problems.found
        site = Site(values["title"], values["description"], values["base_url"],
                    values["language"], values["paper"], themes,
                    organization=values["organization"], logo=values["logo"],
                    accent=values["accent"])
        return site, problems.found

    def case(self, path: Path, site: Site | None,
             data: bytes | None = None) -> tuple[Case | None, list[Problem]]:
        """The case in `path` (whose bytes are `data`, when already read) and its problems."""
        problems = Problems(shown(path))
        tree = read_tree(path, problems.file, problems, data)
        if tree is None:
            return None, problems.found
        ctx = Check(problems, choices={
            "people": _written_keys(tree, "people"),
            "channels": _written_texts(tree, "channels"),
            "themes": list(site.themes) if site else None,
            "exhibits": written_exhibit_ids(tree),
            # not a list of names: where the case's pictures are (reading.exhibits.PictureFile)
            "folder": case_folder(path),
        })
        values = formats.CASE.check(tree, "", ctx)
        if values is INVALID or site is None:
            return None, problems.found
        if not values["draft"]:
            report_template_text(tree, problems)
        case = self._build_case(path, values, site, problems)
        return (None if problems else case), problems.found

    def _build_case(self, path: Path, values: Fields, site: Site, problems: Problems) -> Case:
        people = {key: Person(key, p["name"], p["side"], p["note"])
                  for key, p in values["people"].items()}
        events = values["timeline"]
        slug = path.stem
        folder = case_folder(path)
        exhibits = {x["id"]: Exhibit(x["id"], x["file"].source.relative_to(folder).as_posix(),
                                     x["alt"], self.rich(x["caption"], problems,
                                                         x.lines.get("caption", x.line),
                                                         f"exhibits[{number}].caption"),
                                     x["credit"], x["file"], slug)
                    for number, x in enumerate(values["exhibits"], 1)}
        shown: set[str] = set()
        refs = [None if e["from"] is None else
                0 if e["from"] == "start" else
                next(i for i, other in enumerate(events) if other["id"] == e["from"])
                for e in events]   # checked already: each names an earlier event
        times = compute_times([e["when"] for e in events], refs)
        timeline: list[Event] = []
        stated = None   # the last channel an event stated
        for index, event in enumerate(events):
            channel = event["channel"]
            changed = None not in (channel, stated) and channel != stated
            stated = channel or stated
            exhibit = event["exhibit"] if event["exhibit"] not in shown else None
            shown.add(exhibit)
            timeline.append(Event(event["when"].text, people[event["who"]], channel,
                                  self.rich(event["what"], problems, event.lines["what"],
                                            f"timeline[{index + 1}].what"),
                                  event["mark"],
                                  times.elapsed[index], changed, id=event["id"],
                                  ref=refs[index], since=times.since[index],
                                  quote=event["quote"], exhibit=exhibits.get(exhibit)))
        takeaways = [Takeaway(t["lesson"], site.themes[t["theme"]],
                              self.rich(t["detail"], problems, t.lines.get("detail", t.line),
                                        f"takeaways[{number}].detail"))
                     for number, t in enumerate(values["takeaways"], 1)]
        sources = [Source(s["title"], s["author"], s["publisher"], s["date"], s["url"],
                          s["note"])
                   for s in values["sources"]]
        return Case(
            slug=slug, file=path, title=values["title"],
            organization=values["organization"], industry=values["industry"],
            date=values["date"], location=values["location"], channels=values["channels"],
            outcome=values["outcome"], tags=values["tags"], draft=values["draft"],
            summary=self.rich(values["summary"], problems, values.lines["summary"], "summary"),
            people=people, timeline=timeline,
            takeaways=takeaways, objectives=values["objectives"],
            discussion=values["discussion"],
            facilitator_notes=self.notes(values["facilitator_notes"], problems,
                                         values.lines.get("facilitator_notes", 1)),
            sources=sources,
            figures=compute_figures(timeline),
            hints=tuple(sorted(_time_hints(values, times.first_dated) + tuple(problems.notes),
                               key=lambda hint: hint.line)),
            lines=dict(values.lines),
            exhibits=tuple(exhibits.values()),
            exhibits_after=tuple(x for key, x in exhibits.items() if key not in shown),
        )


def _time_hints(values: Fields, first_dated: int | None) -> tuple[Hint, ...]:
    """After an undated start, which event to date to measure the whole case."""
    if first_dated is None:
        return ()
    events = values["timeline"]
    line = events[0].lines.get("when", events[0].line)
    dated = events[first_dated]["when"].text
    return (Hint(line, child(child("timeline", 0), "when"),
                 f"the start is not dated, so only the times after event {first_dated + 1} "
                 f"({dated}) are measured, from that date; give this event a date (`{dated}` or "
                 "earlier) to measure the whole case"),)


def compute_figures(timeline: list[Event]) -> Figures:
    first_response = next((e.elapsed for e in timeline[1:] if e.who.side == "company"), None)
    resolution = next((e.elapsed for e in timeline if e.mark == "resolution"), None)
    moves = sum(1 for e in timeline if e.channel_changed)
    return Figures(Figure(first_response), Figure(resolution), moves)


def _written_keys(tree: Node, name: str) -> list[str] | None:
    """The keys of a mapping field, or None if it is missing or not a mapping (reported)."""
    node = tree.values.get(name) if isinstance(tree, Mapping) else None
    return list(node.keys) if isinstance(node, Mapping) else None


def _written_texts(tree: Node, name: str) -> list[str] | None:
    """The texts of a list field, or None if it is missing or not a list (reported)."""
    node = tree.values.get(name) if isinstance(tree, Mapping) else None
    if not isinstance(node, Sequence):
        return None
    return [item.text.strip() for item in node.items if isinstance(item, Scalar)]


def sort_cases(cases: list[Case]) -> list[Case]:
    """Newest first; undated cases last; then by title."""
    by_title = sorted(cases, key=lambda case: (case.title.casefold(), case.slug))
    return sorted(by_title, key=lambda case: case.date or "", reverse=True)
