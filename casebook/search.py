"""The full-text search index: one small script file the index page loads when someone starts
to search.

A script (not JSON fetched at run time) because browsers refuse fetch() from file://, and the
site must search offline straight from disk. Plain text only: the page builds excerpts with
textContent, never HTML, so nothing in a case can become markup there.
"""
from __future__ import annotations

import json
import re

from markupsafe import Markup

from .catalog import Catalog
from .model import Case, Rich


def plain(rich: Rich | None) -> str:
    if rich is None:
        return ""
    return " ".join(Markup(rich.html).striptags().split())


def case_text(case: Case) -> str:
    """What a reader may search for, in reading order (facilitator notes never included)."""
    parts = [plain(case.summary)]
    parts += [f"{event.who.name}: {plain(event.what)}" for event in case.timeline]
    parts += [" ".join(filter(None, [t.lesson + ".", plain(t.detail)])) for t in case.takeaways]
    parts += case.objectives + case.discussion
    parts += [f"{p.name}{': ' + p.note if p.note else ''}" for p in case.people.values()]
    return " ".join(part for part in parts if part)


def search_entries(catalog: Catalog) -> list[dict]:
    return [{"slug": case.slug,
             "title": case.title,
             "meta": " ".join([case.organization, case.industry or "", case.location or "",
                               " ".join(case.channels), " ".join(case.tags)]).strip(),
             "text": case_text(case)}
            for case in catalog.cases]


def search_script(catalog: Catalog) -> str:
    data = json.dumps(search_entries(catalog), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    # "</" inside a string would still be harmless in a .js file, but keep it inert anyway.
    data = re.sub(r"</", r"<\\/", data)
    return f"window.casebookSearchIndex = {data};\n"
