"""Publishing `output/`: build beside it, swap in only when everything succeeded."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

MARKER = ".casebook-output"


class OutputRefused(Exception):
    pass


def claim_output(out: Path) -> None:
    """Make `out` ours; refuse a folder with other content, since we replace what is in it."""
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a folder")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputRefused(f"{out} is not empty and was not made by Casebook; "
                            "choose an empty or new folder for --out")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("This folder is written by Casebook's build.py; "
                              "its contents are replaced on every build.\n", encoding="utf-8")


@contextmanager
def staging(out: Path, name: str):
    """A fresh folder beside `out/name`; on success it replaces `out/name` in one rename."""
    stage = Path(tempfile.mkdtemp(prefix=f".{name}-new-", dir=out))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    replace_dir(stage, out / name)


def replace_dir(new: Path, target: Path) -> None:
    new.chmod(0o755)  # mkdtemp makes it private; a published folder is readable
    if not target.exists():
        os.rename(new, target)
        return
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def clean_stale(out: Path) -> None:
    """Undo what an interrupted build left behind: staging folders, a half-done swap."""
    for leftover in out.glob(".*-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for old in out.glob(".*-old"):
        target = out / old.name[1:-len("-old")]
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)
