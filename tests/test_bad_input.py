"""Bad case files: each gets exit 1, its own `FILE:LINE: path: message` lines in words a trainer
understands, no traceback, and leaves a previously published output/ exactly as it was.

Each file in tests/bad/ is a small valid case with one mistake (its first line says which);
EXPECTED gives, per file, every problem the build must report: (line, field path, words the
message must contain). "(file)" is the path of a problem with the file as a whole.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.reading.load import Loader, shown
from harness import problem_lines, publish_shipped_cases, run_cli, tree_hash

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad"
SHIPPED_CASES = ROOT / "cases"
SITE, _ = Loader().site(ROOT / "site.yaml")

EXPECTED = {
    # YAML that does not parse
    "syntax-tab-indent": [(9, "(file)", "a tab character is used for indentation")],
    "syntax-tab-in-event": [(15, "(file)", "indent with spaces only")],
    "syntax-unclosed-double-quote": [(2, "(file)", "quotation mark opened on this line is never closed")],
    "syntax-unclosed-single-quote": [(16, "(file)", "quotation mark opened on this line is never closed")],
    "syntax-field-indented-too-far": [(3, "(file)", "indented further than the field above it")],
    "syntax-person-indented-too-far": [(9, "(file)", "indentation of this line does not match")],
    "syntax-event-field-misaligned": [(13, "(file)", "does not match the list item above it")],
    "syntax-list-item-outdented": [(15, "(file)", "does not match the list item above it")],
    "syntax-top-level-list": [(2, "(file)", "the file holds a list, not fields")],
    "syntax-top-level-text": [(2, "(file)", "the file holds a single value, not fields")],
    "syntax-only-comments": [(1, "(file)", "the file is empty")],
    "syntax-not-utf8": [(3, "(file)", "not UTF-8 text (byte 0xe9")],
    "syntax-unclosed-bracket": [(4, "(file)", "a list opened with `[` is never closed")],
    "syntax-unclosed-brace": [(8, "(file)", "a mapping opened with `{` is never closed")],
    "syntax-colon-in-value": [(16, "(file)", "contains `: ` (put the whole value in quotes")],
    "syntax-at-sign-start": [(13, "(file)", "`@` at the start of a value (put the whole value in quotes")],
    "syntax-asterisk-emphasis-start": [(6, "(file)", "`*` at the start of a value as an alias (put the whole value in quotes")],
    "syntax-text-after-quote": [(16, "(file)", "value in double quotes ends at the second `\"`, before `was all it said.`")],
    "syntax-no-space-after-colon": [(3, "(file)", "needs a space after its colon")],
    "syntax-missing-colon": [(5, "(file)", "add the `:` after the field name")],
    "syntax-bad-escape": [(21, "(file)", "backslash inside double quotes")],
    "syntax-two-documents": [(23, "(file)", "more than one YAML document")],
    "syntax-control-character": [(2, "(file)", "invisible control character")],
    "syntax-block-text-on-same-line": [(6, "(file)", "start the text on the next line")],
    "syntax-apostrophe-in-single-quotes": [(16, "(file)", "write an apostrophe inside single quotes as two: `''`")],
    "syntax-quote-in-double-quotes": [(16, "(file)", "before `we are sorry\" twice.` (write a quotation mark inside double quotes as `\\\"`")],
    "syntax-list-on-field-line": [(4, "(file)", "a list item (`- `) cannot start on the same line as its field")],
    "syntax-equals-instead-of-colon": [(2, "(file)", "a field is written `field: value`, with a colon (not `=`)")],
    # Wrong types, missing, unknown and repeated fields
    "field-missing-title": [(2, "title", "is missing (required: text")],
    "field-missing-timeline": [(2, "timeline", "is missing (required: a list of an event")],
    "field-unknown": [(6, "sumary", "is not a known field (expected one of: title, "),
                      (2, "summary", "is missing")],
    "field-duplicate-key": [(6, "outcome", "given twice (first on line 5")],
    "field-duplicate-person": [(9, "people.ann", "given twice (first on line 8"),
                               (15, "timeline[2].who", "`air` is not a person of this case")],
    "field-channels-not-list": [(4, "channels", "is a single value (expected a list")],
    "field-title-is-list": [(2, "title", "is a list (expected text")],
    "field-people-is-list": [(8, "people", "is a list (expected a set of a person")],
    "field-draft-yes": [(6, "draft", "`yes` is not allowed (expected true or false)")],
    "field-title-too-long": [(2, "title", "is 129 characters long (expected at most 120)")],
    "field-title-empty": [(3, "organization", "is empty")],
    "field-title-two-lines": [(2, "title", "runs over several lines")],
    "field-empty-takeaways": [(17, "takeaways", "is an empty list (expected at least 1)")],
    "field-comma-in-braces": [(8, "people.ann.new to Brooklyn", "inside `{ }` a comma starts a new field")],
    # Values out of range
    "value-date-impossible": [(6, "date", "`2014-13-45` is not a real date")],
    "value-date-words": [(6, "date", "`February 2014` is not a date (expected a date written YYYY")],
    "value-source-date-feb-30": [(22, "sources[1].date", "`2014-02-30` is not a real date")],
    "value-outcome-unknown": [(5, "outcome", "`negativ` is not allowed (one of positive, "
                                             "negative, mixed, unresolved, unknown; did you mean `negative`?)")],
    "value-side-unknown": [(8, "people.ann.side", "`client` is not allowed (one of customer, company, public)")],
    "value-mark-unknown": [(17, "timeline[2].mark", "`solved` is not allowed")],
    "value-tag-not-slug": [(6, "tags[1]", "`Public Reply` is not lowercase-hyphenated")],
    "value-tag-twice": [(6, "tags[2]", "`airline` is listed twice")],
    "value-hashtag-cut-as-comment": [(16, "timeline[2].what", "`#fail` and what follows are read as a comment and left out")],
    "value-hashtag-at-start": [(16, "timeline[2].what", "YAML reads a value that starts with # as a comment")],
    "value-control-escape": [(2, "title", "contains an invisible control character (code 27)")],
    "value-person-key-space": [(9, "people.example air", "not a usable short name"),
                               (15, "timeline[2].who", "`air` is not a person of this case")],
    # Time phrases
    "when-unknown-phrase": [(14, "timeline[2].when", "`soon after` is not a time phrase: `soon` is not a word of time phrases (closest accepted phrase: `")],
    "when-unknown-unit": [(14, "timeline[2].when", "`fortnights` is not a unit (second, minute, hour, day, week, month or year) (closest accepted phrase: `")],
    "when-number-too-large": [(14, "timeline[2].when", "`seventy` is not a number we read (write digits, or a word from one to sixty) (closest accepted phrase: `70 ")],
    "when-first-not-start": [(11, "timeline[1].when", "must be `start` or a date")],
    "when-start-twice": [(14, "timeline[2].when", "`start` is only for the first event")],
    "when-dates-backwards": [(14, "timeline[2].when", "before the date of an earlier event")],
    # References and addresses
    "ref-unknown-person": [(15, "timeline[2].who", "`airline` is not a person of this case "
                                                   "(expected one of: ann, air; did you mean `air`?)")],
    "ref-unknown-theme": [(19, "takeaways[1].theme", "`speedy` is not a theme of site.yaml")],
    "ref-unknown-channel": [(16, "timeline[2].channel", "`Facebook` is not one of this case's channels")],
    "url-javascript": [(22, "sources[1].url", "is not a web address (expected a web address starting with http")],
    "url-no-scheme": [(22, "sources[1].url", "`www.example.org/article` is not a web address")],
    "url-file": [(22, "sources[1].url", "`file:///etc/passwd` is not a web address")],
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """An output folder holding a good build of the shipped cases, and its fingerprint."""
    out = tmp_path_factory.mktemp("published") / "output"
    return out, publish_shipped_cases(out)


def test_every_bad_file_has_an_expectation():
    assert {path.stem for path in BAD.glob("*.yaml")} == set(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_reported_and_nothing_is_published(name, tmp_path, capsys, published):
    out, before = published
    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / f"{name}.yaml"
    shutil.copy(BAD / case.name, case)

    code, stdout, stderr = run_cli(["--cases", cases, "--out", out, "--quiet"], capsys)

    assert code == 1
    assert "Traceback" not in stderr
    reported = problem_lines(stderr, shown(case))
    assert [(line, path) for line, path, _ in reported] == \
        [(line, path) for line, path, _ in sorted(EXPECTED[name])], stderr
    for (_, _, message), (_, _, words) in zip(reported, sorted(EXPECTED[name])):
        assert words in message
    assert stderr.splitlines()[-1].endswith("in 1 file; nothing was published")
    assert tree_hash(out) == before


def test_an_empty_file_is_reported(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "empty.yaml").write_bytes(b"")
    code, _, stderr = run_cli(["check", "--cases", cases], capsys)
    assert code == 1
    assert problem_lines(stderr, shown(cases / "empty.yaml")) == \
        [(1, "(file)", "the file is empty (expected fields such as `title:`)")]


def test_check_reports_every_problem_of_every_file_in_one_run(tmp_path, capsys):
    """Good cases and bad ones together: each bad file's problems, nothing about the good."""
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    for path in BAD.glob("*.yaml"):
        shutil.copy(path, cases / path.name)

    code, stdout, stderr = run_cli(["check", "--cases", cases], capsys)

    assert code == 1
    for name, expected in EXPECTED.items():
        reported = problem_lines(stderr, shown(cases / f"{name}.yaml"))
        assert [(line, path) for line, path, _ in reported] == \
            [(line, path) for line, path, _ in sorted(expected)]
    for good in (ROOT / "cases").glob("*.yaml"):
        assert not problem_lines(stderr, shown(cases / good.name))
    total = sum(map(len, EXPECTED.values()))
    assert stderr.splitlines()[-1] == \
        f"{total} problems in {len(EXPECTED)} files; nothing was published"


# Parser words that mean nothing to a trainer; no message may pass them on.
PARSER_JARGON = ("scalar", "token", "<block", "<document", "scanning", "while parsing", "node content")
DAMAGE = list(':-"\'[]{}#&*!|>%@`,?\\\t\n ') + ["  ", "\xe9", "\x00", "\u2028"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(sorted(SHIPPED_CASES.glob("*.yaml"))), data=st.data())
def test_a_damaged_case_is_reported_in_plain_words_never_raised(case, data, tmp_path_factory):
    """Random typing mistakes in a shipped case: problems with a line in the file and words,
    never an exception or the parser's own vocabulary."""
    text = case.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 2))
        text = text[:at] + data.draw(st.sampled_from(DAMAGE)) + text[at + cut:]
    path = tmp_path_factory.mktemp("damaged") / case.name
    path.write_text(text, encoding="utf-8")

    _, problems = Loader().case(path, SITE)

    lines = text.count("\n") + 1
    for problem in problems:
        assert 1 <= problem.line <= lines
        assert problem.message and not any(word in problem.message for word in PARSER_JARGON)
