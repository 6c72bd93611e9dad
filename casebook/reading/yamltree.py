"""Read a YAML file into a tree of text values that remember their line.

Authors' values mean what they wrote: every scalar stays the text it was (`2014` is not an
integer, `no` is not False), so YAML's implicit typing can never change what was written.
Anchors, aliases, tags and duplicate keys are refused: authors don't need them, they hide
mistakes, and aliases make "billion laughs" bombs possible. The tree is built from the parser's
event stream without recursion, and files over 1 MB or nested over 16 levels are refused before
the parser gets far, so no file can exhaust memory or time.

A parser error describes the parser's state; `explain_syntax_error` turns it into the author's
mistake (a tab, a quote inside quotes, a missing space after a colon...) and its line.
"""
from __future__ import annotations

import bisect

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.reading.problems import Problems

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1024 * 1024
# A case nests four levels deep (timeline, event, field); the YAML parser slows down with the
# square of the nesting, so a file nested thousands deep must be stopped early, not read.
MAX_DEPTH = 16


@dataclass
class Scalar:
    text: str
    line: int
    plain: bool  # written without quotes or block indicators
    end: tuple[int, int] = (0, 0)  # where the value ends: line and column, counted from 0
    commented_out: bool = False  # empty because what followed was read as a `#` comment


@dataclass
class Mapping:
    line: int
    keys: dict[str, Scalar] = field(default_factory=dict)
    values: dict[str, "Node"] = field(default_factory=dict)
    # Keys written again, with the line of their first use: the checker reports them with
    # their field path (PyYAML would silently keep the last value).
    repeated: list[tuple[Scalar, int]] = field(default_factory=list)
    flow: bool = False  # written in `{ }`, not as `field: value` lines


@dataclass
class Sequence:
    line: int
    items: list["Node"] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


# Characters that are not text: surrogates and Unicode's noncharacters. The YAML parser refuses
# them written as they are, but a `\u` escape in double quotes makes them, and XML (the feed,
# the sitemap) cannot carry them, so they are refused wherever they are written.
NOT_TEXT = re.compile("[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}"
                                for plane in range(0x10000, 0x110000, 0x10000)) + "]")


def not_text_message(character: str) -> str:
    return (f"holds the character U+{ord(character):04X}, which is not text (Unicode keeps it "
            "out of documents, and web feeds cannot carry it): remove its `\\u` escape")


class _Refused(Exception):
    def __init__(self, line: int, message: str, path: str = ""):
        self.line, self.message, self.path = line, message, path


class NotRegular(OSError):
    """A path that is a symbolic link, or not a regular file (a folder, a FIFO, a device)."""


def open_regular(path: Path):
    """`path` opened for reading in binary, if it is a regular file and not a symbolic link.

    An input file is read only if it is one: a link could publish a file from outside the
    casebook or print a system file's lines in problem messages, and a FIFO or a device would
    make the reader wait forever. The file is opened without following links and without
    waiting (O_NOFOLLOW, O_NONBLOCK), then its kind checked on the open file itself, so it
    cannot be swapped between the check and the read. Raises NotRegular, or OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if os.path.islink(path):
            raise NotRegular("is a symbolic link (an input file must be a regular file in the "
                             "casebook: copy the file here instead of linking to it)") from None
        raise error
    kind = os.fstat(handle).st_mode
    if not stat.S_ISREG(kind):
        os.close(handle)
        what = ("a folder" if stat.S_ISDIR(kind) else "a FIFO" if stat.S_ISFIFO(kind)
                else "a device" if stat.S_ISCHR(kind) or stat.S_ISBLK(kind) else "a socket"
                if stat.S_ISSOCK(kind) else "not a regular file")
        raise NotRegular(f"is {what}, not a regular file (an input file must be a regular "
                         "file in the casebook)")
    return os.fdopen(handle, "rb")


def unreadable(error: OSError) -> str:
    """Why a file cannot be read, as a problem message."""
    if isinstance(error, NotRegular):
        return str(error)
    return f"cannot read the file ({error.strerror or type(error).__name__})"


def read_small_file(path: Path) -> bytes | None:
    """A case file's bytes; None when it cannot be read or is too large (`read_tree` says why)."""
    try:
        with open_regular(path) as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


