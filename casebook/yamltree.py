"""Read a YAML file into a tree of text values that remember their line.

Authors' values mean what they wrote: every scalar stays the text it was (`2014` is not an
integer, `no` is not False), so YAML's implicit typing can never change what was written.
Anchors, aliases, tags and duplicate keys are refused: authors don't need them, they hide
mistakes, and aliases make "billion laughs" bombs possible. The tree is built from the parser's
event stream without recursion, so no nesting depth or alias expansion can exhaust memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problems

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1024 * 1024


@dataclass
class Scalar:
    text: str
    line: int
    plain: bool  # written without quotes or block indicators


@dataclass
class Mapping:
    line: int
    keys: dict[str, Scalar] = field(default_factory=dict)
    values: dict[str, "Node"] = field(default_factory=dict)
    # Keys written again, with the line of their first use: the checker reports them with
    # their field path (PyYAML would silently keep the last value).
    repeated: list[tuple[Scalar, int]] = field(default_factory=list)


@dataclass
class Sequence:
    line: int
    items: list["Node"] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def read_tree(path: Path, shown_as: str, problems: Problems) -> Node | None:
    """The file's tree, or None after adding to `problems` why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(1, "", f"the file is {size / 1024 / 1024:.1f} MB, too large "
                                f"(a case file is at most {MAX_FILE_BYTES // 1024 // 1024} MB)")
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.add(1, "", f"cannot read the file ({error.strerror})")
        return None
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
        tree = _build(yaml.parse(text, Loader=_Parser))
    except _Refused as refused:
        problems.add(refused.line, "", refused.message)
        return None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        problems.add(line, "", f"the file contains a control character (#x{error.character:04x}) "
                               "that is not allowed in text (remove it)")
        return None
    except yaml.MarkedYAMLError as error:
        line, message = explain_syntax_error(error)
        problems.add(line, "", message)
        return None
    if tree is None:
        problems.add(1, "", "the file is empty (expected fields such as `title:`)")
    return tree


def _build(events) -> Node | None:
    """Assemble nodes from parser events; refuse what authors must not use."""
    stack: list[Mapping | Sequence] = []
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
        if key is None:
            if not isinstance(node, Scalar):
                raise _Refused(node.line, "a field name must be a single word, not a list or mapping")
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.text in parent.keys:
            parent.repeated.append((key, parent.keys[key.text].line))
            return
        parent.keys[key.text] = key
        parent.values[key.text] = node

    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, f"`*{event.anchor}` is a YAML alias; aliases are not allowed "
                                 "(write the value out in full)")
        if getattr(event, "anchor", None):
            raise _Refused(line, f"`&{event.anchor}` is a YAML anchor; anchors are not allowed "
                                 "(write the value out in full)")
        if getattr(event, "tag", None) is not None and not isinstance(event, yaml.DocumentStartEvent):
            raise _Refused(line, f"`{event.tag}` is a YAML tag; tags are not allowed "
                                 "(write plain values)")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(line, "the file holds more than one YAML document (`---`); "
                                     "write one case per file")
        elif isinstance(event, yaml.ScalarEvent):
            attach(Scalar(event.value, line, plain=not event.style))
        elif isinstance(event, yaml.MappingStartEvent):
            node = Mapping(line)
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, yaml.SequenceStartEvent):
            node = Sequence(line)
            attach(node)
            stack.append(node)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            if isinstance(stack.pop(), Mapping):
                pending_key.pop()
    return root


def explain_syntax_error(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """Turn a parser error into a line number and a sentence a non-programmer understands."""
    problem = error.problem or ""
    context = error.context or ""
    line = error.problem_mark.line + 1 if error.problem_mark else 1
    if "tab" in problem:
        return line, "a tab character is used for indentation (indent with spaces only)"
    if "quoted scalar" in context:
        start = error.context_mark.line + 1
        return start, "a quotation mark opened on this line is never closed (add the closing quote)"
    if "cannot start any token" in problem:
        return line, ("a value starts with a character YAML reserves, such as @ or ` "
                      "(put the whole value in quotes)")
    if "mapping values are not allowed" in problem:
        return line, ("a second `: ` on this line (put a value that contains `: ` in quotes, "
                      "or check the indentation)")
    if "could not find expected ':'" in problem:
        start = error.context_mark.line + 1 if error.context_mark else line
        return start, ("this line is neither `field: value` nor part of the value above "
                       "(add the `:` after the field name, or indent the line like the text above)")
    if "expected '-' indicator" in problem:
        return line, ("this line does not fit the list above it (start the item with `- ` "
                      "at the same indentation, or check the indentation)")
    if "expected key" in problem or "block end" in problem:
        return line, ("the indentation of this line does not match the lines above it "
                      "(fields of the same level start in the same column)")
    if "expected ',' or ']'" in problem:
        start = error.context_mark.line + 1 if error.context_mark else line
        return start, "a list opened with `[` is never closed (add the `]`)"
    if "expected ',' or '}'" in problem:
        start = error.context_mark.line + 1 if error.context_mark else line
        return start, "a mapping opened with `{` is never closed (add the `}`)"
    return line, f"this is not valid YAML: {problem} (check the indentation and quotes)"
