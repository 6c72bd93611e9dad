"""A course's participant pack and facilitator guide, read back from the PDFs: the cover and
agenda, the cases in agenda order with only the chosen questions and the ruled lines asked
for, facilitator notes in the guide alone, page numbers, bookmarks and structure tree; and the
layout cache: editing a course lays out no case again, editing a case re-composes its courses."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from casebook.build import pdfbuild
from casebook.build.pipeline import BuildOptions, run_build
from casebook.build.project import load_project
from conftest import ROOT
from test_pdf import outline, pages_outside_structure_tree, pdftotext

COURSE = "fast-is-not-enough"
TWC, AA, CDB = ("twc-patrick-stewart-cable-wait", "american-airlines-fast-but-empty-reply",
                "cd-baby-upc-code-after-days-of-silence")


def make_book(root: Path) -> Path:
    """The shipped course with the three cases it uses (and one it does not)."""
    (root / "cases").mkdir(parents=True)
    for slug in (TWC, AA, CDB, "comcast-cares-twitter-account"):
        shutil.copy(ROOT / "cases" / f"{slug}.yaml", root / "cases")
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    shutil.copytree(ROOT / "courses", root / "courses")
    return root


def build(root: Path, out: Path | None = None):
    return run_build(BuildOptions(root=ROOT, cases=root / "cases", out=out or root / "output",
                                  jobs=2, quiet=True))


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = make_book(tmp_path_factory.mktemp("course-pdf"))
    result = build(root)
    course = load_project(ROOT, root / "cases").courses[0]
    return root, root / "output", result, course


@pytest.fixture(scope="module")
def pack(book):
    return book[1] / "site" / "pdf" / "courses" / f"{COURSE}.pdf"


@pytest.fixture(scope="module")
def guide(book):
    return book[1] / "facilitator" / "courses" / f"{COURSE}.pdf"


def flat(text: str) -> str:
    return " ".join(text.split())


def test_both_pdfs_are_where_the_contract_says_and_counted(book, pack, guide):
    _, out, result, _ = book
    assert pack.is_file() and guide.is_file()
    assert not list((out / "site").rglob("*facilitator*"))
    assert result.pdfs == 4 + 1 + 1 + 1 + 1     # handouts, handbook, pack; facilitator handbook, guide
    page = (out / "site" / "courses" / f"{COURSE}.html").read_text(encoding="utf-8")
    assert f'href="../pdf/courses/{COURSE}.pdf"' in page


def test_the_cover_names_the_course_date_audience_presenter_and_site(pack, book):
    cover = flat(pdftotext(pack)[0])
    for text in ("Participant pack", "Fast is not enough: a half-day workshop on answering in public",
                 "3 December 2026, 09:00–12:00", "Audience: New social-care agents",
                 "Presenter: Support Academy", "Length: 3 h",
                 "Social Customer Service Casebook"):
        assert text.casefold() in cover.casefold(), text


def test_the_agenda_has_clock_times_total_and_each_item_s_page(pack, book):
    course = book[3]
    pages = [flat(page) for page in pdftotext(pack)]
    agenda = " ".join(page for page in pages[1:] if page.startswith("Agenda"))
    for item in course.items:
        assert f"{item.start}" in agenda and item.title in agenda, item.title
    assert re.search(r"Total \(09:00–12:00\) 3 ?h ", agenda)
    # Each case's and activity's entry gives the page its part starts on.
    for item in course.items:
        if item.kind == "break":
            continue
        number = int(agenda.split(item.title + " (page ", 1)[1].split(")")[0])
        assert pages[number - 1].startswith(item.title), (item.title, number)


def test_the_cases_come_in_agenda_order_with_only_the_chosen_questions(pack):
    text = flat(" ".join(pdftotext(pack)))
    titles = [load_title(slug) for slug in (TWC, AA, CDB)]
    starts = [text.index(title + " " + org) for title, org in
              zip(titles, ("Time Warner Cable", "American Airlines", "CD Baby"))]
    assert starts == sorted(starts)
    assert text.index("Rewrite the reply in pairs Activity · 30 min") > starts[2]
    twc = discussion(text, starts[0])
    assert [n for n, _ in twc] == [1, 2, 4]
    assert twc[2][1].startswith("At what point could the company have stopped")
    assert "How does a customer's fame change" not in text       # question 3, left out
    assert [n for n, _ in discussion(text, starts[1])] == [1, 2]
    assert [n for n, _ in discussion(text, starts[2])] == [1, 2, 3, 4]
    assert "Comcast" not in text                                 # not on the agenda


def load_title(slug: str) -> str:
    case = next(c for c in load_project(ROOT).cases if c.slug == slug)
    return case.title


def discussion(text: str, start: int) -> list[tuple[int, str]]:
    """(number, question) of the first "Discussion questions" after `start`."""
    heading = text.index("Discussion questions", start) + len("Discussion questions")
    block = text[heading:].split(" Sources ", 1)[0]
    return [(int(n), q) for n, q in re.findall(r"(\d+)\. (.+?)(?= \d+\. |$)", block)]


def ruled_lines_below(pdf: Path, words: str) -> int:
    """How many ruled lines the page draws between the question starting with `words` and
    whatever comes next, counted on the rendered page (rows of grey across the text width)."""
    number = next(i for i, page in enumerate(pdftotext(pdf), start=1) if words in flat(page))
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout
    boxes = [(float(y0), float(y1), word) for y0, y1, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', bbox)]
    wanted = words.split()
    first = next(i for i in range(len(boxes))
                 if [w for _, _, w in boxes[i:i + len(wanted)]] == wanted)
    top = boxes[first][1]
    bottom = None
    for y0, y1, _ in boxes[first + 1:]:
        if y0 - top > 10:       # a gap wider than between two lines of the question
            bottom = y0
            break
        top = max(top, y1)
    assert bottom is not None
    dpi = 100
    image = pdf.parent / f"page-{number}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f",
                    str(number), "-l", str(number), str(pdf), str(image)], check=True)
    picture = Image.open(f"{image}.png").convert("L")
    scale, lines, inside = dpi / 72, 0, False
    for y in range(int(top * scale) + 1, int(bottom * scale) - 1):
        row = [picture.getpixel((x, y)) for x in range(picture.width // 6, picture.width * 5 // 6, 4)]
        ruled = sum(value < 200 for value in row) > len(row) * .9
        lines += ruled and not inside
        inside = ruled
    image.with_suffix(".png").unlink()
    return lines


def test_each_question_has_the_course_s_answer_lines(pack):
    # The shipped course asks for 5 lines (a case handout has 3).
    assert ruled_lines_below(pack, "next-day message have") == 5


def test_facilitator_notes_are_in_the_guide_only(book, pack, guide):
    _, out, _, course = book
    course_notes = [flat(item.notes.source).split(". ")[0] for item in course.items if item.notes]
    case_notes = ["The article does not give the tweets' wording"]   # TWC's facilitator notes
    guide_text = flat(" ".join(pdftotext(guide))).replace("’", "'")
    pack_text = flat(" ".join(pdftotext(pack))).replace("’", "'")
    assert len(course_notes) >= 4
    for note in course_notes + case_notes:
        assert note[:40] in guide_text, note
        assert note[:40] not in pack_text, note
    for path in (out / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".xml", ".json"):
            text = flat(path.read_text(encoding="utf-8"))
            for note in course_notes:
                assert note[:40] not in text, (path, note)


def test_the_guide_has_a_run_sheet_and_the_participant_pages(book, pack, guide):
    pages = [flat(page) for page in pdftotext(guide)]
    assert pages[0].casefold().startswith("facilitator guide")
    assert pages[1].startswith("Run sheet")
    rows = [" ".join(line.split()) for line in layout_text(guide, 2).splitlines()]
    assert any(row.startswith("09:15") and "40 Discuss questions 1, 2, 4;" in row for row in rows)
    assert any(row.startswith("10:30") and row.endswith("15 Back at 10:45") for row in rows)
    number = int(re.search(r"Patrick Stewart waits for his cable installation \(page (\d+)\)",
                           " ".join(rows))[1])
    assert pages[number - 1].startswith(load_title(TWC)), number
    # The participant pages as handed out: every page of the pack after its cover and
    # agenda is in the guide, in the same order.
    pack_pages = [flat(page).rsplit(" Participant pack ·", 1)[0] for page in pdftotext(pack)]
    guide_pages = [page.rsplit(" Facilitator guide ·", 1)[0] for page in pages]
    handed_out = [page for page in pack_pages[2:]]
    positions = [guide_pages.index(page) for page in handed_out]
    assert positions == sorted(positions)


def layout_text(pdf: Path, page: int | None = None) -> str:
    """The text as laid out on the page (table rows stay on one line), read afresh."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_bookmarks_and_structure_tree_cover_every_part(pack, guide):
    titles = [title for title, _, _ in outline(PdfReader(pack))]
    assert titles[0] == "Agenda"
    assert titles.count(load_title(TWC)) == 1 and "Rewrite the reply in pairs" in titles
    twc = next(children for title, _, children in outline(PdfReader(pack)) if title == load_title(TWC))
    assert "Discussion questions" in [title for title, _, _ in twc]
    guide_twc = next(children for title, _, children in outline(PdfReader(guide))
                     if title == load_title(TWC))
    assert "Facilitator notes" in [title for title, _, _ in guide_twc]
    assert pages_outside_structure_tree(pack) == []
    assert pages_outside_structure_tree(guide) == []