def read_tree(path: Path, shown_as: str, problems: Problems, data: bytes | None = None) -> Node | None:
    """The file's tree, or None after adding to `problems` why it cannot be read.

    `data`: the file's bytes, when the caller has them from `read_small_file`."""
    if data is not None:
        return decode_tree(data, problems)
    try:
        with open_regular(path) as file:
            size = os.fstat(file.fileno()).st_size
            # Read one byte past the limit, not the whole file: it may grow while it is read.
            data = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    except OSError as error:
        problems.add(1, "", unreadable(error))
        return None
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        shown = f"{max(size, len(data)) / 1024 / 1024:.1f} MB"
        problems.add(1, "", f"the file is {shown}, too large "
                            f"(a case file is at most {MAX_FILE_BYTES // 1024 // 1024} MB)")
        return None
    return decode_tree(data, problems)


def decode_tree(data: bytes, problems: Problems) -> Node | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(line, "", f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} "
                               "cannot be read; save the file with UTF-8 encoding)")
        return None
    return parse_tree(text, problems)


def parse_tree(text: str, problems: Problems) -> Node | None:
    try:
        tree = _build(text, _Lines(text))
    except _Refused as refused:
        problems.add(refused.line, refused.path, refused.message)
        return None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        problems.add(line, "", f"this line holds an invisible control character (code "
                               f"{error.character}) that is not allowed in text (delete it, or "
                               "retype the line)")
        return None
    except yaml.MarkedYAMLError as error:
        line, message = explain_syntax_error(error, text)
        problems.add(line, "", message)
        return None
    if tree is None:
        problems.add(1, "", "the file is empty (expected fields such as `title:`)")
    elif "#" in text:  # without one, no comment can have cut a value short
        _find_text_lost_to_comments(tree, text.split("\n"), problems)
    return tree


class _Lines:
    """Line and column of a parser mark as an editor counts them: only "\n" ends a line.

    The parser also breaks lines at "\r", U+2028, U+2029 and U+0085, so in a text holding one
    of those its own line numbers can run ahead of what the author's editor shows; in any
    other text they agree, and the parser's are used as they are."""

    def __init__(self, text: str):
        self.exact = not _OTHER_BREAKS.search(text)
        if not self.exact:
            self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def at(self, mark) -> tuple[int, int]:
        if self.exact:
            return mark.line, mark.column
        line = bisect.bisect_right(self.starts, mark.index) - 1
        return line, mark.index - self.starts[line]


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _build(text: str, lines: _Lines) -> Node | None:
    """Assemble nodes from the parser's events; refuse what authors must not use."""
    parser = _Parser(text)
    try:
        return _assemble(parser.get_event, lines)
    finally:
        parser.dispose()


