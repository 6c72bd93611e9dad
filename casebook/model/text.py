"""Markdown fields to safe HTML: raw HTML is shown as text, links keep only http(s) and mailto,
images show their alt text. Plain text and the simplest Markdown skip Python-Markdown."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import markdown
from markdown import util
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = ("http", "https", "mailto")

# Text with none of these can only ever become paragraphs, so it skips the Markdown parser.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>&#|~]|^\s*([-+>=]|\d+[.)])|^ {4}|^\t| {2}$", re.M)


class _SafeElements(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and not _is_safe_link(element.get("href", "")):
                element.tag = "span"
                element.attrib.clear()
            elif element.tag == "img":
                alt = element.get("alt", "")
                element.tag = "span"
                element.attrib.clear()
                element.text = alt
            elif element.tag == "a":
                # A link an author adds points away from the casebook: never let it act on us.
                element.set("rel", "nofollow noopener noreferrer")


def _is_safe_link(href: str) -> bool:
    href = html.unescape(href.replace(util.AMP_SUBSTITUTE, "&"))
    href = "".join(ch for ch in href if ch.isprintable() and not ch.isspace())
    try:
        return urlsplit(href).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


class MarkdownRenderer:
    """One reusable Markdown instance (building one per field is most of the cost)."""

    def __init__(self):
        self._md = markdown.Markdown(output_format="html")
        # Raw HTML is not recognised at all, so the serializer escapes it as text.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_SafeElements(self._md), "casebook-safe", 5)

    def render(self, source: str) -> Markup:
        if not _MARKUP_CHARS.search(source):
            return Markup(plain_paragraphs(source))
        fast = simple_markdown(source)
        if fast is not None:
            return Markup(fast)
        return Markup(self._md.reset().convert(source))


def plain_paragraphs(source: str) -> str:
    """What Markdown makes of text without markup: paragraphs split at blank lines."""
    paragraphs = re.split(r"\n\s*\n", source.strip())
    return "\n".join(
        "<p>" + html.escape("\n".join(line.strip() for line in p.splitlines()), quote=False) + "</p>"
        for p in paragraphs if p.strip()
    )


# ---- The fast path: an exact renderer for the common subset --------------------------------
#
# Most fragments with markup use only `*em*`, `**strong**` and `[text](https://...)` links inside
# plain paragraphs, tight `- ` lists and `> ` quotes. `simple_markdown` renders exactly those,
# byte for byte as the Markdown instance above does, and returns None for anything else, which
# then goes to Python-Markdown.
# It only has to be right about what it accepts, so it accepts little: tests/test_text.py
# checks it against Python-Markdown with Hypothesis and on every fragment of real corpora.

# Blocks: a line that starts otherwise than with a letter, digit, `[`, `(`, a quote or a `*`
# that opens emphasis might open something other than a paragraph: a heading, quote, list,
# rule, setext underline or numbered list (`[id]: url` definitions fail the link pattern).
_LINE_STARTS_BLOCK = re.compile(r"[^\w\[(\"'*]|_|\*\s|\*\*?$|\d+[.)]")
# Whitespace other than spaces and newlines (tabs, form feeds, non-breaking spaces, line
# separators), control characters, and Python-Markdown's own placeholder markers (STX, ETX):
# Markdown normalizes, strips or splits at some of them; not worth getting right here.
_ODD_CHARS = re.compile(r"[^\S \n]|[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Inline: backslash escapes, code spans, images, entity references (`&amp;` stays as written,
# and Markdown's ignore-case test also keeps `&K;` with a Kelvin sign, hence \w), and a < that
# a > closes, unless a space follows it (autolinks start with a letter, mail links with no
# space; inline HTML is not recognised at all, so a lone < or > is only escaped).
_INLINE_REFUSED = re.compile(r"[\\`]|!\[|&#?\w*;|<[^ <>][^<>]*>")

# Underscores only in URLs (Markdown turns links into elements before it looks for emphasis):
# elsewhere their intraword rules are not worth copying.
_PLAIN = r"[^*_\[\]\\`\n]"          # text inside a span: no markup, no line break
_SPAN_TEXT = rf"(?=\S){_PLAIN}+(?<=\S)"  # no space at either end, so a `*` can pair
_URL = r"https?://[A-Za-z0-9\-._~:/?#@+,;=%&]+"  # no spaces, quotes, brackets or parentheses
_INLINE_TOKEN = re.compile(
    r"(?P<text>[^*_\[\]\\`]+)"
    rf"|\*\*(?P<strong>{_SPAN_TEXT})\*\*(?!\*)"
    rf"|\*(?P<em>{_SPAN_TEXT})\*(?!\*)"
    rf"|\[(?P<link>{_SPAN_TEXT})\]\((?P<href>{_URL})\)"
)
_LINK_REL = "nofollow noopener noreferrer"  # as _SafeElements sets it


def simple_markdown(source: str) -> str | None:
    """What Python-Markdown makes of `source`, if it is in the simple subset; else None."""
    if _ODD_CHARS.search(source) or _INLINE_REFUSED.search(source):
        return None
    blocks = _simple_blocks(source)
    if blocks is None:
        return None
    rendered = []
    for kind, lines in blocks:
        if kind == "ul":
            items = [_simple_inline(line) for line in lines]
            if None in items:
                return None
            rendered.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>")
            continue
        inline = _simple_inline("\n".join(lines))
        if inline is None:
            return None
        rendered.append(f"<blockquote>\n<p>{inline}</p>\n</blockquote>" if kind == "quote"
                        else f"<p>{inline}</p>")
    return "\n".join(rendered)


# Besides paragraphs, two blocks: a tight list of `- item` lines, and a quote of `> text` lines,
# each between blank lines, holding text that is certain to be paragraph text. Two lists (or
# two quotes) with only blank lines between are one loose list (one quote): declined.
_BLOCK_MARKERS = {"- ": "ul", "> ": "quote"}


def _simple_blocks(source: str) -> list[tuple[str, list[str]]] | None:
    """The blocks between blank lines, each a kind ("p", "ul", "quote") and its lines' text,
    if every line is certain to be what its block makes of it."""
    blocks: list[tuple[str, list[str]]] = []
    kind, lines = None, []
    for line in source.split("\n") + [""]:
        if not line:
            if lines:
                if blocks and kind != "p" and blocks[-1][0] == kind:
                    return None
                blocks.append((kind, lines))
            kind, lines = None, []
            continue
        line_kind = _BLOCK_MARKERS.get(line[:2], "p")
        if line_kind != "p":
            line = line[2:]
            if not line:
                return None
        if kind not in (None, line_kind):
            return None  # a block of mixed lines: lazy continuations, lists in paragraphs...
        if line[0] == " " or line[-1] == " " or _LINE_STARTS_BLOCK.match(line):
            return None  # indented, a line break, or maybe not a paragraph
        kind = line_kind
        lines.append(line)
    return blocks


def _simple_inline(text: str) -> str | None:
    """A paragraph's HTML, if it is plain text, `*em*`, `**strong**` and links, not nested."""
    out, pos = [], 0
    while pos < len(text):
        token = _INLINE_TOKEN.match(text, pos)
        if token is None:
            return None
        kind = token.lastgroup
        if kind == "text":
            out.append(_escape(token["text"]))
        elif kind == "href":  # the link's own group is matched before its href
            out.append(f'<a href="{_escape(token["href"])}" rel="{_LINK_REL}">'
                       f'{_escape(token["link"])}</a>')
        else:
            out.append(f"<{kind}>{_escape(token[kind])}</{kind}>")
        pos = token.end()
    return "".join(out)


