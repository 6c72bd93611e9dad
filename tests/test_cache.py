"""The build cache (output/.cache/): a build that reuses it gives, byte for byte, the site a
build without it gives, after every kind of change; and it really is reused."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dataclasses
import pickle

from markupsafe import Markup

from casebook.build.cache import CACHE_FOLDER, SECRET_VARIABLE, load_signed, save_signed
from casebook.reading.load import find_site_file
from casebook.build.sitebuild import read_cases
from conftest import ROOT
from corpus import write_corpus
from harness import run_cli, tree_hash

SHIPPED = ROOT / "cases"
TWC = "twc-patrick-stewart-cable-wait"


class Book:
    """A casebook in a scratch folder with one output folder that every build reuses."""

    def __init__(self, root: Path, capsys):
        self.root, self.capsys = root, capsys
        self.cases = root / "cases"
        shutil.copytree(SHIPPED, self.cases)
        shutil.copy(ROOT / "site.yaml", root / "site.yaml")
        self.out = root / "output"
        self.cold_builds = 0

    def build(self, out: Path | None = None) -> tuple[int, str]:
        code, _, err = run_cli(["--only", "site", "--cases", self.cases, "--out",
                                out or self.out, "--quiet", "--jobs", "1"], self.capsys)
        return code, err

    def cold(self) -> str:
        """The site a build with no previous output and no cache makes of the same files."""
        self.cold_builds += 1
        out = self.root / f"cold-{self.cold_builds}"
        assert self.build(out)[0] == 0
        return tree_hash(out / "site")

    def assert_same_as_cold(self) -> None:
        assert self.build()[0] == 0
        assert tree_hash(self.out / "site") == self.cold()

    def edit(self, slug: str, old: str, new: str) -> None:
        path = self.cases / f"{slug}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {slug}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def book(tmp_path, capsys):
    book = Book(tmp_path, capsys)
    assert book.build()[0] == 0
    return book


def test_a_title_edit_gives_the_cold_build(book):
    # The title shows on the case page, its neighbours' pagers, the index, lessons and listings.
    book.edit(TWC, "title: ", "title: Renamed ")
    book.assert_same_as_cold()


def test_an_event_edit_and_a_takeaway_edit_give_the_cold_build(book):
    text = (book.cases / f"{TWC}.yaml").read_text(encoding="utf-8")
    book.edit(TWC, "what: ", "what: (edited) ")
    book.assert_same_as_cold()
    book.edit(TWC, "lesson: ", "lesson: Edited lesson ")
    book.assert_same_as_cold()
    (book.cases / f"{TWC}.yaml").write_text(text, encoding="utf-8")  # and back again
    book.assert_same_as_cold()


def test_added_deleted_and_renamed_cases_give_the_cold_build(book):
    source = book.cases / f"{TWC}.yaml"
    shutil.copy(source, book.cases / "a-copy-of-twc.yaml")
    book.edit("a-copy-of-twc", "title: ", "title: Copy of ")
    book.assert_same_as_cold()
    (book.cases / "a-copy-of-twc.yaml").rename(book.cases / "renamed-copy.yaml")
    book.assert_same_as_cold()
    assert not (book.out / "site" / "cases" / "a-copy-of-twc.html").exists()
    (book.cases / "renamed-copy.yaml").unlink()
    source.unlink()
    book.assert_same_as_cold()
    assert not (book.out / "site" / "cases" / f"{TWC}.html").exists()


def test_drafting_and_publishing_a_case_give_the_cold_build(book):
    book.edit(TWC, "outcome: ", "draft: true\noutcome: ")
    book.assert_same_as_cold()
    assert not (book.out / "site" / "cases" / f"{TWC}.html").exists()
    book.edit(TWC, "draft: true", "draft: false")
    book.assert_same_as_cold()


def test_a_site_yaml_edit_gives_the_cold_build(book):
    site = book.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: ", "title: New ", 1),
                    encoding="utf-8")
    book.assert_same_as_cold()
    assert "New " in (book.out / "site" / "cases" / f"{TWC}.html").read_text(encoding="utf-8")


def test_a_bad_edit_publishes_nothing_and_the_fix_gives_the_cold_build(book):
    before = tree_hash(book.out / "site")
    book.edit(TWC, "outcome: ", "outcome: sideways-")
    code, err = book.build()
    assert code == 1 and f"{TWC}.yaml:" in err and "outcome" in err
    assert tree_hash(book.out / "site") == before
    book.edit(TWC, "outcome: sideways-", "outcome: ")
    book.assert_same_as_cold()


def test_a_damaged_or_deleted_cache_only_costs_time(book):
    for damaged in (book.out / CACHE_FOLDER / "site").rglob("*"):
        if damaged.is_file():
            damaged.write_bytes(b"not what a build wrote")
    book.edit(TWC, "title: ", "title: Damaged cache ")
    book.assert_same_as_cold()
    shutil.rmtree(book.out / CACHE_FOLDER)
    book.assert_same_as_cold()


def test_a_published_page_changed_by_hand_is_written_again(book):
    page = book.out / "site" / "cases" / f"{TWC}.html"
    page.write_text("changed by hand", encoding="utf-8")
    book.assert_same_as_cold()


def test_only_the_edited_case_is_read_and_rendered_again(book):
    def fresh() -> set[str]:
        cases = read_cases(find_site_file(book.cases, ROOT), book.cases, book.out, frozenset())
        return set(cases.pages)

    assert fresh() == set()
    book.edit(TWC, "what: ", "what: (edited) ")
    assert fresh() == {TWC}


def test_unchanged_case_pages_are_linked_not_written(book):
    published = book.out / "site" / "cases"
    before = {page.name: page.stat().st_ino for page in published.glob("*.html")}
    book.edit(TWC, "what: ", "what: (edited) ")
    assert book.build()[0] == 0
    after = {page.name: page.stat().st_ino for page in published.glob("*.html")}
    assert after.pop(f"{TWC}.html") != before.pop(f"{TWC}.html")
    assert after == before  # the same files, not copies


def test_a_template_or_code_change_gives_the_cold_build(tmp_path):
    """The program key covers templates and Casebook's own code: a copy of the repository
    with a changed template rebuilds every page that shows it."""
    repo = tmp_path / "repo"
    for name in ("casebook", "templates"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "site.yaml"):
        shutil.copy(ROOT / name, repo / name)
    cases = write_corpus(tmp_path / "corpus", 60)

    def build(out: Path) -> str:
        subprocess.run([sys.executable, str(repo / "build.py"), "--only", "site", "--cases",
                        str(cases), "--out", str(out), "--quiet"], check=True,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        return tree_hash(out / "site")

    build(tmp_path / "out")
    partial = repo / "templates" / "partials" / "card.html"
    partial.write_text(partial.read_text(encoding="utf-8").replace(
        '<article class="card">', '<article class="card changed">'), encoding="utf-8")
    assert build(tmp_path / "out") == build(tmp_path / "cold-1")
    assert "card changed" in (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    timeline = repo / "templates" / "partials" / "timeline.html"
    timeline.write_text(timeline.read_text(encoding="utf-8") + "<!-- changed -->\n",
                        encoding="utf-8")
    assert build(tmp_path / "out") == build(tmp_path / "cold-2")
    code = repo / "casebook" / "model" / "case.py"  # shorter descriptions, on every (cached) case page
    code.write_text(code.read_text(encoding="utf-8").replace(
        "DESCRIPTION_LENGTH = 160", "DESCRIPTION_LENGTH = 40"), encoding="utf-8")
    assert build(tmp_path / "out") == build(tmp_path / "cold-3")


def test_a_cache_in_the_way_or_of_the_wrong_shape_is_ignored(book):
    shutil.rmtree(book.out / CACHE_FOLDER)
    (book.out / CACHE_FOLDER).write_text("not a folder", encoding="utf-8")
    book.edit(TWC, "title: ", "title: Renamed ")
    book.assert_same_as_cold()
    site_cache = book.out / CACHE_FOLDER / "site"
    (site_cache / "published.json").write_text('{"cases/x.html": 5}')
    for entry in (site_cache / "entries").glob("*.json"):
        save_signed(entry, [1, 2])
    book.edit(TWC, "title: Renamed ", "title: Renamed again ")
    book.assert_same_as_cold()


class RunsCode:
    """What a pickle would run when loaded."""

    def __reduce__(self):
        return (os.system, (f"touch {MARK}",))


MARK = "/tmp/casebook-cache-ran-code"


def test_a_cache_file_never_runs_code_and_unsigned_entries_are_ignored(book):
    """A restored or shared cache is data: a pickle in it is never loaded, and entries that
    the build's key did not sign (a card with a script, say) never reach the site."""
    site_cache = book.out / CACHE_FOLDER / "site"
    Path(MARK).unlink(missing_ok=True)
    files = [site_cache / "published.json", site_cache / "published.pickle",
             *(site_cache / "entries").glob("*.json")]
    assert len(files) > 3
    for file in files:
        file.write_bytes(pickle.dumps(RunsCode()))
    book.assert_same_as_cold()
    assert not Path(MARK).exists()

    # Entries as the build writes them, but with a script in every card, signed with another
    # key (or not at all): ignored.
    def forge(sign_as=None) -> None:
        for file in (site_cache / "entries").glob("*.json"):
            key, entry = load_signed(file, None)
            forged = dataclasses.replace(entry, cards={root: Markup("<script>forged()</script>")
                                                       for root in entry.cards})
            monkey = pytest.MonkeyPatch()
            if sign_as is not None:
                monkey.setattr("casebook.build.cache._secret", sign_as or None)
                if not sign_as:
                    monkey.setenv(SECRET_VARIABLE, "a key the attacker chose")
            save_signed(file, (key, forged))
            monkey.undo()

    for key in (b"another build's key", b""):
        forge(key)
        book.edit(TWC, "title: ", "title: Renamed ")
        book.assert_same_as_cold()
        assert "forged()" not in (book.out / "site" / "index.html").read_text(encoding="utf-8")
        book.edit(TWC, "title: Renamed ", "title: ")
    # Signed with the build's own key, the same entries are used (which is what the key is for).
    forge()
    book.build()
    assert "forged()" in (book.out / "site" / "index.html").read_text(encoding="utf-8")


