"""Markdown fields to safe HTML: raw HTML is shown as text, links keep only http(s) and mailto,
images show their alt text."""
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
        return Markup(self._md.reset().convert(source))


def plain_paragraphs(source: str) -> str:
    """What Markdown makes of text without markup: paragraphs split at blank lines."""
    paragraphs = re.split(r"\n\s*\n", source.strip())
    return "\n".join(
        "<p>" + html.escape("\n".join(line.strip() for line in p.splitlines()), quote=False) + "</p>"
        for p in paragraphs if p.strip()
    )


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
