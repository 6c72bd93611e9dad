"""The website in a real browser (Debian's Chromium through Playwright): filters, search,
keyboard, accessibility (axe-core), layout from 360 px up, print, file:// and a sub-path."""
from __future__ import annotations

import re

import pytest

from casebook.model.catalog import case_facet_values
from casebook.model.paging import PAGE_SIZE
from casebook.web.search import case_meta

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_site(page, site, path="index.html"):
    page.goto((site.path / path).as_uri())


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all("#cards > li:not([hidden])", "els => els.map(e => e.dataset.slug)")


def results(page) -> list[str]:
    """The results an index in pages shows (drawn from the search records, 20 at a time)."""
    return page.eval_on_selector_all("#results > li", "els => els.map(e => e.dataset.slug)")


def showing(page, count: int, total: int) -> None:
    page.wait_for_function(f"document.getElementById('status').textContent === "
                           f"'Showing {count} of {total} cases.'")


def choose(page, facet: str, label: str):
    """Open a filter group and press one of its buttons, as a reader does."""
    group = page.locator(f".facet[data-facet={facet}]")
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    group.get_by_role("button", name=re.compile(rf"^{re.escape(label)} \(")).click()


def slugs_with(catalog, facet: str, key: str) -> list[str]:
    return [c.slug for c in catalog.cases if key in case_facet_values(c)[facet]]


# ---- Filters ----

def test_filters_hide_the_right_cards_without_a_reload(page, shipped_site):
    catalog = shipped_site.catalog
    open_site(page, shipped_site)
    assert len(visible_cards(page)) == len(catalog.cases)
    choose(page, "outcome", "negative")
    negative = slugs_with(catalog, "outcome", "negative")
    assert visible_cards(page) == negative
    assert page.locator("#status").inner_text() == f"Showing {len(negative)} of {len(catalog.cases)} cases."
    assert page.get_by_role("button", name=re.compile("^negative")).get_attribute("aria-pressed") == "true"
    choose(page, "channel", "Twitter")          # filters combine
    both = [s for s in negative if s in slugs_with(catalog, "channel", "twitter")]
    assert visible_cards(page) == both
    choose(page, "outcome", "negative")         # pressing again lets go of it
    assert visible_cards(page) == slugs_with(catalog, "channel", "twitter")
    page.get_by_role("button", name="Show all cases").click()
    assert len(visible_cards(page)) == len(catalog.cases)
    assert page.url.endswith("index.html")      # never reloaded or navigated


def test_filters_on_200_cases_cover_every_page(page, corpus_site):
    """The index shows its first 30 cases; the filters choose among all 200 and combine."""
    catalog = corpus_site.catalog
    open_site(page, corpus_site)
    assert len(visible_cards(page)) == PAGE_SIZE
    tag = next(f for f in catalog.facets if f.name == "tag").options[0]
    theme = next(f for f in catalog.facets if f.name == "theme").options[0]
    choose(page, "tag", tag.label)
    tagged = slugs_with(catalog, "tag", tag.key)
    showing(page, len(tagged), 200)
    assert results(page) == tagged[:20]
    assert any(slug not in [c.slug for c in catalog.index_pages[0].items] for slug in tagged)
    assert not page.locator("#cards").is_visible() and not page.locator(".page-nav").is_visible()
    if len(tagged) > 20:
        page.get_by_role("button", name="Show more results").click()
        page.wait_for_function(f"document.querySelectorAll('#results > li').length == {min(40, len(tagged))}")
        assert results(page) == tagged[:40]
    choose(page, "theme", theme.label)
    expected = [s for s in tagged if s in slugs_with(catalog, "theme", theme.key)]
    showing(page, len(expected), 200)
    assert results(page) == expected[:20]
    page.get_by_role("button", name="Show all cases").click()
    assert len(visible_cards(page)) == PAGE_SIZE and page.locator(".page-nav").is_visible()


