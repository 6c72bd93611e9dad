"""Branding (site.yaml's organization, logo, accent) and a casebook's own templates folder."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from casebook.build.cache import program_key
from casebook.model.brand import DARK_BACKGROUNDS, contrast, dark_shade
from casebook.reading.load import Loader
from casebook.render.templates import TEMPLATES, templates_for
from conftest import CASE_YAML, SITE_YAML
from harness import run_cli

LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
            '<rect width="40" height="40" fill="#0b5cad"/></svg>\n')


def png_logo() -> bytes:
    """A small PNG (Pillow comes with WeasyPrint)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (11, 92, 173)).save(buffer, "PNG")
    return buffer.getvalue()


def branded(project, accent='"#0b5cad"', logo="logo.svg", organization="Acme Support Academy"):
    lines = [f"organization: {organization}", f"logo: {logo}", f"accent: {accent}"]
    project.site(SITE_YAML + "\n".join(lines) + "\n")
    return SITE_YAML.count("\n") + 1   # the line of organization:


# --- the accent colour: contrast checked at its line ----------------------------------------


def test_the_accent_must_reach_4_5_to_1_on_white(project, capsys):
    (project.root / "logo.svg").write_text(LOGO_SVG)
    project.write("picard.yaml", CASE_YAML)
    first = branded(project, accent='"#8a8f98"')
    problems = Loader().site(project.root / "site.yaml")[1]
    assert [(p.line, p.path) for p in problems] == [(first + 2, "accent")]
    assert "`#8a8f98` has a contrast of 3.24:1 on white" in problems[0].message
    assert "at least 4.5:1" in problems[0].message
    code, _, err = run_cli(["check", *project.args()], capsys)
    assert code == 1 and "accent: `#8a8f98` has a contrast of 3.24:1 on white" in err


def test_a_colour_just_under_4_5_fails_and_one_just_over_passes(project):
    (project.root / "logo.svg").write_text(LOGO_SVG)
    assert 4.47 < contrast("#777777", "#ffffff") < 4.5 < contrast("#767676", "#ffffff")
    branded(project, accent='"#777777"')
    problems = Loader().site(project.root / "site.yaml")[1]
    assert len(problems) == 1 and "4.47:1" in problems[0].message
    branded(project, accent='"#767676"')
    site, problems = Loader().site(project.root / "site.yaml")
    assert problems == [] and site.accent.light == "#767676"


@pytest.mark.parametrize("written, message", [
    ("#0b5cad", "is empty: YAML reads a value that starts with # as a comment"),
    ('"0b5cad"', "is not a colour"),
    ('"#0b5cazz"', "is not a colour"),
    ("blue", "is not a colour"),
])
def test_an_accent_that_is_not_a_colour_is_a_problem(project, written, message):
    (project.root / "logo.svg").write_text(LOGO_SVG)
    first = branded(project, accent=written)
    problems = Loader().site(project.root / "site.yaml")[1]
    assert [(p.line, p.path) for p in problems] == [(first + 2, "accent")]
    assert message in problems[0].message


@pytest.mark.parametrize("colour", ["#0b5cad", "#767676", "#000000", "#6b2fa0", "#9b1c15",
                                    "#0f5a2a", "#1b1f24"])
def test_the_dark_shade_reaches_4_5_to_1_on_the_dark_backgrounds(colour):
    shade = dark_shade(colour)
    assert all(contrast(shade, background) >= 4.5 for background in DARK_BACKGROUNDS)
    assert shade != colour


# --- the logo: a file beside site.yaml, an image only --------------------------------------


@pytest.mark.parametrize("written, file, message", [
    ("../logo.svg", None, "is not a file beside site.yaml"),
    ("https://example.org/logo.svg", None, "is not a file beside site.yaml"),
    ("/etc/logo.svg", None, "is not a file beside site.yaml"),
    ("logo.gif", b"GIF89a", "is not an SVG or PNG file"),
    ("missing.svg", None, "does not exist beside site.yaml"),
    ("logo.png", b"<svg></svg>", "is not a PNG image"),
    ("logo.svg", b"<html>no</html>", "is not an SVG image"),
    ("logo.svg", b'<svg onload="alert(1)"></svg>', "contains `onload=`"),
    ("logo.svg", b"<svg><script>alert(1)</script></svg>", "contains `<script`"),
    ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>', "contains `<!DOCTYPE`"),
])
def test_a_bad_logo_is_a_problem_at_its_line(project, written, file, message):
    if file is not None:
        (project.root / written).write_bytes(file)
    first = branded(project, logo=written)
    problems = Loader().site(project.root / "site.yaml")[1]
    assert [(p.line, p.path) for p in problems] == [(first + 1, "logo")]
    assert message in problems[0].message


