"""Notes: what `check` points out that is not wrong, so never stops a build.

A case's own notes (Markdown markers in a plain-text field) are found while it is read and
kept with it; notes across the casebook (one channel or tag spelled two ways, which the site
shows as two filters) are found here from every case's summary."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from casebook.model.case import CaseSummary, Site
from casebook.model.language import catalog_language, shipped_languages
from casebook.reading.problems import Problem, note


def case_notes(file: str, case: CaseSummary) -> list[Problem]:
    return [note(file, hint.line, hint.path, hint.message) for hint in case.hints]


def casebook_notes(cases: list[tuple[str, CaseSummary]]) -> list[Problem]:
    """Each case's notes, then a note at each channel or tag that another case spells
    differently (in capitals, spaces or hyphens only), naming the spelling most cases use."""
    found = [n for file, case in cases for n in case_notes(file, case)]
    for field, what in (("channels", "channel"), ("tags", "tag")):
        spellings: dict[str, Counter] = defaultdict(Counter)
        for _, case in cases:
            for name in dict.fromkeys(getattr(case, field)):
                spellings[_same(name)][name] += 1
        for file, case in cases:
            for name in getattr(case, field):
                counts = spellings[_same(name)]
                usual = min(counts, key=lambda spelling: (  # the most used; tidy spaces first
                    -counts[spelling], spelling != " ".join(spelling.split()), spelling))
                if len(counts) < 2 or name == usual:
                    continue
                others = counts[usual]
                found.append(note(file, case.lines.get(field, 1), field,
                                  f"the {what} `{name}` is written `{usual}` in {others} "
                                  f"other case{'s' * (others != 1)}; the site lists each "
                                  f"spelling as a {what} of its own (write it the same way in "
                                  "every case)"))
    return sorted(found)


def _same(name: str) -> str:
    """A name as compared across cases: case, spaces and hyphens aside."""
    return re.sub(r"[\s_-]+", "", name.casefold())


def site_notes(file: str, site: Site | None, text: str) -> list[Problem]:
    """A note at `language:` when Casebook has no catalog for it: the site is built, with
    its interface in English (`lang` still says the language, for the case content)."""
    if site is None or catalog_language(site.language) is not None:
        return []
    line = next((number for number, written in enumerate(text.splitlines(), 1)
                 if written.startswith("language:")), 1)
    return [note(file, line, "language",
                 f"Casebook has no catalog for `{site.language}`, so the interface (headings, "
                 "labels, dates) is in English; the languages with one are "
                 + ", ".join(shipped_languages()))]
