"""Lighthouse scores of built website pages, served from 127.0.0.1 (Lighthouse needs http).

    python scripts/lighthouse.py SITE_DIR [PAGE ...] [--min 95]

PAGE defaults to index.html and the first case page. Prints one line per page with the four
category scores (0-100) and exits 1 when any is below --min. Uses npm `lighthouse` from
node_modules (npm ci) and Debian's Chromium; mobile emulation, Lighthouse's default.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def scores(url: str) -> dict[str, int]:
    """The four category scores of one page, 0-100."""
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def default_pages(site: Path) -> list[str]:
    return ["index.html", sorted(p.relative_to(site).as_posix() for p in site.glob("cases/*.html"))[0]]


def measure(site: Path, pages: list[str]) -> dict[str, dict[str, int]]:
    server = serve(site)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        return {page: scores(base + page) for page in pages}
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--min", type=int, default=95)
    args = parser.parse_args(argv)
    results = measure(args.site, args.pages or default_pages(args.site))
    low = False
    for page, page_scores in results.items():
        print(page + ": " + ", ".join(f"{name} {value}" for name, value in page_scores.items()))
        low |= any(value < args.min for value in page_scores.values())
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