def test_a_logo_that_links_elsewhere_is_refused(project, tmp_path):
    (tmp_path / "outside.svg").write_text(LOGO_SVG)
    (project.root / "logo.svg").symlink_to(tmp_path / "outside.svg")
    branded(project)
    problems = Loader().site(project.root / "site.yaml")[1]
    assert len(problems) == 1 and "is a link" in problems[0].message


def test_logo_organization_and_accent_on_the_site(project, capsys):
    (project.root / "logo.svg").write_text(LOGO_SVG)
    project.write("picard.yaml", CASE_YAML)
    branded(project)
    code, _, err = run_cli(project.args("--only", "site"), capsys)
    assert code == 0, err
    site = project.out / "site"
    assert (site / "assets" / "logo.svg").read_text() == LOGO_SVG
    for page, root in (("index.html", ""), ("cases/picard.html", "../")):
        html = (site / page).read_text()
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        assert f'<img class="site-logo" src="{root}assets/logo.svg" alt="">' in header
        assert '<span class="site-organization">Acme Support Academy</span>' in header
        assert 'fill="#0b5cad"/>' not in html     # never the logo's markup inline
        style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
        assert "--accent: #0b5cad;" in style
        dark = re.search(r"prefers-color-scheme: dark\) \{ :root \{ --accent: (#[0-9a-f]{6});", style)[1]
        assert dark == dark_shade("#0b5cad") and contrast(dark, "#16181c") >= 4.5


