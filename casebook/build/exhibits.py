"""The exhibits' copies: encoded once per picture and kept in the build cache, then published.

`output/.cache/exhibits/<recipe>/<sha256 of the picture>/` holds every copy of one picture
(render/images.py; the recipe names the encoder settings and Pillow's version). A folder is
written whole under a temporary name and renamed, so one that exists is complete: a build
whose pictures did not change encodes nothing. The site gets the web copies under
`exhibits/<slug>/`, hard-linked from the cache where the file system allows; the PDFs read the
print copies from the cache folder itself (printing/pdf.py lets WeasyPrint read there).

An output folder emptied (a CI job's, a cold build's) would lose them all, so every encoded
picture is kept in the user's picture store too (`picture_store()`: $CASEBOOK_CACHE_DIR, else
$XDG_CACHE_HOME/casebook, else ~/.cache/casebook; under `exhibits/<recipe>/`), content-addressed
by the picture's SHA-256 and the recipe (settings and Pillow's version). An entry is written
whole under a temporary name and renamed; it carries a manifest of each copy's size and SHA-256,
signed with the cache's key (build/cache.py), and is used only when every copy read matches it,
so a damaged or tampered entry is encoded again. Entries not used for STORE_MAX_AGE_DAYS, and
the oldest beyond STORE_MAX_BYTES, are removed (at most once a day).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from casebook.build.cache import CACHE_FOLDER, sign
from casebook.build.publish import write_atomically
from casebook.build.workers import worker_pool
from casebook.model.pictures import Exhibit, Picture
from casebook.reading.load import shown
from casebook.reading.problems import InvalidInput, Problem
from casebook.model.pictures import copies
from casebook.render.images import (ChangedPicture, DamagedPicture, copies_complete, make_copies,
                                     recipe)

# What this process encoded (a picture's digest each): for tests.
encode_log: list[str] = []


LARGE_PICTURE_PIXELS = 12_000_000   # a phone photo; larger ones are encoded one at a time


def exhibits_root(out: Path) -> Path:
    return out / CACHE_FOLDER / "exhibits"


def exhibits_cache(out: Path) -> Path:
    """Where this build's copies are: a folder per picture, named by its digest."""
    return exhibits_root(out) / recipe()


STORE_VARIABLE = "CASEBOOK_CACHE_DIR"
STORE_MAX_AGE_DAYS = 60
STORE_MAX_BYTES = 2 * 1024 ** 3
MANIFEST = "manifest.json"


def picture_store() -> Path:
    """The user's store of encoded pictures (see the module's docstring)."""
    given = os.environ.get(STORE_VARIABLE)
    if given:
        base = Path(given)
    else:
        home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = Path(home) / "casebook"
    return base / "exhibits" / recipe()


def _store_entry(store: Path, digest: str) -> Path:
    return store / digest[:2] / digest


def _manifest(files: dict[str, bytes], digest: str) -> bytes:
    listed = {name: [len(data), hashlib.sha256(data).hexdigest()] for name, data in sorted(files.items())}
    body = json.dumps({"picture": digest, "copies": listed}, sort_keys=True).encode()
    return json.dumps({"signature": sign(b"exhibit-store", body),
                       "body": body.decode()}, sort_keys=True).encode()


def read_store(store: Path, picture: Picture) -> dict[str, bytes] | None:
    """The copies of `picture` kept in the store, each checked against the signed manifest;
    None when the entry is missing, incomplete, damaged or not ours."""
    entry = _store_entry(store, picture.digest)
    try:
        wrapper = json.loads((entry / MANIFEST).read_bytes())
        body = wrapper["body"].encode()
        if not hmac.compare_digest(wrapper["signature"], sign(b"exhibit-store", body)):
            return None
        manifest = json.loads(body)
        listed = manifest["copies"]
        if manifest["picture"] != picture.digest or set(listed) != {c.name for c in copies(picture)}:
            return None
        files = {}
        for name, (size, digest) in listed.items():
            data = (entry / name).read_bytes()
            if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                return None
            files[name] = data
        os.utime(entry)   # used: pruning keeps it
        return files
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_store(store: Path, picture: Picture, files: dict[str, bytes]) -> None:
    """Keep `files` in the store (best effort: a store that cannot be written is skipped)."""
    entry = _store_entry(store, picture.digest)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{picture.digest[:16]}-", dir=entry.parent))
    except OSError:
        return
    try:
        for name, data in files.items():
            (temporary / name).write_bytes(data)
        (temporary / MANIFEST).write_bytes(_manifest(files, picture.digest))
        temporary.chmod(0o755)
        shutil.rmtree(entry, ignore_errors=True)   # a damaged one
        os.rename(temporary, entry)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)