def _assemble(next_event, lines: _Lines) -> Node | None:
    """The tree of the events `next_event` gives one by one (None after the last)."""
    stack: list[Mapping | Sequence] = []
    paths: list[str] = []  # per open node: its field path, for messages (`people.ann`)
    pending_key: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:  # a list or mapping as a key was refused before it got here
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.text in parent.keys:
            parent.repeated.append((key, parent.keys[key.text].line))
            return
        parent.keys[key.text] = key
        parent.values[key.text] = node

    def path_here() -> str:
        """The field path of the node about to be attached."""
        if not stack:
            return ""
        parent = stack[-1]
        if isinstance(parent, Sequence):
            return f"{paths[-1]}[{len(parent.items) + 1}]"
        key = pending_key[-1]
        return _field_path(paths[-1], key.text) if key else paths[-1]

    while (event := next_event()) is not None:
        # Most events are plain values: handled first, with the least work.
        if event.__class__ is yaml.ScalarEvent and event.anchor is None and event.tag is None:
            if event.style == '"' and (odd := NOT_TEXT.search(event.value)):
                raise _Refused(lines.at(event.start_mark)[0] + 1, not_text_message(odd.group()),
                               path_here())
            attach(Scalar(event.value, lines.at(event.start_mark)[0] + 1, plain=not event.style,
                          end=lines.at(event.end_mark)))
            continue
        line = lines.at(event.start_mark)[0] + 1
        refused = _refused_feature(event)
        if refused:
            raise _Refused(line, refused, path_here())
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(line, "the file holds more than one YAML document (`---`); "
                                     "write one case per file")
        elif isinstance(event, yaml.ScalarEvent):
            end = lines.at(event.end_mark)
            attach(Scalar(event.value, line, plain=not event.style, end=end))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if stack and isinstance(stack[-1], Mapping) and pending_key[-1] is None:
                raise _Refused(line, "a field name must be a single word, not a list or mapping")
            if len(stack) >= MAX_DEPTH:
                raise _Refused(line, f"values are nested more than {MAX_DEPTH} levels deep here "
                                     "(a case needs four at most: check the brackets and the "
                                     "indentation)", paths[1])
            node = (Mapping(line, flow=bool(event.flow_style))
                    if isinstance(event, yaml.MappingStartEvent) else Sequence(line))
            path = path_here()
            attach(node)
            stack.append(node)
            paths.append(path)
            if isinstance(node, Mapping):
                pending_key.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            paths.pop()
            if isinstance(stack.pop(), Mapping):
                pending_key.pop()
    return root


def _find_text_lost_to_comments(tree: Node, lines: list[str], problems: Problems) -> None:
    """Unquoted values that YAML cut short at a `#`: a value that starts with one becomes
    empty (marked, for the checker to explain), and a hashtag after a value is reported."""
    pending: list[tuple[Node, str]] = [(tree, "")]
    while pending:
        node, path = pending.pop()
        if isinstance(node, Mapping):
            pending += [(value, _field_path(path, key)) for key, value in node.values.items()]
        elif isinstance(node, Sequence):
            pending += [(item, f"{path}[{index}]") for index, item in enumerate(node.items, 1)]
        elif node.plain and not node.text and _comment_in_value(lines, node.line):
            node.commented_out = True
        elif node.plain:
            hashtag = _hashtag_after(lines, *node.end)
            if hashtag:
                problems.add(node.end[0] + 1, path, hashtag)


def _comment_in_value(lines: list[str], line: int) -> bool:
    """Whether the line's value starts with `#`, which YAML reads as a comment (`what: #fail`)."""
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return bool(re.match(r"\s*(?:(?:-\s+)+|(?:-\s+)*[^\s#'\"][^#'\"]*:\s+)#", source))


def _hashtag_after(lines: list[str], line: int, column: int) -> str | None:
    """Why the text after a value is lost, when it looks like a hashtag YAML took for a comment.

    ` #` ends an unquoted value and starts a comment, so `what: Tweets #fail` keeps only
    "Tweets". Comments meant as comments have a space after `#`; a hashtag does not."""
    source = lines[line] if line < len(lines) else ""
    found = re.match(r"\s+(#[^\s#]\S*)", source[column:])
    if not found:
        return None
    return (f"`{found.group(1)[:30]}` and what follows are read as a comment and left out (put the "
            "whole value in quotes to keep them; for a comment, write a space after #)")


def _field_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_RESERVED_STARTS = {
    "*": "YAML reads `*` at the start of a value as an alias",
    "&": "YAML reads `&` at the start of a value as an anchor",
    "!": "YAML reads `!` at the start of a value as a tag",
    "@": "YAML reserves `@` at the start of a value",
    "`": "YAML reserves ` at the start of a value",
    "%": "YAML reserves `%` at the start of a value",
    ",": "YAML reserves `,` at the start of a value",
}


