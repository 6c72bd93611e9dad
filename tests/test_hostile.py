"""Hostile input: YAML built to attack the reader, and valid cases whose text is built to attack
the reader of the website.

YAML: tags that would construct Python objects, alias bombs, huge and deeply nested files are
refused quickly, with a clear message, nothing constructed and output/ left as it was.
Content (tests/hostile/ files that are valid cases): every payload carries the word "pwned";
on the built site none of it is live markup (no script or style text, event handler, frame,
image or non-web link made from it), all of it is readable as text, nothing is fetched from the
network while building, and no file outside the project is read into the site.
"""
from __future__ import annotations

import json
import re
import resource
import time
from html.parser import HTMLParser
from xml.etree import ElementTree
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook.cli import main
from casebook.reading.load import shown
from harness import problem_lines, publish_shipped_cases, recording_server, run_cli, tree_hash

HOSTILE = Path(__file__).resolve().parent / "hostile"
MARK = "pwned"

# Files that must be refused: (line, field path, words of the message).
REFUSED = {
    "python-object-apply": (2, "title", "`!!python/object/apply:os.system` is a YAML tag; tags are not allowed"),
    "python-object-new": (3, "organization", "`!!python/object/new:subprocess.Popen` is a YAML tag"),
    "python-name": (6, "summary", "`!!python/name:os.system` is a YAML tag"),
    "python-module": (5, "outcome", "`!!python/module:os` is a YAML tag"),
    "local-tag": (8, "people.ann", "`!ruby/object:Gem::Installer` is a YAML tag"),
    "standard-tag": (4, "channels", "`!!set` is a YAML tag"),
    "alias-bomb": (3, "a", "`&a` is a YAML anchor; anchors are not allowed (write the value out in full"),
    "merge-key": (8, "people.ann", "`&person` is a YAML anchor"),
    # Shown as escapes, so the terminal that prints the message does not obey them.
    "terminal-escapes": (6, "\\x1b[2J\\x1b]0;pwned\\x07", "is not a known field"),
}
# Files that are valid cases whose text is hostile.
CONTENT = ["html-in-markdown", "html-in-plain-fields", "script-links", "images", "markdown-tricks"]
# What a tag would have created, had it been constructed.
SIDE_EFFECTS = [Path("/tmp/casebook-hostile-apply"), Path("/tmp/casebook-hostile-popen")]


def test_every_hostile_file_is_tested():
    assert {path.stem for path in HOSTILE.glob("*.yaml")} == set(REFUSED) | set(CONTENT)
    assert len(REFUSED) + len(CONTENT) >= 10


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "output"
    return out, publish_shipped_cases(out)


def build_one(text: bytes | str, name: str, tmp_path: Path, out: Path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / f"{name}.yaml"
    case.write_bytes(text if isinstance(text, bytes) else text.encode())
    code, _, stderr = run_cli(["--cases", cases, "--out", out, "--quiet"], capsys)
    return code, problem_lines(stderr, shown(case)), stderr


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_yaml_is_refused_and_nothing_is_constructed(name, tmp_path, capsys, published):
    out, before = published
    for effect in SIDE_EFFECTS:
        effect.unlink(missing_ok=True)
    code, reported, stderr = build_one((HOSTILE / f"{name}.yaml").read_bytes(), name, tmp_path,
                                       out, capsys)
    line, path, words = REFUSED[name]
    assert code == 1
    assert [(found_line, found_path) for found_line, found_path, _ in reported] == [(line, path)]
    assert words in reported[0][2]
    assert "Traceback" not in stderr
    assert "\x1b" not in stderr and "\x07" not in stderr
    assert not any(effect.exists() for effect in SIDE_EFFECTS)
    assert tree_hash(out) == before


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_alias_bomb_fails_fast_in_bounded_memory(tmp_path, capsys, published):
    out, before = published
    # Deeper and wider than the committed file: 20 levels of 20 aliases each, 20**20 strings.
    levels = ["a0: &a0 [" + ",".join(['"lol"'] * 20) + "]"]
    levels += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 20) + "]" for n in range(1, 21)]
    text = "title: Bomb\n" + "\n".join(levels) + "\nsummary: *a20\n"
    memory, started = peak_memory_mb(), time.monotonic()
    code, reported, _ = build_one(text, "bomb", tmp_path, out, capsys)
    assert time.monotonic() - started < 2
    assert peak_memory_mb() - memory < 50
    assert code == 1
    assert [(line, path) for line, path, _ in reported] == [(2, "a0")]
    assert tree_hash(out) == before


