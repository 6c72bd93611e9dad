"""The printed handouts, the handbook and its facilitator edition, checked on the real PDFs.

The shipped cases are built once for the module; a small case set with every script a case may
contain (and a hostile case) is built once more. Text comes from poppler's pdftotext, the same
thing a trainer copying from the PDF would get; structure, bookmarks and metadata from pypdf.
"""
from __future__ import annotations

import functools
import html
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from casebook.model.catalog import build_catalog
from casebook.build.project import load_project
from casebook.build import pdfbuild
from casebook.build.pdfbuild import write_pdfs
from casebook.printing.pdf import render_pdf
from casebook.build.pipeline import BuildOptions, run_build
from casebook.reading.problems import InvalidInput
from casebook.render.templates import TEMPLATES
from harness import recording_server
from casebook.cli import main
from conftest import CASE_YAML

ROOT = Path(__file__).resolve().parent.parent
SECTION_HEADINGS = {"Figures", "Summary", "Timeline", "Takeaways", "Objectives",
                    "Discussion questions", "Sources", "Facilitator notes", "Your notes",
                    "Time since the start (as the source puts it) · who · channel · what happened"}


# --- helpers ---------------------------------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without whitespace or hyphens: pdftotext drops or adds spaces where glyphs sit
    close, and drops the hyphen of a word like "social-media" broken at the end of a line."""
    return "".join(text.split()).replace("-", "")


def plain(rich_html: str) -> str:
    """What a reader sees of an HTML fragment: the text, whitespace collapsed (inline markup
    such as *emphasis* joins its neighbours: "*Thumbonomics*)" reads "Thumbonomics)")."""
    inline = re.sub(r"</?(?:em|strong|a|code)\b[^>]*>", "", rich_html)
    return norm(html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def blocks(rich_html: str) -> list[str]:
    """The paragraphs and list items of an HTML fragment, as plain text (list numbers and
    bullets are drawn by the renderer, so they are not part of any block)."""
    parts = re.findall(r"<(p|li)>(.*?)</\1>", rich_html, re.S)
    return [plain(re.sub(r"<(ol|ul)>.*", "", inner, flags=re.S)) for _, inner in parts
            if plain(inner)] or [plain(rich_html)]


@functools.lru_cache(maxsize=None)
def pdftotext(path: Path) -> tuple[str, ...]:
    """The text of each page, in reading order (read once per file: PDFs are not rewritten)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return tuple(result.stdout.split("\f")[:-1])


def all_text(path: Path) -> str:
    return norm(" ".join(pdftotext(path)))


def pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font of the PDF."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines]


def outline(reader: PdfReader, items=None) -> list[tuple[str, int, list]]:
    """Bookmarks as (title, page index, children)."""
    items = reader.outline if items is None else items
    tree = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = tree[-1]
            tree[-1] = (title, page, outline(reader, item))
        else:
            tree.append((item.title, reader.get_destination_page_number(item), []))
    return tree


