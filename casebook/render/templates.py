"""The one Jinja2 environment of the site and the print templates, where the templates come
from (Casebook's own, and a casebook's overrides), and how template errors read."""
from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from casebook.model.case import Figure
from casebook.model.language import (Length, Phrase, format_partial_date,
                                     direction as _direction,
                                     localize_span_text, translations)
from casebook.model.timeline import Since, Span
from casebook.render.axis import timeline_axis
from casebook.render.charts import outcome_chart, timeline_chart, timing_chart, years_chart

_PACKAGE = Path(__file__).resolve().parent.parent
# Installed, the templates are package data (casebook/templates, mapped from the repository's
# templates/ by pyproject.toml); in the repository, the top-level folder is the one source.
TEMPLATES = (_PACKAGE / "templates" if (_PACKAGE / "templates").is_dir()
             else _PACKAGE.parent / "templates")


@dataclass(frozen=True)
class Templates:
    """The template folders of a build, the first holding a file winning: a casebook's own
    `templates/` beside its site.yaml (any template, stylesheet or static file of the same
    name overrides Casebook's, as MkDocs' custom_dir does), then Casebook's own."""

    folders: tuple[Path, ...]

    @property
    def builtin(self) -> Path:
        return self.folders[-1]

    def find(self, name: str) -> Path | None:
        """The file that wins for `name` (relative, forward slashes), or None."""
        for folder in self.folders:
            path = folder / name
            if path.is_file():
                return path
        return None

    def files(self) -> dict[str, Path]:
        """Every file by its relative name, the winning one for each, in name order."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for path in folder.rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def copy_folder(self, name: str, dest: Path) -> None:
        """templates/`name` into `dest`, overrides copied over Casebook's files."""
        for folder in reversed(self.folders):
            if (folder / name).is_dir():
                shutil.copytree(folder / name, dest, dirs_exist_ok=True)


BUILTIN = Templates((TEMPLATES,))


def templates_for(site_file: Path) -> Templates:
    """The templates of the casebook whose settings are `site_file`."""
    own = site_file.parent / "templates"
    if own.is_dir() and own.resolve() != TEMPLATES.resolve():
        return Templates((own, TEMPLATES))
    return BUILTIN


def as_templates(templates: Templates | Path) -> Templates:
    return templates if isinstance(templates, Templates) else Templates((templates,))


def environment(templates: Templates | Path = BUILTIN) -> jinja2.Environment:
    templates = as_templates(templates)
    env = jinja2.Environment(
        # The casebook's overrides first: a template it has wins, the rest come from Casebook.
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder)
                                    for folder in templates.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build reads each template once; `serve` makes a new environment when one changes.
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        finalize=_finalize,
    )
    # Every interface word through the site language's catalog: {% trans %} and _() read the
    # language from the `site` every page and document is rendered with.
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    # ... and the values put into a message (a time, a channel) in that language too.
    env.globals.update(gettext=_gettext_with, _=_translate, ngettext=_ngettext_with)
    env.filters["local_date"] = _local_date
    env.filters["local_time"] = _local_time
    # The timeline partial (shared with the handouts) reads each event's place on the time axis.
    env.globals["timeline_axis"] = timeline_axis
    # The timeline drawn as one SVG picture (casebook/render/charts.py), on the page and in print.
    env.globals["timeline_chart"] = _in_language(timeline_chart)
    # The insights page's charts, drawn from model.insights.Insights.
    env.globals.update(timing_chart=_in_language(timing_chart),
                       outcome_chart=_in_language(outcome_chart),
                       years_chart=_in_language(years_chart))
    env.filters["unbroken"] = unbroken
    env.filters["text_dir"] = text_dir
    env.globals["page_references"] = page_references
    return env


_BREAKABLE = re.compile(r"(?<=[\d≤≥~]) (?=\w)")


@jinja2.pass_context
def unbroken(context, value) -> Markup:
    """A time such as `≤ 2 days 1 h` with each number kept on one line with its unit (and
    `≤`/`≥` with the number), so a narrow column wraps it only between the parts."""
    return Markup(_BREAKABLE.sub("\u00a0", str(escape(_finalize(context, value)))))


@jinja2.pass_context
def text_dir(context, value) -> str:
    """The `dir` of a block of the casebook's own words (a summary, an event, a lesson): on a
    right-to-left page, the direction of its first letter (an English summary on an Arabic
    page runs left to right, its full stop at its end), written out because WeasyPrint does
    not read dir="auto"; elsewhere "auto"."""
    if _direction(_language(context)) != "rtl":
        return "auto"
    text = value.source if hasattr(value, "source") else str(value)
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


