"""--jobs: worker processes give the same site, byte for byte, as one process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from casebook.cli import main
from casebook.build.workers import map_in_chunks, worker_count
from corpus import write_corpus
from conftest import ROOT
from harness import tree_hash


def test_workers_build_the_same_site_as_one_process(tmp_path):
    cases = write_corpus(tmp_path / "corpus", 200)
    assert worker_count(2, 200) == 2  # the corpus is big enough to be shared out
    digests = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert main(["--only", "site", "--jobs", jobs, "--cases", str(cases), "--out", str(out),
                     "--quiet"]) == 0
        digests.append(tree_hash(out / "site"))
    assert digests[0] == digests[1]


def _square(numbers):
    return [n * n for n in numbers]


def test_results_come_back_in_the_items_order():
    assert map_in_chunks(_square, list(range(301)), jobs=3) == [n * n for n in range(301)]


def test_workers_report_every_problem(tmp_path, capsys):
    cases = write_corpus(tmp_path / "corpus", 120)
    broken = sorted(cases.glob("*.yaml"))[::40]
    for path in broken:
        path.write_text(path.read_text().replace("outcome: ", "outcome: x", 1))
    assert main(["check", "--jobs", "2", "--cases", str(cases)]) == 1
    err = capsys.readouterr().err
    assert all(f"{path.name}:" in err and "outcome: `x" in err for path in broken)


def test_a_killed_build_leaves_no_worker_behind(tmp_path):
    cases = write_corpus(tmp_path / "corpus", 400)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--only", "site", "--jobs", "2", "--cases",
         str(cases), "--out", str(tmp_path / "out"), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    assert workers, "the build never started its workers"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)  # would hang while a worker kept the pipes open
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text()]
