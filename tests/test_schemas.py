"""The JSON Schemas for editors say what the checker says."""
from __future__ import annotations

import jsonschema
import pytest

from casebook.reading.formats import SCHEMAS, json_schema
from casebook.authoring.new import new_case
from casebook.build.project import load_project
from casebook.reading.problems import Problems
from casebook.reading.yamltree import Mapping, Scalar, parse_tree
from conftest import CASE_YAML, ROOT, SITE_YAML

CASE_SCHEMA = ROOT / "schemas" / "case.schema.json"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schemas_are_generated_from_the_field_tables(name):
    record, title = SCHEMAS[name]
    assert (ROOT / "schemas" / name).read_text() == json_schema(record, title), (
        "schemas/ is out of date: run `make schemas`")


def as_editor_reads_it(text: str):
    """The document as a YAML 1.2 editor sees it: true/false and integers typed."""
    def convert(node):
        if isinstance(node, Scalar):
            if node.plain and node.text in ("true", "false"):
                return node.text == "true"
            if node.plain and node.text.isdigit():
                return int(node.text)
            return node.text
        if isinstance(node, Mapping):
            return {key: convert(value) for key, value in node.values.items()}
        return [convert(item) for item in node.items]
    return convert(parse_tree(text, Problems("x")))


def validator(name: str):
    import json
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / name).read_text()))


def test_valid_files_pass_the_schemas(project):
    cases = [CASE_YAML] + [p.read_text() for p in sorted((ROOT / "cases").glob("*.yaml"))]
    path = new_case("A new case", project.cases, load_project(ROOT).site, CASE_SCHEMA)
    cases.append(path.read_text())
    for text in cases:
        assert list(validator("case.schema.json").iter_errors(as_editor_reads_it(text))) == []
    for text in [SITE_YAML, (ROOT / "site.yaml").read_text()]:
        assert list(validator("site.schema.json").iter_errors(as_editor_reads_it(text))) == []


@pytest.mark.parametrize("edit", [
    ("organization: Time Warner Cable", "organisation: Time Warner Cable"),
    ("outcome: negative", "outcome: dunno"),
    ("side: customer,", "side: client,"),
    ("draft: false", "draft: maybe"),
    ("tags: [celebrity, public-reply]", "tags: [Celebrity]"),
    ("channels: [Twitter]", "channels: []"),
    ("date: 2014-02", "date: Feb 2014"),
    ("    mark: escalation", "    mark: climax"),
    ("title: Picard waits for cable", "title: " + "x" * 121),
    ("    author: Tricia Morris", "    url: ftp://x"),
    ("summary: |\n  One to three paragraphs.\n", ""),
])
def test_mistakes_the_checker_reports_the_schema_flags_too(edit):
    document = as_editor_reads_it(CASE_YAML.replace(*edit))
    assert list(validator("case.schema.json").iter_errors(document)), edit