def test_an_entry_under_another_keys_name_is_ignored(book):
    """Each entry is a file named by its key, and says its key inside, signed: an entry
    copied over another case's file is not that case's entry."""
    entries = book.out / CACHE_FOLDER / "site" / "entries"
    files = sorted(entries.glob("*.json"))
    twc = next(file for file in files if load_signed(file, None)[1].summary.slug == TWC)
    other = next(file for file in files if file != twc)
    shutil.copy(other, twc)
    assert book.build()[0] == 0
    assert tree_hash(book.out / "site") == book.cold()
    assert load_signed(twc, None)[1].summary.slug == TWC   # written again, right


def test_a_rebuild_writes_only_the_entries_of_cases_it_read(book):
    """The cache is not written again whole: one edit writes one entry file and deletes the
    entry of the case's previous version; the other files stay as they were."""
    entries = book.out / CACHE_FOLDER / "site" / "entries"
    before = {file.name: file.stat().st_mtime_ns for file in entries.glob("*.json")}
    book.edit(TWC, "what: ", "what: (edited) ")
    assert book.build()[0] == 0
    after = {file.name: file.stat().st_mtime_ns for file in entries.glob("*.json")}
    assert len(set(before) - set(after)) == 1
    assert len(set(after) - set(before)) == 1
    assert {name: after[name] for name in set(before) & set(after)} == \
        {name: before[name] for name in set(before) & set(after)}


