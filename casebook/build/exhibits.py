"""The exhibits' copies: encoded once per picture and kept in the build cache, then published.

`output/.cache/exhibits/<recipe>/<sha256 of the picture>/` holds every copy of one picture
(render/images.py; the recipe names the encoder settings and Pillow's version). A folder is
written whole under a temporary name and renamed, so one that exists is complete: a build
whose pictures did not change encodes nothing. The site gets the web copies under
`exhibits/<slug>/`, hard-linked from the cache where the file system allows; the PDFs read the
print copies from the cache folder itself (printing/pdf.py lets WeasyPrint read there).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from casebook.build.cache import CACHE_FOLDER
from casebook.build.publish import write_atomically
from casebook.build.workers import worker_pool
from casebook.model.pictures import Exhibit, Picture
from casebook.reading.load import shown
from casebook.reading.problems import InvalidInput, Problem
from casebook.render.images import ChangedPicture, copies_complete, make_copies, recipe

# What this process encoded (a picture's digest each): for tests.
encode_log: list[str] = []


LARGE_PICTURE_PIXELS = 12_000_000   # a phone photo; larger ones are encoded one at a time


def exhibits_root(out: Path) -> Path:
    return out / CACHE_FOLDER / "exhibits"


def exhibits_cache(out: Path) -> Path:
    """Where this build's copies are: a folder per picture, named by its digest."""
    return exhibits_root(out) / recipe()


def make_exhibit_copies(exhibits: list[Exhibit], folder: Path, jobs: int = 1) -> None:
    """Encode the copies of every picture not in `folder` yet, in `jobs` worker processes.
    A picture changed since it was checked stops the build (InvalidInput)."""
    pictures: dict[str, Picture] = {}
    for exhibit in exhibits:
        picture = exhibit.picture
        if picture.digest not in pictures and not copies_complete(folder / picture.digest, picture):
            pictures[picture.digest] = picture
    # A very large picture takes several hundred megabytes to encode: those go one at a time,
    # so that the build's memory is that of one of them, however many a casebook has.
    small = [(picture, str(folder)) for picture in pictures.values()
             if picture.width * picture.height < LARGE_PICTURE_PIXELS]
    large = [(picture, str(folder)) for picture in pictures.values()
             if picture.width * picture.height >= LARGE_PICTURE_PIXELS]
    encode_log.extend(pictures)
    with worker_pool(min(jobs, len(small))) as pool:
        failed = [error for error in (pool.imap(_encode, small, chunksize=1) if pool
                                      else map(_encode, small)) if error]
    failed += [error for error in map(_encode, large) if error]
    if failed:
        raise InvalidInput([Problem(name, 1, "", "the picture changed while the build read it "
                                    "(build again)") for name in failed])


def _encode(work: tuple[Picture, str]) -> str | None:
    """Write one picture's copies into its folder; the picture's name if it changed meanwhile."""
    picture, folder = work
    target = Path(folder) / picture.digest
    try:
        made = make_copies(picture)
    except ChangedPicture:
        return shown(picture.source)
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
