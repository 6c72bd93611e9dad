"""The index and listings in pages (model/paging.py) and the search index in shards
(web/search.py): the pure parts, then the 200-case site read as a reader without JavaScript
would follow it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casebook.model.catalog import case_facet_values
from casebook.model.paging import PAGE_SIZE, page_path, paginate
from casebook.web.search import (META, TEXT, TITLE, build_search_index, case_terms, fold,
                                 search_files,
                                 shard_key, shard_name, terms)
from sitecheck import read_page


# ---- Pages ----

def test_pages_cut_a_list_in_order_with_links_both_ways():
    pages = paginate(list(range(1, 8)), "tags/delay.html", size=3)
    assert [p.items for p in pages] == [[1, 2, 3], [4, 5, 6], [7]]
    assert [p.path for p in pages] == ["tags/delay.html", "tags/delay.page-2.html",
                                       "tags/delay.page-3.html"]
    assert [(p.previous, p.next) for p in pages] == [
        (None, "tags/delay.page-2.html"),
        ("tags/delay.html", "tags/delay.page-3.html"),
        ("tags/delay.page-2.html", None)]
    assert [(p.first, p.last, p.total, p.count) for p in pages] == [(1, 3, 7, 3), (4, 6, 7, 3),
                                                                      (7, 7, 7, 3)]
    assert [[link.current for link in p.links] for p in pages] == [
        [True, False, False], [False, True, False], [False, False, True]]
    assert all(p.paginated for p in pages)


def test_a_short_list_is_one_page_at_its_own_address():
    (only,) = paginate(list(range(PAGE_SIZE)), "index.html")
    assert only.path == "index.html" and not only.paginated
    assert only.previous is None and only.next is None and len(only.items) == PAGE_SIZE
    (empty,) = paginate([], "index.html")
    assert empty.items == [] and (empty.first, empty.last) == (0, 0)
    assert len(paginate(list(range(PAGE_SIZE + 1)), "index.html")) == 2


def test_a_page_address_never_is_another_list_s():
    # Keys (tags, themes, channels, outcomes) hold no dot, so `.page-N` is never a key's page.
    assert page_path("index.html", 1) == "index.html"
    assert page_path("index.html", 12) == "index.page-12.html"
    assert page_path("tags/x-page-2.html", 2) == "tags/x-page-2.page-2.html"
    with pytest.raises(ValueError):
        paginate([1], "index.html", size=0)


# ---- Search shards ----

def test_terms_are_folded_as_the_page_folds_what_is_typed():
    assert terms("Crème brûlée, e-mail & ÉTÉ 2014!") == {"creme", "brulee", "e", "mail", "ete", "2014"}
    assert terms("Николай_ok") == {"николаи", "ok"}     # й is и with a breve; _ splits
    assert fold("İstanbul") == "istanbul"
    assert fold("a😀b") == "a😀b"                           # outside the BMP: kept as it is


def test_shard_names_are_safe_file_names():
    assert shard_key("escalation") == "es" and shard_key("a") == "a"
    assert shard_name("es") == "es" and shard_name("2") == "2"
    assert shard_name("ни") == "x43d-438"
    assert shard_name("é") != shard_name("e")


def decode(postings: list[int]) -> dict[int, int]:
    value, found = 0, {}
    for delta in postings:
        value += delta
        found[value >> 3] = value & 7
    return found


def test_every_term_of_every_case_is_in_its_shard_with_where_it_occurs(shipped_site):
    catalog = shipped_site.catalog
    index = build_search_index(catalog)
    shards = dict(index.shards())
    assert [doc[0] for doc in index.docs] == [case.slug for case in catalog.cases]
    twc = [case.slug for case in catalog.cases].index("twc-patrick-stewart-cable-wait")
    assert decode(shards["tr"]["trek"])[twc] == TEXT                # deep in its timeline
    assert decode(shards["in"]["installation"])[twc] & TITLE
    assert decode(shards["wa"]["warner"])[twc] & META              # the organization
    for number, case in enumerate(catalog.cases):
        for term in terms(case.search_text):
            assert decode(shards[shard_key(term)][term])[number] & TEXT
        for term in terms(case.organization):
            assert decode(shards[shard_key(term)][term])[number] & META
        # the case's facet values, for the filters of an index in pages
        facets = {index.facets[i] for i in index.docs[number][3]}
        assert facets == {f"{name}:{key}" for name, keys in case_facet_values(case).items()
                          for key in keys}
    # every term is in exactly one shard, the one its first two characters name
    for key, shard in shards.items():
        assert all(shard_key(term) == key for term in shard)


def test_search_files_are_scripts_of_plain_data(shipped_site):
    files = dict(search_files(shipped_site.catalog))
    assert set(files) == ({"docs.js"} | {f"t/{shard_name(k)}.js" for k, _ in
                                         build_search_index(shipped_site.catalog).shards()}
                          | {f"c/{c.slug}.js" for c in shipped_site.catalog.cases})
    for name, text in files.items():
        call = re.fullmatch(r'casebookSearchLoaded\("(docs|shard|text)",(".*?"),(.*)\);\n', text, re.S)
        assert call, name
        json.loads(call.group(3))
        assert "</" not in text
    assert "Star Trek" in files["c/twc-patrick-stewart-cable-wait.js"]
    on_disk = shipped_site.path / "assets" / "search"
    assert {p.relative_to(on_disk).as_posix() for p in on_disk.rglob("*.js")} == set(files)
    assert not (shipped_site.path / "assets" / "search-index.js").exists()


def test_the_search_index_is_the_same_bytes_for_the_same_cases(shipped_site):
    assert list(search_files(shipped_site.catalog)) == list(search_files(shipped_site.catalog))


# ---- The 200-case site without JavaScript ----

def follow(site: Path, first: str) -> list[str]:
    """The pages of a list, from its first page, following rel=next as a crawler would."""
    folder = Path(first).parent
    seen, path = [], first
    while path:
        seen.append(path)
        page = read_page(site / path)
        following = page.link_rels.get("next")
        path = (folder / following).as_posix() if following else None
        assert len(seen) < 100
    return seen


def cards_on(site: Path, path: str) -> list[str]:
    text = (site / path).read_text(encoding="utf-8")
    return re.findall(r'<h3 class="card-title"><a href="(?:\.\./)?cases/([^"]+)\.html"', text)


def test_every_case_is_reachable_from_the_index_by_its_pages(corpus_site):
    site, catalog = corpus_site.path, corpus_site.catalog
    pages = follow(site, "index.html")
    assert len(pages) == -(-200 // PAGE_SIZE) > 1
    assert [slug for path in pages for slug in cards_on(site, path)] == [c.slug for c in catalog.cases]
    assert all(len(cards_on(site, path)) <= PAGE_SIZE for path in pages)
    second = read_page(site / pages[1])
    assert second.link_rels["prev"] == "index.html"
    assert "index.html" in second.links and pages[-1] in second.links     # the page numbers
    assert read_page(site / "index.html").link_rels.get("prev") is None
    assert 'aria-current="page">2<' in (site / pages[1]).read_text(encoding="utf-8")


def test_every_filter_link_opens_pages_listing_exactly_its_cases(corpus_site):
    site, catalog = corpus_site.path, corpus_site.catalog
    index = read_page(site / "index.html")
    paged = 0
    for facet in catalog.facets:
        for option in facet.options:
            assert option.href in index.links
            pages = follow(site, option.href)
            paged += len(pages) > 1
            listed = [slug for path in pages for slug in cards_on(site, path)]
            assert listed == [c.slug for c in catalog.cases
                              if option.key in case_facet_values(c)[facet.name]], option.href
    assert paged      # some listings of 200 cases run over a page


def test_terms_kept_in_the_cache_give_the_same_index(shipped_site):
    catalog = shipped_site.catalog
    known = {case.slug: case_terms(case) for case in catalog.cases}
    assert list(search_files(catalog, lambda case: known[case.slug])) == list(search_files(catalog))
    twc = known["twc-patrick-stewart-cable-wait"]
    where = dict(zip(twc.terms.split(" "), twc.bits))
    assert where["trek"] == str(TEXT) and int(where["installation"]) & TITLE