def test_without_javascript_filters_are_plain_links(browser, shipped_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_site(page, shipped_site)
    assert not page.locator("#search-form").is_visible()      # search needs the script: hidden
    page.locator(".facet[data-facet=outcome] summary").click()
    page.get_by_role("link", name=re.compile(r"^negative \(")).click()
    assert page.url.endswith("/outcomes/negative.html")
    titles = [t.strip() for t in page.locator(".card-title").all_text_contents()]
    assert titles == [c.title for c in shipped_site.catalog.cases if c.outcome == "negative"]
    context.close()


# ---- Search ----

def test_search_shows_matching_cases_with_highlighted_excerpts(page, shipped_site):
    open_site(page, shipped_site)
    page.get_by_label("Search the cases").fill("star trek")
    page.wait_for_function("document.querySelectorAll('#cards > li:not([hidden])').length < 8")
    assert visible_cards(page) == ["twc-patrick-stewart-cable-wait"]
    excerpt = page.locator("#cards > li:not([hidden]) .excerpt")
    assert "Star Trek" in excerpt.text_content()        # (cards off screen have no innerText)
    assert [m.lower() for m in excerpt.locator("mark").all_text_contents()][:2] == ["star", "trek"]
    choose(page, "outcome", "positive")                  # search and filters combine
    assert visible_cards(page) == []
    assert "No case matches" in page.locator("#status").inner_text()


def test_search_on_200_cases_finds_every_case_that_mentions_the_word(page, corpus_site):
    open_site(page, corpus_site)
    word = "Николай"
    expected = {c.slug for c in corpus_site.catalog.cases
                if word.lower() in (c.title + case_meta(c) + c.search_text).lower()}
    assert 0 < len(expected) <= 20
    page.get_by_label("Search the cases").fill(word.lower())
    showing(page, len(expected), 200)
    assert set(results(page)) == expected
    page.wait_for_selector("#results .excerpt mark")
    assert page.locator("#results .excerpt mark").first.text_content() == word


def test_search_link_on_other_pages_focuses_the_search_box(page, shipped_site):
    open_site(page, shipped_site, "lessons.html")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    page.wait_for_function("document.activeElement.id === 'search'", timeout=5000)
    assert page.url.endswith("index.html#search")


# ---- Keyboard ----

def test_keyboard_reaches_skip_link_filters_and_cards(page, shipped_site):
    open_site(page, shipped_site)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.get_by_label("Search the cases").focus()
    page.keyboard.press("Tab")                           # the first filter group
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")                         # opens it
    page.keyboard.press("Tab")
    page.keyboard.press("Space")                         # presses its first button
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    assert len(visible_cards(page)) < len(shipped_site.catalog.cases)
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring != "none"


# ---- Accessibility ----

def axe_violations(page, axe_source, rules: list[str] | None = None) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the open page (or only the given rules)."""
    page.add_script_tag(content=axe_source)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_AA}
    # No preload: axe would fetch the stylesheets again, which file:// forbids (and logs).
    result = page.evaluate("only => axe.run(document, {preload: false, runOnly: only})", only)
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]


def page_kinds(site, cases: int | None = None) -> list[str]:
    """One page of each kind: index, lessons, 404, the first listing of each facet (one
    template), the courses' pages, and the case pages (all, or the first few: one template,
    varied content)."""
    paths = sorted(p.relative_to(site.path).as_posix() for p in site.path.rglob("*.html"))
    top = [p for p in paths if "/" not in p]
    listings = {}
    for path in paths:
        folder = path.split("/")[0]
        if "/" in path and folder != "cases":
            listings.setdefault(folder, path)
    case_pages = [p for p in paths if p.startswith("cases/")][:cases]
    courses = [p for p in paths if p.startswith("courses/")]
    return top + sorted(set(listings.values()) - set(courses)) + courses + case_pages


def axe_site(browser, site, paths, axe_source, scheme="light", rules=None) -> dict[str, list[str]]:
    """axe's violations on each page of `paths` that has any."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in paths:
        open_site(page, site, path)
        if violations := axe_violations(page, axe_source, rules):
            found[path] = violations
    context.close()
    return found


