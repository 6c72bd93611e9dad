"""A case's exhibits: the `exhibits:` list, and each picture file checked where it lies.

A picture is untrusted input like the case file that names it: it must lie inside the case's
own folder (`cases/<slug>/`), reached without any link, be a PNG, JPEG, WebP or GIF file of at
most MAX_BYTES and MAX_PIXELS, and whole. The size is read from the file's header and
checked before anything is decoded, so a decompression bomb (a small file that decodes to
billions of pixels) is refused at once, without the memory it asks for. Checking does not
decode the pixels (the build decodes each picture once, when it encodes its copies, and not at
all when they are kept from an earlier build): a file cut off or broken in its structure (PNG
chunks and their checksums, the JPEG's end after its last scan, the WebP's RIFF length, the
GIF's trailer) is refused here; pixels that still fail to decode stop the build, naming the file.
"""
from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from casebook.model.pictures import FORMATS, MAX_BYTES, MAX_CASE_PIXELS, MAX_PIXELS, Picture
from casebook.reading.fields import INVALID, ListOf, Text, child
from casebook.reading.yamltree import Mapping, Scalar, Sequence

EXPECTED_FILE = "a PNG, JPEG, WebP or GIF file in the case's folder"
# EXIF orientations that turn the picture a quarter (its width and height swap when shown).
_QUARTER_TURNS = {5, 6, 7, 8}


class PictureProblem(Exception):
    pass


def case_folder(case_file: Path) -> Path:
    """cases/<slug>.yaml -> cases/<slug>/, where its pictures live."""
    return case_file.with_suffix("")


def _shown_folder(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}/"


def open_inside(folder: Path, name: str) -> tuple[Path, int]:
    """The file `name` (a relative path with `/`) below `folder`, opened for reading without
    following any link: (its path, a file descriptor). PictureProblem says why not."""
    shown = _shown_folder(folder)
    relative = PurePosixPath(name)
    if "\\" in name or relative.is_absolute() or not relative.parts or ".." in relative.parts:
        raise PictureProblem(f"`{name}` is outside the case's folder (expected a file in "
                             f"{shown}, named relative to it, such as `reply.png`)")
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        raise PictureProblem(f"`{name}` is not there: the folder {shown} does not exist "
                             f"(make it and put the picture in it)") from None
    if stat.S_ISLNK(mode):
        raise PictureProblem(f"the case's folder {shown} is a link (pictures must be files "
                             "in a real folder)")
    if not stat.S_ISDIR(mode):
        raise PictureProblem(f"{shown} is not a folder (expected the case's folder of pictures)")
    path = folder
    parts = [part for part in relative.parts if part != "."]
    for index, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            raise PictureProblem(f"`{name}` is not there (expected a file {shown}{name})") from None
        if stat.S_ISLNK(mode):
            raise PictureProblem(f"`{name}` goes through a link (`{part}`); a picture must be a "
                                 f"file of its own in {shown}")
        last = index == len(parts) - 1
        if last and not stat.S_ISREG(mode):
            raise PictureProblem(f"`{name}` is not a file (expected {EXPECTED_FILE})")
        if not last and not stat.S_ISDIR(mode):
            raise PictureProblem(f"`{name}` is not there (`{part}` is not a folder)")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise PictureProblem(f"cannot read `{name}` ({error.strerror})") from None
    return path, fd


