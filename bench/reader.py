#!/usr/bin/env python3
"""The reader's side at scale: what a phone-sized browser loads for the index and for a first
search, from file:// and over HTTP (gzip-compressed, as static hosts serve it).

    .venv/bin/python bench/reader.py                       # builds 1,000 generated cases
    .venv/bin/python bench/reader.py --cases 8             # the shipped casebook
    .venv/bin/python bench/reader.py --site DIR            # a site already built
    .venv/bin/python bench/reader.py --lighthouse          # and Lighthouse (mobile) on the index

It opens index.html in Debian's Chromium (Playwright) at 390 x 844, waits for the page to
settle, and sums the bytes of every resource it loaded (the page, stylesheet, scripts, icon,
images): from file:// the files' sizes on disk, over HTTP the bytes on the wire (transferSize,
compressed) and the resources' own sizes (decodedBodySize). Then it types a word from deep in
the last case's text into the search box, waits for results with an excerpt, and sums what
that loaded on top. Targets (issue 22): index <= 250 KB, first search <= 500 KB more, Lighthouse
>= 95. Sizes in KB of 1,000 bytes.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
TARGETS = {"index": 250.0, "search": 500.0, "lighthouse": 95}

spec = importlib.util.spec_from_file_location("lighthouse_script", ROOT / "scripts" / "lighthouse.py")
lighthouse = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lighthouse)

# What the page has loaded so far: the navigation and every resource, with their sizes.
ENTRIES = """() => performance.getEntriesByType('navigation').concat(
    performance.getEntriesByType('resource')).map(e => ({url: e.name,
    transfer: e.transferSize || 0, decoded: e.decodedBodySize || 0}))"""


def build(cases: int, work: Path) -> Path:
    """A site of `cases` generated cases (bench/generate.py), or of the shipped ones at 8."""
    out = work / f"out{cases}"
    if cases == 8:
        command = [sys.executable, "build.py", "--out", str(out), "--only", "site", "--quiet"]
    else:
        corpus = work / f"n{cases}"
        if not (corpus / "casebook" / "cases").is_dir():
            subprocess.run([sys.executable, str(BENCH / "generate.py"), str(cases), str(corpus)],
                           check=True, cwd=ROOT)
        command = [sys.executable, "build.py", "--cases", str(corpus / "casebook" / "cases"),
                   "--out", str(out), "--only", "site", "--quiet"]
    subprocess.run(command, check=True, cwd=ROOT)
    return out / "site"


def search_word(site: Path) -> str:
    """A word from deep in the last case's text (the end of its search text), 6+ letters."""
    script = max((site / "assets" / "search" / "c").glob("*.js"))
    text = json.loads(script.read_text(encoding="utf-8").split(",", 2)[2].rsplit(");", 1)[0])
    words = re.findall(r"[^\W\d_]{6,}", text)
    return words[-1]


def sizes(entries: list[dict], site: Path, base: str) -> dict[str, float]:
    """KB loaded: `disk` (the files' sizes), and over HTTP `wire` and `decoded`."""
    disk = wire = decoded = 0
    for entry in entries:
        if not entry["url"].startswith(base):
            continue
        path = urllib.parse.unquote(urllib.parse.urlsplit(entry["url"]).path[len(urllib.parse.urlsplit(base).path):])
        file = site / path
        disk += file.stat().st_size if file.is_file() else 0
        wire += entry["transfer"]
        decoded += entry["decoded"]
    return {"disk": disk / 1000, "wire": wire / 1000, "decoded": decoded / 1000, "files": len(entries)}


def merge(entries: list[dict], requested: list[str]) -> list[dict]:
    """Resource timing's entries, and the requests it does not list (file://), each URL once."""
    known = {entry["url"] for entry in entries}
    extra = [{"url": url, "transfer": 0, "decoded": 0} for url in dict.fromkeys(requested)
             if url not in known]
    return entries + extra


def measure(browser, site: Path, base: str, word: str) -> dict:
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    # Every request the page makes, from the browser's own network log (resource timing lists
    # nothing loaded from file://): the sizes come from the disk and from resource timing.
    requested: list[str] = []
    cdp = context.new_cdp_session(page)
    cdp.on("Network.requestWillBeSent", lambda event: requested.append(event["request"]["url"]))
    cdp.send("Network.enable")
    page.goto(base + "index.html", wait_until="load")
    page.wait_for_timeout(500)        # the icon and anything deferred
    first = merge(page.evaluate(ENTRIES), requested)
    page.get_by_label("Search the cases").fill(word)
    page.wait_for_selector(".excerpt mark", timeout=30000)
    page.wait_for_timeout(300)
    after = merge(page.evaluate(ENTRIES), requested)
    seen = {e["url"] for e in first}
    index = sizes(first, site, base)
    search = sizes([e for e in after if e["url"] not in seen], site, base)
    context.close()
    return {"index": index, "search": search}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="generated cases (8: the shipped casebook)")
    parser.add_argument("--site", type=Path, help="a site already built (output/site)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "casebook-reader")
    parser.add_argument("--word", help="the word to search (default: one from deep in the last case)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse on the index")
    args = parser.parse_args()
    site = args.site.resolve() if args.site else build(args.cases, args.work)
    word = args.word or search_word(site)
    from playwright.sync_api import sync_playwright
    server = lighthouse.serve(site)
    http_base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            local = measure(browser, site, site.as_uri() + "/", word)
            served = measure(browser, site, http_base, word)
            browser.close()
        print(f"site: {site} (searching for {word!r}; KB of 1,000 bytes, phone 390 x 844)")
        for name in ("index", "search"):
            limit = TARGETS[name]
            figure = local[name]["disk"]
            verdict = "met" if figure <= limit else "NOT met"
            print(f"{'index page' if name == 'index' else 'first search':13} file:// {figure:8.1f} KB"
                  f" in {local[name]['files']:3} files | http {served[name]['decoded']:8.1f} KB"
                  f" ({served[name]['wire']:7.1f} KB on the wire) | target <= {limit:.0f} KB: {verdict}")
        if args.lighthouse:
            result = lighthouse.best_scores(http_base + "index.html", TARGETS["lighthouse"], 3)
            verdict = "met" if min(result.values()) >= TARGETS["lighthouse"] else "NOT met"
            print("lighthouse    " + ", ".join(f"{k} {v}" for k, v in result.items())
                  + f" | target >= {TARGETS['lighthouse']}: {verdict}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
