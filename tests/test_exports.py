"""`build.py export`: the slides (pptx), the participant pack (docx) and the SCORM 1.2 package
of each course, each opened with its own library; facilitator notes only in speaker notes;
the same bytes twice; a 40-event case with a 120-character title fits its slides."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import textwrap
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import docx
import pytest
from lxml import etree
from pptx import Presentation

from casebook.build.project import load_project
from casebook.exports import pptx as deck
from casebook.exports.docx import document_bytes
from casebook.exports.scorm import package_bytes
from casebook.exports.run import run_export
from casebook.exports.shared import case_export, course_export
from casebook.model.blocks import plain_text
from conftest import CASE_YAML, ROOT
from harness import run_cli

SCHEMAS = Path(__file__).resolve().parent / "scorm12"
COURSE_SLUG = "fast-is-not-enough"


@pytest.fixture(scope="module")
def shipped():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def exported(shipped, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    run_export(shipped, out)
    return out / "exports"


def course_of(project, slug=COURSE_SLUG):
    return next(course for course in project.courses if course.slug == slug)


def note_texts(project, slug=COURSE_SLUG) -> list[str]:
    """Every facilitator note of the course (its items' and its cases'), as plain lines."""
    course = course_of(project, slug)
    cases = {case.slug: case for case in project.cases}
    notes = [item.notes for item in course.items if item.notes is not None]
    notes += [cases[s].facilitator_notes for s in course.case_slugs
              if cases[s].facilitator_notes is not None]
    return [line.lstrip("• ") for note in notes for line in plain_text(note).split("\n") if line]


def fragments(line: str, project) -> list[str]:
    """Pieces of a note line long enough that finding one elsewhere means the note leaked
    (leaving out those a note quotes from what participants see anyway)."""
    public = " ".join(case.search_text for case in project.cases)
    words = line.split()
    pieces = [" ".join(words[i:i + 6]) for i in range(0, max(1, len(words) - 5), 3)]
    return [piece for piece in pieces if piece not in public]


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


# pptx ------------------------------------------------------------------------------------

def test_deck_has_the_planned_slides_and_their_titles(exported, shipped):
    presentation = Presentation(exported / f"{COURSE_SLUG}.pptx")
    course = course_of(shipped)
    export = course_export(shipped.site, course, {c.slug: c for c in shipped.cases})
    plans = deck.plan_deck(export)
    slides = list(presentation.slides)
    assert len(slides) == len(plans) > 20
    assert [slide.shapes.title.text_frame.text for slide in slides] == [p.title for p in plans]
    titles = [p.title for p in plans]
    assert titles[0] == course.title and "Agenda" in titles
    # Every case: its title, its timeline's events, its figures, each chosen question.
    for item in course.case_items:
        assert item.title in titles
        assert "Figures" in titles
        for question in item.questions:
            assert f"Question {question.number}" in titles
    twc = next(i for i in course.case_items if i.case.slug == "twc-patrick-stewart-cable-wait")
    assert [q.number for q in twc.questions] == [1, 2, 4]
    shown = "\n".join(slide_text(slide) for slide in slides)
    cases = {c.slug: c for c in shipped.cases}
    assert cases[twc.case.slug].discussion[2] not in shown      # question 3 was not chosen
    for item in course.case_items:
        for event in cases[item.case.slug].timeline:
            assert event.who.name in shown
        for question in item.questions:
            assert question.text in shown
    assert "First response: " in shown and "Channel moves: " in shown
    for item in course.items:
        assert item.title in titles                  # activities and breaks as slides too


def test_facilitator_notes_only_in_speaker_notes(exported, shipped):
    presentation = Presentation(exported / f"{COURSE_SLUG}.pptx")
    on_slides = "\n".join(slide_text(slide) for slide in presentation.slides)
    in_notes = "\n".join(slide.notes_slide.notes_text_frame.text
                         for slide in presentation.slides if slide.has_notes_slide)
    lines = note_texts(shipped)
    assert len(lines) >= 5 and sum(len(fragments(line, shipped)) for line in lines) > 20
    for line in lines:
        assert line in in_notes
        for piece in fragments(line, shipped):
            assert piece not in on_slides, piece
    # The course's notes sit on the first slide of their item.
    titles = [slide.shapes.title.text_frame.text for slide in presentation.slides]
    first = presentation.slides[titles.index("Patrick Stewart waits for his cable installation")]
    notes = first.notes_slide.notes_text_frame.text
    assert notes.startswith("09:15–09:55 · Discuss questions 1, 2, 4; move on at 09:55")
    assert "Read the timeline aloud together" in notes
    coffee = presentation.slides[titles.index("Coffee")]
    assert coffee.notes_slide.notes_text_frame.text == "10:30–10:45 · Back at 10:45"


def test_deck_uses_plain_layouts_and_no_shrinking(exported):
    presentation = Presentation(exported / f"{COURSE_SLUG}.pptx")
    layouts = {slide.slide_layout.name for slide in presentation.slides}
    assert layouts <= {"Title Slide", "Title Only"}
    with zipfile.ZipFile(exported / f"{COURSE_SLUG}.pptx") as archive:
        slides = [archive.read(n).decode() for n in archive.namelist()
                  if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        names = archive.namelist()
    assert not any("normAutofit" in xml or "spAutoFit" in xml for xml in slides)
    assert not any("dgm" in name or "fonts/" in name for name in names)   # no SmartArt, fonts


# The contract's case with 40 events and a 120-character title: the longest a case may have.
LONG_TITLE = ("Picard waits for cable while the company answers within two minutes and then "
              "jokes in public for days, to no good end at all")[:120]


def forty_events(project) -> None:
    lines = []
    for n in range(40):
        lines += [f"  - when: {'start' if n == 0 else 'about 3 hours later'}",
                  f"    who: {('stewart', 'twc', 'shatner')[n % 3]}",
                  "    channel: Twitter",
                  f"    what: Event {n + 1} of forty, with a sentence long enough to wrap over "
                  "two lines of a slide at the default size, as real events often do."]
    text = re.sub(r"timeline:\n(?:  .*\n)+", lambda _: "timeline:\n" + "\n".join(lines) + "\n",
                  CASE_YAML)
    text = text.replace("title: Picard waits for cable", f"title: {LONG_TITLE}")
    project.write("picard.yaml", text)


def test_forty_events_and_a_long_title_fit_their_slides(project):
    assert len(LONG_TITLE) == 120
    forty_events(project)
    loaded = load_project(project.root, project.cases)
    case = loaded.cases[0]
    assert len(case.timeline) == 40
    plans = deck.plan_deck(case_export(loaded.site, case, 4))
    timeline = [p for p in plans if p.title.startswith("Timeline")]
    assert 10 <= len(timeline) <= 20
    shown = "\n".join(p.text for plan in timeline for p in plan.body)
    assert all(f"Event {n} of forty" in shown for n in range(1, 41))
    for plan in plans:
        title_height = deck.title_box_height(plan.title, plan.title_size)
        assert deck.wrapped_lines(plan.title, plan.title_size, deck.CONTENT_WIDTH) <= 3
        if plan.body:
            assert deck.longest_line_ratio(plan) <= 1, plan.title
        assert title_height < deck.HEIGHT / 3
    # The drawn boxes are those sizes: each body box ends above the slide's bottom margin.
    presentation = Presentation(io.BytesIO(deck.deck_bytes(case_export(loaded.site, case, 4))))
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= deck.HEIGHT - deck.MARGIN + 1


def test_the_fit_estimate_can_fail():
    long = deck.para("word " * 400)
    assert not deck.fits([long], deck.CONTENT_WIDTH, deck.body_room("Title"))
    pages = deck.flow("Title", [[long]])
    assert len(pages) > 1


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_deck(exported, tmp_path):
    """A manual check made runnable: LibreOffice Impress renders every slide."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(exported / f"{COURSE_SLUG}.pptx")], check=True, timeout=300,
                   capture_output=True)
    pdf = tmp_path / f"{COURSE_SLUG}.pdf"
    slides = len(Presentation(exported / f"{COURSE_SLUG}.pptx").slides)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == slides


