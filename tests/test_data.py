"""`output/site/data/cases.json` and `cases.csv`: every published case as data, in the
contract's shape, without facilitator notes, the same bytes for the same input."""
from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from casebook.build.project import load_project
from casebook.cli import main
from casebook.web.data import record_json
from conftest import CASE_YAML, ROOT

SPAN = {"type": "object", "additionalProperties": False,
        "required": ["low", "high", "about", "text"],
        "properties": {"low": {"type": "integer", "minimum": 0},
                       "high": {"type": ["integer", "null"], "minimum": 0},
                       "about": {"type": "boolean"}, "text": {"type": "string", "minLength": 1}}}
SINCE = {**SPAN, "required": ["event", *SPAN["required"]],
         "properties": {"event": {"type": "integer", "minimum": 1}, **SPAN["properties"]}}
NULLABLE_TEXT = {"type": ["string", "null"]}
EVENT = {"type": "object", "additionalProperties": False,
         "required": ["id", "when", "who", "side", "channel", "mark", "quote", "what",
                      "elapsed", "since"],
         "properties": {"id": NULLABLE_TEXT, "when": {"type": "string"}, "who": {"type": "string"},
                        "side": {"enum": ["customer", "company", "public"]},
                        "channel": NULLABLE_TEXT,
                        "mark": {"enum": [None, "escalation", "resolution", "turning-point"]},
                        "quote": NULLABLE_TEXT, "what": {"type": "string"}, "elapsed": SPAN,
                        "since": {"oneOf": [{"type": "null"}, SINCE]}}}
CASES_JSON = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False, "required": ["cases"],
    "properties": {"cases": {"type": "array", "items": {
        "type": "object", "additionalProperties": False,
        "required": ["slug", "title", "organization", "outcome", "channels", "tags", "date",
                     "figures", "timeline"],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "title": {"type": "string"}, "organization": {"type": "string"},
            "outcome": {"enum": ["positive", "negative", "mixed", "unresolved", "unknown"]},
            "channels": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "tags": {"type": "array", "items": {"type": "string"}},
            "date": NULLABLE_TEXT,
            "figures": {"type": "object", "additionalProperties": False,
                        "required": ["first_response", "resolution", "channel_moves"],
                        "properties": {
                            "first_response": {"oneOf": [{"type": "null"}, SPAN]},
                            "resolution": {"oneOf": [{"type": "null"}, SPAN]},
                            "channel_moves": {"type": "integer", "minimum": 0}}},
            "timeline": {"type": "array", "minItems": 1, "items": EVENT}}}}}}


