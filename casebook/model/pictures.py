"""Exhibits: the pictures a case shows, and the copies the site and the PDFs publish of each.

Reading (casebook/reading/exhibits.py) checks a picture and learns its size; this module
decides, from that alone, which copies are made (render/images.py encodes them): for the web,
a few widths in WebP, so a
browser picks the smallest that fills the column, and one JPEG (or, for a picture with
transparency, PNG) at the largest width for a browser without WebP; for print, one copy at no more than 300
pixels per printed inch at the size it is printed. Every name and size is known before any
picture is encoded, so pages and handouts are written from the model alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casebook.model.case import Rich

MAX_PIXELS = 50_000_000            # a picture may have at most this many pixels...
MAX_BYTES = 20 * 1024 * 1024       # ...and be at most this large a file
# All of a case's pictures together: what one case may make the build decode and encode, so
# that a case of many very large pictures stays within the build's time and memory bounds.
MAX_CASE_PIXELS = 100_000_000
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")   # Pillow's names of the formats a case may use

WEB_WIDTHS = (400, 800, 1200)      # pixels; a picture narrower than one keeps its own width
# How wide the picture shows: the column (42rem at most) less the page's padding on a phone;
# a tall picture (a phone's screenshot) at most 26rem, so it does not fill several screens.
WEB_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
WEB_SIZES_TALL = "(min-width: 28rem) 26rem, calc(100vw - 2rem)"
PRINT_PPI = 300                    # the most pixels per inch a printed copy needs
NATURAL_PPI = 150                  # a small picture is printed at this density, never larger
PRINT_MAX_MM = (120.0, 90.0)       # the largest printed width and height
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Picture:
    """What reading learned of a picture file, without decoding it again."""

    source: Path          # the file in cases/<slug>/
    digest: str           # SHA-256 of its bytes: copies are cached and named by it
    format: str           # one of FORMATS
    width: int            # as shown: a photo's EXIF orientation already applied
    height: int
    alpha: bool           # has transparency (its fallback is PNG, not JPEG)


@dataclass(frozen=True)
class Copy:
    """One encoded copy of a picture."""

    name: str             # file name in the picture's cache folder, such as `w800.webp`
    kind: str             # "webp", "jpeg" or "png"
    width: int
    height: int

    @property
    def suffix(self) -> str:
        return "jpg" if self.kind == "jpeg" else self.kind


def _scaled(picture: Picture, width: int) -> tuple[int, int]:
    width = min(width, picture.width)
    return width, max(1, round(picture.height * width / picture.width))


def web_widths(picture: Picture) -> list[int]:
    """The widths of the web copies: each of WEB_WIDTHS below the picture's own width, and
    that width itself when it is smaller than the largest."""
    widths = [w for w in WEB_WIDTHS if w < picture.width]
    if picture.width <= WEB_WIDTHS[-1]:
        widths.append(picture.width)
    return widths


def print_size_mm(picture: Picture) -> tuple[float, float]:
    """The printed size: the picture's natural size at NATURAL_PPI, shrunk to fit
    PRINT_MAX_MM with its proportions kept."""
    width = picture.width / NATURAL_PPI * MM_PER_INCH
    height = picture.height / NATURAL_PPI * MM_PER_INCH
    scale = min(1.0, PRINT_MAX_MM[0] / width, PRINT_MAX_MM[1] / height)
    return round(width * scale, 1), round(height * scale, 1)


def print_copy(picture: Picture) -> Copy:
    """The copy the PDFs embed: as many pixels as PRINT_PPI at the printed size, at most."""
    width_mm, _ = print_size_mm(picture)
    # Rounded down, so the density never exceeds PRINT_PPI at the printed width.
    most = int(width_mm / MM_PER_INCH * PRINT_PPI)
    width, height = _scaled(picture, max(1, most))
    kind = "png" if picture.alpha else "jpeg"
    return Copy(f"print.{'png' if picture.alpha else 'jpg'}", kind, width, height)


def copies(picture: Picture) -> list[Copy]:
    """Every copy made of a picture: the web ones (WebP in each width, then one fallback at the
    largest width, for the few readers without WebP), then print."""
    fallback = "png" if picture.alpha else "jpeg"
    made = []
    widths = web_widths(picture)
    for kind, kind_widths in (("webp", widths), (fallback, widths[-1:])):
        for width in kind_widths:
            w, h = _scaled(picture, width)
            made.append(Copy(f"w{w}.{'jpg' if kind == 'jpeg' else kind}", kind, w, h))
    return made + [print_copy(picture)]


@dataclass(frozen=True)
class WebImage:
    """A web copy as a page links it."""

    path: str             # relative to the site root
    width: int
    height: int


@dataclass(frozen=True)
class Exhibit:
    """A picture of a case, as its pages and handouts show it."""

    id: str
    file: str             # as the author wrote it
    alt: str
    caption: Rich | None
    credit: str | None
    picture: Picture
    slug: str             # the case's

    @property
    def anchor(self) -> str:
        return f"exhibit-{self.id}"

    def _published(self, copy: Copy) -> str:
        return f"exhibits/{self.slug}/{self.id}-{self.picture.digest[:10]}-{copy.width}.{copy.suffix}"

    def published(self) -> list[tuple[Copy, str]]:
        """Each web copy and where the site publishes it (relative to the site root)."""
        return [(copy, self._published(copy)) for copy in copies(self.picture)
                if not copy.name.startswith("print.")]

    def _web(self, kind: str) -> list[WebImage]:
        return [WebImage(path, copy.width, copy.height)
                for copy, path in self.published() if copy.kind == kind]

    @property
    def webp(self) -> list[WebImage]:
        return self._web("webp")

    @property
    def fallback(self) -> list[WebImage]:
        return self._web("png" if self.picture.alpha else "jpeg")

    @property
    def fallback_type(self) -> str:
        return "image/png" if self.picture.alpha else "image/jpeg"

    @property
    def tall(self) -> bool:
        """Taller than wide (at least 5:4): shown narrower (the `exhibit-tall` class)."""
        return self.picture.height * 4 >= self.picture.width * 5

    @property
    def sizes(self) -> str:
        return WEB_SIZES_TALL if self.tall else WEB_SIZES

    @property
    def width(self) -> int:
        """The width and height attributes: the largest web copy's (the page's layout box)."""
        return self.fallback[-1].width

    @property
    def height(self) -> int:
        return self.fallback[-1].height

    @property
    def print_copy(self) -> Copy:
        return print_copy(self.picture)

    @property
    def print_path(self) -> str:
        """The print copy in the exhibits cache folder (render/images.py), as a URL path."""
        return f"{self.picture.digest}/{self.print_copy.name}"

    @property
    def print_width_mm(self) -> float:
        return print_size_mm(self.picture)[0]

    @property
    def print_height_mm(self) -> float:
        return print_size_mm(self.picture)[1]
