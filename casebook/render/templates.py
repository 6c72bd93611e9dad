"""The one Jinja2 environment of the site and the print templates, and how its errors read."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from casebook.render.axis import timeline_axis
from casebook.render.charts import outcome_chart, timeline_chart, timing_chart, years_chart

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build reads each template once; `serve` makes a new environment when one changes.
        auto_reload=False,
    )
    # The timeline partial (shared with the handouts) reads each event's place on the time axis.
    env.globals["timeline_axis"] = timeline_axis
    # The timeline drawn as one SVG picture (casebook/render/charts.py), on the page and in print.
    env.globals["timeline_chart"] = timeline_chart
    # The insights page's charts, drawn from model.insights.Insights.
    env.globals.update(timing_chart=timing_chart, outcome_chart=outcome_chart,
                       years_chart=years_chart)
    env.filters["unbroken"] = unbroken
    return env


_BREAKABLE = re.compile(r"(?<=[\d≤≥~]) (?=[\da-z])")


def unbroken(value) -> Markup:
    """A time such as `≤ 2 days 1 h` with each number kept on one line with its unit (and
    `≤`/`≥` with the number), so a narrow column wraps it only between the parts."""
    return Markup(_BREAKABLE.sub("\u00a0", str(escape(str(value)))))


def template_error(error: jinja2.TemplateError) -> str:
    """A template mistake as `templates/NAME:LINE: template: message`."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"templates/{error.name}:{error.lineno}: template: {error.message}"
    return f"templates: {error}"
