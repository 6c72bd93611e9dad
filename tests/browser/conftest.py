"""Chromium (Debian's, driven by Playwright) for the browser tests.

The tests skip, saying why, only when the browser or a checker is not installed at all:
`make test` installs them (scripts/system-deps.sh --browser, requirements-dev.txt, npm ci)."""
from __future__ import annotations

import http.server
import os
import shutil
import threading
from functools import partial
from pathlib import Path

import pytest

from sitecheck import ROOT

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
# Flags this shared, GPU-less, offline machine needs; nothing that changes what a page shows.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: the Python package playwright is not installed "
                    "(pip install -r requirements-dev.txt, or run make test)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} "
                    "(install Debian's chromium: scripts/system-deps.sh --browser)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A phone-to-desktop neutral page (1280 px) that fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("accessibility checks skipped: axe-core is not installed (run npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the screenshots go: $CASEBOOK_SCREENSHOTS, else a temporary folder."""
    folder = os.environ.get("CASEBOOK_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def sub_path_server(shipped_site, tmp_path_factory):
    """The shipped site served over HTTP from a sub-path: the base address of that copy."""
    docroot = tmp_path_factory.mktemp("docroot")
    shutil.copytree(shipped_site.path, docroot / "training" / "casebook")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(docroot)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/training/casebook/"
    server.shutdown()
