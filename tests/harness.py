"""Running the command line in-process and fingerprinting what it wrote, for the tests."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from casebook.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of `build.py ARGS`, run in this process."""
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:  # argparse ends wrong usage this way
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tree_hash(folder: Path) -> str:
    """One digest of every name (hidden ones too), file content and link below `folder`."""
    digest = hashlib.sha256()
    if not folder.exists():
        return "missing"
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(parent, name)
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            elif path.is_file():
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def problem_lines(stderr: str, file: Path | str) -> list[tuple[int, str, str]]:
    """(line, field path, message) of each `FILE:LINE: path: message` reported for `file`."""
    prefix = f"{file}:"
    found = []
    for text in stderr.splitlines():
        if text.startswith(prefix):
            line, path, message = text[len(prefix):].split(": ", 2)
            found.append((int(line), path, message))
    return found


def publish_shipped_cases(out: Path) -> str:
    """Build the shipped cases' site into `out`; the fingerprint of `out` afterwards."""
    assert main(["--out", str(out), "--only", "site", "--quiet"]) == 0
    return tree_hash(out)
