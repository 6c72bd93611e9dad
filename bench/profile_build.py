#!/usr/bin/env python3
"""Where a cold site build's time goes, and what issue 6's design points would save.

    .venv/bin/python bench/profile_build.py [N] [--phases-only]   # default N: 1,000 cases

1. cProfile of one cold `--only site` build (run_build, as build.py runs it): the functions
   that take the time, inclusive, by area (bench/work/profile-<N>.txt has the full listing).
2. The same work timed without the profiler, phase by phase, and measured experiments for
   the design points, using Casebook's own functions (casebook/ is not changed):
   - YAML: libyaml's CSafeLoader event stream against the pure-Python SafeLoader;
   - Markdown: every fragment through Python-Markdown against skipping plain-text ones;
   - a content-hash cache: what a rebuild after one edit still has to do (hash every file,
     load the cached models, parse the edited case, render the pages it touches);
   - parallel workers: loading and rendering in 2 forked processes.
"""
from __future__ import annotations

import cProfile
import hashlib
import io
import multiprocessing
import pickle
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
sys.path.insert(0, str(ROOT))

from casebook.model import text as casebook_text  # noqa: E402
from casebook.model.catalog import build_catalog  # noqa: E402
from casebook.reading.load import Loader, case_files, sort_cases  # noqa: E402
from casebook.build.project import load_project  # noqa: E402
from casebook.model.case import Project  # noqa: E402
from casebook.build.pipeline import BuildOptions, run_build  # noqa: E402
from casebook.render.templates import environment  # noqa: E402
from casebook.web.site import render_page, site_pages  # noqa: E402

# Inclusive time of these functions tells the areas apart (names as pstats shows them).
# Inclusive time of these functions, counted where `caller` (a file) calls them, tells the
# areas apart without counting nested calls (a Record.check inside a ListOf.check) twice.
AREAS = [
    ("read_cases (read, check, Markdown, render each case: the workers' part)", "sitebuild.py", "read_cases", None),
    ("  read_tree: file -> tree (libyaml events + Casebook's _assemble)", "yamltree.py", "read_tree", "load.py"),
    ("  format checks (formats.CASE.check)", "fields.py", "check", "load.py"),
    ("    of which time phrases (parse_when)", "timeline.py", "parse_when", None),
    ("  Markdown: MarkdownRenderer.render", "text.py", "render", "load.py"),
    ("    of which Python-Markdown convert()", "core.py", "convert", "text.py"),
    ("    of which the fast path (simple_markdown)", "text.py", "simple_markdown", "text.py"),
    ("    of which plain_paragraphs (skipped parser)", "text.py", "plain_paragraphs", "text.py"),
    ("  elapsed times and figures", "load.py", "compute_figures", "load.py"),
    ("  the case page (render_page)", "site.py", "render_page", "sitebuild.py"),
    ("  the summary (search text, description)", "model.py", "summarize", "sitebuild.py"),
    ("  the cards", "site.py", "render_cards", "sitebuild.py"),
    ("write_site_pages (pages about many cases, pagers, writing)", "sitebuild.py", "write_site_pages", None),
    ("  catalog_of", "catalog.py", "catalog_of", "sitebuild.py"),
]


def timed(function, *args, repeat: int = 3):
    """The least CPU time of `repeat` calls (this process only), and the last result.

    CPU time and the minimum, because the machine is shared: other work stretches wall time."""
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = function(*args)
        times.append(time.process_time() - started)
    return min(times), result


def corpus(size: int) -> Path:
    root = WORK / f"n{size}"
    if not (root / "casebook" / "cases").is_dir():
        subprocess.run([sys.executable, str(BENCH / "generate.py"), str(size), str(root)], check=True)
    return root / "casebook" / "cases"


# ---------------------------------------------------------------- 1. cProfile

def profile_build(cases: Path, size: int) -> None:
    out = WORK / "profile-out"
    shutil.rmtree(out, ignore_errors=True)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(run_build, BuildOptions(root=ROOT, cases=cases, out=out, only="site", quiet=True))
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"\n## cProfile of one cold site build, {size:,} cases: {wall:.1f} s wall under the profiler\n")
    print(f"{'area (inclusive time)':<66}{'s':>7}{'share':>8}")
    for label, file, name, caller in AREAS:
        seconds = inclusive(stats, file, name, caller)
        print(f"{label:<66}{seconds:>7.2f}{seconds / total:>8.0%}")
    listing = io.StringIO()
    pstats.Stats(profiler, stream=listing).sort_stats("tottime").print_stats(40)
    pstats.Stats(profiler, stream=listing).sort_stats("cumulative").print_stats(60)
    (WORK / f"profile-{size}.txt").write_text(listing.getvalue(), encoding="utf-8")
    print(f"\nTop functions by own time (full listing: bench/work/profile-{size}.txt):")
    for (file, line, name), (_, calls, own, cumulative, _) in sorted(
            stats.stats.items(), key=lambda item: -item[1][2])[:15]:
        print(f"  {own:6.2f} s own {cumulative:6.2f} s incl {calls:>9} calls  {short(file)}:{name}")


