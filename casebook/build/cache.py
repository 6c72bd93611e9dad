"""The build cache in `output/.cache/`: what earlier builds made, found again by content hash.

Every entry is keyed by a hash of all it was made from: a case file's name and bytes, and the
*program key*, one hash of site.yaml, every template and stylesheet, Casebook's own code and
version, and the versions of Python and the libraries that render. Change any of them and the
key changes: a stale entry is never found, only left unused, and dropped at the end of the
build. Deleting `output/.cache/` is always safe; the next build is then a cold one.

The cache is data, never code: entries are JSON, turned back into the model's own dataclasses
only (no pickle, which runs what it reads). And a cache may come from elsewhere (a restored CI
cache, a shared folder), so every file in it is signed with a key the build holds outside the
cache (`cache_secret`): a file whose signature does not match is ignored, so nobody without the
key can put a page, a card or a layout into the next build's output.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

from markupsafe import Markup

from casebook import VERSION
from casebook.build.publish import write_atomically
from casebook.model import case as case_model
from casebook.model import pictures as pictures_model
from casebook.model import timeline as timeline_model
from casebook.reading.yamltree import MAX_FILE_BYTES, open_regular
from casebook.render.templates import Templates, as_templates

PACKAGE = Path(__file__).resolve().parent.parent   # casebook/: its code is part of every key
CACHE_FOLDER = ".cache"
# Raise when what the cache holds changes shape, so old entries are not read as new ones.
CACHE_FORMAT = 3


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
    try:
        with open_regular(site_file) as file:   # never a link or a FIFO (its reader says so)
            digest.update(file.read(MAX_FILE_BYTES + 1))
    except OSError:
        digest.update(b"(no site.yaml)")
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
    for folder in (out / CACHE_FOLDER, out / CACHE_FOLDER / "site",
                   out / CACHE_FOLDER / "site" / "entries", out / CACHE_FOLDER / "pdf",
                   out / CACHE_FOLDER / "exhibits"):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()


# --- the key the build holds --------------------------------------------------------------------

SECRET_VARIABLE = "CASEBOOK_CACHE_KEY"
_secret: bytes | None = None


def cache_secret() -> bytes:
    """The key that signs the cache: $CASEBOOK_CACHE_KEY when set (a CI secret, so that a
    restored cache is used), else one made once for this user, kept outside any output folder
    (`~/.cache/casebook/cache-key`, readable by this user only). Without either, a key for this
    process alone: the cache then only serves this build."""
    global _secret
    if _secret is None:
        given = os.environ.get(SECRET_VARIABLE)
        _secret = (hashlib.sha256(given.encode()).digest() if given else _user_secret()
                   or secrets.token_bytes(32))
    return _secret


def _user_secret() -> bytes | None:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "casebook" / "cache-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as file:
                file.write(secrets.token_bytes(32))
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(handle, "rb") as file:
            key = file.read(64)
    except OSError:
        return None
    return key if len(key) == 32 else None


def sign(*parts: bytes) -> str:
    """The signature of `parts` with the build's key."""
    return hmac.new(cache_secret(), content_key(*parts).encode(), hashlib.sha256).hexdigest()


# --- signed JSON ---------------------------------------------------------------------------------

_SIGNED = b"casebook-cache-signed "
# The classes a cache file may name: the model's dataclasses, whose constructors only store
# what they are given. Anything else in a file makes it unreadable, so it is ignored.
_CLASSES = {cls.__name__: cls for module in (case_model, timeline_model, pictures_model)
            for cls in vars(module).values()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls)}


def register(cls: type) -> type:
    """Let cache files hold `cls`, a frozen dataclass of plain values (a class decorator)."""
    _CLASSES[cls.__name__] = cls
    return cls


def _encode(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Markup):
        return {"@": "Markup", "s": str(value)}
    if isinstance(value, str):
        return value
    if isinstance(value, Path):
        return {"@": "Path", "s": str(value)}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, tuple):
        return {"@": "tuple", "items": [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {"@": "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and _CLASSES.get(type(value).__name__) is type(value):
        return {"@": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name))
                           for f in dataclasses.fields(value) if f.init}}
    raise TypeError(f"the cache cannot hold a {type(value).__name__}")


def _decode_object(value: dict):
    """What `_encode` made of a value, from one JSON object whose members are decoded already
    (json's object_hook, called innermost first: no second walk over the tree in Python)."""
    kind = value.get("@")
    if kind is None:        # the fields of a dataclass
        return value
    if kind == "Markup":
        return Markup(str(value["s"]))
    if kind == "Path":
        return Path(str(value["s"]))
    if kind == "tuple":
        return tuple(value["items"])
    if kind == "dict":
        return {key: item for key, item in value["items"]}
    return _CLASSES[kind](**{str(k): v for k, v in value["fields"].items()})


def load_signed(path: Path, default):
    """What `save_signed` stored, or `default` when it is missing, unreadable, not signed with
    this build's key, or not of the model's shapes (a cache written by an interrupted, older or
    foreign build is only a slower build, never an error and never output)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as file:
            data = file.read()
        head, _, body = data.partition(b"\n")
        if not head.startswith(_SIGNED):
            return default
        if not hmac.compare_digest(head[len(_SIGNED):], sign(b"json", body).encode()):
            return default
        return json.loads(body, object_hook=_decode_object)
    except Exception:  # noqa: BLE001 - any damage means: no cache
        return default


def save_signed(path: Path, value) -> None:
    body = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode()
    write_atomically(path, _SIGNED + sign(b"json", body).encode() + b"\n" + body)
