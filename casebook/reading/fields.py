"""Field validators: each kind of value checks itself, owns its error message, and describes
itself as JSON Schema (so the editor schema and the checker cannot drift apart)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from casebook.model.brand import MIN_CONTRAST, WHITE, Accent, Logo, contrast
from casebook.reading.problems import Problems
from casebook.model.text import markup_work, nesting_depth
from casebook.model.timeline import PhraseError, When, compute_times, parse_when
from casebook.reading.yamltree import Mapping, Node, Scalar, Sequence


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()  # a value that failed its check (the problem is already reported)


@dataclass
class Check:
    """What a validator needs besides the node: where to report, and what references may name."""

    problems: Problems
    # None: the list itself could not be read (that problem is reported), so a reference
    # into it is not checked; otherwise one wrong list would also fail every reference.
    choices: dict[str, list[str] | None] = field(default_factory=dict)
    markup_work: int = 0  # what the file's Markdown fields so far will take to render
    text_length: int = 0  # characters of text in the file's fields so far
    markdown_lines: int = 0  # non-blank lines of its Markdown fields so far
    # The folder a file named in the file being checked is looked for in (site.yaml's own).
    folder: Path | None = None

    def fail(self, node: Node, path: str, message: str) -> _Invalid:
        self.problems.add(node.line, path, message)
        return INVALID

    def note(self, node: Node, path: str, message: str) -> None:
        self.problems.note(node.line, path, message)


def child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key + 1}]"  # authors count events from 1
    return f"{path}.{key}" if path else key


def _shape(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a set of fields"
    if isinstance(node, Sequence):
        return "a list"
    return "a single value"


class Kind:
    expected = "a value"

    def check(self, node: Node, path: str, ctx: Check):
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


class Text(Kind):
    """Text shown literally; one line unless `multiline`.

    Markdown markers in it (`*word*`, `[x](...)`) would print as written, so they get a note;
    `literal` text (a message's exact words) holds them on purpose and gets none."""

    markers_noted = True   # kinds of text that are not prose (names of choices...) say False

    def __init__(self, max_length: int | None = None, multiline: bool = False,
                 literal: bool = False):
        self.max_length = max_length
        self.multiline = multiline
        self.literal = literal
        if type(self).expected == Kind.expected:  # subclasses name what they expect
            self.expected = "text" + (f" of at most {max_length} characters" if max_length else "")

    def check(self, node, path, ctx):
        if not isinstance(node, Scalar):
            colon = _colon_in_text(node)
            if colon:
                return ctx.fail(node, path, colon)
            return ctx.fail(node, path, f"is {_shape(node)} (expected {self.expected})")
        text = node.text.strip()
        if node.commented_out:
            return ctx.fail(node, path, "is empty: YAML reads a value that starts with # as a "
                                        'comment (put the whole value in quotes, such as "#fail")')
        if not text:
            return ctx.fail(node, path, f"is empty (expected {self.expected}, "
                                        "or remove the line if the field is optional)")
        control = _CONTROL.search(text)
        if control:
            return ctx.fail(node, path, f"contains an invisible control character (code "
                                        f"{ord(control.group())}), written with a `\\` escape (remove it)")
        if not self.multiline and "\n" in text:
            return ctx.fail(node, path, f"runs over several lines (expected {self.expected} "
                                        "on one line)")
        if self.max_length and len(text) > self.max_length:
            return ctx.fail(node, path, f"is {len(text)} characters long "
                                        f"(expected at most {self.max_length})")
        ctx.text_length += len(text)
        if ctx.text_length > MAX_FILE_TEXT:
            if ctx.text_length - len(text) > MAX_FILE_TEXT:
                return INVALID   # said once, at the field that went over
            return ctx.fail(node, path, f"brings the file's text over {MAX_FILE_TEXT:,} characters, "
                                        "more than a case's handout can print in reasonable time "
                                        "(shorten the case, or make two cases of it)")
        if self.markers_noted and not self.literal and (marker := markdown_marker(text)):
            ctx.note(node, path, f"`{_shown(marker, 40)}` will show as written, with its "
                                 "markers: this field is plain text, not Markdown (write the "
                                 "words without them)")
        return self.convert(text, node, path, ctx)

    def convert(self, text: str, node: Node, path: str, ctx: Check):
        return text

    def schema(self):
        # YAML editors read `title: 1984` as a number; the checker reads it as the text 1984.
        schema = {"type": ["string", "number", "boolean"]}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


# Names that become file names or addresses (tags, theme keys, ids): a file name has at most
# 255 bytes, and a build writes `.<name>.html.<random>` while it writes a page.
MAX_NAME = 60

# All the text of one file, in characters: what its handout prints (about 70 A4 pages) is laid
# out in well under a minute, and its case page stays a few hundred kilobytes.
MAX_FILE_TEXT = 200_000

# Markdown's work, measured before rendering (model/text.py `markup_work`): about 0.3 s at
# most for one field, 3 s for a whole file, whatever is written; real cases need a hundredth.
MAX_FIELD_MARKUP_WORK = 1_000_000
MAX_FILE_MARKUP_WORK = 10_000_000
# Lines of Markdown in one file: each may be a block (a paragraph, a heading, a list item) that
# the PDF lays out, bookmarks and tags on its own; 60,000 one-word paragraphs took WeasyPrint
# over 5 minutes and 1.9 GB. Real cases write a few dozen.
MAX_FILE_MARKDOWN_LINES = 2_000
_LINE_BREAKS = re.compile("\r\n|\r|\n")   # as Markdown reads them
MAX_MARKDOWN_NESTING = 8     # lists and quotes inside each other (a case needs two or three)
_OPENER_LIST = "[, *, _, `, <, &, ! or \\"


class MarkdownText(Text):
    markers_noted = False

    def __init__(self, max_length: int | None = None):
        super().__init__(max_length=max_length, multiline=True)
        self.expected = "text (Markdown" + (f", at most {max_length} characters)"
                                            if max_length else ")")

    def convert(self, text, node, path, ctx):
        depth, line = nesting_depth(text)
        if depth > MAX_MARKDOWN_NESTING:
            return ctx.fail(node, path, f"nests lists, quotes or indented blocks {depth} levels "
                            f"deep (at most {MAX_MARKDOWN_NESTING}), in its line {line + 1}: a "
                            "line starting with many `- `, `> ` or `1. ` (write the markers "
                            "with a `\\` before them to show them as text)")
        work = markup_work(text)
        if work > MAX_FIELD_MARKUP_WORK:
            return ctx.fail(node, path, "has too much Markdown markup for its length to be "
                            f"rendered quickly (too many {_OPENER_LIST} in one paragraph: split "
                            "it into paragraphs with blank lines, or write fewer of them)")
        lines = sum(1 for line in _LINE_BREAKS.split(text) if line.strip())
        ctx.markdown_lines += lines
        if ctx.markdown_lines > MAX_FILE_MARKDOWN_LINES:
            if ctx.markdown_lines - lines > MAX_FILE_MARKDOWN_LINES:
                return INVALID   # said once, at the field that went over
            return ctx.fail(node, path, f"brings the file's Markdown over "
                            f"{MAX_FILE_MARKDOWN_LINES:,} lines (each line may start a "
                            "paragraph, heading or list item, and the handout lays out each: "
                            "join lines into paragraphs, or shorten the case)")
        ctx.markup_work += work
        if ctx.markup_work > MAX_FILE_MARKUP_WORK:
            return ctx.fail(node, path, "brings the file's Markdown over what can be rendered "
                            f"quickly (its fields hold too many {_OPENER_LIST} for their "
                            "length: write fewer of them, or shorter paragraphs)")
        return text

    def schema(self):
        schema = {"type": ["string", "number", "boolean"], "description": "Markdown"}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


class Choice(Text):
    markers_noted = False

    def __init__(self, *choices: str):
        super().__init__()
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def convert(self, text, node, path, ctx):
        if text in self.choices:
            return text
        return ctx.fail(node, path, f"`{_shown(text)}` is not allowed "
                                    f"({self.expected}{_hint(text, self.choices)})")

    def schema(self):
        return {"enum": list(self.choices)}


class Ref(Text):
    """A name that must be defined elsewhere: a person, a theme, a channel."""

    markers_noted = False

    def __init__(self, choices_key: str, what: str):
        super().__init__()
        self.choices_key = choices_key
        self.expected = what

    def convert(self, text, node, path, ctx):
        choices = ctx.choices.get(self.choices_key, [])
        if choices is None:
            return INVALID
        if text in choices:
            return text
        if ctx.problems.full:   # only counted: no need for the list or a suggestion
            return ctx.fail(node, path, f"`{_shown(text)}` is not {self.expected}")
        listed = _listed(choices) if choices else "none are defined"
        return ctx.fail(node, path, f"`{_shown(text)}` is not {self.expected} "
                                    f"(expected one of: {listed}{_hint(text, choices)})")

    def schema(self):
        return {"type": "string"}


class Pattern(Text):
    markers_noted = False

    def __init__(self, regex: str, expected: str, max_length: int = MAX_NAME):
        super().__init__(max_length=max_length)
        self.regex = re.compile(regex)
        self.expected = expected

    def convert(self, text, node, path, ctx):
        if self.regex.fullmatch(text):
            return text
        return ctx.fail(node, path, f"`{_shown(text)}` is not {self.expected}")

    def schema(self):
        return {"type": "string", "pattern": "^" + self.regex.pattern + "$",
                "maxLength": self.max_length}


class PartialDate(Text):
    """A date as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD, kept as written."""

    expected = "a date written YYYY, YYYY-MM or YYYY-MM-DD"
    markers_noted = False
    _form = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

    def convert(self, text, node, path, ctx):
        match = self._form.fullmatch(text)
        if match:
            year, month, day = (int(g) if g else 1 for g in match.groups())
            try:
                date(year, month, day)
                return text
            except ValueError:
                return ctx.fail(node, path, f"`{_shown(text)}` is not a real date "
                                            f"(expected {self.expected})")
        return ctx.fail(node, path, f"`{_shown(text)}` is not a date "
                                    f"(expected {self.expected})")

    def schema(self):
        return {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


class Url(Text):
    expected = "a web address starting with http:// or https://"
    markers_noted = False

    def __init__(self, max_length: int = 2_000):   # what browsers and servers all accept
        super().__init__(max_length=max_length)

    def convert(self, text, node, path, ctx):
        parts = urlsplit(text)
        if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in text):
            return text
        return ctx.fail(node, path, f"`{_shown(text)}` is not a web address "
                                    f"(expected {self.expected})")

    def schema(self):
        return {"type": "string", "pattern": "^https?://[^\\s]+$", "maxLength": self.max_length}


class Flag(Kind):
    expected = "true or false"

    def check(self, node, path, ctx):
        if isinstance(node, Scalar) and node.text in ("true", "false"):
            return node.text == "true"
        shown = f"`{node.text}`" if isinstance(node, Scalar) else _shape(node)
        return ctx.fail(node, path, f"{shown} is not allowed (expected true or false)")

    def schema(self):
        return {"type": "boolean"}


class Phrase(Text):
    expected = "a time phrase"
    markers_noted = False

    def convert(self, text, node, path, ctx) -> When:
        try:
            return parse_when(text)
        except PhraseError as error:
            return ctx.fail(node, path, str(error))

    def schema(self):
        return {"type": "string", "description": "start, a date (2009-09-09 14:05), or the "
                "time since the previous event: '2 hours later', 'about 3 days later', "
                "'within 2 minutes', 'within hours', 'immediately', 'same day', 'next day', "
                "'a few days later', 'days later', 'later' (see the README)"}


class ListOf(Kind):
    def __init__(self, item: Kind, min_items: int = 0, unique: bool = False,
                 max_items: int | None = None):
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.unique = unique
        self.expected = f"a list of {item.expected}"

    def check(self, node, path, ctx):
        if not isinstance(node, Sequence):
            example = "`[A, B]` or lines starting with `- `"
            return ctx.fail(node, path, f"is {_shape(node)} (expected {self.expected}: {example})")
        if len(node.items) < self.min_items:
            return ctx.fail(node, path, f"is an empty list (expected at least {self.min_items})")
        if self.max_items is not None and len(node.items) > self.max_items:
            return ctx.fail(node, path, f"has {len(node.items)} items (at most {self.max_items})")
        values = []
        seen: dict[object, int] = {}
        for index, item in enumerate(node.items):
            value = self.item.check(item, child(path, index), ctx)
            if self.unique and isinstance(item, Scalar) and value is not INVALID:
                if value in seen:
                    ctx.fail(item, child(path, index), f"`{_shown(str(value))}` is listed twice "
                                                       f"(first as item {seen[value] + 1})")
                    continue
                seen[value] = index
            values.append(value)
        return INVALID if INVALID in values else values

    def schema(self):
        schema = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass
class Field:
    kind: Kind
    required: bool = False
    default: object = None
    note: str = ""


class Fields(dict):
    """A checked record: field name to value, plus the line each value was written on."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class Record(Kind):
    def __init__(self, fields: dict[str, Field], expected: str):
        self.fields = fields
        self.expected = expected

    def check(self, node, path, ctx):
        if not isinstance(node, Mapping):
            what = f"is {_shape(node)}" if path else f"the file holds {_shape(node)}, not fields"
            return ctx.fail(node, path, f"{what} (expected {self.expected} "
                                        "written as `field: value` lines)")
        result = Fields(node.line)
        ok = self._report_missing_dash(node, path, ctx) and report_repeated(node, path, ctx)
        for name, key in node.keys.items():
            if name not in self.fields:
                ok = False
                if ctx.problems.full:   # only counted: no need for suggestions
                    ctx.fail(key, child(path, name), "is not a known field")
                    continue
                ctx.fail(key, child(path, name), f"is not a known field "
                         f"(expected one of: {', '.join(self.fields)}{_hint(name, self.fields)}"
                         f"{_comma_hint(name)})")
        for name, spec in self.fields.items():
            if name not in node.values:
                if spec.required:
                    ok = False
                    ctx.fail(node, child(path, name), f"is missing (required: {spec.kind.expected})")
                result[name] = spec.default
                continue
            value = spec.kind.check(node.values[name], child(path, name), ctx)
            result[name] = value
            result.lines[name] = node.values[name].line
            ok = ok and value is not INVALID
        return result if ok else INVALID

    def _report_missing_dash(self, node: Mapping, path: str, ctx: Check) -> bool:
        """An item of a list whose fields come again below it: the next item's `- ` is
        missing, so YAML read both as one. Reported once, as that, not as each field given
        twice. True when this is not the case."""
        if not (path.endswith("]") and node.repeated):
            return True
        # One field written twice may be a slip; the item's first field again, or several
        # fields again, start another item.
        if len(node.repeated) < 2 and node.repeated[0][0].text != next(iter(node.keys)):
            return True
        first = min((key for key, _ in node.repeated), key=lambda key: key.line)
        item = self.expected.removeprefix("an ").removeprefix("a ")
        list_path, number = path.rsplit("[", 1)
        ctx.problems.add(first.line, f"{list_path}[{int(number[:-1]) + 1}]",
                         f"the `- ` that starts this {item} is missing, so YAML reads its "
                         f"fields as part of the {item} above (write `- {first.text}: ...`, "
                         f"with the dash in the column of the other {item}s' dashes)")
        return False

    def schema(self):
        return {
            "type": "object",
            "properties": {name: _describe(spec) for name, spec in self.fields.items()},
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }


class MapOf(Kind):
    """A mapping whose keys the author chooses (people, themes) to records."""

    def __init__(self, value: Kind, key_regex: str, key_expected: str, min_items: int = 1,
                 max_items: int | None = None, names_files: bool = False):
        self.value = value
        self.max_items = max_items
        # Keys that name files (themes/<key>.html) must differ in more than capitals: on a
        # disk that ignores case (macOS, Windows) two such pages would be one file.
        self.names_files = names_files
        self.key_regex = re.compile(key_regex)
        self.key_expected = key_expected
        self.min_items = min_items
        self.expected = f"a set of {value.expected}, one per short name"

    def check(self, node, path, ctx):
        if not isinstance(node, Mapping):
            return ctx.fail(node, path, f"is {_shape(node)} (expected {self.expected})")
        if len(node.values) < self.min_items:
            return ctx.fail(node, path, f"is empty (expected at least {self.min_items})")
        if self.max_items is not None and len(node.values) > self.max_items:
            return ctx.fail(node, path, f"has {len(node.values)} entries (at most {self.max_items})")
        result = Fields(node.line)
        ok = report_repeated(node, path, ctx)
        folded: dict[str, str] = {}
        for name, key in node.keys.items():
            if len(name) > MAX_NAME:
                ctx.fail(key, child(path, name), f"is {len(name)} characters long (a short name "
                                                 f"is at most {MAX_NAME})")
                ok = False
                continue
            if self.names_files and folded.setdefault(name.casefold(), name) != name:
                ctx.fail(key, child(path, name), f"differs from `{_shown(folded[name.casefold()])}` "
                         "only in capitals, and their pages would be one file on disks that "
                         "ignore case (give it another name)")
                ok = False
                continue
            if not self.key_regex.fullmatch(name):
                ctx.fail(key, child(path, name), f"`{_shown(name)}` is not a usable short name "
                                                 f"(expected {self.key_expected})")
                ok = False
                continue
            value = self.value.check(node.values[name], child(path, name), ctx)
            result[name] = value
            result.lines[name] = key.line
            ok = ok and value is not INVALID
        return result if ok else INVALID

    def schema(self):
        schema = {"type": "object", "minProperties": self.min_items,
                  "propertyNames": {"pattern": "^" + self.key_regex.pattern + "$",
                                    "maxLength": MAX_NAME},
                  "additionalProperties": self.value.schema()}
        if self.max_items is not None:
            schema["maxProperties"] = self.max_items
        return schema


def report_repeated(node: Mapping, path: str, ctx: Check) -> bool:
    """Report keys written twice; True when there are none."""
    for key, first_line in node.repeated:
        ctx.fail(key, child(path, key.text), f"is given twice (first on line {first_line}; keep one)")
    return not node.repeated


def _describe(spec: Field) -> dict:
    schema = spec.kind.schema()
    if spec.note:
        schema = {**schema, "description": spec.note}
    return schema


# Characters that no page or terminal should receive from a case: Unicode's control
# characters (category Cc) but for new lines and tabs, which are text.
CONTROL = _CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str, limit: int = 60) -> str:
    """A value as quoted in a message: long values shortened, so the message stays readable."""
    return text if len(text) <= limit else text[:limit] + "…"


def _colon_in_text(node: Node) -> str | None:
    """Why a one-line text reads as a field: it contains `: ` (`- Who gained? Answer: X`)."""
    if not (isinstance(node, Mapping) and len(node.values) == 1) or node.flow:
        return None
    (name, key), value = next(iter(node.keys.items())), next(iter(node.values.values()))
    if not (key.plain and isinstance(value, Scalar) and value.line == key.line):
        return None
    written = _shown(f"{name}: {value.text}")
    return (f"contains `: `, so YAML reads `{written}` as a field and its value (put the whole "
            f'text in quotes: "{written}")')


# What Markdown would make of plain text: emphasis (`*word*`, `**bold**`, `__bold__`) and
# links (`[words](address)`). A lone `*` (a footnote mark, "5 * 3") is not one.
_MARKERS = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"
                      r"|\*\*(?=\S)[^*\n]*?(?<=\S)\*\*"
                      r"|__(?=\S)[^_\n]*?(?<=\S)__"
                      r"|(?<![\w*])\*(?=[^\s*])[^*\n]*?(?<=[^\s*])\*(?![\w*])")


def markdown_marker(text: str) -> str | None:
    """The first piece of Markdown markup in a text, or None."""
    found = _MARKERS.search(text)
    return found.group() if found else None


def _comma_hint(name: str) -> str:
    """A field name with spaces is most often the rest of a value cut at a comma in `{...}`."""
    if " " in name:
        return ("; inside `{ }` a comma starts a new field, so put a value that holds a comma "
                "in quotes")
    return ""


# A message lists this many choices at most, and suggests a close one only among this many:
# difflib's time grows with the choices and their length, and a message must stay readable.
MAX_LISTED = 12
MAX_SUGGESTED_FROM = 100


def _listed(choices) -> str:
    shown = ", ".join(_shown(str(choice), 40) for choice in list(choices)[:MAX_LISTED])
    more = len(choices) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _hint(text: str, choices) -> str:
    if len(choices) > MAX_SUGGESTED_FROM or len(text) > 120:
        return ""
    close = difflib.get_close_matches(text, [c for c in choices if len(c) <= 120], n=1,
                                      cutoff=0.6)
    return f"; did you mean `{_shown(close[0], 40)}`?" if close else ""


class BaseUrl(Url):
    """Where the site will live; empty for relative links that work anywhere."""

    expected = 'empty ("") for relative links, or an address such as https://example.org/casebook/'

    def check(self, node, path, ctx):
        if isinstance(node, Scalar) and not node.text.strip():
            return ""
        value = super().check(node, path, ctx)
        if isinstance(value, str) and not value.endswith("/"):
            value += "/"
        return value

    def schema(self):
        return {"type": "string", "pattern": "^(https?://[^\\s]+)?$", "maxLength": self.max_length}


class Timeline(ListOf):
    """The events, whose `when` must also fit where it stands (`start` first, dates in order)
    and whose `id`s and `from`s must name earlier events of the same timeline."""

    def check(self, node, path, ctx):
        events = super().check(node, path, ctx)
        if not isinstance(node, Sequence):
            return events
        refs, ok = event_references(node.items, path, ctx)
        whens = [_written_when(item) for item in node.items]
        if ok and None not in whens:
            for index, message in compute_times([w for w, _ in whens], refs).misplaced:
                ctx.fail(whens[index][1], child(child(path, index), "when"), message)
                ok = False
        return events if ok else INVALID


def event_references(items: list[Node], path: str, ctx: Check) -> tuple[list[int | None], bool]:
    """For each event, the index of the event its `from:` names (None: the previous one), and
    whether every `id` is unique and every `from` names an earlier event."""
    ids: dict[str, int] = {}
    refs: list[int | None] = []
    ok = True
    for index, item in enumerate(items):
        fields = item.values if isinstance(item, Mapping) else {}
        ident, source = fields.get("id"), fields.get("from")
        if isinstance(ident, Scalar):
            name = ident.text.strip()
            if name in ids:
                ok = False
                ctx.fail(ident, child(child(path, index), "id"), f"`{_shown(name)}` is already "
                         f"the id of event {ids[name] + 1} (each id names one event)")
            elif name == "start":
                ok = False
                ctx.fail(ident, child(child(path, index), "id"), "`start` is taken: `from: "
                         "start` means the first event (choose another id)")
            else:
                ids[name] = index
        ref = None
        if isinstance(source, Scalar) and source.text.strip():   # empty: reported as such
            name = source.text.strip()
            where = child(child(path, index), "from")
            when = _written_when(item)
            later = [n for n, i in _ids_of(items) if i >= index]
            if index == 0:
                ctx.fail(source, where, "the first event is not measured from another event "
                                        "(remove `from`)")
            elif when is not None and when[0].kind in ("moment", "start"):
                ctx.fail(source, where, f"`from` beside `{_shown(when[0].text)}` says nothing: "
                         "a date is measured from the start's date (remove `from`)")
            elif name == "start":
                ref = 0
            elif name in ids and ids[name] < index:
                ref = ids[name]
            elif name in later:
                ctx.fail(source, where, f"`{_shown(name)}` is a later event (a `when` is measured "
                         "from an earlier one: `start` or the id of an event above)")
            else:
                known = ", ".join(["start", *ids])
                ctx.fail(source, where, f"`{_shown(name)}` is not the id of an earlier event "
                         f"(expected one of: {known}{_hint(name, ['start', *ids])})")
            ok = ok and (ref is not None)
        refs.append(ref)
    return refs, ok


def _ids_of(items: list[Node]):
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.values.get("id"), Scalar):
            yield item.values["id"].text.strip(), index


def _written_when(item: Node):
    """The parsed `when` of an event node and its node, or None if it does not parse."""
    if isinstance(item, Mapping) and isinstance(item.values.get("when"), Scalar):
        node = item.values["when"]
        try:
            return parse_when(node.text.strip()), node
        except PhraseError:
            return None
    return None


class Integer(Text):
    """A whole number written in digits, between `minimum` and `maximum`."""

    def __init__(self, minimum: int, maximum: int, unit: str = ""):
        super().__init__()
        self.minimum, self.maximum = minimum, maximum
        self.expected = f"a whole number from {minimum} to {maximum}" + (f" ({unit})" if unit else "")

    def convert(self, text, node, path, ctx):
        if not re.fullmatch(r"\d{1,9}", text):
            return ctx.fail(node, path, f"`{_shown(text)}` is not a whole number "
                                        f"(expected {self.expected})")
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            return ctx.fail(node, path, f"{value} is out of range (expected {self.expected})")
        return value

    def schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


class ClockTime(Text):
    """A time of day on the 24-hour clock, `HH:MM` (`9:00` is read as 09:00)."""

    expected = "a time of day written HH:MM on the 24-hour clock, such as \"09:00\" or \"13:30\""
    _form = re.compile(r"(\d{1,2}):(\d{2})")

    def convert(self, text, node, path, ctx):
        match = self._form.fullmatch(text)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return f"{int(match[1]):02d}:{match[2]}"
        return ctx.fail(node, path, f"`{_shown(text)}` is not a time of day "
                                    f"(expected {self.expected})")

    def schema(self):
        return {"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$"}


class AccentColour(Text):
    """`#rrggbb` that reads as text on white (WCAG 2.1 AA: 4.5:1); the dark scheme's shade is
    derived from it (model/brand.py)."""

    expected = 'a colour as "#rrggbb", such as "#0b5cad"'

    def convert(self, text, node, path, ctx):
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", text):
            return ctx.fail(node, path, f"`{_shown(text)}` is not a colour (expected "
                                        f"{self.expected}, in quotes: YAML reads # as a comment)")
        colour = text.lower()
        ratio = contrast(colour, WHITE)
        if ratio < MIN_CONTRAST:
            # Rounded down, so a colour just short of 4.5 never reads as "4.5:1".
            shown = f"{int(ratio * 100) / 100:.2f}"
            return ctx.fail(node, path, f"`{colour}` has a contrast of {shown}:1 on white, too "
                                        f"little for links and headings (expected at least "
                                        f"{MIN_CONTRAST}:1: choose a darker shade)")
        return Accent.of(colour)

    def schema(self):
        return {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}


LOGO_MAX_BYTES = 1_000_000
_SVG_REFUSED = re.compile(rb"<!DOCTYPE|<!ENTITY|<script|<foreignObject|\bon[a-z]+\s*=|javascript:",
                          re.IGNORECASE)


class LogoFile(Text):
    """An SVG or PNG file in the folder of site.yaml, named by its file name alone: never an
    address, a path into another folder or a link. It is shown as an image only (an <img>
    on the site, an image in the PDFs), never as inline markup; an SVG with scripts, event
    handlers, embedded HTML or a DOCTYPE (entities) is refused all the same."""

    expected = "the name of an SVG or PNG file beside site.yaml, such as logo.svg"

    def convert(self, text, node, path, ctx):
        if "://" in text or text.startswith(("data:", "/", "\\")) or re.search(r"[/\\]", text):
            return ctx.fail(node, path, f"`{_shown(text)}` is not a file beside site.yaml (expected "
                                        f"{self.expected}; addresses and other folders are refused)")
        suffix = text.rsplit(".", 1)[-1].lower() if "." in text else ""
        if suffix not in ("svg", "png") or text.startswith("."):
            return ctx.fail(node, path, f"`{_shown(text)}` is not an SVG or PNG file "
                                        f"(expected {self.expected})")
        folder = ctx.folder or Path(".")
        file = folder / text
        if file.is_symlink() or not file.is_file():
            missing = "is a link" if file.is_symlink() else "does not exist"
            return ctx.fail(node, path, f"`{_shown(text)}` {missing} beside site.yaml "
                                        f"(expected {self.expected})")
        data = file.read_bytes()
        if len(data) > LOGO_MAX_BYTES:
            return ctx.fail(node, path, f"`{_shown(text)}` is {len(data)} bytes (expected a logo "
                                        f"of at most {LOGO_MAX_BYTES} bytes)")
        if suffix == "png":
            if not data.startswith(b"\x89PNG\r\n\x1a\n"):
                return ctx.fail(node, path, f"`{_shown(text)}` is not a PNG image (its first "
                                            "bytes are not a PNG's)")
            return Logo(text, "image/png", data)
        if not re.search(rb"<svg[\s>]", data[:4096]) or b"</svg>" not in data[-4096:]:
            return ctx.fail(node, path, f"`{_shown(text)}` is not an SVG image (no <svg> element)")
        refused = _SVG_REFUSED.search(data)
        if refused:
            found = refused.group().decode("utf-8", "replace").strip()
            return ctx.fail(node, path, f"`{_shown(text)}` contains `{_shown(found, 20)}`: a logo "
                                        "may hold only drawing, no scripts, event handlers, "
                                        "embedded HTML or DOCTYPE (save it again as plain SVG)")
        return Logo(text, "image/svg+xml", data)

    def schema(self):
        return {"type": "string", "pattern": "^[^/\\\\]+\\.(svg|png|SVG|PNG)$"}
