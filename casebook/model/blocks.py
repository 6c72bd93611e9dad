"""A Markdown field as blocks of styled runs, for outputs that are not HTML (slides, word
processors): paragraphs and list items, each a run of plain, bold, italic, code or linked text.

Made from the field's safe HTML (model/text.py), which only Python-Markdown wrote: links are
already http, https or mailto, images already their alt text, an author's tags already text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser

from casebook.model.case import Rich

PARAGRAPH, BULLET, NUMBERED = "paragraph", "bullet", "numbered"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Block:
    kind: str                 # PARAGRAPH, BULLET or NUMBERED (a list item)
    runs: tuple[Run, ...]
    level: int = 0            # list nesting, from 0
    number: int = 0           # NUMBERED: its number in its list, from 1

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def blocks(rich: Rich | None) -> tuple[Block, ...]:
    """The field's paragraphs and list items in reading order (headings and quotes become
    paragraphs, a heading in bold); () for no field."""
    if rich is None:
        return ()
    return _blocks(str(rich.html))


def plain_text(rich: Rich | None) -> str:
    """The field's text, its blocks one to a line (list items with a bullet or number)."""
    lines = []
    for block in blocks(rich):
        mark = {BULLET: "• ", NUMBERED: f"{block.number}. "}.get(block.kind, "")
        lines.append("  " * block.level + mark + block.text)
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def _blocks(html: str) -> tuple[Block, ...]:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser.end_block()
    return tuple(parser.found)


_BOLD, _ITALIC, _CODE = {"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6"}, {"em", "i"}, {"code"}
_BREAKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "hr"}


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Block] = []
        self.lists: list[list] = []        # [kind, next number] per open list
        self.styles: list[str] = []
        self.hrefs: list[str | None] = []
        self.runs: list[Run] = []
        self.item: tuple[str, int, int] | None = None   # the open list item's kind, level, number

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.end_block()
            self.lists.append([BULLET if tag == "ul" else NUMBERED, 1])
        elif tag == "li":
            self.end_block()
            kind, number = self.lists[-1] if self.lists else (BULLET, 1)
            if self.lists:
                self.lists[-1][1] += 1
            self.item = (kind, len(self.lists) - 1 if self.lists else 0, number)
        elif tag in _BREAKS:
            self.end_block()
        elif tag == "br":
            self.handle_data("\n", br=True)
        if tag in _BOLD | _ITALIC | _CODE:
            self.styles.append(tag)
        elif tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.end_block()
            if self.lists:
                self.lists.pop()
            self.item = None
        elif tag in _BREAKS:
            self.end_block()
        if tag in _BOLD | _ITALIC | _CODE and tag in self.styles:
            self.styles.reverse()
            self.styles.remove(tag)
            self.styles.reverse()
        elif tag == "a" and self.hrefs:
            self.hrefs.pop()

    def handle_data(self, data, br=False):
        text = data if br else re.sub(r"\s+", " ", data)
        styles = set(self.styles)
        self.runs.append(Run(text, bold=bool(styles & _BOLD), italic=bool(styles & _ITALIC),
                             code=bool(styles & _CODE),
                             href=self.hrefs[-1] if self.hrefs else None))

    def end_block(self):
        runs = _tidy(self.runs)
        self.runs = []
        if not runs:
            return
        if self.item is not None:
            kind, level, number = self.item
            self.found.append(Block(kind, runs, level, number if kind == NUMBERED else 0))
            # A second paragraph of the same item continues it as a plain paragraph.
            self.item = (PARAGRAPH, level, 0) if kind != PARAGRAPH else self.item
        else:
            self.found.append(Block(PARAGRAPH, runs))


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """Spaces collapsed across runs, none at the ends or around a line break; neighbours of
    one style merged."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        if not out or out[-1].text.endswith((" ", "\n")):
            text = text.lstrip(" ")
        if text.startswith("\n") and out:
            out[-1] = replace(out[-1], text=out[-1].text.rstrip(" "))
        if not text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].href) == (
                run.bold, run.italic, run.code, run.href):
            text = out.pop().text + text
        out.append(replace(run, text=text))
    while out and not out[-1].text.rstrip():
        out.pop()
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(out)