def test_a_50_mb_file_is_refused_with_a_clear_message(tmp_path, capsys, published):
    out, before = published
    text = "title: Huge\nsummary: |\n" + "  All work and no play makes a dull case file.\n" * 1_150_000
    assert len(text) > 50_000_000
    started = time.monotonic()
    code, reported, _ = build_one(text, "huge", tmp_path, out, capsys)
    assert time.monotonic() - started < 2
    assert code == 1
    assert len(reported) == 1
    line, path, message = reported[0]
    assert (line, path) == (1, "(file)")
    assert re.search(r"^the file is 5\d\.\d MB, too large \(a case file is at most 1 MB\)", message)
    assert tree_hash(out) == before


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_fails_fast(opening, closing, tmp_path, capsys, published):
    """Nested as deep as fits in 1 MB: the YAML parser's time grows with the square of the
    depth, so the file must be stopped at the first levels, not read to the end."""
    out, before = published
    depth = 1_000_000 // (len(opening) + len(closing))
    text = f"title: Deep\nsummary: {opening * depth}x{closing * depth}\n"
    started = time.monotonic()
    code, reported, stderr = build_one(text, "deep", tmp_path, out, capsys)
    assert time.monotonic() - started < 1
    assert code == 1
    assert "Traceback" not in stderr
    assert [(line, path) for line, path, _ in reported] == [(2, "summary")]
    assert "nested more than 16 levels deep" in reported[0][2]
    assert tree_hash(out) == before


# --- hostile content in valid cases --------------------------------------------------------------

@pytest.fixture(scope="module")
def loopback():
    """A web server on 127.0.0.1 that records every request made to it."""
    with recording_server() as (port, seen):
        yield f"127.0.0.1:{port}", seen