# docx ------------------------------------------------------------------------------------

def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith(("Heading", "Title"))]


def test_pack_has_real_headings_in_agenda_order(exported, shipped):
    document = docx.Document(exported / f"{COURSE_SLUG}.docx")
    course = course_of(shipped)
    found = headings(document)
    assert found[0] == ("Title", course.title)
    level1 = [text for style, text in found if style == "Heading 1"]
    expected = ["Objectives", "Agenda"] + [
        item.title for item in course.items if item.kind != "break"]
    assert level1 == expected
    twc = found.index(("Heading 1", "Patrick Stewart waits for his cable installation"))
    section = found[twc + 1:found.index(("Heading 1", course.items[2].title))]
    assert [text for style, text in section if style == "Heading 2"] == [
        "Figures", "Summary", "Timeline", "People", "Takeaways", "Objectives",
        "Discussion questions", "Sources"]
    assert [text for style, text in section if style == "Heading 3"] == [
        "Question 1", "Question 2", "Question 4"]


def test_pack_has_a_timeline_table_lists_and_answer_lines(exported, shipped):
    document = docx.Document(exported / f"{COURSE_SLUG}.docx")
    course = course_of(shipped)
    cases = {c.slug: c for c in shipped.cases}
    tables = document.tables
    timelines = [t for t in tables if t.rows[0].cells[0].text.startswith("Time (since")]
    assert [len(t.rows) - 1 for t in timelines] == [
        len(cases[item.case.slug].timeline) for item in course.case_items]
    assert timelines[0].rows[1].cells[1].paragraphs[0].text == "Patrick Stewart"
    answers = [t for t in tables if t._tbl.tblPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblCaption") is not None]
    assert len(answers) == sum(len(item.questions) for item in course.case_items)
    assert {len(t.rows) for t in answers} == {course.answer_lines}
    assert any(p.style.name == "List Bullet" for p in document.paragraphs)
    text = "\n".join(p.text for p in document.paragraphs)
    assert cases["twc-patrick-stewart-cable-wait"].discussion[2] not in text


def test_pack_has_no_facilitator_notes(exported, shipped):
    with zipfile.ZipFile(exported / f"{COURSE_SLUG}.docx") as archive:
        text = " ".join(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8"))
                        for name in archive.namelist() if name.endswith(".xml"))
    for line in note_texts(shipped):
        for piece in fragments(line, shipped):
            assert piece not in text, piece


# SCORM -----------------------------------------------------------------------------------

def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class _Resolver(etree.Resolver):
    """The schemas from tests/scorm12; libxml2 refuses ims_xml.xsd's binding of the xml
    namespace as the default one, so that declaration (which nothing uses) is left out."""

    def resolve(self, url, pubid, context):
        name = url.rsplit("/", 1)[-1]
        data = (SCHEMAS / name).read_bytes()
        if name == "ims_xml.xsd":
            data = data.replace(b'xmlns="http://www.w3.org/XML/1998/namespace"', b"")
        return self.resolve_string(data, context, base_url=url)


def manifest_schema() -> etree.XMLSchema:
    """IMS CP 1.1.2 (as ADL modified it for SCORM 1.2) and the ADL CP extension. The IMS
    metadata schema is not loaded: libxml2 rejects its content model (not deterministic), and
    the manifest uses none of its elements."""
    parser = etree.XMLParser()
    parser.resolvers.add(_Resolver())
    driver = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                  schemaLocation="{(SCHEMAS / 'imscp_rootv1p1p2.xsd').as_uri()}"/>
      <xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2"
                  schemaLocation="{(SCHEMAS / 'adlcp_rootv1p2.xsd').as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser))


CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"


def test_scorm_manifest_is_valid_scorm_1_2(exported):
    files = read_zip(exported / f"{COURSE_SLUG}-scorm.zip")
    assert next(iter(files)) == "imsmanifest.xml"
    manifest = etree.fromstring(files["imsmanifest.xml"])
    schema = manifest_schema()
    assert schema.validate(manifest), schema.error_log
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert [r.get(f"{ADLCP}scormtype") for r in resources] == ["sco"]
    # The validation can fail: a wrong scormtype is refused.
    resources[0].set(f"{ADLCP}scormtype", "lesson")
    assert not schema.validate(manifest)
    # The package carries the schema files, the same as the ones the tests validate with.
    for path in SCHEMAS.glob("*.xsd"):
        assert files[path.name] == path.read_bytes()


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)
            elif name == "srcset" and value:
                self.found += [part.split()[0] for part in value.split(",")]


