"""Exhibits, quoted posts and the timeline drawing in the printed handouts (slow: real PDFs)."""
from __future__ import annotations

import subprocess

import pytest

from casebook.cli import main
from conftest import Project
from test_exhibits import CAMERA, EXHIBIT_CASE, write_exhibit_case


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("pictures") / "book")
    write_exhibit_case(project, EXHIBIT_CASE)
    assert main(project.args()) == 0
    return project.out / "site" / "pdf" / "picard.pdf"


def images_of(pdf) -> list[dict]:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    header = listing[0].split()
    return [dict(zip(header, line.split())) for line in listing[2:]]


def test_exhibits_are_printed_at_no_more_than_300_ppi(handout):
    images = [image for image in images_of(handout) if image["type"] == "image"]
    # The reply (once, though two events name it) and the thread after the timeline.
    assert len(images) == 2, images
    for image in images:
        assert int(image["x-ppi"]) <= 300 and int(image["y-ppi"]) <= 300, image
    reply = max(images, key=lambda image: int(image["width"]))
    # 2400 px wide: printed 120 mm wide, so 1,417 px (300 ppi), not the original's 2,400.
    assert (reply["width"], reply["height"]) == ("1417", "945") and reply["enc"] == "jpeg"
    # The thread has transparency: printed as a PNG with its soft mask.
    assert any(image["type"] == "smask" for image in images_of(handout))


def test_the_handout_carries_no_metadata_of_the_pictures(handout):
    assert CAMERA.encode() not in handout.read_bytes()


def test_the_handout_shows_the_timeline_drawing_the_quote_and_the_captions(handout):
    text = subprocess.run(["pdftotext", "-layout", str(handout), "-"], capture_output=True,
                          text=True, check=True).stdout
    # The compact drawing sits under the figures, before the summary: each event's time since
    # the start and the marks, as text in the PDF (its labels never mix with the events).
    drawing = "".join(text[text.index("Channel moves"):text.index("Summary")].split())
    for label in ("ESCALATION", "0s", "≤2min", "≤2days1h", "unknown"):   # pdftotext drops spaces
        assert label in drawing, label
    assert text.index("Summary") < text.index("(start)")
    # The quoted post: its words as text, who, channel and time.
    assert "We're on it! <script>alert(1)</script> https://example.org" in text
    assert "≤ 2 min since the start" in text
    assert "The reply as posted" in text and "Screenshot from the source article" in text