def prune_store(store: Path, now: float | None = None) -> None:
    """Remove entries unused for STORE_MAX_AGE_DAYS, then the least recently used beyond
    STORE_MAX_BYTES, and other recipes' folders as old; at most once a day."""
    now = time.time() if now is None else now
    stamp = store.parent / ".pruned"
    try:
        if stamp.exists() and now - stamp.stat().st_mtime < 86400:
            return
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        oldest = now - STORE_MAX_AGE_DAYS * 86400
        for other in store.parent.iterdir():
            if other.is_dir() and other != store and other.stat().st_mtime < oldest:
                _remove(other)
        entries = []
        for entry in store.glob("*/*"):
            used = entry.stat().st_mtime
            if used < oldest:
                _remove(entry)
            else:
                entries.append((used, sum(f.stat().st_size for f in entry.iterdir()), entry))
        total = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries):
            if total <= STORE_MAX_BYTES:
                break
            _remove(entry)
            total -= size
    except OSError:
        return


def _write_folder(target: Path, picture: Picture, made: dict[str, bytes]) -> None:
    """`made` as the picture's folder `target`, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{picture.digest[:16]}-", dir=target.parent))
    try:
        for name, data in made.items():
            write_atomically(temporary / name, data)
        temporary.chmod(0o755)
        shutil.rmtree(target, ignore_errors=True)   # an incomplete one left by a killed build
        os.rename(temporary, target)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        if not copies_complete(target, picture):   # another build put it there meanwhile
            raise


def make_exhibit_copies(exhibits: list[Exhibit], folder: Path, jobs: int = 1) -> None:
    """Encode the copies of every picture not in `folder` yet (nor in the picture store), in
    `jobs` worker processes. A picture changed since it was checked, or whose pixels do not
    decode, stops the build (InvalidInput)."""
    store = picture_store()
    pictures: dict[str, Picture] = {}
    for exhibit in exhibits:
        picture = exhibit.picture
        if picture.digest in pictures or copies_complete(folder / picture.digest, picture):
            continue
        kept = read_store(store, picture)
        if kept is not None:
            _write_folder(folder / picture.digest, picture, kept)
        else:
            pictures[picture.digest] = picture
    if pictures:
        prune_store(store)
    # A very large picture takes several hundred megabytes to encode: those go one at a time,
    # so that the build's memory is that of one of them, however many a casebook has.
    small = [(picture, str(folder), str(store)) for picture in pictures.values()
             if picture.width * picture.height < LARGE_PICTURE_PIXELS]
    large = [(picture, str(folder), str(store)) for picture in pictures.values()
             if picture.width * picture.height >= LARGE_PICTURE_PIXELS]
    encode_log.extend(pictures)
    with worker_pool(min(jobs, len(small))) as pool:
        failed = [error for error in (pool.imap(_encode, small, chunksize=1) if pool
                                      else map(_encode, small)) if error]
    failed += [error for error in map(_encode, large) if error]
    if failed:
        raise InvalidInput([Problem(name, 1, "", message) for name, message in failed])


def _encode(work: tuple[Picture, str, str]) -> tuple[str, str] | None:
    """Write one picture's copies into its folder and the store; the picture's name and what
    is wrong if it changed meanwhile or does not decode."""
    picture, folder, store = work
    try:
        made = make_copies(picture)
    except ChangedPicture:
        return shown(picture.source), "the picture changed while the build read it (build again)"
    except DamagedPicture as error:
        reason = " ".join(str(error.__cause__).split())[:120] or type(error.__cause__).__name__
        return shown(picture.source), (f"the picture is damaged and cannot be shown ({reason}; "
                                       "save it again)")
    _write_folder(Path(folder) / picture.digest, picture, made)
    write_store(Path(store), picture, made)
    return None


def publish_exhibits(exhibits: list[Exhibit], folder: Path, site: Path) -> int:
    """The web copies of `exhibits` into the site folder `site`; how many files."""
    count = 0
    for exhibit in exhibits:
        for copy, path in exhibit.published():
            source, target = folder / exhibit.picture.digest / copy.name, site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                continue
            try:
                os.link(source, target)
            except OSError:   # a file system without hard links
                shutil.copyfile(source, target)
                target.chmod(0o644)
            count += 1
    return count


def prune_exhibits(out: Path, exhibits: list[Exhibit]) -> None:
    """Drop the copies no published case uses any more, and those of other recipes."""
    root, keep = exhibits_root(out), exhibits_cache(out)
    used = {exhibit.picture.digest for exhibit in exhibits}
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry != keep:
            _remove(entry)
    if keep.is_dir():
        for entry in keep.iterdir():
            if entry.name not in used:
                _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
