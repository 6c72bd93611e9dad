"""The insights page and the pictures drawn from the data: every chart has a table with the
same figures, ranges stay ranges (an open end is never drawn as a point), and the timeline
drawing is the one the handout prints."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from casebook.model.insights import build_insights
from casebook.model.timeline import Span
from casebook.render.charts import timeline_chart, timing_chart
from casebook.model.catalog import catalog_of
from casebook.reading.load import Loader
from conftest import CASE_YAML
from harness import run_cli


class Tables(HTMLParser):
    """Every <table> as rows of cell texts, with its caption; and every <svg>'s title."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.svgs: list[dict] = []
        self._cell = None
        self._in = []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "svg":
            self.svgs.append({"attrs": dict(attrs), "title": "", "desc": ""})

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in and self._in[-1] == "caption":
            self.tables[-1]["caption"] += data
        elif self._in and self._in[-1] in ("title", "desc") and "svg" in self._in:
            self.svgs[-1][self._in[-1]] += data


def parse(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def test_the_insights_page_has_a_table_for_every_chart(shipped_site):
    html = (shipped_site.path / "insights.html").read_text()
    page = parse(html)
    cases = shipped_site.catalog.cases
    # Every chart is an image with a title and a description; each has its table.
    charts = [svg for svg in page.svgs if "chart" in svg["attrs"].get("class", "")]
    assert len(charts) >= 4
    for svg in charts:
        assert svg["attrs"]["role"] == "img" and svg["title"] and svg["desc"]
    assert len(page.tables) == len(charts)
    timing = page.tables[0]
    assert timing["rows"][0] == ["Case", "First response", "Resolution"]
    assert [row[0] for row in timing["rows"][1:]] == [case.title for case in cases]
    for row, case in zip(timing["rows"][1:], cases):
        assert row[1:] == [str(case.figures.first_response), str(case.figures.resolution)]
    # Outcomes by channel: a row per channel, the counts the cases give.
    by_channel = next(t for t in page.tables if t["caption"].endswith("each channel"))
    header, *rows = by_channel["rows"]
    assert header == ["Channel", "positive", "negative", "mixed", "unresolved", "unknown", "All"]
    channels = sorted({c for case in cases for c in case.channels}, key=str.casefold)
    assert [row[0] for row in rows] == channels
    for row in rows:
        members = [case for case in cases if row[0] in case.channels]
        assert row[1:] == [str(sum(c.outcome == o for c in members))
                           for o in header[1:-1]] + [str(len(members))]
    assert any(t["caption"].endswith("each theme") for t in page.tables)
    assert any(t["caption"].endswith("each industry") for t in page.tables)


def test_every_page_links_the_insights_page(shipped_site):
    for page in ("index.html", "lessons.html", "insights.html",
                 f"cases/{shipped_site.catalog.cases[0].slug}.html"):
        html = (shipped_site.path / page).read_text()
        assert re.search(r'<a href="(\.\./)?insights\.html"', html), page
    assert 'href="insights.html" aria-current="page"' in (shipped_site.path / "insights.html").read_text()


def project_with(project, *cases: str):
    for index, text in enumerate(cases):
        project.write(f"case-{index}.yaml", text)
    site, _ = Loader().site(project.root / "site.yaml")
    loaded = [Loader().case(project.cases / f"case-{i}.yaml", site)[0] for i in range(len(cases))]
    assert None not in loaded
    return catalog_of(site, loaded)


def test_cases_over_time_counts_each_year_and_the_undated(project):
    catalog = project_with(project, CASE_YAML, CASE_YAML.replace("date: 2014-02", "date: 2011"),
                           CASE_YAML.replace("date: 2014-02\n", ""))
    insights = build_insights(catalog)
    assert [(y.year, y.count) for y in insights.years] == [(2011, 1), (2012, 0), (2013, 0), (2014, 1)]
    assert insights.undated == 1


def test_an_open_ended_range_is_drawn_open_never_as_a_point(project):
    open_ended = CASE_YAML.replace("""  - when: within 2 minutes
    who: twc""", """  - when: days later
    who: twc""")
    catalog = project_with(project, open_ended)
    insights = build_insights(catalog)
    timing = insights.in_order[0].figures.first_response
    assert timing.kind == "open" and timing.span == Span(2 * 86400, None)
    svg = str(timing_chart(insights))
    # The first response: a bar from its lower end with an arrow, labelled "≥ 2 days"; no dot.
    assert "≥ 2 days" in svg and "<path class=\"timing-first\"" in svg
    assert "<circle class=\"timing-first\"" not in svg
    # No resolution is said in words, not drawn.
    assert "no resolution" in svg


def test_an_exact_time_is_a_dot_and_a_range_a_bar(project):
    exact = CASE_YAML.replace("when: within 2 minutes", "when: 2 minutes later")
    insights = build_insights(project_with(project, exact, CASE_YAML))
    svg = str(timing_chart(insights))
    assert svg.count('<circle class="timing-first"') == 1      # 2 min, exact
    assert svg.count('<rect class="timing-first"') == 2         # the legend's, and ≤ 2 min's bar


def test_the_timeline_drawing_names_each_event_and_says_what_it_shows(project):
    catalog = project_with(project, CASE_YAML)
    svg = str(timeline_chart(catalog.cases[0]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    page = parse(svg)
    assert "Picard waits for cable" in page.svgs[0]["title"]
    assert "4 events" in page.svgs[0]["desc"] and "dashed" in page.svgs[0]["desc"]
    for label in ("0 s", "≤ 2 min", "Patrick Stewart", "Time Warner Cable", "William Shatner",
                  "ESCALATION"):
        assert label in svg, label
    assert 'stroke-dasharray' in svg   # the `later` gap is not drawn to scale


def test_author_text_in_a_drawing_is_escaped(project):
    hostile = CASE_YAML.replace("Patrick Stewart, side", '"<script>x</script>", side').replace(
        "title: Picard waits for cable", 'title: "Picard </title><script>x</script>"')
    catalog = project_with(project, hostile)
    svg = str(timeline_chart(catalog.cases[0])) + str(timing_chart(build_insights(catalog)))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_the_case_page_shows_the_timeline_drawing(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    html = (project.out / "site/cases/picard.html").read_text()
    assert html.count('<svg class="chart timeline-chart"') == 1
    assert html.index('class="timeline-chart-figure"') < html.index('<ol class="timeline">')
