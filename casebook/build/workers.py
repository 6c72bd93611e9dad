"""Spreading work over the cores: `--jobs N` worker processes for the site build.

Workers are forked, so they share the parent's model without pickling it; where fork is not
available (or the work is small) everything runs in this process, with the same result."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 50
# Items handed to a worker at a time.
CHUNK = 20


def worker_count(jobs: int, items: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def map_in_chunks(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                  jobs: int) -> list[Result]:
    """`work` applied to chunks of `items`; the results in the items' order.

    `work` must be a module-level function (it crosses into forked workers by name)."""
    return list(iter_in_chunks(work, items, jobs))


def iter_in_chunks(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                   jobs: int) -> Iterator[Result]:
    """Like `map_in_chunks`, each result given as soon as its chunk is done, so the caller
    need not hold them all. Iterate to the end: the workers end with the iteration."""
    workers = worker_count(jobs, len(items))
    if workers == 1:
        yield from work(items)
        return
    # Small chunks handed out as workers become free: the work stays balanced, and neither a
    # worker nor this process ever holds more than a few chunks' results in transit (one
    # share per worker made each send back, and this process take in, half of everything).
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    with worker_pool(workers) as pool:
        for done in pool.imap(work, chunks):
            yield from done


@contextmanager
def worker_pool(jobs: int):
    """`jobs` forked worker processes (None with one job, or without fork). Leaving the block
    ends them at once (Pool.terminate), also when the build stops with an error or Ctrl-C:
    nothing is left writing into a staging folder."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    with multiprocessing.get_context("fork").Pool(
            jobs, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        yield pool


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A killed build must not leave workers behind, still writing into its staging folder and
    holding its output pipes open: on Linux the kernel ends a worker when its parent ends."""
    # Ctrl-C is the build's to handle: it stops the workers itself, without their tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers end when their work queue closes
        pass
    if os.getppid() != parent:  # the parent ended before the request above took effect
        os._exit(1)
