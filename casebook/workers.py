"""Spreading work over the cores: `--jobs N` worker processes for the site build.

Workers are forked, so they share the parent's model without pickling it; where fork is not
available (or the work is small) everything runs in this process, with the same result."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 50


def worker_count(jobs: int, items: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def map_in_chunks(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                  jobs: int) -> list[Result]:
    """`work` applied to interleaved shares of `items`; the results in the items' order.

    `work` must be a module-level function (it crosses into forked workers by name)."""
    workers = worker_count(jobs, len(items))
    if workers == 1:
        return work(items)
    shares = [items[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(work, shares))
    results: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for i, share in enumerate(done):
        results[i::workers] = share
    return results
