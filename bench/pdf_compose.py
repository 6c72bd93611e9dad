#!/usr/bin/env python3
"""How long composing a handbook from already laid-out handouts takes with pypdf.

    .venv/bin/python bench/pdf_compose.py DIR     # DIR: a site's pdf/ folder of handouts

Issue 6's PDF design lays out each case once and composes the handbooks from those pages.
This measures the composing half on real handouts: append every handout into one document
(with one bookmark per case), stamp a printed page number on every page (an overlay page made
by hand with a standard font, merged onto each page), and write the result. The handbook's own
layout work (cover, contents) is not included: it is a few pages of WeasyPrint.
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (ContentStream, DictionaryObject, NameObject, RectangleObject)


def number_overlay(number: int, width: float, height: float) -> PageObject:
    """A blank page with only `number` in 9 pt Helvetica, centred at the bottom."""
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/FNum"): font})})
    text = f"BT /FNum 9 Tf {width / 2 - 6:.1f} 20 Td ({number}) Tj ET".encode()
    stream = ContentStream(None, None)
    stream.set_data(text)
    page.replace_contents(stream)
    return page


def compose(handouts: list[Path], stamp: bool) -> tuple[int, int]:
    writer = PdfWriter()
    for path in handouts:
        start = len(writer.pages)
        writer.append(PdfReader(path), import_outline=False)
        writer.add_outline_item(title=path.stem, page_number=start)
    if stamp:
        for number, page in enumerate(writer.pages, 1):
            box: RectangleObject = page.mediabox
            page.merge_page(number_overlay(number, float(box.width), float(box.height)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return len(writer.pages), buffer.tell()


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    if folder is None or not folder.is_dir():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    handouts = sorted(p for p in folder.glob("*.pdf") if p.stem != "handbook")
    for stamp in (False, True):
        started, cpu = time.perf_counter(), time.process_time()
        pages, size = compose(handouts, stamp)
        print(f"{len(handouts)} handouts -> {pages} pages, {size / 1e6:.1f} MB, "
              f"{'with' if stamp else 'without'} page numbers stamped: "
              f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
