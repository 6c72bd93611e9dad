"""Publishing never loses the previous site and never deletes what Casebook did not make.

- A build killed or interrupted half-way leaves the previous `output/site/` whole (real
  processes, really killed), and the next build clears what the killed one left.
- A build that fails after it started writing leaves the previous site whole.
- `--out` refuses a folder that is neither empty nor marked as Casebook output, exit 2,
  everything in it untouched.
- Two builds of the same input are byte-identical.
- Two case files whose slugs collide are an error, never one page overwriting the other.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.build.cache import CACHE_FOLDER
from casebook.reading.load import shown
from casebook.build.publish import MARKER, clean_stale, staging
from harness import problem_lines, publish_shipped_cases, run_cli, tree_hash

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cases"


def many_cases(folder: Path, count: int) -> Path:
    """`count` copies of a shipped case, so that writing the site takes a while."""
    folder.mkdir()
    text = (SHIPPED / "american-airlines-fast-but-empty-reply.yaml").read_text(encoding="utf-8")
    for number in range(count):
        (folder / f"copy-{number:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


def staged(out: Path) -> list[Path]:
    return [path for path in out.iterdir() if path.name.startswith(".site-new-")]


def interrupt_while_writing(cases: Path, out: Path, stop, attempts: int = 5):
    """A real build process, stopped by `stop(process)` while it writes pages into its staging
    folder: (process, staging folder, stderr, the published site's fingerprint before it).

    A build writes a casebook's pages in a fraction of a second, so the signal may land only
    after the site was published; that build is not the one wanted, and another is started."""
    for _ in range(attempts):
        before = tree_hash(out / "site")
        process = subprocess.Popen(
            [sys.executable, "build.py", "--cases", str(cases), "--out", str(out), "--only",
             "site", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stage = wait_for_pages(process, out)
        if stage is not None:
            stop(process)
        _, stderr = process.communicate(timeout=60)
        if process.returncode != 0:
            return process, stage, stderr.decode(), before
    pytest.fail(f"none of {attempts} builds could be stopped while it wrote pages")


def wait_for_pages(process: subprocess.Popen, out: Path) -> Path | None:
    """The build's staging folder once it holds pages; None if the build ended first."""
    deadline = time.monotonic() + 120
    while process.poll() is None:
        assert time.monotonic() < deadline, "the build never started writing pages"
        stages = staged(out)
        if stages and any((stages[0] / "cases").glob("*.html")):
            return stages[0]
        time.sleep(0.002)
    return None


@pytest.fixture
def published(tmp_path):
    out = tmp_path / "output"
    publish_shipped_cases(out)
    return out, tree_hash(out / "site")


def test_a_killed_build_leaves_the_previous_site_whole(tmp_path, published, capsys):
    out, _ = published
    cases = many_cases(tmp_path / "cases", 150)

    process, stage, _, before = interrupt_while_writing(cases, out, lambda build: build.kill())

    assert process.returncode == -signal.SIGKILL
    assert any((stage / "cases").glob("*.html"))  # it was killed while writing the new site
    assert tree_hash(out / "site") == before
    # The next build clears the killed one's staging folder and publishes.
    code, _, _ = run_cli(["--cases", SHIPPED, "--out", out, "--only", "site", "--quiet"], capsys)
    assert code == 0
    assert staged(out) == []
    assert sorted(path.name for path in out.iterdir()) == [CACHE_FOLDER, MARKER, "site"]


def test_an_interrupted_build_says_so_and_leaves_the_previous_site_whole(tmp_path, published):
    out, _ = published
    cases = many_cases(tmp_path / "cases", 150)

    process, _, stderr, before = interrupt_while_writing(  # SIGINT: what Ctrl-C sends
        cases, out, lambda build: build.send_signal(signal.SIGINT))

    assert process.returncode == 130
    assert "interrupted; the previous output is unchanged" in stderr
    assert "Traceback" not in stderr  # nor from the --jobs workers
    assert tree_hash(out / "site") == before
    assert staged(out) == []


def test_a_build_failing_while_it_writes_publishes_nothing(published):
    out, before = published
    with pytest.raises(OSError):
        with staging(out, "site") as stage:
            (stage / "index.html").write_text("half a site", encoding="utf-8")
            raise OSError(28, "No space left on device")
    assert tree_hash(out / "site") == before
    assert staged(out) == []


def test_a_successful_build_replaces_the_site_and_leaves_nothing_else(published, capsys):
    out, _ = published
    code, _, _ = run_cli(["--cases", SHIPPED, "--out", out, "--only", "site", "--quiet"], capsys)
    assert code == 0
    assert sorted(path.name for path in out.iterdir()) == [CACHE_FOLDER, MARKER, "site"]
    assert (out / "site" / "index.html").is_file()


@pytest.mark.parametrize("command", [[], ["check"]])
def test_out_refuses_a_folder_it_did_not_make(command, tmp_path, capsys):
    out = tmp_path / "my documents"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("my own page", encoding="utf-8")
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree_hash(out)

    code, _, stderr = run_cli([*command, "--cases", SHIPPED, "--out", out, "--quiet"], capsys)

    if command == ["check"]:  # check never writes, so it has nothing to refuse
        assert code == 0
    else:
        assert code == 2
        assert f"{out} is not empty and was not made by Casebook" in stderr
        assert "choose an empty or new folder for --out" in stderr
    assert tree_hash(out) == before


def test_out_refuses_a_file(tmp_path, capsys):
    out = tmp_path / "output"
    out.write_text("not a folder", encoding="utf-8")
    code, _, stderr = run_cli(["--cases", SHIPPED, "--out", out, "--quiet"], capsys)
    assert code == 2
    assert "is a file, not a folder" in stderr
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_out_that_cannot_be_made_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, stderr = run_cli(["--cases", SHIPPED, "--out", blocker / "output", "--quiet"], capsys)
    assert code == 2
    assert "cannot write the output folder" in stderr
    assert "Traceback" not in stderr


def test_out_keeps_what_the_user_added_beside_the_site(published, capsys):
    out, _ = published
    (out / "README.txt").write_text("my notes", encoding="utf-8")
    (out / ".site-new-notes").mkdir()  # looks a bit like a staging folder, is not one
    code, _, _ = run_cli(["--cases", SHIPPED, "--out", out, "--only", "site", "--quiet"], capsys)
    assert code == 0
    assert (out / "README.txt").read_text(encoding="utf-8") == "my notes"
    assert (out / ".site-new-notes").is_dir()


def test_an_empty_or_new_folder_is_accepted(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "output"):
        code, _, _ = run_cli(["--cases", SHIPPED, "--out", out, "--only", "site", "--quiet"], capsys)
        assert code == 0
        assert (out / MARKER).is_file() and (out / "site" / "index.html").is_file()


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    """Separate processes with different hash seeds (set and dict order), run from different
    folders, at different times."""
    outs = []
    for seed, cwd in (("1", ROOT), ("2", tmp_path)):
        out = tmp_path / f"output-{seed}"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--cases", str(SHIPPED),
                        "--out", str(out), "--only", "site", "--quiet", "--jobs", seed],
                       cwd=cwd, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outs.append(out / "site")
        time.sleep(1.1)  # a build time or date in a page would now differ
    assert tree_hash(outs[0]) == tree_hash(outs[1])
    for page in outs[1].rglob("*"):
        if page.is_file():
            assert str(tmp_path).encode() not in page.read_bytes(), page