def unresolved(files: dict[str, bytes], listed: list[str]) -> list[tuple[str, str]]:
    """Every reference of every page that is neither the web nor a file listed in the package."""
    wrong = []
    for page in (name for name in files if name.endswith(".html")):
        parser = _References()
        parser.feed(files[page].decode("utf-8"))
        for reference in parser.found:
            parts = urlsplit(reference)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            if parts.scheme or parts.netloc:
                wrong.append((page, reference))
                continue
            if not parts.path:
                continue
            target = PurePosixPath(page).parent / unquote(parts.path)
            resolved = PurePosixPath(*[p for p in target.parts if p != "."])
            while ".." in resolved.parts:
                i = resolved.parts.index("..")
                resolved = PurePosixPath(*resolved.parts[:i - 1], *resolved.parts[i + 1:])
            if str(resolved) not in files or str(resolved) not in listed:
                wrong.append((page, reference))
    return wrong


def test_scorm_files_are_listed_and_every_reference_resolves(exported):
    files = read_zip(exported / f"{COURSE_SLUG}-scorm.zip")
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resource = manifest.find(f"{CP}resources/{CP}resource")
    listed = [f.get("href") for f in resource.findall(f"{CP}file")]
    assert resource.get("href") == "index.html" and "index.html" in listed
    control = {"imsmanifest.xml"} | {p.name for p in SCHEMAS.glob("*.xsd")}
    assert sorted(listed) == sorted(set(files) - control)
    pages = [name for name in files if name.endswith(".html")]
    assert f"courses/{COURSE_SLUG}.html" in pages and len(pages) == 5
    assert unresolved(files, listed) == []
    for value in re.findall(r'data-pages="([^"]*)"', files["index.html"].decode("utf-8")):
        assert all(p in files for p in value.split())


