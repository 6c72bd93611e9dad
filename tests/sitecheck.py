"""Helpers the site tests share: build a site into a folder, read its pages back as a reader's
browser would (links, meta, text)."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from casebook.model.catalog import build_catalog
from casebook.cli import main
from casebook.reading.load import find_site_file
from casebook.build.project import load_project
from casebook.build.publish import MARKER

ROOT = Path(__file__).resolve().parent.parent


def build_site(dest: Path, cases: Path | None = None, base_url: str | None = None,
               pdfs: frozenset[str] = frozenset()):
    """Build the website of `cases` (default: the shipped ones) into `dest` with the real
    command (`build.py --only site`); the catalog. `base_url` replaces site.yaml's; `pdfs`
    names handouts a previous build left (pages then link them)."""
    cases = cases or ROOT / "cases"
    if base_url is not None:  # a copy of the casebook with that base_url in its site.yaml
        book = dest.parent / f"{dest.name}-book"
        shutil.copytree(cases, book / "cases")
        settings = yaml.safe_load(find_site_file(cases, ROOT).read_text(encoding="utf-8"))
        (book / "site.yaml").write_text(yaml.safe_dump({**settings, "base_url": base_url},
                                                       allow_unicode=True), encoding="utf-8")
        cases = book / "cases"
    out = dest.parent / f"{dest.name}-output"
    for slug in pdfs:
        (out / "site" / "pdf").mkdir(parents=True, exist_ok=True)
        (out / "site" / "pdf" / f"{slug}.pdf").write_bytes(b"%PDF-1.7 (left by a build)")
        (out / MARKER).write_text("", encoding="utf-8")
    assert main(["--only", "site", "--cases", str(cases), "--out", str(out), "--quiet"]) == 0
    if dest.exists():
        dest.rmdir()  # an empty folder (such as tmp_path) to hold the site
    shutil.move(out / "site", dest)
    return build_catalog(load_project(ROOT, cases))


class ParsedPage(HTMLParser):
    """What a test needs of a page: its links, resources, ids, meta and visible text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []        # <a href>
        self.resources: list[str] = []    # <link href>, <script src>, <img src>
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.link_rels: dict[str, str] = {}
        self.text_parts: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "link":
            self.resources.append(attrs.get("href", ""))
            self.link_rels[attrs.get("rel", "")] = attrs.get("href", "")
        if tag in ("script", "img") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def read_page(path: Path) -> ParsedPage:
    return ParsedPage(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme)


def read_site(site: Path) -> dict[Path, ParsedPage]:
    return {page: read_page(page) for page in html_pages(site)}


def broken_links(site: Path, parsed: dict[Path, ParsedPage]) -> list[str]:
    """Every internal link or resource of every page whose file (or #fragment) is missing."""
    problems = []
    checked: set[Path] = set()
    for page, content in parsed.items():
        for href in content.links + content.resources:
            if is_external(href):
                continue
            parts = urlsplit(href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target not in parsed and target not in checked and not target.is_file():
                problems.append(f"{page.relative_to(site)}: {href} (no such file)")
                continue
            checked.add(target)
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else read_page(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return problems
