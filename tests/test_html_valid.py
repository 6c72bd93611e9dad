"""Every page (and the stylesheet) passes the Nu Html Checker (npm vnu-jar) with no error."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from sitecheck import ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(site) -> list[str]:
    if not VNU.is_file():
        pytest.skip("HTML validation skipped: vnu-jar is not installed (run npm ci)")
    java = shutil.which("java")
    if not java:
        pytest.skip("HTML validation skipped: no java (install default-jre-headless: "
                    "scripts/system-deps.sh --browser)")
    files = [str(p) for p in html_pages(site)] + [str(site / "assets" / "style.css")]
    result = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--also-check-css",
                             "--format", "json", *files],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m.get("type") in ("error", "non-document-error")]


def test_shipped_site_is_valid_html(shipped_site):
    assert vnu_errors(shipped_site.path) == []


def test_200_case_site_is_valid_html(corpus_site):
    assert vnu_errors(corpus_site.path) == []