def test_without_brand_fields_the_site_is_unbranded(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    html = (project.out / "site" / "index.html").read_text()
    assert "site-logo" not in html and "<style>" not in html and "site-organization" not in html


COURSE = """\
title: Answering in public
agenda:
  - case: picard
    minutes: 30
"""


def images_by_page(pdf) -> list[tuple[str, str, str]]:
    """(page, width, height) of each image in a PDF (pdfimages -list)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    return [(row[0], row[3], row[4]) for row in (line.split() for line in listing)]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdfimages"), reason="poppler-utils (pdfimages) not installed")
def test_the_logo_is_on_every_cover(project, capsys):
    """The PNG logo is an image on the first page (pdfimages -list), and on no other, of the
    handbooks, the course's participant pack and its facilitator guide; and a picture on the
    slides' title slide and atop the editable pack."""
    import docx
    from pptx import Presentation

    (project.root / "logo.png").write_bytes(png_logo())
    project.write("picard.yaml", CASE_YAML)
    (project.root / "courses").mkdir()
    (project.root / "courses" / "answering.yaml").write_text(COURSE)
    branded(project, logo="logo.png")
    code, _, err = run_cli(project.args("--jobs", "1"), capsys)
    assert code == 0, err
    for pdf in (project.out / "site" / "pdf" / "handbook.pdf",
                project.out / "facilitator" / "handbook-facilitator.pdf",
                project.out / "site" / "pdf" / "courses" / "answering.pdf",
                project.out / "facilitator" / "courses" / "answering.pdf"):
        assert images_by_page(pdf) == [("1", "64", "32")], pdf
    text = subprocess.run(["pdftotext", "-l", "1", str(project.out / "site" / "pdf" /
                                                       "handbook.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Acme Support Academy" in text

    assert run_cli(["export", *project.args()], capsys)[0] == 0
    exports = project.out / "exports"
    slides = list(Presentation(str(exports / "answering.pptx")).slides)
    pictures = [[shape for shape in slide.shapes if shape.shape_type == 13] for slide in slides]
    assert [len(found) for found in pictures] == [1] + [0] * (len(slides) - 1)
    logo = pictures[0][0]
    assert logo.image.blob == png_logo() and logo.top < slides[0].shapes.title.top
    assert abs(logo.width / logo.height - 2) < 0.01          # 64 x 32, not stretched
    document = docx.Document(str(exports / "answering.docx"))
    assert [shape.width / shape.height for shape in document.inline_shapes] == [2.0]
    assert document.paragraphs[1].style.name == "Title"   # the logo's paragraph, then it


@pytest.mark.slow
def test_an_svg_logo_is_drawn_for_the_slides(project, capsys):
    """Office files hold no SVG: the slides and the editable pack get the SVG logo drawn as a
    PNG (400 pixels high), the same bytes each time."""
    from pptx import Presentation

    (project.root / "logo.svg").write_text(LOGO_SVG)
    project.write("picard.yaml", CASE_YAML)
    (project.root / "courses").mkdir()
    (project.root / "courses" / "answering.yaml").write_text(COURSE)
    branded(project, logo="logo.svg")
    assert run_cli(["export", "--to", "pptx", *project.args()], capsys)[0] == 0
    deck = project.out / "exports" / "answering.pptx"
    first = deck.read_bytes()
    title = Presentation(str(deck)).slides[0]
    [logo] = [shape for shape in title.shapes if shape.shape_type == 13]
    assert logo.image.content_type == "image/png" and logo.image.size == (400, 400)
    assert run_cli(["export", "--to", "pptx", *project.args()], capsys)[0] == 0
    assert deck.read_bytes() == first


# --- a casebook's own templates -------------------------------------------------------------


def test_a_casebook_overrides_one_template_and_the_stylesheet(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    own = project.root / "templates"
    (own / "static").mkdir(parents=True)
    (own / "static" / "style.css").write_text("body { color: rebeccapurple; }\n")
    (own / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Lost at '
                                  'Acme</h1>{% endblock %}\n')
    code, _, err = run_cli(project.args("--only", "site"), capsys)
    assert code == 0, err
    site = project.out / "site"
    assert "Lost at Acme" in (site / "404.html").read_text()
    assert (site / "assets" / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    # The rest is Casebook's, untouched.
    assert (site / "assets" / "site.js").read_bytes() == (TEMPLATES / "static" / "site.js").read_bytes()
    assert '<ol class="timeline' in (site / "cases" / "picard.html").read_text() or \
        'class="timeline' in (site / "cases" / "picard.html").read_text()
    assert "Lost at Acme" not in (site / "index.html").read_text()


def test_overrides_are_part_of_the_cache_key(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    site_file = project.root / "site.yaml"
    plain = program_key(site_file, templates_for(site_file))
    own = project.root / "templates" / "partials"
    own.mkdir(parents=True)
    card = own / "card.html"
    card.write_text("<article>{{ case.title }} (own card)</article>\n")
    overridden = program_key(site_file, templates_for(site_file))
    card.write_text("<article>{{ case.title }} (own card, edited)</article>\n")
    edited = program_key(site_file, templates_for(site_file))
    assert len({plain, overridden, edited}) == 3
    # And a build after the edit shows the edit, not the cached card.
    card.write_text("<article>{{ case.title }} (first)</article>\n")
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    assert "(first)" in (project.out / "site" / "index.html").read_text()
    card.write_text("<article>{{ case.title }} (second)</article>\n")
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    assert "(second)" in (project.out / "site" / "index.html").read_text()


def test_a_logo_change_is_part_of_the_cache_key(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    (project.root / "logo.svg").write_text(LOGO_SVG)
    branded(project)
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    (project.root / "logo.svg").write_text(LOGO_SVG.replace("#0b5cad", "#17703a"))
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    assert "#17703a" in (project.out / "site" / "assets" / "logo.svg").read_text()


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_a_casebook_overrides_the_print_stylesheet(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    own = project.root / "templates" / "print"
    own.mkdir(parents=True)
    css = (TEMPLATES / "print" / "handout.css").read_text()
    (own / "handout.css").write_text(css + '\n.cover-title::after { content: " (own print css)"; }\n')
    code, _, err = run_cli(project.args("--jobs", "1"), capsys)
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-l", "1", str(project.out / "site" / "pdf" /
                                                       "handbook.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "(own print css)" in text
