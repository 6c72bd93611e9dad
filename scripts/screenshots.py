"""The README's screenshots: the shipped cases' site in Debian's Chromium, written to docs/.

    python scripts/screenshots.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from sitecheck import build_site  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = [  # file, page, width, height, element scrolled to the top (None: the page's top)
    ("screenshot-index.png", "index.html", 1280, 1700, None),
    ("screenshot-case.png", "cases/twc-patrick-stewart-cable-wait.html", 1280, 1300, None),
    ("screenshot-phone-timeline.png", "cases/cd-baby-upc-code-after-days-of-silence.html", 390, 844,
     "timeline-heading"),
    ("screenshot-insights.png", "insights.html", 1280, 1500, None),
]
# The README's example casebook (docs/example/cases: made up, with exhibits), kept out of cases/.
EXAMPLE_SHOTS = [
    ("screenshot-example-exhibits.png", "cases/example-pictures.html", 1280, 1500, "timeline-heading"),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        site = Path(folder) / "site"
        build_site(site)
        example = Path(folder) / "example"
        build_site(example, ROOT / "docs" / "example" / "cases")
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        shots = [(site, *shot) for shot in SHOTS] + [(example, *shot) for shot in EXAMPLE_SHOTS]
        for site, name, path, width, height, anchor in shots:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((site / path).as_uri())
            if anchor:
                page.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
            # Lazy pictures on screen: wait until they are drawn.
            page.wait_for_function("[...document.images].every(i => i.loading == 'lazy' "
                                   "&& i.getBoundingClientRect().top > innerHeight || i.complete)")
            page.screenshot(path=str(ROOT / "docs" / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