def read_picture(folder: Path, name: str) -> Picture:
    """Check the picture `name` of a case whose folder is `folder` and learn its size."""
    path, fd = open_inside(folder, name)
    with os.fdopen(fd, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_BYTES:
            raise PictureProblem(f"`{name}` is {size / 1024 / 1024:.1f} MB (a picture is at most "
                                 f"{MAX_BYTES // 1024 // 1024} MB; save it smaller)")
        # Read what the file holds (and one byte more, should it grow meanwhile), not the
        # limit: a small file must cost little memory.
        data = file.read(size + 1)
    if len(data) > MAX_BYTES:
        raise PictureProblem(f"`{name}` is over {MAX_BYTES // 1024 // 1024} MB "
                             "(save it smaller)")
    return inspect_picture(path, name, data)


def inspect_picture(path: Path, name: str, data: bytes) -> Picture:
    from PIL import Image, UnidentifiedImageError

    # Pillow's own guard, at our limit: it refuses a larger picture when opening its header.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            _check_pixels(name, width, height)
            alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
            kind = image.format
            png_exif = _check_structure(kind, data)  # a cut-off or damaged file fails here, undecoded
            orientation = _orientation(image, png_exif)
    except PictureProblem:
        raise
    except UnidentifiedImageError:
        raise PictureProblem(f"`{name}` is not a picture Casebook can show (expected "
                             f"{EXPECTED_FILE})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureProblem(f"`{name}` has more than {MAX_PIXELS // 1_000_000} million pixels "
                             "(save it smaller)") from None
    except Exception as error:  # noqa: BLE001 - any decoder error means a damaged file
        raise PictureProblem(f"`{name}` is damaged or incomplete and cannot be shown "
                             f"({_reason(error)}; save it again)") from None
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return Picture(path, hashlib.sha256(data).hexdigest(), kind, width, height, alpha)


@contextmanager
def strict_decoding():
    """A cut-off file is an error while this lasts. WeasyPrint, once imported, tells Pillow to
    decode truncated pictures as far as they go, for every caller in the process."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


class _Broken(Exception):
    pass


def _check_structure(kind: str, data: bytes) -> bytes | None:
    """The file is whole, from its structure alone (no pixels decoded): _Broken if not. For a
    PNG, its EXIF (an eXIf chunk, which may follow the pixels), so that reading the orientation
    does not make Pillow decode them."""
    exif = None
    if kind == "PNG":
        position, seen_data = 8, False
        while True:
            if position + 12 > len(data):
                raise _Broken("cut off before its end (no IEND chunk)")
            length = int.from_bytes(data[position:position + 4], "big")
            chunk = data[position + 4:position + 8 + length]
            if len(chunk) != 4 + length or position + 12 + length > len(data):
                raise _Broken(f"cut off in a {chunk[:4].decode('latin-1')!r} chunk")
            crc = int.from_bytes(data[position + 8 + length:position + 12 + length], "big")
            if zlib.crc32(chunk) != crc:
                raise _Broken(f"the {chunk[:4].decode('latin-1')!r} chunk's checksum is wrong")
            seen_data = seen_data or chunk[:4] == b"IDAT"
            if chunk[:4] == b"eXIf":
                exif = chunk[4:]
            if chunk[:4] == b"IEND":
                if not seen_data:
                    raise _Broken("no image data")
                return exif
            position += 12 + length
    elif kind == "JPEG":
        # Entropy-coded data never holds a marker, so the last scan (SOS) is the main image's
        # (an EXIF thumbnail comes before it), and the image's end (EOI) must follow it.
        if data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda") or b"\xff\xda" not in data:
            raise _Broken("cut off before its end (no end-of-image marker after its last scan)")
    elif kind == "WEBP":
        if len(data) < 12 or int.from_bytes(data[4:8], "little") + 8 > len(data):
            raise _Broken("cut off before the end its header gives")
    elif kind == "GIF":
        if not data.rstrip(b"\0").endswith(b"\x3b"):
            raise _Broken("cut off before its end (no trailer)")
    return exif


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise PictureProblem(f"`{name}` has {width} × {height} pixels, more than "
                             f"{MAX_PIXELS // 1_000_000} million (save it smaller)")
    if width < 1 or height < 1:
        raise PictureProblem(f"`{name}` has no pixels")


def _orientation(image, png_exif: bytes | None = None) -> int:
    from PIL import Image

    try:
        if image.format == "PNG":   # Pillow's getexif() would decode the pixels to find it
            if not png_exif:
                return 1
            exif = Image.Exif()
            exif.load(png_exif if png_exif.startswith(b"Exif\0\0") else b"Exif\0\0" + png_exif)
            return int(exif.get(0x0112, 1))
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - unreadable EXIF: shown as stored
        return 1


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())[:120]
    return text or type(error).__name__


class PictureFile(Text):
    """A picture file named relative to the case's folder; checked, it is its Picture."""

    expected = EXPECTED_FILE

    def convert(self, text, node, path, ctx):
        folder = ctx.choices.get("folder")
        if folder is None:  # nothing to check against (the case is not read from a file)
            return INVALID
        try:
            return read_picture(folder, text)
        except PictureProblem as problem:
            return ctx.fail(node, path, str(problem))

    def schema(self):
        return {"type": "string", "description": "a PNG, JPEG, WebP or GIF file in cases/<slug>/, "
                "such as reply.png"}


class Exhibits(ListOf):
    """The exhibits, each id used once (and at most `max_items`, formats.MAX_EXHIBITS: a
    longer list is refused before any picture is opened)."""

    def check(self, node, path, ctx):
        values = super().check(node, path, ctx)
        if isinstance(node, Sequence) and self.max_items is not None and len(node.items) > self.max_items:
            return values
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(node, "items", [])):
            id_node = item.values.get("id") if isinstance(item, Mapping) else None
            if not isinstance(id_node, Scalar):
                continue
            key = id_node.text.strip()
            if key in seen:
                values = ctx.fail(id_node, child(child(path, index), "id"),
                                  f"`{key}` is the id of exhibit {seen[key] + 1} already (give "
                                  "each exhibit its own id)")
            else:
                seen[key] = index
        return self._within_pixel_budget(node, path, ctx, values)

    def _within_pixel_budget(self, node, path, ctx, values):
        """The case's pictures together hold at most MAX_CASE_PIXELS (each is checked alone
        already, from its header); the first picture past the budget is the problem."""
        total = 0
        for index, item in enumerate(getattr(node, "items", [])):
            file_node = item.values.get("file") if isinstance(item, Mapping) else None
            picture = (values[index].get("file") if isinstance(values, list) and index < len(values)
                       and isinstance(values[index], dict) else None)
            if not isinstance(picture, Picture) or file_node is None:
                continue
            total += picture.width * picture.height
            if total > MAX_CASE_PIXELS:
                return ctx.fail(file_node, child(child(path, index), "file"),
                                f"the case's pictures hold {total // 1_000_000} million pixels up "
                                f"to this one, more than {MAX_CASE_PIXELS // 1_000_000} million "
                                "in all (save some of them smaller)")
        return values


def written_exhibit_ids(tree) -> list[str] | None:
    """The ids the exhibits list gives (for events' `exhibit:`); [] when there is none."""
    node = tree.values.get("exhibits") if isinstance(tree, Mapping) else None
    if node is None:
        return []
    items = getattr(node, "items", None)
    if items is None:
        return None
    return [item.values["id"].text.strip() for item in items
            if isinstance(item, Mapping) and isinstance(item.values.get("id"), Scalar)]
