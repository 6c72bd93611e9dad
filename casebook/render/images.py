"""Encoding an exhibit's copies (model/pictures.py says which) with Pillow.

Every copy is made from the decoded pixels alone, turned the way the photo's EXIF says and
converted to sRGB when the file carries a colour profile: no EXIF (camera, GPS position,
time), XMP, ICC profile, comment or other metadata of the original can reach a published file.
The same picture and the same Pillow give the same bytes.
"""
from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

from casebook.reading.exhibits import strict_decoding
from casebook.model.pictures import FORMATS, MAX_BYTES, MAX_PIXELS, Copy, Picture, copies

# Part of the cache folder's name: raise it when the copies of a picture change (sizes,
# quality, formats), so pictures encoded the old way are not reused.
RECIPE_VERSION = 2
WEBP_QUALITY = 80
# libwebp's effort, 0 (fastest) to 6 (smallest); Pillow's default is 4. Measured on the bench's
# pictures (issue 22): 2 encodes in 60 % of the time of 4 for files about 4 % larger.
WEBP_METHOD = 2
JPEG_QUALITY = 85


def recipe() -> str:
    """A short name for how copies are encoded: this module's settings and Pillow's version."""
    import PIL

    settings = (RECIPE_VERSION, WEBP_QUALITY, WEBP_METHOD, JPEG_QUALITY, PIL.__version__)
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


class ChangedPicture(Exception):
    """The file is no longer what was checked (changed while the build ran)."""


class DamagedPicture(Exception):
    """The file passed the check (its header and structure) but its pixels do not decode."""


def pixels(data: bytes):
    """The picture's pixels as a new image: RGB or RGBA in sRGB, oriented, nothing else kept."""
    from PIL import Image, ImageCms, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data), formats=FORMATS) as source:
        source.seek(0)  # an animated GIF or WebP shows its first frame
        image = ImageOps.exif_transpose(source)
        alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
        profile = source.info.get("icc_profile")
        image = image.convert("RGBA" if alpha else "RGB")
        if profile:
            try:
                srgb = ImageCms.createProfile("sRGB")
                image = ImageCms.profileToProfile(image, io.BytesIO(profile), srgb,
                                                  outputMode=image.mode)
            except Exception:  # noqa: BLE001 - an unusable profile: the pixels as stored
                pass
    # A fresh image holds the pixels only: no `info` (EXIF, XMP, comments, profiles) survives.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def encode(image, copy: Copy) -> bytes:
    from PIL import Image

    if image.size != (copy.width, copy.height):
        image = image.resize((copy.width, copy.height), Image.Resampling.LANCZOS,
                             reducing_gap=3.0)
    out = io.BytesIO()
    if copy.kind == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, exact=False)
    elif copy.kind == "jpeg":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True,
                   subsampling="4:2:0")
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def make_copies(picture: Picture) -> dict[str, bytes]:
    """Every copy of a picture, by its name (Copy.name)."""
    with open(picture.source, "rb") as file:
        data = file.read(MAX_BYTES + 1)
    if hashlib.sha256(data).hexdigest() != picture.digest:
        raise ChangedPicture(str(picture.source))
    try:
        with strict_decoding():
            image = pixels(data)
    except Exception as error:  # noqa: BLE001 - any decoder error means a damaged file
        raise DamagedPicture(str(picture.source)) from error
    # A copy of the same kind and size as one made already has the same bytes: the print copy
    # of a picture at most 1,200 pixels wide is the largest web fallback, encoded once.
    made: dict[tuple[str, int, int], bytes] = {}
    result = {}
    for copy in copies(picture):
        key = (copy.kind, copy.width, copy.height)
        if key not in made:
            made[key] = encode(image, copy)
        result[copy.name] = made[key]
    return result


def copies_complete(folder: Path, picture: Picture) -> bool:
    return all((folder / copy.name).is_file() for copy in copies(picture))


# The logo on the slides' title slide and the editable pack's first page: Office files hold
# PNG, not SVG, so an SVG logo is drawn into one (CairoSVG), this many pixels high (a logo
# about an inch high, printed sharp).
LOGO_PIXELS_HIGH = 400


def _no_fetching(url: str, resource_type: str | None = None) -> bytes:
    """What a logo's SVG gets for anything it names (a picture, a stylesheet): nothing."""
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@functools.lru_cache(maxsize=4)
def logo_png(logo) -> tuple[bytes, int, int]:
    """The site's logo (model.brand.Logo) as PNG bytes and its size in pixels: a PNG as it
    is, an SVG drawn by CairoSVG with nothing fetched from anywhere (its checks in
    reading/ already refuse scripts, entities and DOCTYPEs). The same logo gives the same
    bytes."""
    if logo.media_type == "image/png":
        data = logo.data
    else:
        from cairosvg.surface import PNGSurface

        data = PNGSurface.convert(bytestring=logo.data, output_height=LOGO_PIXELS_HIGH,
                                  url_fetcher=_no_fetching)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    return data, width, height
