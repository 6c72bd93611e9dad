"""Shared test helpers: a tiny project (site.yaml + cases/) in a temporary folder, and sites
built once per test run for the site tests and the browser tests."""
from __future__ import annotations

import os
import signal
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.model.catalog import Catalog
from casebook.model.text import MarkdownRenderer
from corpus import write_corpus
from sitecheck import build_site

# A shell that runs the tests in the background (`make test &`, a CI runner's script) starts
# them with Ctrl-C (SIGINT) ignored, and every process they start would inherit that. The tests
# that press Ctrl-C on a build or on `serve` need it as a terminal gives it: handled here, it is
# reset to the default in each program the tests start.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent

# The builds the tests run keep their encoded pictures in a store of this test run's own
# (build/exhibits.py), never in the user's ~/.cache/casebook.
os.environ["CASEBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="casebook-test-store-")

# The slow tests: a real browser, real PDFs, the site checkers. `make test` (and CI) runs them
# all; `pytest -m "not slow"` runs the rest in well under a minute while working on a change.
SLOW_FILES = {"test_pdf.py", "test_course_pdf.py", "test_pictures_pdf.py", "test_print_reading.py",
              "test_serve_browser.py", "test_html_valid.py"}
SLOW_FOLDERS = {"browser"}


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a browser, PDF or site-checker test (deselect with -m 'not slow')")


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if path.name in SLOW_FILES or SLOW_FOLDERS & set(path.parts):
            item.add_marker(pytest.mark.slow)

SITE_YAML = """\
title: Test Casebook
description: Lessons from test incidents
themes:
  speed:
    title: Respond fast
  channel:
    title: Take it to the right channel
    description: Move the conversation *private*.
"""

# The contract's own example case.
CASE_YAML = """\
title: Picard waits for cable
organization: Time Warner Cable
industry: Cable and internet
date: 2014-02
location: Brooklyn, New York
channels: [Twitter]
outcome: negative
tags: [celebrity, public-reply]
draft: false
summary: |
  One to three paragraphs.
people:
  stewart: {name: Patrick Stewart, side: customer, note: "Actor, new to Brooklyn"}
  twc: {name: Time Warner Cable, side: company}
  shatner: {name: William Shatner, side: public}
timeline:
  - when: start
    who: stewart
    channel: Twitter
    what: Tweets his frustration at the wait for cable installation.
  - when: within 2 minutes
    who: twc
    what: Replies publicly.
  - when: next day
    who: twc
    what: Re-engages publicly with a Star Trek joke.
  - when: later
    who: shatner
    what: Joins in, in support of Stewart.
    mark: escalation
takeaways:
  - lesson: Take it private, then fix it
    theme: channel
    detail: Markdown.
objectives:
  - Tell response time from resolution time
discussion:
  - What should the second reply have said?
facilitator_notes: |
  Points to draw out.
sources:
  - title: When Sir Patrick Stewart Tweets for Customer Service, Make It So
    author: Tricia Morris
"""


class Project:
    """A scratch casebook: write files, then run the real loader or command line on it."""

    def __init__(self, root: Path):
        self.root = root
        self.cases = root / "cases"
        self.out = root / "output"
        self.cases.mkdir(parents=True)
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")

    def write(self, name: str, text: str) -> Path:
        path = self.cases / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def site(self, text: str) -> None:
        (self.root / "site.yaml").write_text(textwrap.dedent(text), encoding="utf-8")

    def args(self, *extra: str) -> list[str]:
        return [*extra, "--cases", str(self.cases), "--out", str(self.out), "--quiet"]


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "book")


@pytest.fixture
def markdown_fails_on_boom(monkeypatch):
    """Rendering any Markdown field that contains "boom" fails as a pathological one would."""
    real = MarkdownRenderer.render

    def fails_on_boom(self, source):
        if "boom" in source:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, source)

    monkeypatch.setattr(MarkdownRenderer, "render", fails_on_boom)


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    catalog: Catalog


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> BuiltSite:
    dest = tmp_path_factory.mktemp("shipped") / "site"
    return BuiltSite(dest, build_site(dest))


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> BuiltSite:
    """The README's example casebook (docs/example/cases/): a made-up case with three
    exhibits and quoted posts, kept out of the shipped cases."""
    dest = tmp_path_factory.mktemp("example") / "site"
    return BuiltSite(dest, build_site(dest, ROOT / "docs" / "example" / "cases"))


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> BuiltSite:
    """The website of 200 generated cases (tests/corpus.py)."""
    work = tmp_path_factory.mktemp("corpus")
    cases = write_corpus(work, 200)
    dest = work / "site"
    return BuiltSite(dest, build_site(dest, cases))