def pages_outside_structure_tree(path: Path) -> list[int]:
    """Page numbers of pages with text that no structure element claims."""
    reader = PdfReader(path)
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    claimed = {nums[i]: nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    missing = []
    for number, (page, text) in enumerate(zip(reader.pages, pdftotext(path)), start=1):
        if not text.strip():
            continue
        elements = claimed.get(page.get("/StructParents"))
        if not elements or not all(e.get_object().get("/Type") == "/StructElem" for e in elements):
            missing.append(number)
    return missing


# --- the shipped cases, built once -----------------------------------------------------------


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(load_project(ROOT))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf-build") / "output"
    result = run_build(BuildOptions(root=ROOT, cases=ROOT / "cases", out=out, jobs=2, quiet=True))
    return out, result


@pytest.fixture(scope="module")
def out(built):
    return built[0]


@pytest.fixture(scope="module")
def handbook(out):
    return out / "site" / "pdf" / "handbook.pdf"


@pytest.fixture(scope="module")
def facilitator_handbook(out):
    return out / "facilitator" / "handbook-facilitator.pdf"


def test_every_pdf_is_where_the_contract_says_and_counted(built, catalog):
    out, result = built
    courses = load_project(ROOT).courses
    expected = {f"{case.slug}.pdf" for case in catalog.cases} | {"handbook.pdf", "courses"}
    assert {p.name for p in (out / "site" / "pdf").iterdir()} == expected
    packs = {p.name for p in (out / "site" / "pdf" / "courses").iterdir()}
    guides = {p.name for p in (out / "facilitator" / "courses").iterdir()}
    assert packs == guides == {f"{course.slug}.pdf" for course in courses} != set()
    assert (out / "facilitator" / "handbook-facilitator.pdf").is_file()
    assert not [p for p in (out / "site").rglob("*") if "facilitator" in p.name]
    # the handouts, the handbook, each pack; the facilitator handbook and each guide
    assert result.pdfs == len(expected) - 1 + len(packs) + 1 + len(guides)
    assert f"{result.pdfs} PDFs" in result.summary()


@functools.lru_cache(maxsize=None)
def pdftotext_layout(path: Path) -> tuple[str, ...]:
    """The text of each page as laid out, line by line: a table row's cells stay on one line
    even where a picture's labels (the timeline drawing) sit beside the table."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return tuple(result.stdout.split("\f")[:-1])


def test_handout_shows_the_case_in_reading_order(out, catalog):
    for case in catalog.cases:
        pages = pdftotext_layout(out / "site" / "pdf" / f"{case.slug}.pdf")
        text = squash(" ".join(pages))
        top = squash(pages[0])
        for fact in (case.title, case.organization, ", ".join(case.channels),
                     f"Outcome: {case.outcome}", f"First response: {case.figures.first_response}",
                     f"Channel moves: {case.figures.channel_moves}"):
            assert squash(fact) in top, (case.slug, fact)
        # Summary, then every event (its time, who, then what happened), then the takeaways.
        position = text.index(squash(plain(case.summary.html)))
        for event in case.timeline:
            line = f"{event.elapsed} ({event.when}) {event.who.name} ({event.who.side})"
            position = text.index(squash(line), position)
            for block in blocks(event.what.html):
                position = text.index(squash(block), position)
        for takeaway in case.takeaways:
            position = text.index(squash(takeaway.lesson), position)
            for block in blocks(takeaway.detail.html) if takeaway.detail else []:
                position = text.index(squash(block), position)
        for question in case.discussion:
            position = text.index(squash(question), position)
        for source in case.sources:
            assert squash(source.title) in text, (case.slug, source.title)
            if source.note:
                assert squash(source.note) in text, (case.slug, source.note)


def test_handouts_have_running_header_footer_and_fit_a_session(out, catalog):
    for case in catalog.cases:
        pages = pdftotext(out / "site" / "pdf" / f"{case.slug}.pdf")
        assert 1 <= len(pages) <= 2, f"{case.slug} takes {len(pages)} pages"
        for number, page in enumerate(pages, start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            assert lines[0] == case.title, (case.slug, number)
            assert catalog.site.title in lines[-3:], (case.slug, number)
            assert f"page {number} of {len(pages)}" in lines[-3:], (case.slug, number)


@pytest.fixture
def laid_out(monkeypatch) -> list[int]:
    """The page count of every WeasyPrint layout made while the test runs, in order."""
    import weasyprint

    counts = []
    real_render = weasyprint.HTML.render

    def render(self, **options):
        document = real_render(self, **options)
        counts.append(len(document.pages))
        return document

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    return counts


def test_a_handout_far_over_its_sheet_is_not_laid_out_again_for_each_line_count(catalog,
                                                                                  laid_out):
    """Fewer ruled lines are tried only where taking them out could bring a handout onto its
    sheet: one that runs over by pages is laid out once, and once more to fill its last page
    (each layout is a third of a second or more; a bench case ran over by far every time)."""
    from casebook.printing import pdf
    from casebook.render.templates import environment

    case = next(case for case in catalog.cases if case.slug.startswith("phone-com"))
    page = pdf.handout_html(environment(), catalog.site, case)
    timeline = re.search(r'<ol class="timeline">.*?</ol>', page, re.S)[0]
    render_pdf(page.replace(timeline, timeline * 5))
    assert laid_out[0] > pdf.HANDOUT_PAGES + 1
    assert len(laid_out) <= 2, laid_out


def test_a_notes_part_is_laid_out_once_and_as_two_layouts_would_make_it(catalog, laid_out,
                                                                         monkeypatch):
    """A notes part (one answer space, one page) is laid out once, with the ruled lines that
    fill its page, where measuring first took two layouts; the bytes are the same. A part too
    long for that (two pages) takes the usual way, to the same bytes too."""
    from casebook.printing import pdf
    from casebook.render.templates import environment

    case = catalog.cases[0]
    notes = pdf.notes_html(environment(), catalog.site, case)
    long_notes = notes.replace('<div class="your-notes">', "<p>Ask the group.</p>" * 30
                               + '<div class="your-notes">')
    once = render_pdf(notes)
    assert laid_out == [1]
    long_once = render_pdf(long_notes)
    assert laid_out[1] >= 2, laid_out      # the guess did not hold: the usual way
    monkeypatch.setattr(pdf, "_filled_at_once", lambda *args: None)
    assert render_pdf(notes) == once and render_pdf(long_notes) == long_once


def test_paper_is_a4_by_default(out, handbook):
    for path in (handbook, next((out / "site" / "pdf").glob("c*.pdf"))):
        box = PdfReader(path).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_fonts_are_embedded(out, handbook, facilitator_handbook):
    for path in [handbook, facilitator_handbook, *(out / "site" / "pdf").glob("*.pdf")]:
        fonts = pdffonts(path)
        assert fonts, path
        assert all(embedded == "yes" for _, embedded in fonts), (path, fonts)


def test_pdfs_are_tagged_with_every_page_in_the_structure_tree(out, handbook, facilitator_handbook):
    for path in [handbook, facilitator_handbook, *(out / "site" / "pdf").glob("*.pdf")]:
        assert re.search(r"^Tagged:\s+yes$", pdfinfo(path), re.M), path
        assert pages_outside_structure_tree(path) == [], path


def test_handbook_metadata(handbook, catalog):
    reader = PdfReader(handbook)
    info = reader.metadata
    assert info.title == catalog.site.title
    assert info.author == catalog.site.title
    assert info.subject == norm(catalog.site.description)
    assert set(info["/Keywords"].split(", ")) == set(catalog.tags)
    assert reader.trailer["/Root"]["/Lang"] == catalog.site.language
    assert "/CreationDate" not in info  # no build time inside


def test_handout_metadata(out, catalog):
    case = next(case for case in catalog.cases if case.tags)
    reader = PdfReader(out / "site" / "pdf" / f"{case.slug}.pdf")
    assert reader.metadata.title == case.title
    assert reader.metadata.author == catalog.site.title
    assert case.organization in reader.metadata.subject
    assert reader.metadata["/Keywords"].split(", ") == case.tags
    assert reader.trailer["/Root"]["/Lang"] == catalog.site.language
    assert [title for title, _, _ in outline(reader)] == [case.title]


def test_handbook_page_numbers_contents_and_bookmarks_agree(handbook, catalog):
    reader = PdfReader(handbook)
    pages = pdftotext(handbook)
    total = len(pages)
    assert "page 1 of" not in pages[0]   # the cover has no running footer
    for number, page in enumerate(pages[1:], start=2):
        assert f"page {number} of {total}" in page, f"page {number} prints another number"

    contents = norm(pages[1])
    assert contents.startswith("Contents")
    bookmarks = {title: (page, children) for title, page, children in outline(reader)}
    for case in catalog.cases:
        listed = int(re.search(re.escape(case.title) + r"[ .]*?(\d+)", contents)[1])
        page_index, sections = bookmarks[case.title]
        assert page_index + 1 == listed, case.title
        # The running header and the chapter's heading: the case starts that page.
        assert squash(pages[listed - 1]).startswith(squash(case.title) * 2), \
            f"{case.title} does not start page {listed}"
        assert [title for title, _, _ in sections][:4] == ["Figures", "Summary", "Timeline",
                                                           "Takeaways"]
        assert "Sources" in [title for title, _, _ in sections]
        assert all(page_index <= section_page < total for _, section_page, _ in sections)

    lessons_page = int(re.search(r"Lessons by theme[ .]*?(\d+)", contents)[1])
    assert bookmarks["Lessons by theme"][0] + 1 == lessons_page
    assert [title for title, _, _ in bookmarks["Lessons by theme"][1]] == \
        [group.theme.title for group in catalog.lessons]


def test_lessons_by_theme_name_the_case_and_its_page(handbook, catalog):
    pages = pdftotext(handbook)
    lessons = norm(" ".join(pages[chapter_start(pages, "Lessons by theme") - 1:]))
    starts = {case.title: chapter_start(pages, case.title) for case in catalog.cases}
    for group in catalog.lessons:
        for lesson in group.lessons:
            entry = f"{lesson.takeaway.lesson} ({lesson.case.title}, page {starts[lesson.case.title]})"
            assert entry in lessons


def chapter_start(pages: list[str], title: str) -> int:
    """The number of the page that a chapter starts (its heading under the running header)."""
    return next(number for number, page in enumerate(pages, start=1)
                if squash(page).startswith(squash(title) * 2))


def test_printed_pages_keep_events_whole_and_headings_with_their_text(handbook, catalog):
    pages = [squash(page) for page in pdftotext(handbook)]
    for case in catalog.cases:
        for event in case.timeline:
            head = squash(f"({event.when}) {event.who.name} ({event.who.side})")
            what = squash(plain(event.what.html))
            assert any(head in page and what in page[page.index(head):] for page in pages), \
                f"{case.slug}: the event {event.what.source!r} is split across pages"
    for number, page in enumerate(pdftotext(handbook), start=1):
        body = [line for line in page.splitlines() if line.strip()][:-2]  # without the footer
        assert body[-1] not in SECTION_HEADINGS, f"page {number} ends with a heading"


def test_only_the_facilitator_edition_has_facilitator_notes(out, handbook, facilitator_handbook,
                                                            catalog):
    notes = [(case, block) for case in catalog.cases if case.facilitator_notes
             for block in blocks(case.facilitator_notes.html)]
    assert len(notes) >= len(catalog.cases)
    facilitator = all_text(facilitator_handbook)
    participant = [all_text(handbook)] + [all_text(p) for p in (out / "site" / "pdf").glob("*.pdf")]
    website = [plain(p.read_text(encoding="utf-8")) for p in (out / "site").rglob("*.html")]
    for case, block in notes:
        assert block in facilitator, (case.slug, block)
        for text in participant + website:
            assert block not in text, (case.slug, block)
    for text in participant + website:
        assert "Facilitator notes" not in text and "Facilitator edition" not in text


def test_facilitator_edition_says_so_on_the_cover_and_every_page(facilitator_handbook, catalog):
    pages = pdftotext(facilitator_handbook)
    assert "FACILITATOR EDITION" in pages[0].upper()
    assert all("Facilitator edition" in page for page in pages[1:])   # the cover: in capitals
    info = PdfReader(facilitator_handbook).metadata
    assert "Facilitator edition" in info.title
    # Room for the facilitator's own notes in every case chapter.
    assert norm(" ".join(pages)).count("Your notes") == len(catalog.cases)


def test_same_input_gives_byte_identical_pdfs(small, tmp_path):
    """Rendered again later (font subsetting would stamp the new time), with no cache, byte for
    byte the same: the small project's handouts and handbooks, with every script and emoji."""
    project, small_out = small
    small_catalog = build_catalog(load_project(ROOT, project / "cases"))
    written = write_pdfs(small_catalog, tmp_path / "site", tmp_path / "facilitator")
    assert len(written) == 4
    for path in written:
        assert path.read_bytes() == (small_out / path.parent.name.replace("site", "site/pdf")
                                     / path.name).read_bytes(), path.name


def test_source_date_epoch_dates_the_pdf(small, tmp_path, monkeypatch):
    project, _ = small
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    written = write_pdfs(build_catalog(load_project(ROOT, project / "cases")),
                         tmp_path / "site", tmp_path / "facilitator")
    for path in written:
        assert PdfReader(path).metadata["/CreationDate"].startswith("D:20231114221320"), path


# --- every script, a hostile case, letter paper ----------------------------------------------

SCRIPTS_CASE = """\
title: Ærøskøbing café, متجر عربي and 北京客服
organization: Café Crème Société
channels: [Twitter, 微博]
outcome: mixed
tags: [scripts]
summary: |
  A naïve façade: the Zürich café replied «très vite» 😀🎉👍 to a complaint.
people:
  ana: {name: Zoë Ångström, side: customer}
  shop: {name: متجر الرياض, side: company}
  wei: {name: 王伟, side: public}
timeline:
  - when: start
    who: ana
    channel: Twitter
    what: "Complains: the crème brûlée was cold 😡 and nobody answered."
  - when: within 2 hours
    who: shop
    channel: Twitter
    what: نعتذر عن التأخير في الرد
  - when: next day
    who: wei
    channel: 微博
    what: 我也遇到了同样的问题，客服三天没有回复。
    mark: resolution
takeaways:
  - lesson: Answer in the customer's language ✈️
    theme: speed
    detail: Réponse rapide, مرحبا, 谢谢.
discussion:
  - Qu'auriez-vous répondu ?
facilitator_notes: Ask the room about languages.
sources:
  - title: Le café et les clients
    url: https://example.org/article?id=1&lang=fr
"""

HOSTILE_CASE = """\
title: A hostile case
organization: Nobody
channels: [Email]
outcome: unknown
summary: |
  ![secret](file:///etc/passwd) and ![ping](http://127.0.0.1:{port}/summary.png)
  <img src="http://127.0.0.1:{port}/raw.png"> [a link](http://127.0.0.1:{port}/link)
people:
  a: {{name: Someone, side: customer}}
timeline:
  - when: start
    who: a
    what: '![pixel](http://127.0.0.1:{port}/pixel.png) <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
takeaways:
  - lesson: Nothing outside the project is read
    theme: speed
    detail: '![passwd](file:///etc/passwd)'
sources:
  - title: A source
"""


@pytest.fixture(scope="module")
def loopback():
    with recording_server() as (port, requests):
        yield port, requests


@pytest.fixture(scope="module")
def small(tmp_path_factory, loopback):
    """A two-case project on letter paper: every script, and a hostile case; built once."""
    port, _ = loopback
    project = tmp_path_factory.mktemp("scripts")
    site = (ROOT / "site.yaml").read_text(encoding="utf-8").replace("paper: A4", "paper: letter")
    (project / "site.yaml").write_text(site, encoding="utf-8")
    (project / "cases").mkdir()
    (project / "cases" / "scripts.yaml").write_text(SCRIPTS_CASE, encoding="utf-8")
    (project / "cases" / "hostile.yaml").write_text(HOSTILE_CASE.format(port=port), encoding="utf-8")
    out = project / "output"
    run_build(BuildOptions(root=ROOT, cases=project / "cases", out=out, jobs=1, quiet=True))
    return project, out


def test_every_script_renders_with_a_font_that_has_it(small):
    _, out = small
    path = out / "site" / "pdf" / "scripts.pdf"
    fonts = " ".join(name for name, _ in pdffonts(path))
    for family in ("Noto-Sans-Arabic", "Noto-Sans-CJK", "Noto-Color-Emoji", "Noto-Sans"):
        assert family in fonts, f"{family} missing from {fonts}"
    text = unicodedata.normalize("NFKC", all_text(path))
    for words in ("Ærøskøbing café", "Zoë Ångström", "crème brûlée", "北京客服",
                  "我也遇到了同样的问题，客服三天没有回复。", "«très vite»", "Qu'auriez-vous répondu ?"):
        assert unicodedata.normalize("NFKC", words) in text, words
    # Arabic comes out of pdftotext in logical order, word by word.
    for word in ("نعتذر", "التأخير", "الرياض"):
        assert word in text, word
    for emoji in ("😀", "😡", "✈"):
        assert emoji in text, emoji


def test_signs_and_nested_bullets_do_not_pull_in_the_cjk_font(tmp_path):
    """≤ ≥ (elapsed times, figures) and ◦ (a nested list's bullet) are not in Noto Sans: they
    come from Noto Sans Math and Symbols2, not from the 19 MB CJK font, whose subset every
    such handout would otherwise embed (slow to make, and 100 KB a handout)."""
    path = tmp_path / "signs.pdf"
    path.write_bytes(render_pdf(
        '<!doctype html><html lang="en"><head><title>Signs</title>'
        '<link rel="stylesheet" href="print/handout.css">\n</head><body><p>≥ 2 days, ≤ 1 h, '
        '<strong>≥ 45 min</strong></p><ul><li>one<ul><li>nested</li></ul></li></ul></body></html>'))
    fonts = " ".join(name for name, _ in pdffonts(path))
    assert "Noto-Sans-Math" in fonts and "Noto-Sans-Symbols2" in fonts, fonts
    assert "CJK" not in fonts, fonts
    assert "≥ 2 days, ≤ 1 h" in all_text(path)


def test_letter_paper_from_site_yaml(small):
    _, out = small
    for path in (out / "site" / "pdf" / "scripts.pdf", out / "site" / "pdf" / "handbook.pdf",
                 out / "facilitator" / "handbook-facilitator.pdf"):
        box = PdfReader(path).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_source_links_are_clickable(small):
    _, out = small
    reader = PdfReader(out / "site" / "pdf" / "scripts.pdf")
    uris = [annotation.get_object()["/A"]["/URI"] for page in reader.pages
            for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    assert "https://example.org/article?id=1&lang=fr" in uris


def test_hostile_case_fetches_nothing(small, loopback):
    _, out = small
    _, requests = loopback
    assert requests == []
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    for path in [*(out / "site" / "pdf").glob("*.pdf"), out / "facilitator" / "handbook-facilitator.pdf"]:
        assert passwd not in all_text(path)
    hostile = out / "site" / "pdf" / "hostile.pdf"
    assert images(PdfReader(hostile)) == []
    text = all_text(hostile)
    assert "secret" in text and "pixel" in text  # images show their alt text


def images(reader: PdfReader) -> list:
    """The image objects the pages draw (color emoji are images too, so test without them)."""
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        found += [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    return found


def test_the_url_fetcher_refuses_everything_outside_the_templates(loopback, tmp_path):
    port, requests = loopback
    before = len(requests)
    outside = tmp_path / "outside.css"
    outside.write_text('body::before { content: "LEAKED" }', encoding="utf-8")
    relative = os.path.relpath(outside, TEMPLATES)  # ../../.. out of templates/
    pdf = render_pdf(f"""<html lang="en"><head>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
        <link rel="stylesheet" href="{outside.as_uri()}">
        <link rel="stylesheet" href="{relative}"></head><body>
        <img src="file:///etc/passwd" alt="one"><img src="http://127.0.0.1:{port}/i.png" alt="two">
        <p>Text</p></body></html>""")
    assert len(requests) == before
    reader = PdfReader(io.BytesIO(pdf))
    assert images(reader) == []
    assert "LEAKED" not in reader.pages[0].extract_text()
    assert "Text" in reader.pages[0].extract_text()


def test_only_pdf_without_a_previous_site_leaves_a_complete_site(small, tmp_path):
    project, _ = small
    out = tmp_path / "output"
    result = run_build(BuildOptions(root=ROOT, cases=project / "cases", out=out, only="pdf",
                                    jobs=2, quiet=True))
    site = out / "site"
    assert (site / "index.html").is_file() and (site / "cases" / "scripts.html").is_file()
    assert result.pages > 0 and result.pdfs == 4
    assert_links_to_pdfs_resolve(site)


def test_only_pdf_keeps_the_published_pages_that_still_fit(small, tmp_path):
    project, built_out = small
    out = tmp_path / "output"
    shutil.copytree(built_out, out)
    index = out / "site" / "index.html"
    index.write_text(index.read_text(encoding="utf-8") + "<!-- published earlier -->",
                     encoding="utf-8")
    (out / "site" / "pdf" / "scripts.pdf").write_bytes(b"stale")
    run_build(BuildOptions(root=ROOT, cases=project / "cases", out=out, only="pdf", jobs=2,
                           quiet=True))
    assert index.read_text(encoding="utf-8").endswith("<!-- published earlier -->")
    assert (out / "site" / "pdf" / "scripts.pdf").read_bytes().startswith(b"%PDF")
    assert_links_to_pdfs_resolve(out / "site")


def test_only_site_keeps_handouts_and_links_only_to_published_pdfs(small, tmp_path):
    project, built_out = small
    out = tmp_path / "output"
    shutil.copytree(built_out, out)
    before = (out / "site" / "pdf" / "scripts.pdf").read_bytes()
    run_build(BuildOptions(root=ROOT, cases=project / "cases", out=out, only="site", quiet=True))
    assert (out / "site" / "pdf" / "scripts.pdf").read_bytes() == before
    assert (out / "facilitator" / "handbook-facilitator.pdf").is_file()
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert ("pdf/handbook.pdf" in index) == (out / "site" / "pdf" / "handbook.pdf").exists()
    assert_links_to_pdfs_resolve(out / "site")


def assert_links_to_pdfs_resolve(site: Path) -> None:
    links = 0
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
            links += 1
    assert links


def test_a_case_named_handbook_is_refused(tmp_path):
    (tmp_path / "cases").mkdir()
    shutil.copy(ROOT / "cases" / "comcast-cares-twitter-account.yaml",
                tmp_path / "cases" / "handbook.yaml")
    with pytest.raises(InvalidInput) as refused:
        run_build(BuildOptions(root=ROOT, cases=tmp_path / "cases", out=tmp_path / "out",
                               quiet=True))
    assert "handbook.yaml:1:" in str(refused.value) and "taken by the PDF handbook" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_a_bad_source_date_epoch_is_a_clear_usage_error(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "out"), "--quiet"],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- layouts cached and composed -------------------------------------------------------------


def small_catalog(project: Path):
    return build_catalog(load_project(ROOT, project / "cases"))


def write_into(catalog, folder: Path, cache: Path | None, jobs: int = 1) -> dict[str, bytes]:
    written = write_pdfs(catalog, folder / "site", folder / "facilitator", jobs=jobs,
                         cache_dir=cache)
    return {path.name: path.read_bytes() for path in written}


def test_a_warm_cache_gives_the_same_bytes_as_a_cold_build(small, tmp_path):
    project, _ = small
    catalog = small_catalog(project)
    cache = tmp_path / "cache"
    cold = write_into(catalog, tmp_path / "cold", cache, jobs=2)
    entries = sorted(cache.iterdir())
    pdfbuild.layout_log.clear()
    warm = write_into(catalog, tmp_path / "warm", cache, jobs=2)
    assert pdfbuild.layout_log == []                      # nothing laid out again
    assert warm == cold
    assert sorted(cache.iterdir()) == entries        # every entry used, none added
    assert not [entry for entry in entries if entry.suffix != ".pdf"]  # no temporary files


def test_after_editing_one_case_only_its_chapter_is_laid_out_again(small, tmp_path):
    project, _ = small
    edited = tmp_path / "project"
    shutil.copytree(project / "cases", edited / "cases")
    cache = tmp_path / "cache"
    write_into(small_catalog(edited), tmp_path / "before", cache)
    before = set(cache.iterdir())
    case = edited / "cases" / "scripts.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("A naïve façade", "A naive facade"),
                    encoding="utf-8")
    pdfbuild.layout_log.clear()
    after = write_into(small_catalog(edited), tmp_path / "after", cache)
    assert pdfbuild.layout_log == ["chapter scripts"]
    # The old chapter's layout is dropped from the cache, the new one kept; nothing else moved.
    now = set(cache.iterdir())
    assert len(before - now) == 1 and len(now - before) == 1
    # And the result is what a build without a cache makes.
    assert after == write_into(small_catalog(edited), tmp_path / "uncached", None)
    assert "A naive facade" in all_text(tmp_path / "after" / "site" / "scripts.pdf")


def test_the_two_handbooks_are_never_composed_at_once(small, tmp_path, monkeypatch):
    """Composing a handbook holds every part open in qpdf (430 MB for 100 cases): with two
    workers, one composes both handbooks in turn, the other the rest, so the build's memory
    over its processes stays under its budget. The workers are forked, so the patched
    compose is theirs too; each writes when it started and ended."""
    import time

    project, _ = small
    log = tmp_path / "log"
    real_compose = pdfbuild.compose

    def compose(parts, stamp, target):
        started = time.monotonic()
        time.sleep(0.3)   # long enough to overlap, were they run at once
        pages = real_compose(parts, stamp, target)
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{os.getpid()} {target.name} {started} {time.monotonic()}\n")
        return pages

    monkeypatch.setattr(pdfbuild, "compose", compose)
    write_into(small_catalog(project), tmp_path / "out", tmp_path / "cache", jobs=2)
    runs = {name: (pid, float(start), float(end)) for pid, name, start, end
            in (line.split() for line in log.read_text(encoding="utf-8").splitlines())}
    (pid, start, end), (other_pid, other_start, other_end) = (
        runs["handbook.pdf"], runs["handbook-facilitator.pdf"])
    assert end <= other_start or other_end <= start
    assert len({pid for pid, _, _ in runs.values()}) == 2     # the others ran beside them


def test_a_stylesheet_change_changes_every_cache_key(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = pdfbuild.layout_salt(templates)
    css = templates / "print" / "handout.css"
    css.write_text(css.read_text(encoding="utf-8") + "\np { color: #111; }\n", encoding="utf-8")
    assert pdfbuild.layout_salt(templates) != before
    (templates / "print" / "notes.html").write_text("changed", encoding="utf-8")
    assert pdfbuild.layout_salt(templates) == pdfbuild.layout_salt(templates)  # stable


def internal_links(reader: PdfReader) -> list[tuple[int, int, str]]:
    """(page index of the link, page index it goes to) for every /Dest link; no link is left
    pointing at the placeholder composing resolves."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    links = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert not str(annotation.get("/A", {}).get("/URI", "")).startswith("x-casebook")
            if "/Dest" in annotation:
                links.append((index, pages[annotation["/Dest"][0].idnum]))
    return links


def test_contents_and_lessons_link_to_the_chapters(handbook, facilitator_handbook, catalog):
    for path in (handbook, facilitator_handbook):
        reader = PdfReader(path)
        pages = pdftotext(path)
        starts = {chapter_start(pages, case.title) - 1 for case in catalog.cases}
        lessons = chapter_start(pages, "Lessons by theme") - 1
        links = internal_links(reader)
        from_contents = [target for page, target in links if page == 1]
        assert set(from_contents) == starts | {lessons}, path
        from_lessons = [target for page, target in links if page >= lessons]
        # Every lesson links to its case's chapter (a link broken over lines is several boxes).
        cited = {chapter_start(pages, lesson.case.title) - 1 for group in catalog.lessons
                 for lesson in group.lessons}
        assert set(from_lessons) == cited and len(from_lessons) >= len(cited)


def test_facilitator_notes_are_bookmarked_in_their_case(facilitator_handbook, catalog):
    reader = PdfReader(facilitator_handbook)
    bookmarks = {title: children for title, _, children in outline(reader)}
    for case in catalog.cases:
        sections = [title for title, _, _ in bookmarks[case.title]]
        assert sections[-2:] == ["Sources", "Facilitator notes"], case.title


def test_handout_shows_calendar_days_and_the_time_since_the_first_date(project):
    """The time model's forms in print: same-day events within a day of the start, and after
    an undated start the time since the first dated event."""
    project.write("picard.yaml", CASE_YAML.replace("  - when: within 2 minutes", "  - when: same day")
                  .replace("  - when: next day", "  - when: 2014-02")
                  .replace("  - when: later", "  - when: 2014-02-21"))
    assert main(project.args("--only", "pdf")) == 0
    text = squash(" ".join(pdftotext(project.out / "site" / "pdf" / "picard.pdf")))
    assert squash("≤ 1 day (same day) Time Warner Cable (company)") in text
    assert squash("unknown (2014-02-21) ≤ 21 days after 2014-02 William Shatner (public)") in text
    assert squash("First response: ≤ 1 day") in text

