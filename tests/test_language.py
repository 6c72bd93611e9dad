"""The interface in the site's language: complete catalogs, dates and numbers by Babel, the
writing direction, and a note for a language Casebook has no catalog for."""
from __future__ import annotations

import html
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from casebook.model.language import (catalog_file, direction, format_number,
                                     format_partial_date, shipped_languages, translations)
from conftest import CASE_YAML, ROOT, SITE_YAML
from harness import run_cli

LANGUAGES = ("de", "fr", "es", "pt", "ar")


def used_messages() -> set[str | tuple[str, str]]:
    """Every interface string the templates and the code mark, extracted as babel.cfg says
    (the same extraction `pybabel extract -F babel.cfg -k N_` does)."""
    method_map = [("casebook/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options, keywords=keywords):
        found.add(message)
    return found


def test_babel_cfg_extracts_what_the_test_extracts():
    text = (ROOT / "babel.cfg").read_text()
    assert "[python: casebook/**.py]" in text and "[jinja2: templates/**.html]" in text
    assert "extensions = jinja2.ext.i18n" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_translates_every_string_the_templates_use(language):
    with open(catalog_file(language), "rb") as file:
        catalog = read_po(file, locale=language)
    translated = {message.id: message.string for message in catalog if message.id}
    used = used_messages()
    assert len(used) > 60
    missing = sorted(str(m) for m in used if m not in translated)
    assert missing == [], f"{language} lacks {missing}"
    empty = sorted(str(m) for m in used if not all(translated[m]) if isinstance(translated[m], tuple)) + \
        sorted(str(m) for m in used if isinstance(translated[m], str) and not translated[m])
    assert empty == []
    assert not any(message.fuzzy for message in catalog if message.id)
    # Placeholders survive translation (a missing one would drop a number from the page).
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert set(re.findall(r"%\(\w+\)s", message.id)) == set(
                re.findall(r"%\(\w+\)s", message.string)), message.id


def test_the_shipped_languages():
    assert shipped_languages() == ["en", "ar", "de", "es", "fr", "pt"]


def test_catalogs_compile_on_the_fly():
    assert translations("de").gettext("Takeaways") == "Erkenntnisse"
    assert translations("de-AT").gettext("Takeaways") == "Erkenntnisse"
    assert translations("ar").ngettext("%(num)s case", "%(num)s cases", 2) == "حالتان"
    assert translations("sv").gettext("Takeaways") == "Takeaways"


def test_dates_and_numbers_as_the_language_writes_them():
    assert format_partial_date("2014-02-18", "de") == "18. Februar 2014"
    assert format_partial_date("2014-02", "de") == "Februar 2014"
    assert format_partial_date("2014-02-18", "fr") == "18 février 2014"
    assert format_partial_date("2014", "ar") == "2014"
    assert format_partial_date("2014-02-18", "en") == "18 February 2014"
    assert format_number(1.5, "de") == "1,5"
    assert format_number(1.5, "en") == "1.5"


def test_direction():
    assert direction("ar") == "rtl" and direction("de") == "ltr" and direction("en") == "ltr"


def test_a_language_without_a_catalog_builds_in_english_with_a_note(project, capsys):
    project.site(SITE_YAML + "language: sv\n")
    project.write("picard.yaml", CASE_YAML)
    code, out, err = run_cli(["check", *project.args()], capsys)
    assert code == 0
    line = SITE_YAML.count("\n") + 1
    assert (f"site.yaml:{line}: language: note: Casebook has no catalog for `sv`, so the "
            "interface (headings, labels, dates) is in English") in err
    code, _, err = run_cli(project.args("--only", "site"), capsys)
    assert code == 0 and "no catalog for `sv`" in err
    page = (project.out / "site" / "cases" / "picard.html").read_text()
    assert '<html lang="sv" dir="ltr">' in page and "Takeaways" in page


def test_german_and_arabic_pages(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    project.site(SITE_YAML + "language: de\n")
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    page = (project.out / "site" / "cases" / "picard.html").read_text()
    assert '<html lang="de" dir="ltr">' in page
    for word in ("Erkenntnisse", "Zeitverlauf", "Quellen", "Ausgang: negativ", "Februar 2014",
                 "Zum Inhalt springen"):
        assert word in page
    project.site(SITE_YAML + "language: ar\n")
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    page = (project.out / "site" / "cases" / "picard.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page and "الخلاصات" in page
    assert "فبراير 2014" in page


def page_text(path: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


# --- No English left: the shipped casebook built in English and in each language ----------
# A piece of text (an HTML text node or a label a reader gets, a line of a PDF, a paragraph of
# a slide or document) that comes out the same in English and in the language is English left
# over, unless it is the casebook's own words (case content stays as written) or the language
# writes it the same way (every word of it is a word of the language's catalog: French "min").

_LETTERS = re.compile(r"[^\W\d_]+")
_READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class _Pieces(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        self.pieces += [values[name] for name in _READ_ATTRIBUTES if values.get(name)]
        if tag == "meta" and values.get("name") == "description":
            self.pieces.append(values.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.pieces.append(data)


def html_pieces(text: str) -> set[str]:
    parser = _Pieces()
    parser.feed(text)
    return {" ".join(piece.split()) for piece in parser.pieces if piece.strip()}


def pdf_pieces(path: Path) -> set[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return {" ".join(line.split()) for line in text.splitlines() if line.strip()}


def office_pieces(path: Path) -> set[str]:
    """The text a reader of a deck (slides and speaker notes) or a document (paragraphs and
    table cells) gets, paragraph by paragraph."""
    import docx
    from pptx import Presentation

    lines = []
    if path.suffix == ".pptx":
        for slide in Presentation(str(path)).slides:
            frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
            if slide.has_notes_slide:
                frames.append(slide.notes_slide.notes_text_frame)
            lines += [p.text for frame in frames for p in frame.paragraphs]
    else:
        document = docx.Document(str(path))
        lines += [p.text for p in document.paragraphs]
        lines += [p.text for table in document.tables for row in table.rows
                  for cell in row.cells for p in cell.paragraphs]
    return {" ".join(line.split()) for line in lines if line.strip()}


def outputs(out: Path) -> dict[str, set[str]]:
    """Every output a reader reads, by name: the site's pages, the SCORM package's pages, the
    PDFs, the slides and the editable pack."""
    found = {}
    for path in sorted((out / "site").rglob("*.html")):
        found[path.relative_to(out).as_posix()] = html_pieces(path.read_text())
    for path in sorted(out.rglob("*.pdf")):
        found[path.relative_to(out).as_posix()] = pdf_pieces(path)
    for path in sorted((out / "exports").glob("*")):
        if path.suffix in (".pptx", ".docx"):
            found[path.relative_to(out).as_posix()] = office_pieces(path)
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith(".html"):
                        found[f"{path.name}/{name}"] = html_pieces(archive.read(name).decode())
    return found


@pytest.fixture(scope="module")
def built_in(tmp_path_factory):
    """The shipped casebook (cases, courses) built whole, PDFs and exports, in a language."""
    from casebook.cli import main

    made = {}

    def build(language: str) -> dict[str, set[str]]:
        if language not in made:
            book = tmp_path_factory.mktemp(f"book-{language}")
            shutil.copytree(ROOT / "cases", book / "cases")
            shutil.copytree(ROOT / "courses", book / "courses")
            site = (ROOT / "site.yaml").read_text().replace("language: en",
                                                            f"language: {language}")
            (book / "site.yaml").write_text(site)
            common = ["--cases", str(book / "cases"), "--out", str(book / "out"), "--quiet"]
            assert main(["build", *common]) == 0
            assert main(["export", *common]) == 0
            made[language] = outputs(book / "out")
        return made[language]

    return build


def casebook_words() -> str:
    """Everything the casebook itself writes (the values of cases, courses and site.yaml), as
    one text."""
    import yaml

    def values(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield str(key)
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        elif node is not None:
            yield str(node)

    files = [*(ROOT / "cases").glob("*.yaml"), *(ROOT / "courses").glob("*.yaml"),
             ROOT / "site.yaml"]
    text = " ".join(value for path in files for value in values(yaml.safe_load(path.read_text())))
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def language_words(language: str) -> set[str]:
    """Every word the language's catalog writes (placeholders left out)."""
    with open(catalog_file(language), "rb") as file:
        catalog = read_po(file, locale=language)
    words = set()
    for message in catalog:
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            words |= set(_LETTERS.findall(re.sub(r"%\(\w+\)s", " ", text or "")))
    return words


# Where a piece joins the casebook's words with the interface's ("Title · Course", "Title,
# author (date)", "1. A question"), it is read part by part.
_JOINS = re.compile(r"\s*(?:[·:;,()\[\]“”\"•…]|\s–\s|\.\s|^\d+\.)\s*")


def english_left(english: dict[str, set[str]], built: dict[str, set[str]],
                 language: str) -> dict[str, list[str]]:
    content = casebook_words()
    words = language_words(language)

    def english_part(part: str) -> bool:
        part = part.strip(" .!?")
        return (bool(_LETTERS.search(part)) and part.casefold() not in content
                and not all(word in words for word in _LETTERS.findall(part)))

    found = {}
    for name, pieces in built.items():
        hits = sorted(piece for piece in pieces & english.get(name, set())
                      if piece.casefold() not in content
                      and any(english_part(part) for part in _JOINS.split(piece)))
        if hits:
            found[name] = hits
    return found


def test_english_left_finds_what_is_the_same_in_both_builds():
    english = {"cases/x.html": {"by phone", "Takeaways", "Patrick Stewart", "≤ 2 min", "0 s"}}
    german = {"cases/x.html": {"by phone", "Erkenntnisse", "Patrick Stewart", "≤ 2 min",
                               "0 s"}}
    assert english_left(english, german, "de") == {"cases/x.html": ["0 s", "by phone",
                                                                    "≤ 2 min"]}
    # French writes minutes and seconds as English does.
    assert english_left(english, german, "fr") == {"cases/x.html": ["by phone"]}


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_anywhere(language, built_in):
    """The shipped casebook built in each shipped language: no page of the site or of the
    SCORM package, no line of a PDF, no paragraph of the slides or the editable pack comes
    out as it does in English, unless the casebook wrote it (case content stays as written)
    or the language writes it so."""
    english = built_in("en")
    built = built_in(language)
    assert len(built) > 60 and any(name.endswith(".pptx") for name in built)
    assert any(name.endswith(".pdf") for name in built) and any("scorm" in n for n in built)
    found = english_left(english, built, language)
    assert found == {}, "\n".join(f"{name}: {hits}" for name, hits in found.items())


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_on_any_page(language, tmp_path, capsys):
    """The catalog's own strings, looked for on every page of the site in each language (the
    strings that the case files themselves do not use: case content stays as written)."""
    book = tmp_path / "book"
    shutil.copytree(ROOT / "cases", book / "cases")
    site = (ROOT / "site.yaml").read_text().replace("language: en", f"language: {language}")
    (book / "site.yaml").write_text(site)
    assert run_cli(["--only", "site", "--cases", book / "cases", "--out", book / "out",
                    "--quiet", "--jobs", "1"], capsys)[0] == 0
    written = " ".join(path.read_text() for path in (ROOT / "cases").glob("*.yaml")) + site
    content = re.sub(r"(?m)^[ -]*[A-Za-z_]+:", " ", written)    # the values, not the keys
    english = set()
    for message in used_messages():
        for text in (message if isinstance(message, tuple) else (message,)):
            # A word the language writes the same way (German "Median", French "Sources")
            # is not English there.
            translated = translations(language).gettext(text)
            for piece in re.split(r"%\(\w+\)s", text):
                piece = piece.strip(" .:,·“”()")
                if (len(piece) > 3 and piece.lower() not in content.lower()
                        and piece not in translated):
                    english.add(piece)
    assert "Skip to content" in english and len(english) > 80, sorted(english)
    found = {}
    for path in sorted((book / "out" / "site").rglob("*.html")):
        text = page_text(path)
        hits = sorted(piece for piece in english if re.search(rf"\b{re.escape(piece)}\b", text))
        if hits:
            found[path.relative_to(book / "out" / "site").as_posix()] = hits
    assert found == {}, "\n".join(f"{page}: {hits}" for page, hits in found.items())


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_the_pdfs_speak_the_language(project, capsys):
    """The handbook in German: its cover, contents, headings, times and the stamped footer."""
    import subprocess

    project.write("picard.yaml", CASE_YAML)
    project.site(SITE_YAML + "language: de\n")
    code, _, err = run_cli(project.args("--jobs", "1"), capsys)
    assert code == 0, err
    handbook = project.out / "site" / "pdf" / "handbook.pdf"
    text = subprocess.run(["pdftotext", str(handbook), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("AUSGABE FÜR TEILNEHMENDE", "1 Fall", "Fälle bis Februar 2014", "Inhalt",
                  "Lehren nach Thema", "Seite 2 von", "Kennzahlen", "Zeitverlauf",
                  "Erkenntnisse", "Quellen"):
        assert words.casefold() in text.casefold(), words
    for english in ("Participant edition", "Contents", "Takeaways", "page 2 of"):
        assert english not in text, english


# templates.environment() installs its own `_` (render.templates._translate, one lookup per
# language and message): it must give what jinja2.ext's newstyle `_` gives, which the
# environment's `gettext` still is.
_UNDERSCORE_CASES = [
    ('{{ _("Summary") }}', {}),
    ('{{ _("Timeline") }} {{ _("Timeline") }}', {}),
    ('{{ _("Cases tagged “%(name)s”", name=tag) }}', {"tag": "<b>&co</b>"}),
    ('{{ _("page %(page)s of %(pages)s", page=2, pages=9) }}', {}),
    ('{{ _(word) }}', {"word": "turning point"}),
    ('{{ _(word | replace("-", " ")) }}', {"word": "turning-point"}),
    ('{{ _(word) }}', {"word": "<not a message> & 100%"}),
    ('{{ _(word) }}', {"word": "100%% sure"}),
    ('{% autoescape false %}{{ _(word) }} {{ _("Cases %(name)s", name=tag) }}{% endautoescape %}',
     {"word": "a < b", "tag": "<i>"}),
]


@pytest.mark.parametrize("language", ("en", *LANGUAGES, "xx"))
def test_the_fast_underscore_is_jinjas_newstyle_gettext(language):
    from casebook.model.case import Site
    from casebook.render.templates import environment

    ours = environment()
    jinjas = environment()
    # jinja2.ext's own `_`: it calls the environment's `gettext` (the values in the page's
    # language, as ours puts them in).
    import jinja2.ext
    jinjas.globals["_"] = jinja2.ext._gettext_alias
    assert ours.globals["_"] is not jinjas.globals["_"]
    site = Site("T", "D", "", language, "a4", {})
    for source, values in _UNDERSCORE_CASES * 2:   # twice: the second time from the cache
        assert _rendered(ours, source, site, values) == _rendered(jinjas, source, site, values)


def _rendered(env, source, site, values):
    try:
        return env.from_string(source).render(site=site, **values)
    except ValueError as error:   # a bare % in a message is jinja's error too
        return type(error)
