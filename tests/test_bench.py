"""The benchmark's corpus (bench/generate.py): valid for `check`, deterministic, and its
version 2 features (quotes, exhibits, a course) present or left out as asked."""
from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

from casebook.cli import main
from conftest import ROOT

GENERATE = ROOT / "bench" / "generate.py"
# Cases 0-5 are enough: they have quotes (0-3), a chart shown after the timeline (4) and three
# screenshots, two of them shown with events (5).
COUNT = 6


def generate(dest: Path, *flags: str) -> Path:
    subprocess.run([sys.executable, str(GENERATE), str(COUNT), str(dest), *flags], check=True)
    return dest


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_bench_corpus_passes_check_and_is_deterministic(tmp_path, capsys):
    first, second = generate(tmp_path / "a"), generate(tmp_path / "b")
    assert digests(first) == digests(second)
    book = first / "casebook"
    assert main(["check", "--cases", str(book / "cases")]) == 0
    assert "6 cases checked (0 drafts), 1 course, no problems" in capsys.readouterr().out
    texts = "".join(p.read_text() for p in (book / "cases").glob("*.yaml"))
    assert texts.count("\n    quote: ") >= 4 and texts.count("\n    exhibit: ") == 2
    pictures = sorted(p for p in (book / "cases").rglob("*") if p.suffix in (".png", ".jpg"))
    assert len(pictures) == 4 and all(5_000 < p.stat().st_size < 400_000 for p in pictures)
    # Hugo publishes the same picture files, and a course names six cases.
    hugo = {p.name: p.read_bytes() for p in (first / "hugo" / "static" / "exhibits").rglob("*.*")}
    assert all(hugo[p.name] == p.read_bytes() for p in pictures)
    course = (book / "courses" / "bench-twenty-cases.yaml").read_text()
    assert course.count("\n  - case: ") == COUNT


def test_bench_corpus_without_the_features_is_the_same_cases_without_them(tmp_path):
    full, plain = generate(tmp_path / "a"), generate(tmp_path / "b", "--no-exhibits",
                                                     "--no-quotes", "--no-course")
    cases = sorted((plain / "casebook" / "cases").iterdir())
    assert [p.name for p in cases] == sorted(p.name for p in (full / "casebook" / "cases").glob("*.yaml"))
    assert not (plain / "casebook" / "courses").exists()
    assert not (plain / "hugo" / "static" / "exhibits").exists()
    for path in cases:
        text = path.read_text()
        assert "quote:" not in text and "exhibit" not in text
        # Each feature draws from its own random numbers: the rest of the case is unchanged.
        kept = [line for line in (full / "casebook" / "cases" / path.name).read_text().split("\n")
                if not line.startswith(("    quote:", "    exhibit:"))]
        assert "\n".join(kept).split("\nexhibits:\n")[0].rstrip("\n") == text.rstrip("\n")


def load_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module   # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_features_report_gives_each_features_cost_against_the_plain_corpus():
    run = load_run()
    result = run.SizeResult(100, 2, mode="features")
    cpu = {"plain": (1.0, 0.5), "quotes": (1.05, 0.5), "exhibits": (9.0, 0.6), "course": (1.0, 0.5),
           "full": (9.1, 0.6)}
    for rep in range(2):
        for name, (cold, again) in cpu.items():
            result.add(f"{name}|cold", run.Run(2.0, cold + rep / 100, 50, 120, pages=180))
            result.add(f"{name}|rebuild", run.Run(1.0, again, 50, 120, pages=180))
    report = run.report(result)
    assert "quotes     cold +0.05 s (+5%, ok), rebuild +0.00 s (+0%, ok)" in report
    assert "exhibits   cold +8.00 s (+796%, over), rebuild +0.10 s (+20%, over)" in report
    assert "all three  cold +8.10 s (+806%, over)" in report


def test_features_report_gives_the_first_build_with_an_empty_picture_store_when_measured():
    run = load_run()
    result = run.SizeResult(100, 1, mode="features")
    for name in run.VARIANTS:
        pictures = name in ("exhibits", "full")
        result.add(f"{name}|first", run.Run(2.0, 6.0 if pictures else 1.0, 50, 120, pages=180))
        result.add(f"{name}|cold", run.Run(2.0, 1.05 if pictures else 1.0, 50, 120, pages=180))
        result.add(f"{name}|rebuild", run.Run(1.0, 0.5, 50, 120, pages=180))
    report = run.report(result)
    assert "first build (empty output and empty picture store), CPU s: plain 1.00" in report
    assert "exhibits   first +5.00 s (+500%, over), cold +0.05 s (+5%, ok), rebuild +0.00 s (+0%, ok)" in report
