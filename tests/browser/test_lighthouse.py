"""Lighthouse (npm lighthouse, Debian's Chromium) scores at least 95 in all four categories on
the index and a case page; the 200-case index too, the heaviest page the site has."""
from __future__ import annotations

import importlib.util

import pytest

from sitecheck import ROOT

spec = importlib.util.spec_from_file_location("lighthouse_script", ROOT / "scripts" / "lighthouse.py")
lighthouse = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lighthouse)

MINIMUM = 95


@pytest.fixture(scope="module", autouse=True)
def tools():
    if not lighthouse.LIGHTHOUSE.exists():
        pytest.skip("Lighthouse skipped: npm lighthouse is not installed (run npm ci)")
    if not lighthouse.Path(lighthouse.CHROMIUM).is_file():
        pytest.skip(f"Lighthouse skipped: no Chromium at {lighthouse.CHROMIUM} "
                    "(scripts/system-deps.sh --browser)")


def test_lighthouse_on_the_shipped_index_and_a_case_page(shipped_site):
    pages = ["index.html", "cases/twc-patrick-stewart-cable-wait.html"]
    results = lighthouse.measure(shipped_site.path, pages, MINIMUM)
    assert {page: {k: v for k, v in s.items() if v < MINIMUM} for page, s in results.items()} == \
        {page: {} for page in pages}, results


def test_lighthouse_on_the_200_case_index(corpus_site):
    results = lighthouse.measure(corpus_site.path, ["index.html"], MINIMUM)
    assert all(score >= MINIMUM for score in results["index.html"].values()), results


def test_lighthouse_on_a_case_page_with_three_exhibits(example_site):
    page = "cases/example-pictures.html"
    results = lighthouse.measure(example_site.path, [page], MINIMUM)
    assert all(score >= MINIMUM for score in results[page].values()), results
