"""The full-text search index: one small script file the index page loads when someone starts
to search.

A script (not JSON fetched at run time) because browsers refuse fetch() from file://, and the
site must search offline straight from disk. Plain text only: the page builds excerpts with
textContent, never HTML, so nothing in a case can become markup there.
"""
from __future__ import annotations

import json
import re

from casebook.model.catalog import Catalog


def search_entries(catalog: Catalog) -> list[dict]:
    return [{"slug": case.slug,
             "title": case.title,
             "meta": " ".join([case.organization, case.industry or "", case.location or "",
                               " ".join(case.channels), " ".join(case.tags)]).strip(),
             "text": case.search_text}
            for case in catalog.cases]


def search_script(catalog: Catalog) -> str:
    data = json.dumps(search_entries(catalog), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    # "</" inside a string would still be harmless in a .js file, but keep it inert anyway.
    data = re.sub(r"</", r"<\\/", data)
    return f"window.casebookSearchIndex = {data};\n"