def inclusive(stats: pstats.Stats, file: str, name: str, caller: str | None) -> float:
    """Inclusive time of a function, only of its calls from `caller` (a file) when given."""
    total = 0.0
    for (path, _, func), (_, _, _, cumulative, callers) in stats.stats.items():
        if path.endswith(file) and func == name:
            total += cumulative if caller is None else sum(
                timing[3] for (caller_path, _, _), timing in callers.items() if caller_path.endswith(caller))
    return total


def short(path: str) -> str:
    parts = Path(path).parts
    return "/".join(parts[-2:]) if len(parts) > 1 else path


# ---------------------------------------------------------------- 2. phases and experiments

def phases(cases: Path, size: int) -> dict:
    results = {}
    load_s, project = timed(load_project, ROOT, cases)
    catalog_s, catalog = timed(build_catalog, project)
    env = environment()
    pages = site_pages(catalog)
    kinds = {}
    for page in pages:
        started = time.process_time()
        render_page(env, catalog, page, frozenset())
        kind = page.path.split("/")[0] if "/" in page.path else page.path
        kinds[kind] = kinds.get(kind, 0.0) + time.process_time() - started
    results.update(load=load_s, catalog=catalog_s, render=sum(kinds.values()), render_kinds=kinds)
    results["yaml"] = yaml_experiment(cases)
    results["markdown"] = markdown_experiment(project)
    results["cache"] = cache_experiment(cases, project, catalog, env, pages, kinds)
    results["parallel"] = parallel_experiment(cases)
    print_phases(size, results)
    return results


def yaml_experiment(cases: Path) -> dict:
    texts = [path.read_text(encoding="utf-8") for path in sorted(cases.glob("*.yaml"))]

    def events(loader):
        return sum(1 for text in texts for _ in yaml.parse(text, Loader=loader))

    c_s, _ = timed(events, yaml.CSafeLoader)
    sample = texts[:100]  # the pure-Python parser is slow: time 100 files and scale up
    py_s, _ = timed(lambda: sum(1 for text in sample for _ in yaml.parse(text, Loader=yaml.SafeLoader)))
    py_s *= len(texts) / max(1, len(sample))
    tree_s, _ = timed(lambda: [casebook_tree(text) for text in texts])
    return {"csafe_events": c_s, "python_events": py_s, "casebook_tree": tree_s}


def casebook_tree(text: str):
    from casebook.reading.problems import Problems
    from casebook.reading.yamltree import parse_tree
    return parse_tree(text, Problems("bench"))


def markdown_sources(project: Project) -> list[str]:
    sources = [theme.description.source for theme in project.site.themes.values() if theme.description]
    for case in project.cases:
        sources.append(case.summary.source)
        sources += [event.what.source for event in case.timeline]
        sources += [t.detail.source for t in case.takeaways if t.detail]
        sources += [case.facilitator_notes.source] if case.facilitator_notes else []
    return sources


def markdown_experiment(project: Project) -> dict:
    sources = markdown_sources(project)
    renderer = casebook_text.MarkdownRenderer()
    plain = [s for s in sources if not casebook_text._MARKUP_CHARS.search(s)]
    marked = [s for s in sources if casebook_text._MARKUP_CHARS.search(s)]
    skip_s, _ = timed(lambda: [renderer.render(s) for s in sources])
    full_s, _ = timed(lambda: [renderer._md.reset().convert(s) for s in sources])
    marked_s, _ = timed(lambda: [renderer._md.reset().convert(s) for s in marked])
    return {"fragments": len(sources), "plain": len(plain), "with_skip": skip_s,
            "all_through_markdown": full_s, "markup_only": marked_s,
            "per_case": len(sources) / max(1, len(project.cases))}


