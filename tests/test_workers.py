"""--jobs: worker processes give the same site, byte for byte, as one process."""
from __future__ import annotations

from casebook.cli import main
from casebook.workers import map_in_chunks, worker_count
from corpus import write_corpus
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