# site.yaml is written by trainers too: its text is as untrusted as the cases'.
HOSTILE_SITE = """\
title: <script>alert("pwned-site-title")</script>
description: '"><img src=x onerror=alert("pwned-site-description")>'
base_url: https://casebook.example/cases/   # so that the feed and sitemap are written too
themes:
  speed:
    title: </a><script>alert("pwned-theme-title")</script>
    description: <iframe src="https://pwned-theme.example/"></iframe> [x](javascript:alert('pwned-theme-link'))
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, loopback):
    """The site built from the hostile content cases; the secret file they point at."""
    address, requests = loopback
    work = tmp_path_factory.mktemp("hostile")
    secret = work / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-7d1f: not part of any project\n")
    (work / "site.yaml").write_text(HOSTILE_SITE, encoding="utf-8")  # read: it is beside cases/
    cases = work / "cases"
    cases.mkdir()
    for name in CONTENT:
        text = (HOSTILE / f"{name}.yaml").read_text(encoding="utf-8")
        text = text.replace("LOOPBACK", address).replace("SECRET_FILE", str(secret))
        (cases / f"{name}.yaml").write_text(text, encoding="utf-8")
    out = work / "output"
    assert main(["--cases", str(cases), "--out", str(out), "--only", "site", "--quiet"]) == 0
    return out / "site", secret, requests


def test_the_hostile_site_builds_without_fetching_anything(hostile_site):
    site, _, requests = hostile_site
    assert (site / "cases" / "images.html").is_file()
    assert requests == []


def test_no_file_outside_the_project_is_read_into_the_site(hostile_site):
    site, secret, _ = hostile_site
    assert secret.read_text().strip().split(":")[0] == "SECRET-7d1f"
    for path in site.rglob("*"):
        if path.is_file():
            assert b"SECRET-7d1f" not in path.read_bytes(), path
            assert b"root:x:0:0" not in path.read_bytes(), path


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


SAFE_SCHEMES = {"http", "https", "mailto"}
INERT_ATTRIBUTES = {"title", "alt", "content", "aria-label", "class", "id", "lang", "datetime"}


class PageAudit(HTMLParser):
    """What a browser would make live from a page, as far as the hostile payloads go."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []    # payload that became markup
        self.text: list[str] = []    # what a reader sees
        self.raw: tuple[str, dict] | None = None  # the open <script> or <style> element

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK in value and not self.inert(tag, name, value):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            self.raw = (tag, dict(attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.raw = None

    def handle_endtag(self, tag):
        if self.raw and tag == self.raw[0]:
            self.raw = None

    def handle_data(self, data):
        if self.raw is None:
            self.text.append(data)
        elif MARK in data and not self.inert_data(data):
            self.live.append(f"<{self.raw[0]}>{data[:80]}")

    def handle_comment(self, data):
        if MARK in data:
            self.live.append(f"<!--{data[:80]}-->")

    @staticmethod
    def inert(tag: str, name: str, value: str) -> bool:
        if name.startswith("on") or name in ("style", "srcset", "src", "action", "formaction",
                                               "data", "poster", "background"):
            return False
        if name == "href":
            return tag == "a" and urlsplit(value).scheme.lower() in SAFE_SCHEMES
        return name in INERT_ATTRIBUTES or name.startswith(("data-", "aria-"))

    def inert_data(self, data: str) -> bool:
        """Text inside <script type="application/json"> is data, if it is whole JSON."""
        if self.raw[0] != "script" or self.raw[1].get("type") not in ("application/json",
                                                                      "application/ld+json"):
            return False
        try:
            json.loads(data)
        except ValueError:
            return False
        return True


def audit(page: Path) -> PageAudit:
    parser = PageAudit()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def feed_audit(path: Path) -> list[str]:
    """Payload made live by an XML file (feed, sitemap): it must be well-formed, and any text
    in it that a feed reader shows as HTML must hold no live payload either."""
    root = ElementTree.parse(path).getroot()  # a payload that broke out would break the XML
    live = []
    for element in root.iter():
        for text in (element.text or "", *element.attrib.values()):
            if MARK in text and "<" in text:
                parser = PageAudit()
                parser.feed(text)
                live += parser.live
    return live


def test_no_payload_is_live_markup_on_any_page(hostile_site):
    site, _, _ = hostile_site
    pages = html_pages(site)
    assert len(pages) >= 7
    live = {str(page.relative_to(site)): audit(page).live for page in pages}
    live |= {str(path.relative_to(site)): feed_audit(path) for path in site.rglob("*.xml")}
    assert {page: found for page, found in live.items() if found} == {}


# Payloads a reader must see, literally, as text on the case's page.
SHOWN_AS_TEXT = {
    "html-in-markdown": [
        '<script>alert("pwned-summary-script")</script>',
        '<iframe src="https://pwned-summary-iframe.example/"></iframe>',
        "<svg onload=\"alert('pwned-what-svg')\"></svg> complains.",
        '<style>body { background: url("https://pwned-summary-style.example/x.png") }</style>',
    ],
    "html-in-plain-fields": [
        '</title><script>alert("pwned-title")</script>',
        "<img src=x onerror=alert('pwned-organization')>",
        '<iframe src=https://pwned-name.example/>',
        "<a href=\"javascript:alert('pwned-lesson')\">Answer fast</a>",
        '<script>alert("pwned-objective")</script>',
        "<b onclick=\"alert('pwned-discussion')\">Why?</b>",
        '</a><script>alert("pwned-source-title")</script>',
    ],
    "script-links": ["<javascript:alert('pwned-autolink')>"],
    "images": [],
    "site": [
        '<script>alert("pwned-site-title")</script>',
        '"><img src=x onerror=alert("pwned-site-description")>',
        '</a><script>alert("pwned-theme-title")</script>',
    ],
    "markdown-tricks": [
        '&lt;script&gt;alert("pwned-entity-title")&lt;/script&gt;',
        '<script>alert("pwned-double-escape")</script>',
        '<script>alert("pwned-code")</script>',
        '<script>alert("pwned-fence")</script>',
        '<SCRIPT SRC=https://pwned-upper.example/x.js></SCRIPT>',
        "{{ 7*7 }} {% raw %}pwned-jinja{% endraw %}",
    ],
}


@pytest.mark.parametrize("name", sorted(SHOWN_AS_TEXT))
def test_payloads_are_shown_as_text(name, hostile_site):
    site, _, _ = hostile_site
    page = site / "lessons.html" if name == "site" else site / "cases" / f"{name}.html"
    text = "".join(audit(page).text)
    for payload in SHOWN_AS_TEXT[name]:
        assert payload in text


def test_images_show_their_alt_text_and_links_their_words(hostile_site):
    site, _, _ = hostile_site
    images = "".join(audit(site / "cases" / "images.html").text)
    for alt in ("passwd", "secret", "loopback", "ref image", "protocol relative", "linked image"):
        assert alt in images
    links = "".join(audit(site / "cases" / "script-links.html").text)
    for words in ("plain", "entity", "hex entity", "vbscript", "data html", "file", "reference"):
        assert words in links


def test_facilitator_notes_stay_off_the_site(hostile_site):
    site, _, _ = hostile_site
    for path in site.rglob("*"):
        if path.is_file():
            assert b"pwned-facilitator" not in path.read_bytes(), path
