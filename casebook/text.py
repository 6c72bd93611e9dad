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