def cache_experiment(cases, project, catalog, env, pages, kinds) -> dict:
    """What a rebuild after one edit costs at least with a content-hash cache of the models."""
    files = sorted(cases.glob("*.yaml"))
    hash_s, _ = timed(lambda: [hashlib.sha256(p.read_bytes()).hexdigest() for p in files])
    blob = pickle.dumps(project.cases, protocol=pickle.HIGHEST_PROTOCOL)
    unpickle_s, _ = timed(pickle.loads, blob)
    loader = Loader()
    one_s, _ = timed(loader.case, files[len(files) // 2], project.site)
    sort_s, _ = timed(lambda: build_catalog(Project(project.site, sort_cases(list(project.cases)))))
    shared = sum(v for k, v in kinds.items() if k != "cases")  # index, lessons, tags, 404
    one_page = kinds.get("cases", 0.0) / max(1, len(catalog.cases))
    return {"hash_all": hash_s, "unpickle_models": unpickle_s, "cache_mb": len(blob) / 1e6,
            "load_one_case": one_s, "catalog": sort_s, "render_shared_pages": shared,
            "render_one_case_page": one_page,
            "total": hash_s + unpickle_s + one_s + sort_s + shared + one_page}


# ---- parallel: fork 2 workers; load in chunks (models pickled back), render pages in chunks

_STATE: dict = {}


def _load_chunk(paths: list[Path]):
    loader, site = _STATE["loader"], _STATE["site"]  # made before the fork: workers inherit them
    return [loader.case(path, site)[0] for path in paths]


def _render_chunk(indices: list[int]) -> int:
    catalog, pages, dest, env = _STATE["catalog"], _STATE["pages"], _STATE["dest"], _STATE["env"]
    for index in indices:
        page = pages[index]
        target = dest / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(env, catalog, page, frozenset()), encoding="utf-8")
    return len(indices)


def parallel_build(cases: Path, workers: int) -> dict:
    started = time.perf_counter()
    loader = Loader()
    site, _ = loader.site(cases.parent / "site.yaml")
    files, _ = case_files(cases)
    env = environment()
    for name in ("index.html", "case.html", "listing.html", "lessons.html", "404.html"):
        env.get_template(name)  # compiled once, before the workers are forked
    _STATE.update(site=site, loader=loader, env=env)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        chunks = [files[i::workers * 8] for i in range(workers * 8)]
        loaded = [case for chunk in pool.map(_load_chunk, chunks) for case in chunk]
    load_s = time.perf_counter() - started
    catalog = build_catalog(Project(site, sort_cases(loaded)))
    dest = WORK / "parallel-out"
    shutil.rmtree(dest, ignore_errors=True)
    _STATE.update(catalog=catalog, pages=site_pages(catalog), dest=dest)
    render_started = time.perf_counter()
    with context.Pool(workers) as pool:  # forked after the catalog exists: workers share it
        indices = list(range(len(_STATE["pages"])))
        pool.map(_render_chunk, [indices[i::workers * 8] for i in range(workers * 8)])
    end = time.perf_counter()
    return {"load": load_s, "render_write": end - render_started, "total": end - started}


def parallel_experiment(cases: Path) -> dict:
    return {f"workers_{n}": min((parallel_build(cases, n) for _ in range(3)), key=lambda r: r["total"])
            for n in (1, 2)}  # wall time: what parallel work is for


def print_phases(size: int, r: dict) -> None:
    print(f"\n## Phases without the profiler, {size:,} cases (CPU seconds, least of 3, one process)\n")
    print(f"load_project {r['load']:.2f} s, build_catalog {r['catalog']:.3f} s, "
          f"render all pages {r['render']:.2f} s: " +
          ", ".join(f"{k} {v:.2f} s" for k, v in sorted(r["render_kinds"].items(), key=lambda kv: -kv[1])))
    y = r["yaml"]
    print(f"YAML events for all files: CSafeLoader {y['csafe_events']:.2f} s, pure-Python SafeLoader "
          f"{y['python_events']:.2f} s (100 files, scaled); Casebook's tree from CSafeLoader events {y['casebook_tree']:.2f} s")
    m = r["markdown"]
    print(f"Markdown: {m['fragments']:,} fragments ({m['per_case']:.1f} per case), {m['plain']:,} plain "
          f"({m['plain'] / m['fragments']:.0%}); as Casebook does it (plain skips the parser) "
          f"{m['with_skip']:.2f} s; all through Python-Markdown {m['all_through_markdown']:.2f} s; "
          f"only the fragments with markup {m['markup_only']:.2f} s")
    c = r["cache"]
    print(f"Rebuild after 1 edit with a model cache (lower bound): hash all files {c['hash_all']:.3f} s, "
          f"unpickle {c['cache_mb']:.1f} MB of models {c['unpickle_models']:.2f} s, load the edited case "
          f"{c['load_one_case']:.3f} s, catalog {c['catalog']:.3f} s, render index/lessons/tags/404 "
          f"{c['render_shared_pages']:.2f} s, one case page {c['render_one_case_page'] * 1000:.1f} ms: "
          f"total {c['total']:.2f} s (+ interpreter start and writing)")
    for name, p in r["parallel"].items():
        print(f"Forked {name.replace('_', ' ')} (wall): load {p['load']:.2f} s, render+write "
              f"{p['render_write']:.2f} s, total {p['total']:.2f} s (best of 3)")


def main(argv: list[str]) -> int:
    size = int(next((a for a in argv if a.isdigit()), 1000))
    cases = corpus(size)
    if "--phases-only" not in argv:
        profile_build(cases, size)
    phases(cases, size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
