"""Every page (and the stylesheet) passes the Nu Html Checker (npm vnu-jar) with no error."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from sitecheck import ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def vnu_errors(shipped_site, corpus_site, example_site) -> dict[str, list[str]]:
    """The checker's errors for each site, from one run (the JVM takes seconds to start)."""
    if not VNU.is_file():
        pytest.skip("HTML validation skipped: vnu-jar is not installed (run npm ci)")
    java = shutil.which("java")
    if not java:
        pytest.skip("HTML validation skipped: no java (install default-jre-headless: "
                    "scripts/system-deps.sh --browser)")
    sites = {"shipped": shipped_site.path, "corpus": corpus_site.path, "example": example_site.path}
    files = [str(p) for site in sites.values()
             for p in [*html_pages(site), site / "assets" / "style.css"]]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--also-check-css",
                             "--format", "json", *files],
                            capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {name: [] for name in sites}
    for message in messages:
        url = message.get("url", "")
        name = next((n for n, site in sites.items() if site.as_uri() in url or str(site) in url), "shipped")
        errors[name].append(f"{url}:{message.get('lastLine', '?')}: {message['message']}")
    return errors


def test_shipped_site_is_valid_html(vnu_errors):
    assert vnu_errors["shipped"] == []


def test_200_case_site_is_valid_html(vnu_errors):
    assert vnu_errors["corpus"] == []


def test_example_site_with_exhibits_and_insights_is_valid_html(vnu_errors):
    """The README's example: exhibits (<picture>, srcset), quoted posts, the SVG drawings."""
    assert vnu_errors["example"] == []
