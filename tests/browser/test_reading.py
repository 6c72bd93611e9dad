"""Reading the index on a phone (issue 14): the cases come first, each card says what happened."""
from __future__ import annotations

PHONE = {"width": 390, "height": 844}


def open_index(browser, site, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto((site.path / "index.html").as_uri())
    return context, page


def test_on_a_390_px_phone_the_first_case_is_within_a_screen_and_a_half(browser, shipped_site,
                                                                         corpus_site):
    for site in (shipped_site, corpus_site):
        context, page = open_index(browser, site, PHONE)
        top = page.evaluate("document.querySelector('#cards .card').getBoundingClientRect().top")
        folded = page.evaluate("!document.getElementById('overview').open")
        digest = page.locator(".overview-digest").inner_text()
        context.close()
        assert top < 1.5 * PHONE["height"], (site.path, top)
        assert folded
        assert digest.startswith(f"{len(site.catalog.cases)} cases")


def test_the_figures_unfold_on_a_phone_and_stand_open_on_a_wide_screen(browser, shipped_site):
    context, page = open_index(browser, shipped_site, PHONE)
    assert not page.locator(".overview .stats").is_visible()
    page.locator(".overview > summary").click()
    assert page.locator(".overview .stats").is_visible()
    context.close()
    context, page = open_index(browser, shipped_site, {"width": 1280, "height": 900})
    assert page.locator(".overview .stats").is_visible()
    context.close()


def test_cards_show_the_summary_s_first_sentence_and_a_date_only_when_there_is_one(
        browser, shipped_site, corpus_site):
    for site in (shipped_site, corpus_site):
        context, page = open_index(browser, site, PHONE)
        cards = page.eval_on_selector_all("#cards .card", """cards => cards.map(card => ({
            lead: card.querySelector('.card-lead')?.textContent,
            date: card.querySelector('.date')?.textContent}))""")
        context.close()
        for case, card in zip(site.catalog.cases, cards):
            assert card["lead"] == case.lead and case.lead, case.slug
            assert card["date"] == case.date_text, case.slug
        assert any(card["date"] for card in cards) == any(c.date for c in site.catalog.cases)
        assert not any(card["date"] == "date unknown" for card in cards)