def test_scorm_has_no_facilitator_notes(exported, shipped):
    files = read_zip(exported / f"{COURSE_SLUG}-scorm.zip")
    text = " ".join(re.sub(r"<[^>]+>", " ", data.decode("utf-8")) for name, data in files.items()
                    if name.endswith((".html", ".xml")))
    text = " ".join(text.split())
    for line in note_texts(shipped):
        for piece in fragments(line, shipped):
            assert piece not in text, piece


def test_scorm_session_is_one_for_the_visit(exported):
    files = read_zip(exported / f"{COURSE_SLUG}-scorm.zip")
    shell = files["index.html"].decode("utf-8")
    api = files["assets/scorm-api.js"].decode("utf-8")
    assert "assets/scorm-api.js" in shell and "<iframe" in shell
    assert api.count('"LMSInitialize"') == 1 and api.count('"LMSFinish"') == 1
    assert "window.opener" in api and "win.parent" in api
    assert '"cmi.core.lesson_status", "completed"' in api
    # Only the last case's page says it is the last; every content page reports itself.
    last = [name for name, data in files.items() if b"data-last-case" in data
            and name.endswith(".html")]
    assert last == ["cases/cd-baby-upc-code-after-days-of-silence.html"]
    for name, data in files.items():
        if name.startswith(("cases/", "courses/")):
            assert b"../assets/scorm.js" in data