def test_editing_a_course_lays_out_no_case_and_a_case_edit_recomposes_its_courses(book, tmp_path):
    root = make_book(tmp_path / "book")
    assert build(root) is not None
    pack = root / "output" / "site" / "pdf" / "courses" / f"{COURSE}.pdf"
    course_file = root / "courses" / f"{COURSE}.yaml"
    text = course_file.read_text(encoding="utf-8")
    course_file.write_text(text.replace("minutes: 35\n    questions: [1, 2]",
                                        "minutes: 50\n    questions: [1, 2]")
                           .replace("Keep it short.", "Keep it very short."), encoding="utf-8")
    before = pack.read_bytes()
    pdfbuild.layout_log.clear()
    build(root)
    assert not [label for label in pdfbuild.layout_log
                if label.startswith(("chapter", "course case", "notes"))], pdfbuild.layout_log
    assert "Total (09:00–12:15)" in layout_text(pack, 2) and pack.read_bytes() != before
    # A case edit lays out that case again (its chapter and its part of the course) and
    # re-composes the course; the other cases stay as they were.
    case = root / "cases" / f"{AA}.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "Why does the author still call", "Why, then, does the author still call"), encoding="utf-8")
    pdfbuild.layout_log.clear()
    build(root)
    laid_out = [label for label in pdfbuild.layout_log if not label.startswith(("front", "stamp"))]
    assert sorted(laid_out) == sorted([f"chapter {AA}", f"course case {AA}"]), laid_out
    assert "Why, then, does the author still call" in flat(layout_text(pack))


def test_a_warm_build_gives_the_bytes_of_a_cold_one(book, tmp_path):
    root, out, _, _ = book
    cold = make_book(tmp_path / "cold")
    build(cold)
    for name in (f"site/pdf/courses/{COURSE}.pdf", f"facilitator/courses/{COURSE}.pdf"):
        assert (out / name).read_bytes() == (cold / "output" / name).read_bytes(), name
    build(root)   # warm: everything from the cache
    for name in (f"site/pdf/courses/{COURSE}.pdf", f"facilitator/courses/{COURSE}.pdf"):
        assert (out / name).read_bytes() == (cold / "output" / name).read_bytes(), name
