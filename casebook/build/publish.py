"""Publishing `output/`: build beside it, swap in only when everything succeeded.

Nothing is deleted that Casebook did not make: `--out` must be empty, new, or marked as ours,
and inside it only the folders a build stages and swaps are ever removed."""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

MARKER = ".casebook-output"
# What `staging` and `replace_dir` leave behind when a build is killed half-way.
_STAGED = re.compile(r"\.[a-z]+-new-[a-z0-9_]{8}")
_REPLACED = re.compile(r"\.([a-z]+)-old")


class OutputRefused(Exception):
    pass


def os_error_reason(error: OSError) -> str:
    """What went wrong, in words, and where when known (never "None"), safe for a terminal."""
    from casebook.reading.load import shown
    from casebook.reading.problems import terminal_safe

    reason = (error.strerror or (os.strerror(error.errno) if error.errno else "")
              or str(error) or type(error).__name__)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += " (the disk is full: free some space and build again)"
    if error.filename:
        reason += f": {shown(Path(os.fsdecode(error.filename)))}"
    return terminal_safe(reason)


def claim_output(out: Path) -> None:
    """Make `out` ours; refuse a folder with other content, since we replace what is in it."""
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a folder; choose a folder for --out")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputRefused(f"{out} is not empty and was not made by Casebook; nothing in it "
                            "was changed (choose an empty or new folder for --out)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text("This folder is written by Casebook's build.py; "
                                  "its contents are replaced on every build.\n", encoding="utf-8")
    except OSError as error:
        raise OutputRefused(f"cannot write the output folder {out} ({error.strerror}; "
                            "choose another folder for --out)") from None


@contextmanager
def output_lock(out: Path, waiting=lambda: None):
    """Hold the output folder `out` (which must be ours) for one build: a second build calls
    `waiting` and waits until the first is done. The lock is the system's (flock, on the
    marker file): it goes with the process that holds it, even one killed half-way."""
    handle = os.open(out / MARKER, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


@contextmanager
def staging(out: Path, name: str):
    """A fresh folder beside `out/name`; on success it replaces `out/name` in one step."""
    stage = Path(tempfile.mkdtemp(prefix=f".{name}-new-", dir=out))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    replace_dir(stage, out / name)


def replace_dir(new: Path, target: Path) -> None:
    """Put `new` where `target` is. Readers of `target` see the old folder or the new one,
    whole, never a mix or nothing (where the system can swap two folders at once)."""
    new.chmod(0o755)  # mkdtemp makes it private; a published folder is readable
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # it now holds the previous version
        return
    # Two renames: a build killed between them leaves `.NAME-old`, which clean_stale restores.
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False if unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # file system cannot swap
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_stale(out: Path) -> None:
    """Undo what an interrupted build left behind: staging folders, a half-done swap."""
    for leftover in out.iterdir():
        if _STAGED.fullmatch(leftover.name) and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for old in out.iterdir():
        replaced = _REPLACED.fullmatch(old.name)
        if not replaced or not old.is_dir():
            continue
        target = out / replaced.group(1)
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` in one rename: a reader (a web server, the next build) finds the old
    file or the new one, whole, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; what we write is for reading
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