def _refused_feature(event) -> str | None:
    """Why an event uses a YAML feature authors may not use, or None.

    Authors meet these by accident (a value starting with `*` for Markdown emphasis, or `!`),
    so the message says how to write the value; attackers use them on purpose (tags construct
    objects, aliases multiply nodes), so nothing of them is ever acted on."""
    in_full = "write the value out in full"
    if isinstance(event, yaml.AliasEvent):
        return _refusal(f"`*{event.anchor[:40]}` is a YAML alias; aliases", in_full, "*")
    if getattr(event, "anchor", None):
        return _refusal(f"`&{event.anchor[:40]}` is a YAML anchor; anchors", in_full, "&")
    tag = getattr(event, "tag", None)
    if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
        shown = tag.replace("tag:yaml.org,2002:", "!!")[:80]
        return _refusal(f"`{shown}` is a YAML tag; tags", "write plain values", "!")
    return None


def _refusal(what: str, advice: str, start: str) -> str:
    return (f"{what} are not allowed ({advice}; a value that starts with {start} must be put in "
            "quotes)")


def explain_syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """Turn a parser error into a line number and a sentence a non-programmer understands.

    The parser's own words ("did not find expected key") describe its state, not the author's
    mistake, so each known situation is recognised from the error and the line's text."""
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark
    positions = _Lines(text)
    line = positions.at(mark)[0] + 1 if mark else 1
    column = positions.at(mark)[1] if mark else 0
    lines = text.split("\n")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    start = positions.at(error.context_mark)[0] + 1 if error.context_mark else line
    if "tab" in problem or "\t" in _indentation(source):
        return line, "a tab character is used for indentation (indent with spaces only)"
    if "quoted scalar" in context and ("escape" in problem or "hexdecimal" in problem):
        return line, ("a backslash inside double quotes must start an escape such as \\n "
                      "(write \\\\ for a backslash, or use single quotes instead)")
    if "quoted scalar" in context:
        return start, "a quotation mark opened on this line is never closed (add the closing quote)"
    if "block scalar" in context:
        return line, ("after `|` or `>` nothing may follow on the same line (start the text on "
                      "the next line, indented; or put the whole value in quotes)")
    missing_space = _missing_space_after_colon(lines, start, line)
    if missing_space:
        return missing_space, ("a field name needs a space after its colon "
                               "(write `title: A`, not `title:A`)")
    found = source[column] if mark and column < len(source) else ""
    reserved = _reserved_start(lines, start, line, context, problem, found)
    if reserved:
        number, first = reserved
        return number, (f"{_RESERVED_STARTS[first]} (put the whole value in quotes, "
                        f'such as "{first}..."; quotes are not shown on the page)')
    if "node content" in problem and found in "]}" and found:
        return line, (f"a `{found}` that closes nothing: its `{'[' if found == ']' else '{'}` is "
                      "missing (remove it, or put the whole value in quotes)")
    if "mapping values are not allowed" in problem or "unexpected ':'" in problem:
        return _explain_stray_colon(lines, line)
    if "could not find expected ':'" in problem:
        return start, ("this line is neither `field: value` nor part of the value above "
                       "(add the `:` after the field name, or indent the line like the text above)")
    if "expected '-' indicator" in problem:
        return line, ("the indentation of this line does not match the list item above it "
                      "(the fields of an item start in the column of the first field after its "
                      "`- `; a new item starts with `- `)")
    closer = "}" if "expected ',' or '}'" in problem else "]"
    if "expected ',' or" in problem and found == ":" and line == start and closer in source[column:]:
        # The bracket is closed on the same line: a `: ` inside a value is what YAML stopped at.
        return line, _explain_colon_in_brackets(source, column)
    if "expected ',' or ']'" in problem:
        return start, "a list opened with `[` is never closed (add the `]`)"
    if "expected ',' or '}'" in problem:
        return start, "a mapping opened with `{` is never closed (add the `}`)"
    if ("expected key" in problem or "block end" in problem) and mark:
        if column > len(_indentation(source)):
            return line, _explain_text_after_value(source, column)
        return line, ("the indentation of this line does not match the lines above it "
                      "(fields of the same level start in the same column)")
    if "sequence entries are not allowed" in problem:
        return line, ("a list item (`- `) cannot start on the same line as its field (put each "
                      "item on a line of its own below the field, indented, or write `[A, B]`)")
    return line, ("YAML cannot read this line (check the indentation, the quotes, and that "
                  "each field is written `field: value`)")