def test_a_cache_that_cannot_be_saved_only_warns(book, monkeypatch):
    def disk_full(path, value):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("casebook.build.sitebuild.save_signed", disk_full)
    book.edit(TWC, "title: ", "title: Renamed ")
    code, err = book.build()
    assert code == 0
    assert "the site is published, but the build cache could not be saved" in err
    assert "Renamed" in (book.out / "site" / "cases" / f"{TWC}.html").read_text(encoding="utf-8")


def test_damaged_or_swapped_pdf_layouts_are_laid_out_again(book):
    """A cached layout is used only if its bytes are those it was saved with."""
    def build_all(out):
        code, _, err = run_cli(["--cases", book.cases, "--out", out, "--quiet"], book.capsys)
        assert code == 0, err

    build_all(book.out)
    layouts = sorted((book.out / CACHE_FOLDER / "pdf").glob("*.pdf"))
    layouts[0].write_bytes(layouts[0].read_bytes()[:100])        # truncated
    layouts[1].write_bytes(layouts[2].read_bytes())              # another document's layout
    build_all(book.out)
    build_all(book.root / "cold")
    for pdf in ["site/pdf/handbook.pdf", "facilitator/handbook-facilitator.pdf",
                *(f"site/pdf/{path.stem}.pdf" for path in book.cases.glob("*.yaml"))]:
        assert (book.out / pdf).read_bytes() == (book.root / "cold" / pdf).read_bytes(), pdf


