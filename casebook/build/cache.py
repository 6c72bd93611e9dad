"""The build cache in `output/.cache/`: what earlier builds made, found again by content hash.

Every entry is keyed by a hash of all it was made from: a case file's name and bytes, and the
*program key*, one hash of site.yaml, every template and stylesheet, Casebook's own code and
version, and the versions of Python and the libraries that render. Change any of them and the
key changes: a stale entry is never found, only left unused, and dropped at the end of the
build. Deleting `output/.cache/` is always safe; the next build is then a cold one.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

from casebook import VERSION
from casebook.build.publish import write_atomically
from casebook.render.templates import Templates, as_templates

PACKAGE = Path(__file__).resolve().parent.parent   # casebook/: its code is part of every key
CACHE_FOLDER = ".cache"
# Raise when what the cache holds changes shape, so old entries are not read as new ones.
CACHE_FORMAT = 1


def program_key(site_file: Path, templates: Templates | Path, extra: bytes = b"") -> str:
    """One hash of everything besides the case files that shapes the output: `templates`
    with a casebook's overrides, and `extra` (the bytes of the files site.yaml names: the
    logo)."""
    digest = hashlib.sha256()
    versions = (VERSION, CACHE_FORMAT, sys.version, jinja2.__version__, markdown.__version__,
                yaml.__version__, yaml.__with_libyaml__)
    digest.update(repr(versions).encode())
    code = {path.relative_to(PACKAGE).as_posix(): path for path in PACKAGE.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}
    for group in (sorted(code.items()), as_templates(templates).files().items()):
        for name, path in group:
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(hashlib.sha256(extra).digest())
    digest.update(site_file.read_bytes() if site_file.is_file() else b"(no site.yaml)")
    return digest.hexdigest()


def content_key(*parts: str | bytes) -> str:
    """A hash of `parts`, kept apart so that ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """A hash of everything below `folder` (a case's pictures): names, kinds, links and
    bytes; "" when there is no such folder."""
    if not os.path.lexists(folder):
        return ""
    digest = hashlib.sha256()
    if folder.is_symlink() or not folder.is_dir():
        digest.update(b"not a folder:" + os.fsencode(os.readlink(folder) if folder.is_symlink() else ""))
        return digest.hexdigest()
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(parent, name)
            digest.update(os.fsencode(path.relative_to(folder)) + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.fsencode(os.readlink(path)))
            elif path.is_file():
                with open(path, "rb") as file:
                    digest.update(hashlib.file_digest(file, "sha256").digest())
            else:
                digest.update(b"folder" if path.is_dir() else b"other")
    return digest.hexdigest()


def prepare_cache(out: Path) -> None:
    """Make room for the cache in the output folder `out` (which must be ours): anything but
    a folder where the cache or its parts go is taken away, as a damaged cache would be."""
    for folder in (out / CACHE_FOLDER, out / CACHE_FOLDER / "site", out / CACHE_FOLDER / "pdf",
                   out / CACHE_FOLDER / "exhibits"):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()


def load_pickle(path: Path, default):
    """What `save_pickle` stored, or `default` when it is missing or unreadable (a cache
    written by an interrupted or older build is only a slower build, never an error)."""
    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except Exception:  # noqa: BLE001 - any damage means: no cache
        return default


def save_pickle(path: Path, value) -> None:
    write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