def read_data(site):
    data = json.loads((site / "data" / "cases.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / "data" / "cases.csv").read_text(encoding="utf-8"))))
    return data, rows


def test_cases_json_has_the_contracts_shape_and_the_published_cases(shipped_site):
    data, rows = read_data(shipped_site.path)
    jsonschema.validate(data, CASES_JSON)
    cases = shipped_site.catalog.cases
    assert [c["slug"] for c in data["cases"]] == [c.slug for c in cases]
    whole = {c.slug: c for c in load_project(ROOT).published}
    for record in data["cases"]:
        case = whole[record["slug"]]
        assert record["figures"]["first_response"] == (
            None if case.figures.first_response.span is None else {
                "low": case.figures.first_response.span.low,
                "high": case.figures.first_response.span.high,
                "about": case.figures.first_response.span.about,
                "text": str(case.figures.first_response)})
        assert [e["when"] for e in record["timeline"]] == [e.when for e in case.timeline]
        assert [e["elapsed"]["text"] for e in record["timeline"]] == [str(e.elapsed) for e in case.timeline]
        assert [e["channel"] for e in record["timeline"]] == [e.channel for e in case.timeline]
    # The CSV beside it: one row per case, the same figures.
    assert [r["slug"] for r in rows] == [c.slug for c in cases]
    for row, record in zip(rows, data["cases"]):
        figure = record["figures"]["first_response"]
        assert row["first_response"] == (figure["text"] if figure else "—")
        assert row["events"] == str(len(record["timeline"]))


def test_facilitator_notes_are_never_in_the_data(shipped_site):
    text = (shipped_site.path / "data" / "cases.json").read_text(encoding="utf-8")
    text += (shipped_site.path / "data" / "cases.csv").read_text(encoding="utf-8")
    notes = [c.facilitator_notes.source for c in load_project(ROOT).published if c.facilitator_notes]
    assert notes
    flat = " ".join(text.split())
    for note in notes:
        assert " ".join(note.split()) not in flat
    assert "facilitator" not in text.lower()


def test_the_data_is_the_same_bytes_for_the_same_input_and_has_since(project, tmp_path):
    project.write("picard.yaml", CASE_YAML.replace("  - when: within 2 minutes", "  - id: reply\n    when: 2014-02")
                  .replace("  - when: next day", "  - when: 2014-02-21"))
    project.write("other.yaml", CASE_YAML.replace("title: Picard waits for cable", "title: =HYPERLINK(1)")
                  .replace("facilitator_notes: |\n  Points to draw out.", "facilitator_notes: |\n  SECRET-NOTE"))
    assert main(project.args("--only", "site")) == 0
    first = {name: (project.out / "site" / "data" / name).read_bytes() for name in ("cases.json", "cases.csv")}
    assert main([*project.args("--only", "site")[:-3], "--out", str(tmp_path / "again"), "--quiet"]) == 0
    again = {name: (tmp_path / "again" / "site" / "data" / name).read_bytes() for name in first}
    assert first == again
    data = json.loads(first["cases.json"])
    jsonschema.validate(data, CASES_JSON)
    picard = next(c for c in data["cases"] if c["slug"] == "picard")
    assert [e["id"] for e in picard["timeline"]] == [None, "reply", None, None]
    assert [e["elapsed"]["text"] for e in picard["timeline"]] == ["0 s", "unknown", "unknown", "unknown"]
    assert picard["timeline"][2]["since"] == {"event": 1, "low": 0, "high": 21 * 86400,
                                              "about": False, "text": "≤ 21 days"}
    assert picard["timeline"][0]["since"] is None
    assert b"SECRET-NOTE" not in first["cases.json"] + first["cases.csv"]
    # A title a spreadsheet would run as a formula stays text in the CSV.
    assert b"'=HYPERLINK(1)" in first["cases.csv"]
    assert json.loads(first["cases.json"])["cases"][0]["title"] in ("=HYPERLINK(1)", "Picard waits for cable")


def test_the_page_shows_the_time_since_the_first_dated_event(project):
    project.write("picard.yaml", CASE_YAML.replace("  - when: within 2 minutes", "  - when: 2014-02")
                  .replace("  - when: next day", "  - when: 2014-02-21"))
    assert main(project.args("--only", "site")) == 0
    page = (project.out / "site" / "cases" / "picard.html").read_text(encoding="utf-8")
    assert '<span class="since">≤\u00a021\u00a0days after 2014-02</span>' in page
    assert page.count('class="since"') == 1   # not on the dated event itself, nor where unknown


def test_joined_pieces_are_the_files_made_from_whole_records(shipped_site, tmp_path):
    """A rebuild joins each case's cached pieces of cases.json and cases.csv: the same text
    as encoding every record at once, with none, one or all of the cases."""
    from casebook.web.data import (case_record, cases_csv, cases_json, record_pieces,
                                   write_site_data)

    published = load_project(ROOT).published
    assert len(published) > 2
    for cases in ([], published[:1], published):
        write_site_data(tmp_path, [record_pieces(case) for case in cases])
        records = [case_record(case) for case in cases]
        assert (tmp_path / "data" / "cases.json").read_text(encoding="utf-8") == cases_json(records)
        assert (tmp_path / "data" / "cases.csv").read_text(encoding="utf-8") == cases_csv(records)
    assert (shipped_site.path / "data" / "cases.json").read_text(encoding="utf-8") == \
        cases_json([case_record(case) for case in published])


# record_json writes a record as json.dumps(indent=1) would, without json's pure-Python
# encoder (which indent selects): the same text for any JSON value, records or not.
_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text()
            | st.sampled_from(["", "\n", "\"", "\\", "\u2028", "é", "😀", "\x00", "</script>"]))
_KEYS = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.lists(inner, max_size=3).map(tuple)
                       | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(record=st.dictionaries(st.text(max_size=8), _VALUES, max_size=5) | _VALUES)
def test_record_json_is_what_json_dumps_writes(record):
    expected = "\n".join("  " + line for line in
                         json.dumps(record, ensure_ascii=False, indent=1).split("\n"))
    assert record_json(record) == expected


def test_record_json_of_every_shipped_case():
    from casebook.web.data import case_record
    for case in load_project(ROOT, ROOT / "cases").cases:
        record = case_record(case)
        assert record_json(record) == "\n".join(
            "  " + line for line in json.dumps(record, ensure_ascii=False, indent=1).split("\n"))