def test_a_pdf_layout_is_used_only_if_this_build_signed_what_it_claims(tmp_path, monkeypatch):
    """An entry's name claims a layout (the hash of its HTML) and its bytes: a file named
    for a layout by anyone without the build's key, or renamed from another layout, is not
    used (and is removed)."""
    import hashlib

    from casebook.build import pdfbuild

    layouts = pdfbuild.Layouts(tmp_path / "pdf", b"salt")
    key, other = layouts.key("<p>the handout</p>"), layouts.key("<p>another</p>")
    forged = b"%PDF-1.7 a document nobody laid out for this key"
    (tmp_path / "pdf" / f"{key}-{hashlib.sha256(forged).hexdigest()[:32]}.pdf").write_bytes(forged)
    assert layouts.cached(key) is None
    monkeypatch.setattr("casebook.build.cache._secret", b"another key")
    (tmp_path / "pdf" / pdfbuild._entry_name(key, forged)).write_bytes(forged)
    monkeypatch.undo()
    assert layouts.cached(key) is None
    renamed = tmp_path / "pdf" / pdfbuild._entry_name(other, forged)
    renamed.write_bytes(forged)
    renamed.rename(tmp_path / "pdf" / (key + renamed.name[len(other):]))
    assert layouts.cached(key) is None
    assert list((tmp_path / "pdf").iterdir()) == []
    genuine = tmp_path / "pdf" / pdfbuild._entry_name(key, forged)
    genuine.write_bytes(forged)
    assert layouts.cached(key) == genuine


def test_course_and_case_edits_give_the_cold_build(book):
    """A course's page is built from the cases' cached summaries: a course edit, and an edit
    of a case the course uses (its title, its questions), give the cold build's site."""
    shutil.copytree(ROOT / "courses", book.root / "courses")
    book.assert_same_as_cold()
    course = next((book.root / "courses").glob("*.yaml"))
    course.write_text(course.read_text(encoding="utf-8").replace("minutes: 40", "minutes: 45"),
                      encoding="utf-8")
    book.assert_same_as_cold()
    assert '<td class="agenda-time">10:00</td>' in (
        book.out / "site" / "courses" / f"{course.stem}.html").read_text(encoding="utf-8")
    book.edit(TWC, "title: ", "title: Renamed ")
    book.assert_same_as_cold()
    assert "Renamed " in (book.out / "site" / "courses" / f"{course.stem}.html").read_text(encoding="utf-8")
    course.unlink()
    book.assert_same_as_cold()
    assert not (book.out / "site" / "courses" / f"{course.stem}.html").exists()


def test_the_pages_folder_of_a_build_is_removed_after_it(book, tmp_path, monkeypatch):
    """Workers write the pages they render into a private temporary folder (so no process
    holds them): it is gone after the build, whether the build published or stopped at a
    problem."""
    import gc
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    book.edit(TWC, "title: ", "title: Renamed ")
    assert book.build()[0] == 0
    gc.collect()
    assert list(temporary.glob("casebook-pages-*")) == []
    book.edit(TWC, "title: Renamed ", "title: [broken")
    assert book.build()[0] != 0
    gc.collect()
    assert list(temporary.glob("casebook-pages-*")) == []
