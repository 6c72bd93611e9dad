"""The interface in the site's language: complete catalogs, dates and numbers by Babel, the
writing direction, and a note for a language Casebook has no catalog for."""
from __future__ import annotations

import html
import re
import shutil
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


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_on_any_page(language, tmp_path, capsys):
    """The shipped casebook built in each shipped language: no page shows an English
    interface string (the catalog's strings that the case files themselves do not use: case
    content stays as written)."""
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
    jinjas.globals["_"] = jinjas.globals["gettext"].__globals__["_gettext_alias"]
    assert ours.globals["_"] is not jinjas.globals["_"]
    site = Site("T", "D", "", language, "a4", {})
    for source, values in _UNDERSCORE_CASES * 2:   # twice: the second time from the cache
        assert _rendered(ours, source, site, values) == _rendered(jinjas, source, site, values)


def _rendered(env, source, site, values):
    try:
        return env.from_string(source).render(site=site, **values)
    except ValueError as error:   # a bare % in a message is jinja's error too
        return type(error)
