"""The Atom feed and the sitemap, written only when site.yaml gives a base_url (both formats
need absolute addresses)."""
from __future__ import annotations

import html
from urllib.parse import urlsplit

from casebook.model.catalog import Catalog
from casebook.model.case import Case, CaseSummary
from casebook.render.sourcedate import BadSourceDate, source_date

# Without a date in the case or SOURCE_DATE_EPOCH, a fixed instant keeps builds byte-identical.
FALLBACK_DATE = "2000-01-01T00:00:00Z"


def build_date() -> str:
    try:
        return source_date() or FALLBACK_DATE
    except BadSourceDate:  # a site-only build does not stop for it: the PDFs' date is unused
        return FALLBACK_DATE


def case_updated(case: Case | CaseSummary, default: str) -> str:
    """The case's own date (YYYY, YYYY-MM or YYYY-MM-DD) as an Atom timestamp."""
    if not case.date:
        return default
    parts = (case.date.split("-") + ["01", "01"])[:3]
    return "-".join(parts) + "T00:00:00Z"


def escape(text: str) -> str:
    """Text for XML character data (xml.sax.saxutils.escape, which imports the whole of
    urllib.request with it)."""
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    escaped = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return '"' + escaped.replace('"', "&quot;") + '"'


def text_construct(tag: str, text: str, indent: str = "  ") -> str:
    """An Atom text element as type="html" holding escaped text: every reader then shows the
    author's characters literally, even readers that would wrongly take plain text for HTML."""
    return f'{indent}<{tag} type="html">{escape(html.escape(text, quote=False))}</{tag}>'


def atom_feed(catalog: Catalog) -> str:
    site, base = catalog.site, catalog.site.base_url
    default = build_date()
    entries = [(case, case_updated(case, default)) for case in catalog.cases]
    updated = max((stamp for _, stamp in entries), default=default)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.language)}>',
             text_construct("title", site.title),
             text_construct("subtitle", site.description),
             f"  <id>{escape(base)}</id>",
             f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
             f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
             f"  <updated>{updated}</updated>",
             # The publisher, named by the site's address (a name is plain text, never HTML).
             f"  <author><name>{escape(urlsplit(base).hostname or base)}</name></author>"]
    for case, stamp in entries:
        url = f"{base}cases/{case.slug}.html"
        lines += ["  <entry>",
                  text_construct("title", case.title, "    "),
                  f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                  f"    <id>{escape(url)}</id>",
                  f"    <updated>{stamp}</updated>",
                  text_construct("summary", case.description, "    "),
                  "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(base_url: str, paths: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(base_url + path)}</loc></url>" for path in paths]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