# Exhibits and quotes --------------------------------------------------------------------

def test_exhibits_and_quotes_reach_every_format(project):
    from test_exhibits import CAMERA, write_exhibit_case
    write_exhibit_case(project)
    loaded = load_project(project.root, project.cases)
    export = case_export(loaded.site, loaded.cases[0], 4)
    presentation = Presentation(io.BytesIO(deck.deck_bytes(export)))
    exhibit_slides = [s for s in presentation.slides
                      if s.shapes.title.text_frame.text.startswith("Exhibit")]
    assert [s.shapes.title.text_frame.text for s in exhibit_slides] == ["Exhibit 1", "Exhibit 2"]
    alts = [shape._element.nvPicPr.cNvPr.get("descr") for s in exhibit_slides
            for shape in s.shapes if shape.shape_type == 13]
    assert alts == ["The company's reply, two minutes after the tweet", "The whole thread"]
    shown = "\n".join(slide_text(slide) for slide in presentation.slides)
    assert "We're on it! <script>alert(1)</script>" in shown
    document = docx.Document(io.BytesIO(document_bytes(export)))
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("Exhibit 1: The reply as posted")
    files = read_zip(io.BytesIO(package_bytes(export)))
    manifest = etree.fromstring(files["imsmanifest.xml"])
    listed = [f.get("href") for f in manifest.iter(f"{CP}file")]
    pictures = [name for name in files if name.startswith("exhibits/")]
    assert len(pictures) >= 4 and set(pictures) <= set(listed)
    assert unresolved(files, listed) == []
    for data in files.values():
        assert CAMERA.encode() not in data


# Determinism and the command line --------------------------------------------------------

