"""The full-text search index, cut into small script files that the index page loads as the
reader types (under `assets/search/`):

- `docs.js`: one short record per published case, in reading order (slug, title, organization,
  the facet values it carries), the facet values, and the list of term shards that exist;
- `t/<key>.js`: a shard of the inverted index, every term that starts with the same two
  characters (`key`; a one-character term has a shard of its own), each with the cases that
  hold it and where (title, facts, text);
- `c/<slug>.js`: a case's text, loaded only for the results shown, to cut their excerpts from.

So the first search loads the records, the shard of each word typed and the text of the
results on screen, not every case's whole text. Scripts (not JSON fetched at run time) because
browsers refuse fetch() from file://, and the site must search offline straight from disk.
Plain text only: the page builds excerpts with textContent, never HTML, so nothing in a case
can become markup there.

Terms are folded as site.js folds what is typed (lower case, accents dropped, character by
character; see `fold`) and split at anything that is not a letter or a digit, so a word
typed finds the words that start with it, as before the index was split.
"""
from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from casebook.model.catalog import AnyCase, Catalog, case_facet_values

# Where a term occurs in a case, as bits of its posting (doc * 8 + bits).
TITLE, META, TEXT = 1, 2, 4
SHARD_PREFIX = 2    # characters of a term that name its shard
WORD = re.compile(r"[^\W_]+")   # letters and digits: JavaScript's [\p{L}\p{N}]+


def fold(text: str) -> str:
    """Lower case without accents, one character for one, as site.js's `fold` does to a
    UTF-16 unit: characters outside the Basic Multilingual Plane are kept as they are."""
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if ord(c) > 0xFFFF:
        return c
    return unicodedata.normalize("NFD", c)[0].lower()[0]


@lru_cache(maxsize=65536)
def _terms_of_word(word: str) -> tuple[str, ...]:
    return tuple(WORD.findall(fold(word)))


def terms(text: str) -> set[str]:
    """The distinct folded terms of `text`."""
    words = set(WORD.findall(text))
    return set().union(*map(_terms_of_word, words)) if words else set()


def shard_key(term: str) -> str:
    return term[:SHARD_PREFIX]


def shard_name(key: str) -> str:
    """A shard's file name: the key itself when it is ASCII letters and digits, else `x` and
    the code points in hex (`x43f-440`), so every name is safe on any disk."""
    if re.fullmatch(r"[a-z0-9]+", key):
        return key
    return "x" + "-".join(f"{ord(c):x}" for c in key)


def case_meta(case: AnyCase) -> str:
    return " ".join([case.organization, case.industry or "", case.location or "",
                     " ".join(case.channels), " ".join(case.tags)]).strip()


@dataclass(frozen=True)
class CaseTerms:
    """A case's distinct terms and where each occurs (TITLE | META | TEXT, one digit each):
    what the index needs of a case, worked out once when the case is read and kept in the
    build cache, so a build after one edit does not read every case's text again."""

    terms: str    # sorted, separated by spaces (one string: quick to cache and read back)
    bits: str     # a digit 1-7 per term


def case_terms(case: AnyCase) -> CaseTerms:
    title, meta, text = terms(case.title), terms(case_meta(case)), terms(case.search_text)
    every = sorted(title | meta | text)
    return CaseTerms(" ".join(every), "".join(
        str((TITLE if t in title else 0) | (META if t in meta else 0) | (TEXT if t in text else 0))
        for t in every))


@dataclass(frozen=True)
class SearchIndex:
    docs: list[list]                         # [slug, title, organization, [facet indices]]
    facets: list[str]                        # "theme:speed": what a facet index means
    postings: dict[str, array]               # term -> doc * 8 + bits, in case order, sorted by term
    texts: dict[str, str]                    # slug -> the case's text

    def shards(self) -> Iterator[tuple[str, dict[str, list[int]]]]:
        """Each shard's key and terms, the postings as deltas, one shard at a time."""
        key, shard = None, {}
        for term, values in self.postings.items():
            if shard_key(term) != key:
                if shard:
                    yield key, shard
                key, shard = shard_key(term), {}
            shard[term] = [b - a for a, b in zip([0, *values], values)]
        if shard:
            yield key, shard


def build_search_index(catalog: Catalog,
                       terms_of: Callable[[AnyCase], CaseTerms] = case_terms) -> SearchIndex:
    """The index of the catalog's cases; `terms_of`: a case's terms (worked out already, say).
    Postings are arrays of 4-byte numbers, so the index's memory stays small with many cases."""
    facets = [f"{facet.name}:{option.key}" for facet in catalog.facets for option in facet.options]
    position = {name: i for i, name in enumerate(facets)}
    docs = []
    postings: dict[str, array] = {}
    for number, case in enumerate(catalog.cases):
        values = case_facet_values(case)
        docs.append([case.slug, case.title, case.organization,
                     sorted(position[f"{name}:{key}"] for name, keys in values.items()
                            for key in keys if f"{name}:{key}" in position)])
        found = terms_of(case)
        base = number * 8
        for term, bits in zip(found.terms.split(" "), found.bits):
            if term not in postings:
                postings[term] = array("I")
            postings[term].append(base + int(bits))
    return SearchIndex(docs, facets, {term: postings[term] for term in sorted(postings)},
                       {case.slug: case.search_text for case in catalog.cases})


def _script(kind: str, key: str, data) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" inside a string would still be harmless in a .js file, but keep it inert anyway.
    text = text.replace("</", "<\\/")
    return f"casebookSearchLoaded({json.dumps(kind)},{json.dumps(key, ensure_ascii=False)},{text});\n"


def search_files(catalog: Catalog, terms_of: Callable[[AnyCase], CaseTerms] = case_terms
                 ) -> Iterator[tuple[str, str]]:
    """Every file of the index, as its path under `assets/search/` and its text, in a fixed
    order, made one at a time."""
    index = build_search_index(catalog, terms_of)
    keys = [shard_key(term) for term in index.postings]
    yield "docs.js", _script("docs", "", {"docs": index.docs, "facets": index.facets,
                                          "shards": list(dict.fromkeys(keys))})
    for key, shard in index.shards():
        yield f"t/{shard_name(key)}.js", _script("shard", key, shard)
    for slug, text in index.texts.items():
        yield f"c/{slug}.js", _script("text", slug, text)
