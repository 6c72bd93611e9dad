"""Printed pages a trainer hands out (issue 14): a cover without a running footer and with a
date written for people, ruled lines that survive 60 dpi and a photocopier, and answer space
that uses the page instead of leaving most of it blank. Checked on real PDFs, as images."""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from casebook.build.pipeline import BuildOptions, run_build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """The shipped cases built, two of them given dates (the shipped ones have none)."""
    book = tmp_path_factory.mktemp("book")
    shutil.copytree(ROOT / "cases", book / "cases")
    shutil.copy(ROOT / "site.yaml", book / "site.yaml")
    for name, date in (("twc-patrick-stewart-cable-wait", "2009-04"),
                       ("comcast-cares-twitter-account", "2008")):
        case = book / "cases" / f"{name}.yaml"
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace("\noutcome:", f"\ndate: {date}\noutcome:", 1), encoding="utf-8")
    run_build(BuildOptions(root=ROOT, cases=book / "cases", out=book / "output", jobs=2,
                           quiet=True))
    return book / "output"


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def page_images(pdf: Path, dpi: int, folder: Path, first: int = 1, last: int = 0) -> list[Image.Image]:
    prefix = folder / f"{pdf.stem}-{dpi}"
    args = ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(first)]
    subprocess.run(args + (["-l", str(last)] if last else []) + [str(pdf), str(prefix)], check=True)
    return [Image.open(path) for path in sorted(folder.glob(f"{prefix.name}-*.pgm"))]


def test_the_handbook_cover_has_no_running_footer_and_a_date_for_people(out):
    for pdf in (out / "site" / "pdf" / "handbook.pdf",
                out / "facilitator" / "handbook-facilitator.pdf"):
        pages = page_texts(pdf)
        assert "page 1 of" not in pages[0] and "Casebook" in pages[0].split("cases")[0]
        assert "Cases up to April 2009" in " ".join(pages[0].split())
        assert "2009-04" not in pages[0]
        assert f"page 2 of {len(pages)}" in pages[1]   # the cover still counts


def ruled_lines(image: Image.Image) -> int:
    """How many ruled lines an image of a page shows dark enough to photocopy.

    A rule is a run of rows whose middle half is drawn across (90 % of its pixels not
    white; text rows never are); its ink is the sum over those rows of their median darkness
    (0 white, 255 black), so a line that falls across two pixel rows counts whole. It must
    add up to at least 120, as much as half a pixel row of black."""
    width, height = image.size
    pixels = image.load()
    middle = range(width // 4, 3 * width // 4)
    lines, ink = 0, 0
    for y in range(height + 1):
        darkness = [255 - pixels[x, y] for x in middle] if y < height else []
        if darkness and sum(d > 20 for d in darkness) >= 0.9 * len(darkness):
            ink += statistics.median(darkness)
            continue
        lines += ink >= 120
        ink = 0
    return lines


@pytest.mark.parametrize("dpi", [60, 100])
def test_ruled_answer_lines_show_at_low_resolution(out, tmp_path, dpi):
    pdf = out / "site" / "pdf" / "twc-patrick-stewart-cable-wait.pdf"
    texts = page_texts(pdf)
    page = next(n for n, text in enumerate(texts, 1) if "Discussion questions" in text)
    questions = len(re.findall(r"^\s*\d\. ", texts[page - 1], re.M))
    (image,) = page_images(pdf, dpi, tmp_path, page, page)
    assert questions == 4
    assert ruled_lines(image) >= 3 * questions


def used_height(image: Image.Image) -> float:
    """How far down the page its content reaches, as a fraction of the page, above the
    footer (the bottom 8 % of the page)."""
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(int(height * 0.92)) if any(pixels[x, y] < 200 for x in range(width))]
    return max(rows, default=0) / height


def test_no_handout_or_chapter_page_is_left_mostly_blank(out, tmp_path):
    handouts = sorted((out / "site" / "pdf").glob("*-*.pdf"))
    assert len(handouts) == 8
    for pdf in handouts + [out / "facilitator" / "handbook-facilitator.pdf"]:
        images = page_images(pdf, 20, tmp_path)
        if pdf.stem.startswith("handbook"):
            images = images[2:-1]   # the cover, the contents and the lessons' last page aside
        used = [round(used_height(image), 2) for image in images]
        assert min(used) > 0.6, (pdf.name, used)


def test_your_notes_use_the_page_they_are_on(out, tmp_path):
    pdf = out / "facilitator" / "handbook-facilitator.pdf"
    texts = page_texts(pdf)
    notes = [n for n, text in enumerate(texts, 1) if "Your notes" in text]
    assert len(notes) == 8
    # Each case's "Your notes" has far more than its five lines: the part's page is used.
    for number in notes:
        (image,) = page_images(pdf, 60, tmp_path, number, number)
        assert ruled_lines(image) >= 10, number
        (image.close(), *(path.unlink() for path in tmp_path.glob("*.pgm")))