def _escape(text: str) -> str:
    """As Python-Markdown's serializer escapes text and attributes here: entity references are
    refused above, and the URL pattern allows no quotes, so only &, < and > are left."""
    return html.escape(text, quote=False)


# ---- Bounded work ---------------------------------------------------------------------------
#
# Python-Markdown's inline patterns scan forward from each character that may open markup (a
# `[` looks for its `]`, a backtick for the next, a `*` for its closing one...), to the end of
# the paragraph when nothing closes them; lists and quotes nest by recursion. So the work for
# one paragraph grows with (characters that may open markup) x (its length), and the stack with
# how deeply its blocks nest. `markup_work` and `nesting_depth` measure both before anything is
# rendered, so the checker can refuse a field whose rendering would take too long; measured on
# this machine, one unit of work takes at most about 0.3 microseconds, whatever the pattern.

# The characters that start one of Python-Markdown's inline patterns.
_OPENERS = re.compile(r"[\\`\[!<&*_]")
# Markdown ends a paragraph only at a line holding nothing but spaces or tabs; any other split
# (at other whitespace, say) would undercount the work, so only those lines divide the text.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A line's leading list items and quotes (`- - 1. > x`): each is a level of nesting.
_NESTED_MARKERS = re.compile(r"(?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?=[ \t]|$))+")


def markup_work(source: str) -> int:
    """An upper bound on the inline work of rendering `source`, in characters scanned: for each
    paragraph (text between blank lines) its characters that may open markup times its
    length."""
    return sum(len(_OPENERS.findall(part)) * len(part) for part in _BLANK_LINE.split(source))


def nesting_depth(source: str) -> tuple[int, int]:
    """How deeply lists, quotes and indented blocks nest at most, and the line (counted from 0)
    where they nest deepest."""
    deepest, where = 0, 0
    for number, line in enumerate(source.split("\n")):
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        markers = _NESTED_MARKERS.match(expanded)
        depth = indent // 4 + (len(re.findall(r"[-*+>]|\d{1,9}[.)]", markers.group()))
                               if markers else 0)
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


class DeferredRich:
    """A Markdown field made into HTML only when its HTML is first read, for fields most
    outputs never show: facilitator notes appear in the facilitator handbook alone, so a site
    build never pays for them. Reads like `model.Rich` (source, html)."""

    def __init__(self, source: str):
        self.source = source
        self._html: Markup | None = None

    @property
    def html(self) -> Markup:
        if self._html is None:
            self._html = _shared_renderer().render(self.source)
        return self._html

    def rendered(self, html: Markup) -> None:
        """Its HTML, rendered already (by a reader that reports failures)."""
        self._html = html

    def __eq__(self, other) -> bool:
        return isinstance(other, DeferredRich) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"DeferredRich({self.source!r})"


_renderer: MarkdownRenderer | None = None


def _shared_renderer() -> MarkdownRenderer:
    global _renderer
    if _renderer is None:
        _renderer = MarkdownRenderer()
    return _renderer
