"""Noticing changed files by polling: portable, no dependencies, and robust to how editors save.

Editors save in different ways: writing in place, writing a temporary file and renaming it
over the original, or deleting and recreating it. Polling compares what is on disk now with
what was last built, and waits until the files have stopped changing (debounce) before it
reports, so a file that vanishes for a moment or is saved twice quickly gives one rebuild of
the final content.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Callable, Iterable

# A file's state: (mtime_ns, size, inode, content hash or ""). The hash is taken only for files
# modified in the last RECENT_SECONDS: two saves within one clock tick of the same size leave
# mtime and size unchanged, and hashing only recent files keeps polling cheap.
State = tuple[int, int, int, str]
Snapshot = dict[Path, State]
RECENT_SECONDS = 2.0


def is_editor_litter(name: str) -> bool:
    """Hidden files, backups and swap files that editors write beside the real ones."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp"))


def file_state(path: Path, now: float) -> State | None:
    try:
        info = path.stat()
        if not os.path.isfile(path):
            return None
        digest = ""
        if now - info.st_mtime < RECENT_SECONDS:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return info.st_mtime_ns, info.st_size, info.st_ino, digest
    except OSError:  # vanished between listing and reading: it is simply not there now
        return None


def take_snapshot(paths: Iterable[Path]) -> Snapshot:
    now = time.time()
    states = ((path, file_state(path, now)) for path in paths)
    return {path: state for path, state in states if state is not None}


def same_state(before: State | None, after: State | None) -> bool:
    """Whether a file is unchanged; a hash counts only when both states have one (a file
    stops being hashed once it is no longer recent, and that is no change)."""
    if before is None or after is None:
        return before is after
    hashes = (before[3], after[3])
    return before[:3] == after[:3] and (not all(hashes) or hashes[0] == hashes[1])


def changed_paths(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys()
            if not same_state(before.get(path), after.get(path))}


class Watcher:
    """Polls the files that `list_files` names and reports each settled batch of changes."""

    def __init__(self, list_files: Callable[[], Iterable[Path]],
                 interval: float = 0.15, settle: float = 0.2):
        self.list_files = list_files
        self.interval = interval   # seconds between polls while nothing happens
        self.settle = settle       # how long files must stay unchanged before a rebuild
        self.last = self.snapshot()

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.list_files())

    def wait_for_changes(self) -> set[Path]:
        """Block until some files changed and then stayed unchanged for `settle` seconds."""
        while True:
            current = self.snapshot()
            if changed_paths(self.last, current):
                break
            time.sleep(self.interval)
        while True:
            time.sleep(self.settle)
            again = self.snapshot()
            if not changed_paths(current, again):
                break
            current = again
        changed = changed_paths(self.last, current)
        self.last = current
        return changed