def test_exports_are_byte_identical(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "a", tmp_path / "b"
    run_export(shipped, first)
    run_export(shipped, second)
    names = sorted(p.name for p in (first / "exports").iterdir())
    assert names == [f"{COURSE_SLUG}-scorm.zip", f"{COURSE_SLUG}.docx", f"{COURSE_SLUG}.pptx"]
    for name in names:
        assert (first / "exports" / name).read_bytes() == (second / "exports" / name).read_bytes()
        with zipfile.ZipFile(first / "exports" / name) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    document = docx.Document(first / "exports" / f"{COURSE_SLUG}.docx")
    assert document.core_properties.created.year == 2023
    assert document.core_properties.revision == 1
    assert Presentation(first / "exports" / f"{COURSE_SLUG}.pptx").core_properties.modified.year \
        == 2023


def test_export_command(capsys, tmp_path):
    out = tmp_path / "output"
    code, stdout, _ = run_cli(["export", "--course", COURSE_SLUG, "--to", "docx", "--out", out],
                              capsys)
    assert code == 0 and sorted(p.name for p in (out / "exports").iterdir()) == [
        f"{COURSE_SLUG}.docx"]
    assert not (out / "site").exists()
    code, _, _ = run_cli(["export", "--case", "twc-patrick-stewart-cable-wait", "--to", "pptx",
                          "--out", out], capsys)
    assert code == 0 and (out / "exports" / "twc-patrick-stewart-cable-wait.pptx").exists()
    code, _, err = run_cli(["export", "--course", "fast-is-not-enuogh", "--out", out], capsys)
    assert code == 1 and "did you mean `fast-is-not-enough`" in err
    code, _, err = run_cli(["export", "--case", "twc-patrick", "--out", out], capsys)
    assert code == 1 and "did you mean `twc-patrick-stewart-cable-wait`" in err
    for wrong in (["export", "--course", "a", "--case", "b"], ["check", "--to", "pptx"],
                  ["--case", "x"], ["export", "--to", "pdf"], ["export", "--only", "site"],
                  ["serve", "--course", COURSE_SLUG]):
        code, _, _ = run_cli(wrong + ["--out", out], capsys)
        assert code == 2, wrong


def test_a_build_keeps_the_exports_and_never_publishes_them(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    code, _, _ = run_cli(["export", "--case", "picard", *project.args()], capsys)
    assert code == 0
    exports = sorted(p.name for p in (project.out / "exports").iterdir())
    assert exports == ["picard-scorm.zip", "picard.docx", "picard.pptx"]
    code, _, _ = run_cli(project.args("--only", "site"), capsys)
    assert code == 0
    assert sorted(p.name for p in (project.out / "exports").iterdir()) == exports
    published = [p.name for p in (project.out / "site").rglob("*")]
    assert not any(name.endswith((".pptx", ".docx", "-scorm.zip")) for name in published)


def test_markdown_fields_become_blocks_of_styled_runs():
    from casebook.model.blocks import BULLET, NUMBERED, PARAGRAPH, blocks
    from casebook.model.case import Rich
    from casebook.model.text import MarkdownRenderer
    source = ("A *quiet* **loud** [link](https://example.org) `code`\nline\n\n"
              "- one\n- two\n\nThen:\n\n1. first\n2. second\n\n<b>not bold</b> ![alt text](x.png)")
    found = blocks(Rich(source, MarkdownRenderer().render(source)))
    assert [(b.kind, b.text) for b in found] == [
        (PARAGRAPH, "A quiet loud link code line"), (BULLET, "one"), (BULLET, "two"),
        (PARAGRAPH, "Then:"), (NUMBERED, "first"), (NUMBERED, "second"), (PARAGRAPH, "<b>not bold</b> alt text")]
    runs = {run.text: run for run in found[0].runs}
    assert runs["quiet"].italic and runs["loud"].bold and runs["code"].code
    assert runs["link"].href == "https://example.org"
    assert [b.number for b in found[4:6]] == [1, 2]


@pytest.mark.parametrize("name", ["html-in-markdown", "html-in-plain-fields", "script-links",
                                  "images", "markdown-tricks"])
def test_hostile_content_stays_text_in_every_export(name, project, capsys):
    """The hostile content cases (tests/hostile/): no link but the web's, no author's markup."""
    from test_hostile import HOSTILE, HOSTILE_SITE
    project.site(HOSTILE_SITE)
    text = (HOSTILE / f"{name}.yaml").read_text(encoding="utf-8")
    project.write(f"{name}.yaml", text.replace("LOOPBACK", "127.0.0.1:9")
                  .replace("SECRET_FILE", "/nonexistent"))
    code, _, err = run_cli(["export", "--case", name, *project.args()], capsys)
    assert code == 0, err
    exports = project.out / "exports"
    with zipfile.ZipFile(exports / f"{name}.pptx") as archive:
        relations = " ".join(archive.read(n).decode() for n in archive.namelist()
                             if n.endswith(".rels"))
    with zipfile.ZipFile(exports / f"{name}.docx") as archive:
        relations += " ".join(archive.read(n).decode() for n in archive.namelist()
                              if n.endswith(".rels"))
    for target in re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', relations):
        assert urlsplit(target).scheme in ("http", "https", "mailto"), target
    files = read_zip(exports / f"{name}-scorm.zip")
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert unresolved(files, [f.get("href") for f in manifest.iter(f"{CP}file")]) == []
    for page, data in files.items():
        if page.endswith(".html"):
            tags = _Tags()
            tags.feed(data.decode("utf-8"))
            assert [src for tag, src in tags.scripts] in ([], ["../assets/scorm.js"],
                                                          ["assets/scorm-api.js"]), page
            assert tags.frames == (1 if page == "index.html" else 0), page
            assert tags.handlers == [], page


class _Tags(HTMLParser):
    """The scripts, frames and event-handler attributes of a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.frames, self.handlers = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append((tag, dict(attrs).get("src")))
        self.frames += tag in ("iframe", "frame", "object", "embed")
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