def test_axe_finds_no_wcag_aa_violation_on_the_shipped_site(browser, shipped_site, axe_source):
    assert axe_site(browser, shipped_site, page_kinds(shipped_site), axe_source) == {}


def test_contrast_holds_in_the_dark_scheme_too(browser, shipped_site, axe_source):
    """prefers-color-scheme: dark changes only colours, so only contrast is checked again."""
    assert axe_site(browser, shipped_site, page_kinds(shipped_site), axe_source,
                    scheme="dark", rules=["color-contrast"]) == {}


EXAMPLE_PAGES = ["cases/example-pictures.html", "insights.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_exhibits_quotes_and_charts(browser, example_site, shipped_site, axe_source, scheme):
    """The example case's exhibits, quoted posts and timeline drawing, and the insights page's
    charts and tables, in both schemes, every WCAG 2.1 AA rule."""
    assert axe_site(browser, example_site, EXAMPLE_PAGES, axe_source, scheme=scheme) == {}
    assert axe_site(browser, shipped_site, ["insights.html"], axe_source, scheme=scheme) == {}


def test_exhibits_load_lazily_in_webp_from_file(browser, example_site):
    """From file://, the browser picks a WebP copy of a fitting width for each exhibit it shows."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    open_site(page, example_site, "cases/example-pictures.html")
    first = page.locator("figure.exhibit img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    chosen = first.evaluate("img => img.currentSrc")
    assert chosen.endswith(".webp") and chosen.startswith("file://")
    assert "-800.webp" in chosen or "-1080.webp" in chosen   # ~358 CSS px at 2x: 716 px or more
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_dark_scheme_is_applied(browser, shipped_site):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    open_site(page, shipped_site)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 24, 28)"
    context.close()


def test_axe_on_the_200_case_site(browser, corpus_site, axe_source):
    """At this size (the index has 200 cards) axe takes seconds a page: one page of each kind,
    in the light scheme (the dark one uses the same colours checked on the shipped site)."""
    assert axe_site(browser, corpus_site, page_kinds(corpus_site, cases=3), axe_source) == {}


def test_axe_with_filters_and_search_in_use(page, shipped_site, axe_source):
    open_site(page, shipped_site)
    choose(page, "tag", "airline")
    page.get_by_label("Search the cases").fill("reply")
    page.wait_for_selector(".excerpt")
    assert axe_violations(page, axe_source) == []


# ---- Layout, print, screenshots ----

def test_no_sideways_scrolling_on_a_360_px_phone(browser, shipped_site, corpus_site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    too_wide = {}
    for site in (shipped_site, corpus_site):
        for path in page_kinds(site, cases=3 if site is corpus_site else None):
            open_site(page, site, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_printed_case_page_reads_like_a_handout(page, shipped_site):
    open_site(page, shipped_site, "cases/twc-patrick-stewart-cable-wait.html")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.site-footer', '.pager']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    assert page.locator(".timeline").is_visible() and page.locator(".takeaways").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(browser, shipped_site, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in [("index", "index.html"),
                       ("case", "cases/cd-baby-upc-code-after-days-of-silence.html")]:
        open_site(page, shipped_site, path)
        target = screenshots / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


# ---- Where the site is opened from ----

def test_works_from_a_sub_path_over_http(page, sub_path_server):
    page.goto(sub_path_server + "index.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopStyle") == "solid"
    page.get_by_label("Search the cases").fill("upc")
    page.wait_for_function("document.querySelectorAll('#cards > li:not([hidden])').length == 1")
    page.locator("#cards > li:not([hidden]) .card-title a").click()
    assert page.url == sub_path_server + "cases/cd-baby-upc-code-after-days-of-silence.html"
    page.get_by_role("link", name=re.compile("^Public and private channels")).first.click()
    assert page.url.endswith("/training/casebook/lessons.html#theme-channel")
