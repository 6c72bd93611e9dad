"""An index of 200 cases in pages, in a real browser at a phone's width: the search index in
shards finds a word from deep in a case's text from file://, the pages and the filters lead to
every case without JavaScript, and the new pages and the results pass axe in both schemes."""
from __future__ import annotations

import re

import pytest

from casebook.model.catalog import case_facet_values
from casebook.model.paging import PAGE_SIZE
from casebook.web.search import case_meta, terms

from .test_pages import axe_violations, open_site, results

PHONE = {"width": 390, "height": 844}


def deep_word(case) -> str:
    """A word from the end of the case's text: far from its title and summary."""
    return [w for w in re.findall(r"[^\W\d_]{6,}", case.search_text)][-1]


def matching(catalog, word: str) -> list[str]:
    """The cases a search for `word` finds: a term of theirs starts with it."""
    (folded,) = terms(word)
    return [c.slug for c in catalog.cases
            if any(t.startswith(folded) for t in terms(f"{c.title} {case_meta(c)} {c.search_text}"))]


def test_search_finds_a_case_by_a_word_deep_in_its_text_from_file(browser, corpus_site):
    catalog = corpus_site.catalog
    last = catalog.cases[-1]                  # on the index's last page, not on the first
    word = deep_word(last)
    expected = matching(catalog, word)
    assert last.slug in expected
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    open_site(page, corpus_site)
    assert page.url.startswith("file://")
    page.get_by_label("Search the cases").fill(word)
    page.wait_for_function(f"document.getElementById('status').textContent === "
                           f"'Showing {len(expected)} of 200 cases.'")
    shown = results(page)
    while len(shown) < len(expected):
        page.get_by_role("button", name="Show more results").click()
        page.wait_for_function(f"document.querySelectorAll('#results > li').length > {len(shown)}")
        shown = results(page)
    assert sorted(shown) == sorted(expected)
    item = page.locator(f"#results > li[data-slug='{last.slug}']")
    item.locator(".excerpt mark").first.wait_for()
    assert item.locator(".excerpt mark").first.text_content().lower() == word.lower()
    # excerpts are text: no element in them but the marks the page makes
    assert page.evaluate("[...document.querySelectorAll('#results .excerpt *')]"
                         ".every(e => e.tagName === 'MARK')")
    # only the records, the word's shard and the texts of the results on screen were loaded
    search = [u.split("/assets/search/")[1] for u in loaded if "/assets/search/" in u]
    assert "docs.js" in search and not any(u.endswith("search-index.js") for u in loaded)
    assert [u for u in search if u.startswith("t/")] == [f"t/{word[:2].lower()}.js"]
    assert len([u for u in search if u.startswith("c/")]) <= max(20, len(shown))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    item.locator(".card-title a").click()
    assert page.url.endswith(f"/cases/{last.slug}.html")
    context.close()


def test_without_javascript_the_pages_lead_to_every_case(browser, corpus_site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    open_site(page, corpus_site)
    titles, pages = [], 0
    while True:
        pages += 1
        titles += [t.strip() for t in page.locator(".card-title").all_text_contents()]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        following = page.locator(".page-nav a[rel=next]")
        if not following.count():
            break
        following.click()
    assert titles == [c.title for c in corpus_site.catalog.cases]
    assert pages == len(corpus_site.catalog.index_pages) > 1
    page.locator(".page-nav a", has_text=re.compile(r"^1$")).click()
    assert page.url.endswith("/index.html")
    context.close()


def test_without_javascript_a_filter_opens_its_listing_in_pages(browser, corpus_site):
    catalog = corpus_site.catalog
    facet = next(f for f in catalog.facets if f.name == "theme")
    option = max(facet.options, key=lambda o: o.count)
    assert option.count > PAGE_SIZE
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    open_site(page, corpus_site)
    page.locator(".facet[data-facet=theme] summary").click()
    page.get_by_role("link", name=re.compile(rf"^{re.escape(option.label)} \(")).click()
    assert page.url.endswith(f"/{option.href}")
    titles = []
    while True:
        titles += [t.strip() for t in page.locator(".card-title").all_text_contents()]
        following = page.locator(".page-nav a[rel=next]")
        if not following.count():
            break
        following.click()
    assert titles == [c.title for c in catalog.cases if option.key in case_facet_values(c)["theme"]]
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_pages_and_the_results(browser, corpus_site, axe_source, scheme):
    catalog = corpus_site.catalog
    listing = next(l for l in catalog.listings if len(l.pages) > 1)
    context = browser.new_context(color_scheme=scheme, viewport=PHONE)
    page = context.new_page()
    found = {}
    for path in (catalog.index_pages[1].path, catalog.index_pages[-1].path, listing.pages[1].path):
        open_site(page, corpus_site, path)
        if violations := axe_violations(page, axe_source):
            found[path] = violations
    open_site(page, corpus_site)
    page.get_by_label("Search the cases").fill(deep_word(catalog.cases[-1]))
    page.wait_for_selector("#results .excerpt mark")
    if violations := axe_violations(page, axe_source):
        found["index.html (results)"] = violations
    context.close()
    assert found == {}
