"""The website as a reader gets it: what each page says, where its links lead, what it leaves
out. Static checks of the built files; tests/browser/ checks the same pages in Chromium."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from html import unescape

import pytest

from casebook.render.axis import BREAK_SPACE, timeline_axis
from casebook.model.catalog import case_facet_values, channel_key
from casebook.model.paging import PAGE_SIZE
from sitecheck import ROOT, broken_links, build_site, html_pages, is_external, read_page, read_site


def case_page(site, case):
    return read_page(site.path / "cases" / f"{case.slug}.html")


# ---- Index ----

def test_index_shows_every_case_on_a_card_with_its_facts(shipped_site):
    index = read_page(shipped_site.path / "index.html")
    for case in shipped_site.catalog.cases:
        assert f"cases/{case.slug}.html" in index.links
        for fact in [case.title, case.organization, *filter(None, [case.date_text]), case.lead,
                     ", ".join(case.channels), f"Outcome: {case.outcome}",
                     f"First response: {case.figures.first_response}", *case.tags]:
            assert fact in index.text, (case.slug, fact)
    assert "date unknown" not in index.text


def test_index_shows_the_figures_across_cases(shipped_site):
    catalog = shipped_site.catalog
    text = read_page(shipped_site.path / "index.html").text
    assert f"Cases {len(catalog.cases)}" in text
    assert f"Median first response {catalog.first_response.median}" in text
    for outcome, count in catalog.outcomes:
        assert f"{outcome} {count}" in text
    takeaways = sum(len(case.takeaways) for case in catalog.cases)
    counts = dict((theme.key, n) for theme, n in catalog.theme_counts)
    assert sum(counts.values()) == takeaways
    for theme in catalog.site.themes.values():
        n = counts[theme.key]
        assert f"{theme.title} {n} {'takeaway' if n == 1 else 'takeaways'}" in text


def test_index_shows_each_figure_across_cases_as_a_range_with_a_picture(shipped_site):
    catalog = shipped_site.catalog
    html = (shipped_site.path / "index.html").read_text(encoding="utf-8")
    text = read_page(shipped_site.path / "index.html").text
    for figure in (catalog.first_response, catalog.resolution):
        assert f"Median {figure.name} {figure.median} {figure.measured} measured" in text
        picture = figure.picture
        assert picture is not None and len(picture.marks) == figure.measured + figure.unknown
        assert unescape(picture.text) in unescape(text)     # the picture in words
    assert html.count('role="img" aria-labelledby="spread-') == 2
    assert 'id="spread-1"' in html and 'id="spread-2"' in html


def _cases(*spans):
    from types import SimpleNamespace
    from casebook.model.case import Figure
    return [SimpleNamespace(slug=f"c{i}", title=f"Case {i}", figures=SimpleNamespace(
        first_response=Figure(span), resolution=Figure(None))) for i, span in enumerate(spans)]


def test_the_median_across_cases_is_a_range_never_more_precise_than_the_cases():
    from casebook.model.catalog import summarize_figure
    from casebook.model.timeline import DAY, HOUR, MINUTE, Span
    # ≤ 1 h, ≤ 2 days, 5 min, 20 min exactly and one open above: lows 0,0,5m,20m,3h -> 5 min;
    # highs 1h, 2d, 5m, 20m, inf -> 1 h.
    summary = summarize_figure(_cases(Span(0, HOUR), Span(0, 2 * DAY), Span(5 * MINUTE, 5 * MINUTE),
                                      Span(20 * MINUTE, 20 * MINUTE), Span(3 * HOUR, None), None),
                               "first_response")
    assert (summary.median, summary.measured, summary.unknown, summary.missing) == ("5 min–1 h", 5, 0, 1)
    # More open upper ends than bounded ones: the median is open too.
    summary = summarize_figure(_cases(Span(2 * HOUR, None), Span(0, None), Span(0, MINUTE)),
                               "first_response")
    assert (summary.median, summary.measured, summary.unknown) == ("unknown", 2, 1)
    summary = summarize_figure(_cases(Span(2 * HOUR, None), Span(3 * HOUR, None), Span(0, MINUTE)),
                               "first_response")
    assert summary.median == "≥ 2 h"
    assert summary.picture.text.endswith("1 within an hour, 2 open-ended.")
    assert summarize_figure(_cases(Span(0, MINUTE), Span(0, HOUR)), "first_response").picture is None


def test_each_filter_is_a_link_to_a_page_of_exactly_the_matching_cases(shipped_site):
    """With scripts off, a filter is a plain link; the page it opens lists those cases only."""
    catalog = shipped_site.catalog
    index = read_page(shipped_site.path / "index.html")
    assert {facet.name for facet in catalog.facets} == {"theme", "tag", "outcome", "channel"}
    for facet in catalog.facets:
        assert facet.options, facet.name
        for option in facet.options:
            assert option.href in index.links
            listing = read_page(shipped_site.path / option.href)
            expected = {c.slug for c in catalog.cases
                        if option.key in case_facet_values(c)[facet.name]}
            shown = {link.split("/")[-1].removesuffix(".html") for link in listing.links
                     if link.startswith("../cases/")}
            assert shown == expected, option.href
            assert option.count == len(expected)


def test_cards_carry_the_values_the_script_filters_on(shipped_site):
    html = (shipped_site.path / "index.html").read_text(encoding="utf-8")
    case = next(c for c in shipped_site.catalog.cases if c.slug == "twc-patrick-stewart-cable-wait")
    assert 'data-outcome="negative"' in html
    assert 'data-tag="celebrity fast-first-reply public-reply viral"' in html
    assert 'data-channel="twitter"' in html
    assert f'data-theme="{" ".join(sorted({t.theme.key for t in case.takeaways}))}"' in html


def test_channel_keys_are_readable_when_plain_and_never_collide_otherwise():
    assert channel_key("Live chat") == "live-chat" and channel_key("Twitter") == "twitter"
    assert channel_key("微博") != channel_key("微信")
    assert channel_key("微博").startswith("channel-")
    assert "script" not in channel_key('<script>alert("x")</script>')


# ---- Case page ----

def test_case_page_tells_the_whole_case(shipped_site):
    for case in shipped_site.catalog.cases:
        page = case_page(shipped_site, case)
        text = page.text
        assert case.title in text and case.organization in text
        for label in ("Figures", "Summary", "Timeline", "People", "Takeaways", "Sources"):
            assert label in text
        assert f"First response {case.figures.first_response}" in text
        for event in case.timeline:
            assert f"{event.elapsed} ({event.when})" in text, (case.slug, event.when)
            assert event.who.name in text
        for takeaway in case.takeaways:
            assert takeaway.lesson in text
            assert f"../lessons.html#theme-{takeaway.theme.key}" in page.links
        for question in case.discussion:
            assert question in text
        for source in case.sources:
            assert source.title in text
            if source.note:
                assert source.note in text, (case.slug, source.note)


def test_timeline_shows_side_in_words_channel_and_marks(shipped_site):
    case = next(c for c in shipped_site.catalog.cases if c.slug == "twc-patrick-stewart-cable-wait")
    html = (shipped_site.path / "cases" / f"{case.slug}.html").read_text(encoding="utf-8")
    timeline = html[html.index('<ol class="timeline">'):html.index("</ol>", html.index('<ol class="timeline">'))]
    assert '<span class="side">company</span>' in timeline
    assert '<span class="side">customer</span>' in timeline
    assert '<span class="channel">on Twitter</span>' in timeline
    assert '<strong class="mark">turning point</strong>' in timeline
    assert "mark-escalation" in timeline
    assert "time between not known" in timeline      # `later`: a break, said in words


def test_facilitator_notes_never_reach_the_site(shipped_site, corpus_site):
    for site in (shipped_site, corpus_site):
        everything = "\n".join(p.read_text(encoding="utf-8") for p in site.path.rglob("*")
                               if p.suffix in (".html", ".js", ".xml"))
        noted = [c for c in site.catalog.cases if c.facilitator_notes]
        assert noted, "the check needs cases with facilitator notes"
        for case in noted:
            first_line = case.facilitator_notes.source.strip().splitlines()[0]
            assert first_line not in everything, case.slug


def test_pdf_link_only_when_the_handout_exists(tmp_path):
    catalog = build_site(tmp_path / "with", pdfs=frozenset({"twc-patrick-stewart-cable-wait"}))
    link = "Download handout (PDF)"
    with_pdf = (tmp_path / "with/cases/twc-patrick-stewart-cable-wait.html").read_text(encoding="utf-8")
    assert f'href="../pdf/twc-patrick-stewart-cable-wait.pdf" download>{link}' in with_pdf
    others = [c.slug for c in catalog.cases if c.slug != "twc-patrick-stewart-cable-wait"]
    assert link not in (tmp_path / f"with/cases/{others[0]}.html").read_text(encoding="utf-8")


def test_previous_and_next_link_the_neighbouring_cases(shipped_site):
    cases = shipped_site.catalog.cases
    first, second = cases[0], cases[1]
    assert f"{second.slug}.html" in case_page(shipped_site, first).links
    page = case_page(shipped_site, second)
    assert f"{first.slug}.html" in page.links and "Previous case" in page.text
    assert "Next case" not in case_page(shipped_site, cases[-1]).text


# ---- Timeline axis ----

def test_axis_space_grows_with_the_gap_and_breaks_where_unknown(shipped_site):
    case = next(c for c in shipped_site.catalog.cases if c.slug == "cd-baby-upc-code-after-days-of-silence")
    points = timeline_axis(case)
    assert [p.gap for p in points] == ["start", "unknown", "open", "unknown", "measured", "measured"]
    # `within 5 minutes` after `later`: the elapsed time is lost but the gap itself is known.
    assert float(points[4].space) < float(points[5].space)   # ≤ 5 min, then ≤ 1 day
    assert float(points[1].space) == BREAK_SPACE and points[1].gap_label == "time between not known"
    assert points[2].gap_label == "at least 2 days later"


def test_axis_keeps_same_day_events_close_and_the_next_day_further(project):
    from casebook.build.project import load_project
    from conftest import CASE_YAML, ROOT
    project.write("picard.yaml", CASE_YAML.replace("  - when: within 2 minutes", "  - when: same day")
                  .replace("  - when: later", "  - when: same day"))
    case = load_project(ROOT, project.cases).cases[0]
    points = timeline_axis(case)
    assert [p.gap for p in points] == ["start", "measured", "measured", "measured"]
    same_day, next_day, same_again = (float(p.space) for p in points[1:])
    assert same_day == same_again < next_day
    assert same_day < 3.5 and next_day > 4     # not a day apart, a day apart (in rem)


# ---- Lessons, tags, 404 ----

def test_lessons_page_groups_every_takeaway_by_theme_linking_back(shipped_site):
    page = read_page(shipped_site.path / "lessons.html")
    html = unescape((shipped_site.path / "lessons.html").read_text(encoding="utf-8"))
    for group in shipped_site.catalog.lessons:
        section = html[html.index(f'id="theme-{group.theme.key}"'):]
        section = section[:section.find("</section>")]
        for lesson in group.lessons:
            assert lesson.takeaway.lesson in section
            assert f'href="cases/{lesson.case.slug}.html"' in section
    assert {f"theme-{k}" for k in shipped_site.catalog.site.themes} <= page.ids
    assert "Lessons by theme" in page.text


def test_tag_pages_and_404_exist(shipped_site):
    for tag, cases in shipped_site.catalog.tags.items():
        page = read_page(shipped_site.path / "tags" / f"{tag}.html")
        assert all(c.title in page.text for c in cases)
    assert "Page not found" in read_page(shipped_site.path / "404.html").text


# ---- Every page ----

@pytest.mark.parametrize("which", ["shipped_site", "corpus_site"])
def test_every_link_is_relative_and_leads_somewhere(which, request):
    site = request.getfixturevalue(which)
    pages = read_site(site.path)
    assert broken_links(site.path, pages) == []
    for page, parsed in pages.items():
        assert not any(href.startswith("/") for href in parsed.links + parsed.resources), page
        # No CDN, no external fonts or scripts: every resource is in the site.
        assert not any(is_external(src) for src in parsed.resources), page


def test_every_page_has_description_and_opengraph_but_no_canonical_without_base_url(shipped_site):
    for page in html_pages(shipped_site.path):
        meta = read_page(page).meta
        assert meta["description"].strip(), page
        assert meta["og:title"] and meta["og:description"] == meta["description"], page
        assert "canonical" not in read_page(page).link_rels
    assert not (shipped_site.path / "feed.xml").exists()
    assert not (shipped_site.path / "sitemap.xml").exists()


def test_with_base_url_canonical_links_feed_and_sitemap(tmp_path):
    base = "https://example.org/casebook/"
    catalog = build_site(tmp_path, base_url=base)
    case = catalog.cases[0]
    page = read_page(tmp_path / "cases" / f"{case.slug}.html")
    assert page.link_rels["canonical"] == f"{base}cases/{case.slug}.html"
    assert page.meta["og:url"] == page.link_rels["canonical"]
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(tmp_path / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [unescape(e.find(f"{atom}title").text) for e in entries] == [c.title for c in catalog.cases]
    assert entries[0].find(f"{atom}title").get("type") == "html"
    assert entries[0].find(f"{atom}id").text == f"{base}cases/{case.slug}.html"
    urls = [loc.text for loc in ET.parse(tmp_path / "sitemap.xml").getroot().iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{base}index.html" in urls and f"{base}cases/{case.slug}.html" in urls
    assert f"{base}404.html" not in urls
    # The 404 page is served from any address: its links must be absolute.
    assert f"{base}index.html" in read_page(tmp_path / "404.html").links


def test_search_index_holds_case_text(shipped_site):
    search = shipped_site.path / "assets" / "search"
    assert (search / "docs.js").read_text(encoding="utf-8").startswith('casebookSearchLoaded("docs"')
    # from a timeline event of the TWC case: its text (for excerpts) and its terms' shard
    assert "Star Trek" in (search / "c" / "twc-patrick-stewart-cable-wait.js").read_text(encoding="utf-8")
    assert '"trek":' in (search / "t" / "tr.js").read_text(encoding="utf-8")
    assert '"upc":' in (search / "t" / "up.js").read_text(encoding="utf-8")


def test_same_input_builds_the_same_site(tmp_path):
    build_site(tmp_path / "a")
    build_site(tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_corpus_builds_with_the_first_cases_on_the_index(corpus_site):
    assert len(corpus_site.catalog.cases) == 200
    index = read_page(corpus_site.path / "index.html")
    # The first page's cases; the others on further pages (tests/test_paging.py).
    assert sum(link.startswith("cases/") for link in index.links) == PAGE_SIZE
    assert {o for o, _ in corpus_site.catalog.outcomes} == {"positive", "negative", "mixed",
                                                             "unresolved", "unknown"}
    # Pages stay small: no framework, the search index loads only when someone searches.
    weight = sum((corpus_site.path / p).stat().st_size for p in
                 ("index.html", "assets/style.css", "assets/site.js"))
    assert weight < 150_000
    assert (ROOT / "templates/static/site.js").stat().st_size < 24_000


def test_feed_dates_come_from_the_case_or_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build_site(tmp_path, base_url="https://example.org/")
    feed = (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2023-11-14T22:13:20Z</updated>" in feed   # the shipped cases have no date
