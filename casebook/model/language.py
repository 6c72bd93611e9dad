"""The site's language: its message catalog (casebook/locale/<lang>/LC_MESSAGES/casebook.po,
compiled when first used, so a catalog is never stale), its writing direction, and dates and
numbers written as the language writes them (Babel, from the CLDR data)."""
from __future__ import annotations

import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "casebook"
SOURCE_LANGUAGE = "en"    # the templates' own words


def N_(message: str) -> str:
    """Marks a word for the catalog (pybabel extract) that templates translate as a value."""
    return message


# The values the templates show through _(): outcomes, sides and marks (model/case.py).
VALUE_WORDS = (
    N_("positive"), N_("negative"), N_("mixed"), N_("unresolved"), N_("unknown"),
    N_("customer"), N_("company"), N_("public"),
    N_("escalation"), N_("resolution"), N_("turning point"),
    N_("first response"),
    N_("day"), N_("days"), N_("week"), N_("weeks"), N_("month"), N_("months"), N_("year"),
    N_("years"),
    N_("case"), N_("activity"), N_("break"), N_("Industry"), N_("Industry not given"),
)


def catalog_file(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    """The languages with a catalog, English (the templates' own words) first."""
    found = sorted(path.parent.parent.name for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE] + [code for code in found if code != SOURCE_LANGUAGE]


def catalog_language(language: str) -> str | None:
    """The shipped catalog for a language code (`de-AT` uses `de`), or None: then the
    interface stays English and `check` notes it."""
    for code in (language, language.split("-")[0]):
        if code == SOURCE_LANGUAGE or catalog_file(code).is_file():
            return code
    return None


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The language's messages: its .po compiled in memory (Babel's own compiler)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    code = catalog_language(language)
    if code is None or code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with open(catalog_file(code), "rb") as file:
        catalog = read_po(file, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(language: str):
    return translations(language).gettext


@lru_cache(maxsize=None)
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def direction(language: str) -> str:
    """`rtl` for a right-to-left language (Arabic, Hebrew, Persian...), else `ltr`."""
    return "rtl" if _locale(language).character_order == "right-to-left" else "ltr"


def format_partial_date(text: str, language: str) -> str:
    """A date as written in a case (YYYY, YYYY-MM or YYYY-MM-DD) as the language writes it:
    `18. Februar 2014`, `Februar 2014`, `2014`."""
    from datetime import date

    from babel.dates import format_date, format_skeleton

    parts = [int(part) for part in text.split("-")]
    locale = _locale(language)
    if len(parts) == 3:
        # English as Casebook has always written it (18 February 2014); others as CLDR's long
        # date (18. Februar 2014, 18 février 2014).
        style = "d MMMM y" if language.split("-")[0] == SOURCE_LANGUAGE else "long"
        return format_date(date(*parts), format=style, locale=locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=locale)
    return str(parts[0])


_SPAN_WORDS = re.compile(r"\b(?:unknown|days?|weeks?|months?|years?)\b")


def localize_span_text(text: str, language: str) -> str:
    """A time written by model/timeline.py (`≤ 2 days 1 h`, `unknown`) with its words in the
    language (`≤ 2 Tage 1 h`); min, h and s are the same in every shipped language."""
    if catalog_language(language) in (None, SOURCE_LANGUAGE):
        return text
    words = translations(language).gettext
    return _SPAN_WORDS.sub(lambda match: words(match.group()), text)


def format_number(value: float, language: str) -> str:
    """A number as the language writes it: `1,5` in German, `1.5` in English."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language))
