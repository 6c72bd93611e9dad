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


# A time as model/timeline.py writes it: numbers with their units, `unknown`, and the signs
# around them (`≤`, `≥`, `~`, `–`), which every language keeps.
_SPAN_PARTS = re.compile(r"\b(\d+) (years?|months?|weeks?|days?|h|min|s)\b|\bunknown\b")


def _plural_pair(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


# Named so that pybabel extract reads each pair as one message with its plural.
ngettext = _plural_pair
_UNITS = {
    "year": ngettext("%(num)s year", "%(num)s years"),
    "month": ngettext("%(num)s month", "%(num)s months"),
    "week": ngettext("%(num)s week", "%(num)s weeks"),
    "day": ngettext("%(num)s day", "%(num)s days"),
    "h": ngettext("%(num)s h", "%(num)s h"),
    "min": ngettext("%(num)s min", "%(num)s min"),
    "s": ngettext("%(num)s s", "%(num)s s"),
}


def localize_span_text(text: str, language: str) -> str:
    """A time written by model/timeline.py (`≤ 2 days 1 h`, `unknown`) in the language: each
    number with its unit in the catalog's words and plural (`≤ 2 Tage 1 Std.`, `≤ 2 يوم 1 ساعة`),
    isolated from the text around it in a right-to-left language."""
    if catalog_language(language) in (None, SOURCE_LANGUAGE):
        return text
    return _localized_span(text, catalog_language(language))


@lru_cache(maxsize=4096)
def _localized_span(text: str, code: str) -> str:
    words = translations(code)

    def part(match: re.Match) -> str:
        if match.group(1) is None:
            return words.gettext("unknown")
        count, unit = int(match.group(1)), match.group(2)
        singular, plural = _UNITS[unit if unit in _UNITS else unit[:-1]]
        return words.ngettext(singular, plural, count) % {"num": count}

    text = _SPAN_PARTS.sub(part, text)
    # On a right-to-left page a time is isolated (FIRST STRONG ISOLATE ... POP DIRECTIONAL
    # ISOLATE), so its signs and numbers (`≤ 2`, `1–2`) keep their order beside a title or
    # name in another script, in the HTML, the drawings, the PDFs and the exports alike.
    return f"\u2068{text}\u2069" if direction(code) == "rtl" else text


class Phrase(str):
    """Interface words the model composes from a catalog message and values (`by phone`, `on
    Twitter`, `Discuss questions 1, 2; move on at 10:30`). As a string it is the English; a
    renderer writes it in the page's language with `in_language`."""

    message: str
    plural: str | None
    count: int | None
    values: dict

    def __new__(cls, message: str, values: dict | None = None, plural: str | None = None,
                count: int | None = None) -> "Phrase":
        values = dict(values or {})
        chosen = plural if plural is not None and count != 1 else message
        self = super().__new__(cls, chosen % values if values else chosen)
        self.message, self.plural, self.count, self.values = message, plural, count, values
        return self

    def __reduce__(self):
        return (Phrase, (self.message, self.values, self.plural, self.count))

    def translated(self, language: str) -> str:
        words = translations(language)
        text = (words.ngettext(self.message, self.plural, self.count) if self.plural is not None
                else words.gettext(self.message))
        if not self.values:
            return text
        return text % {key: value.translated(language) if isinstance(value, Phrase) else value
                       for key, value in self.values.items()}


class Length(str):
    """A duration the model writes in English (`15 min`, `3 h`), shown in the page's language."""

    def translated(self, language: str) -> str:
        return localize_span_text(str(self), language)


def format_number(value: float, language: str) -> str:
    """A number as the language writes it: `1,5` in German, `1.5` in English."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language))