def test_slugs_that_differ_only_in_case_are_an_error(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    text = (SHIPPED / "american-airlines-fast-but-empty-reply.yaml").read_text(encoding="utf-8")
    (cases / "late-reply.yaml").write_text(text, encoding="utf-8")
    (cases / "Late-Reply.yaml").write_text(text.replace("American Airlines answers",
                                                        "Someone else answers"), encoding="utf-8")
    out = tmp_path / "output"

    code, _, stderr = run_cli(["--cases", cases, "--out", out, "--quiet"], capsys)

    assert code == 1
    reported = problem_lines(stderr, shown(cases / "Late-Reply.yaml"))
    assert len(reported) == 1
    line, path, message = reported[0]
    assert (line, path) == (1, "(file)")
    assert "late-reply.yaml" in message and "same" in message
    assert not out.exists()


def test_new_never_overwrites_a_case_whatever_its_case(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    existing = cases / "Late-Reply.yaml"
    existing.write_text("my work", encoding="utf-8")

    code, _, stderr = run_cli(["new", "Late reply", "--cases", cases], capsys)

    assert code == 1
    assert "already exists" in stderr
    assert [path.name for path in cases.iterdir()] == ["Late-Reply.yaml"]
    assert existing.read_text(encoding="utf-8") == "my work"


def test_a_build_that_cannot_write_says_so_and_leaves_the_previous_site_whole(published):
    """A real disk error half-way through (files over 4 KB refused, as on a full disk)."""
    out, before = published

    def small_files_only():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get an error, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    process = subprocess.run(
        [sys.executable, "build.py", "--cases", str(SHIPPED), "--out", str(out), "--only", "site",
         "--quiet"], cwd=ROOT, capture_output=True, text=True, preexec_fn=small_files_only)

    assert process.returncode == 1
    assert "could not write the output (File too large" in process.stderr
    assert "the previous output is unchanged" in process.stderr
    assert "Traceback" not in process.stderr
    assert tree_hash(out / "site") == before
    assert staged(out) == []


def test_a_swap_cut_short_between_its_two_renames_is_undone_before_the_next_build(published):
    """Where folders cannot be exchanged in one step, the site is renamed aside, then the new
    one into place; a build killed between the two leaves `.site-old` and no `site`."""
    out, before = published
    (out / "site").rename(out / ".site-old")
    shutil.copytree(out / ".site-old", out / ".site-new-abcd1234")  # the unfinished new site

    clean_stale(out)  # what every build does first
    assert tree_hash(out / "site") == before
    assert sorted(path.name for path in out.iterdir()) == [CACHE_FOLDER, MARKER, "site"]