def in_language(value, language: str):
    """A value the model hands over, written in `language`: a time (a Span, a case's Figure, a
    time since a date, a course's Length) with its units, a Phrase in the catalog's words;
    anything else as it is."""
    if isinstance(value, Phrase):
        return value.translated(language)
    if isinstance(value, (Span, Figure, Length)):
        return localize_span_text(str(value), language)
    if isinstance(value, Since):
        return translations(language).gettext("%(time)s after %(date)s") % {
            "time": localize_span_text(str(value.span), language), "date": value.date}
    return value


@jinja2.pass_context
def _finalize(context, value):
    """What a template prints: the model's values in the page's language."""
    if isinstance(value, (Phrase, Span, Figure, Length, Since)):
        return in_language(value, _language(context))
    return value


def _in_language(chart):
    """A chart drawn with its words in the language of the page that draws it."""
    @jinja2.pass_context
    def draw(context, *args, **kwargs):
        language = _language(context)
        return chart(*args, gettext=translations(language).gettext, language=language, **kwargs)
    return draw


def _language(context) -> str:
    site = context.get("site")
    return getattr(site, "language", None) or "en"


@jinja2.pass_context
def _gettext(context, message: str) -> str:
    return translations(_language(context)).gettext(message)


# `_(message)` without variables, by language and message: a case page asks for about 60.
_PLAIN_MESSAGES: dict[tuple[str, str], Markup] = {}


@jinja2.pass_context
def _translate(context, message: str, **variables) -> str:
    """`_()`: what jinja2.ext's newstyle `_` gives (its `gettext` with the catalog's text
    as a format string, escaped when autoescaping), without its two `Context.call`s per
    message, and looked up once per language when there are no variables."""
    autoescape = context.eval_ctx.autoescape
    if autoescape and not variables:
        key = (_language(context), message)
        found = _PLAIN_MESSAGES.get(key)
        if found is None:
            found = _PLAIN_MESSAGES[key] = Markup(translations(key[0]).gettext(message)) % {}
        return found
    return _filled(context, translations(_language(context)).gettext(message), variables)


@jinja2.pass_context
def _ngettext(context, singular: str, plural: str, count: int) -> str:
    return translations(_language(context)).ngettext(singular, plural, count)


def _filled(context, message: str, variables: dict) -> str:
    """A translated message with its values put in, each in the page's language (as Jinja's
    own newstyle gettext does: the message escaped on an HTML page, then formatted)."""
    language = _language(context)
    if context.eval_ctx.autoescape:
        message = Markup(message)
    return message % {key: in_language(value, language) for key, value in variables.items()}


@jinja2.pass_context
def _gettext_with(context, message: str, **variables) -> str:
    return _filled(context, translations(_language(context)).gettext(message), variables)


@jinja2.pass_context
def _ngettext_with(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _filled(context, translations(_language(context)).ngettext(singular, plural, num),
                   variables)


@jinja2.pass_context
def _local_time(context, text: str) -> str:
    """A time as model/timeline.py writes it, its words in the site's language."""
    return localize_span_text(text, _language(context))


@jinja2.pass_context
def _local_date(context, text: str | None) -> str:
    """A case's date (YYYY, YYYY-MM or YYYY-MM-DD) as the site's language writes it."""
    return format_partial_date(text, _language(context)) if text else ""


def css_content(words: str, **parts: str) -> Markup:
    """Catalog words as a CSS `content` value: the words quoted (quotes, backslashes and markup
    characters dropped), each %(name)s placeholder replaced by the CSS of `parts` (a counter,
    an attribute)."""
    words = "".join(ch for ch in words if ch not in '"\\<>')
    for name, css in parts.items():
        words = words.replace(f"%({name})s", f'" {css} "')
    return Markup('"' + words + '"')


@jinja2.pass_context
def page_references(context) -> Markup:
    """The print stylesheet's words around a part's page number, in the page's language: the
    agenda's " (page 4)" and the lessons' ", page 4" (the page is the link's data-page)."""
    _ = translations(_language(context)).gettext
    return Markup(
        ".agenda a[data-page]::after { content: %s; }\n"
        ".lessons .lesson-case a[data-page]::after { content: %s; }" % (
            css_content(_(" (page %(page)s)"), page="attr(data-page)"),
            css_content(_(", page %(page)s"), page="attr(data-page)")))


def template_error(error: jinja2.TemplateError) -> str:
    """A template mistake as `templates/NAME:LINE: template: message`."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"templates/{error.name}:{error.lineno}: template: {error.message}"
    return f"templates: {error}"