def _indentation(source: str) -> str:
    return source[: len(source) - len(source.lstrip(" \t"))]


def _value_start(source: str) -> str:
    """The first character of the value written on a line (`key: VALUE` or `- VALUE`)."""
    rest = source.strip()
    while rest.startswith("- "):
        rest = rest[2:].lstrip()
    key, colon, value = rest.partition(": ")
    if colon and not key.startswith(("'", '"', "[", "{")):
        rest = value.lstrip()
    return rest[:1]


def _missing_space_after_colon(lines: list[str], *numbers: int) -> int | None:
    """The line (of these, or the one above the first) that reads `field:value`, if any."""
    for number in sorted({numbers[0] - 1, *numbers}):
        if 0 < number <= len(lines):
            text = lines[number - 1].strip().removeprefix("- ")
            if re.fullmatch(r"[A-Za-z_][\w-]*:[^\s/].*", text) and ": " not in text:
                return number
    return None


def _reserved_start(lines: list[str], start: int, line: int, context: str, problem: str,
                    found: str) -> tuple[int, str] | None:
    """The line and character, when the error comes from a value starting with a character YAML
    reserves (`*`, `&`, `@`...)."""
    if "anchor" in context or "alias" in context:
        return start, "&" if "anchor" in context else "*"
    if "cannot start any token" in problem and found in _RESERVED_STARTS:
        return line, found
    for number in dict.fromkeys((start, line)):  # the value's line first, then the error's
        first = _value_start(lines[number - 1] if 0 < number <= len(lines) else "")
        if first in _RESERVED_STARTS:
            return number, first
    return None


def _explain_text_after_value(source: str, column: int) -> str:
    """More text on a line after its value ended: most often a quote inside quotes."""
    found = source[column:].strip()[:20]
    first = _value_start(source)
    if first == "'":
        return (f"the value in single quotes ends at the second `'`, before `{found}` (write "
                "an apostrophe inside single quotes as two: `''`, or use double quotes around "
                "the value)")
    if first == '"':
        return (f'the value in double quotes ends at the second `"`, before `{found}` (write '
                'a quotation mark inside double quotes as `\\"`, or use single quotes around '
                "the value)")
    return (f"the value on this line ends before `{found}` (text after a closing bracket: put "
            "the whole value in quotes, or remove the extra text)")


def _explain_stray_colon(lines: list[str], line: int) -> tuple[int, str]:
    """A `: ` where YAML expects none: a value holding `: `, a field indented too far, or a
    missing space after the previous field's colon."""
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    above = next((lines[n - 1] for n in range(line - 1, 0, -1) if lines[n - 1].strip()), "")
    if "=" in above and ":" not in above and len(_indentation(above)) == len(_indentation(source)):
        return line - 1, "a field is written `field: value`, with a colon (not `=`)"
    if source.strip().removeprefix("- ").count(": ") > 1:
        return line, ("the value on this line contains `: ` (put the whole value in quotes, "
                      'such as what: "Note: this")')
    if above and len(_indentation(source)) > len(_indentation(above)):
        return line, ("this line is indented further than the field above it, so YAML reads it "
                      "as part of that value (start fields of the same level in the same column)")
    return line, ("a `: ` inside a value (put a value that contains `: ` in quotes, or check "
                  "the indentation)")


def _explain_colon_in_brackets(source: str, column: int) -> str:
    """A `: ` inside a value written in `{ }` or `[ ]`: the brackets are closed; the colon is
    read as the start of another field."""
    opened = max(source.rfind(",", 0, column), source.rfind("{", 0, column),
                 source.rfind("[", 0, column))
    rest = source[opened + 1:]
    written = re.split(r"[,}\]]", rest, maxsplit=1)[0].strip()
    key, colon, value = written.partition(": ")
    if not colon or not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        key, value = "", written
    example = f'{key}: "{value}"' if key else f'"{value}"'
    return (f"the value `{value[:60]}` contains `: `, which YAML reads as the start of another "
            f"field even inside `{{ }}` or `[ ]` (put that value in quotes: {example[:80]})")
