"""The shipped casebook in Arabic (right to left) and German: axe-core finds no WCAG 2.1 AA
violation (Arabic in the light and the dark scheme, German in the light one, contrast in the
dark) and the Nu Html Checker no error."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.cli import main
from sitecheck import ROOT, html_pages

from .test_pages import axe_site, page_kinds

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Built:
    path: Path


def build_in(language: str, work: Path) -> Built:
    shutil.copytree(ROOT / "cases", work / "cases")
    shutil.copytree(ROOT / "courses", work / "courses")
    site = (ROOT / "site.yaml").read_text().replace("language: en", f"language: {language}")
    assert f"language: {language}" in site
    (work / "site.yaml").write_text(site)
    assert main(["--only", "site", "--cases", str(work / "cases"), "--out", str(work / "out"),
                 "--quiet", "--jobs", "2"]) == 0
    return Built(work / "out" / "site")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Built:
    return build_in("ar", tmp_path_factory.mktemp("ar"))


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Built:
    return build_in("de", tmp_path_factory.mktemp("de"))


def test_arabic_pages_are_right_to_left(arabic):
    page = (arabic.path / "index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page


def test_axe_arabic_light_and_dark(browser, arabic, axe_source):
    paths = page_kinds(arabic, cases=3)
    assert axe_site(browser, arabic, paths, axe_source) == {}
    assert axe_site(browser, arabic, paths, axe_source, scheme="dark") == {}


def test_axe_german(browser, german, axe_source):
    paths = page_kinds(german, cases=3)
    assert axe_site(browser, german, paths, axe_source) == {}
    assert axe_site(browser, german, paths, axe_source, scheme="dark",
                    rules=["color-contrast"]) == {}


def test_vnu_arabic_and_german(arabic, german):
    if not VNU.is_file():
        pytest.skip("HTML validation skipped: vnu-jar is not installed (run npm ci)")
    java = shutil.which("java")
    if not java:
        pytest.skip("HTML validation skipped: no java")
    files = [str(p) for site in (arabic, german) for p in html_pages(site.path)]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
