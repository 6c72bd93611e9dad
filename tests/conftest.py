"""Sites built once per test run and shared by the site tests and the browser tests."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.catalog import Catalog
from corpus import write_corpus
from sitecheck import build_site


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    catalog: Catalog


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> BuiltSite:
    dest = tmp_path_factory.mktemp("shipped") / "site"
    return BuiltSite(dest, build_site(dest))


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> BuiltSite:
    """The website of 200 generated cases (tests/corpus.py)."""
    work = tmp_path_factory.mktemp("corpus")
    cases = write_corpus(work, 200)
    dest = work / "site"
    return BuiltSite(dest, build_site(dest, cases))
