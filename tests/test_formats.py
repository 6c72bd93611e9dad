"""Every rule of the case and site.yaml formats: each violation is one line
`FILE:LINE: field.path: message`, and valid values keep what the author wrote."""
from __future__ import annotations

import pytest

from casebook.build.project import load_project
from casebook.reading.problems import InvalidInput
from conftest import CASE_YAML, SITE_YAML


def case_with(*edits: tuple[str, str]) -> str:
    text = CASE_YAML
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems(project) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        load_project(project.root, project.cases)
    return [str(p) for p in raised.value.problems]


def only_problem(project, name="case.yaml") -> str:
    found = problems(project)
    assert len(found) == 1, found
    assert found[0].startswith(f"{project.cases.name}/{name}:") or f"/{name}:" in found[0]
    return found[0]


def load(project):
    return load_project(project.root, project.cases)


def test_the_contract_example_is_valid_and_keeps_every_field(project):
    project.write("picard.yaml", CASE_YAML)
    case = load(project).cases[0]
    assert (case.slug, case.title, case.organization, case.industry, case.date, case.location) == (
        "picard", "Picard waits for cable", "Time Warner Cable", "Cable and internet", "2014-02",
        "Brooklyn, New York")
    assert case.channels == ["Twitter"] and case.outcome == "negative"
    assert case.tags == ["celebrity", "public-reply"] and case.draft is False
    assert case.people["stewart"].note == "Actor, new to Brooklyn"
    assert [e.when for e in case.timeline] == ["start", "within 2 minutes", "next day", "later"]
    assert case.timeline[3].mark == "escalation"
    assert case.takeaways[0].theme.key == "channel" and case.takeaways[0].detail.source == "Markdown."
    assert case.objectives == ["Tell response time from resolution time"]
    assert case.discussion == ["What should the second reply have said?"]
    assert case.facilitator_notes.source.strip() == "Points to draw out."
    assert case.sources[0].author == "Tricia Morris"


def test_a_source_note_is_kept_as_plain_text(project):
    # Version 2: a source may say how it reached us, e.g. republished with permission.
    note = "Republished with the author's permission from *original post*"
    project.write("c.yaml", case_with(("    author: Tricia Morris",
                                       f"    author: Tricia Morris\n    note: {note}")))
    assert load(project).cases[0].sources[0].note == note
    project.write("c.yaml", CASE_YAML)
    assert load(project).cases[0].sources[0].note is None


def test_values_mean_what_the_author_wrote(project):
    project.write("c.yaml", case_with(("date: 2014-02", "date: 2014"),
                                      ("title: Picard waits for cable", "title: no"),
                                      ("industry: Cable and internet", "industry: 0x1F"),
                                      ("location: Brooklyn, New York", "location: 1e3")))
    case = load(project).cases[0]
    assert (case.date, case.title, case.industry, case.location) == ("2014", "no", "0x1F", "1e3")


@pytest.mark.parametrize("edit, line, path, words", [
    (("title: Picard waits for cable\n", ""), 1, "title", "is missing"),
    (("organization: Time Warner Cable\n", ""), 1, "organization", "is missing"),
    (("channels: [Twitter]\n", ""), 1, "channels", "is missing"),
    (("outcome: negative\n", ""), 1, "outcome", "is missing"),
    (("summary: |\n  One to three paragraphs.\n", ""), 1, "summary", "is missing"),
    (("title: Picard waits for cable", "title: " + "x" * 121), 1, "title", "121 characters long"),
    (("title: Picard waits for cable", "title: [a, b]"), 1, "title", "is a list"),
    (("title: Picard waits for cable", "title: ''"), 1, "title", "is empty"),
    (("date: 2014-02", "date: 2014-13"), 4, "date", "`2014-13` is not a real date"),
    (("date: 2014-02", "date: 2014-02-30"), 4, "date", "is not a real date"),
    (("date: 2014-02", "date: Feb 2014"), 4, "date", "YYYY, YYYY-MM or YYYY-MM-DD"),
    (("channels: [Twitter]", "channels: []"), 6, "channels", "empty list"),
    (("channels: [Twitter]", "channels: Twitter"), 6, "channels", "expected a list"),
    (("channels: [Twitter]", "channels: [Twitter, Twitter]"), 6, "channels[2]", "listed twice"),
    (("outcome: negative", "outcome: bad"), 7, "outcome", "`bad` is not allowed (one of positive, negative, mixed, unresolved, unknown"),
    (("tags: [celebrity, public-reply]", "tags: [Celebrity]"), 8, "tags[1]", "lowercase-hyphenated"),
    (("tags: [celebrity, public-reply]", "tags: [public reply]"), 8, "tags[1]", "lowercase-hyphenated"),
    (("draft: false", "draft: no"), 9, "draft", "`no` is not allowed (expected true or false)"),
    (("side: customer,", "side: client,"), 13, "people.stewart.side", "one of customer, company, public"),
    (("stewart: {name: Patrick Stewart, ", "stewart: {"), 13, "people.stewart.name", "is missing"),
    (("  - when: within 2 minutes\n    who: twc\n", "  - when: within 2 minutes\n    who: tcw\n"), 22,
     "timeline[2].who", "`tcw` is not a person of this case (expected one of: stewart, twc, shatner; did you mean `twc`?)"),
    (("    channel: Twitter\n", "    channel: Email\n"), 19, "timeline[1].channel", "`Email` is not one of this case's channels"),
    (("    mark: escalation", "    mark: climax"), 30, "timeline[4].mark", "one of escalation, resolution, turning-point"),
    (("  - when: within 2 minutes", "  - when: in a jiffy"), 21, "timeline[2].when", "`in a jiffy` is not a time phrase: `in` is not a word of time phrases (closest accepted phrase: `"),
    (("  - when: next day", "  - when: start"), 24, "timeline[3].when", "`start` is only for the first event"),
    (("  - when: start", "  - when: next day"), 17, "timeline[1].when", "must be `start` or a date"),
    (("    what: Replies publicly.\n", ""), 21, "timeline[2].what", "is missing"),
    (("  - when: within 2 minutes", "  - when: within 2 minutes\n    from: nowhere"), 22, "timeline[2].from", "`nowhere` is not the id of an earlier event (expected one of: start"),
    (("  - when: start", "  - when: 2014-02-18\n    from: start"), 18, "timeline[1].from", "the first event is not measured from another event"),
    (("  - when: next day", "  - when: 2014-02-19\n    from: start"), 25, "timeline[3].from", "`from` beside `2014-02-19` says nothing"),
    (("  - when: later", "  - id: Shatner Joins\n    when: later"), 27, "timeline[4].id", "lowercase-hyphenated"),
    (("  - when: later", "  - when: within years"), 27, "timeline[4].when", "`within years` is not a time phrase: `within years` has no larger unit"),
    (("    theme: channel", "    theme: chanel"), 33, "takeaways[1].theme", "not a theme of site.yaml (expected one of: speed, channel; did you mean `channel`?)"),
    (("  - lesson: Take it private, then fix it\n", "  - lesson: ''\n"), 32, "takeaways[1].lesson", "is empty"),
    (("objectives:\n  - Tell response time from resolution time", "objectives:\n  - {a: b}"), 36, "objectives[1]", "is a set of fields"),
    (("    author: Tricia Morris", "    author: Tricia Morris\n    url: javascript:alert(1)"), 44, "sources[1].url", "http:// or https://"),
    (("    author: Tricia Morris", "    author: Tricia Morris\n    date: 2014-02-31"), 44, "sources[1].date", "not a real date"),
    (("  - title: When Sir", "  - titel: When Sir"), 42, "sources[1].titel", "did you mean `title`?"),
    (("    author: Tricia Morris", "    author: Tricia Morris\n    note: [a, b]"), 44, "sources[1].note", "is a list"),
    (("    author: Tricia Morris", "    author: Tricia Morris\n    note: " + "x" * 301), 44, "sources[1].note", "301 characters long"),
    (("organization: Time Warner Cable", "organisation: Time Warner Cable"), 2, "organisation", "is not a known field (expected one of: title, organization"),
    (("summary: |", "sumary: |"), 10, "sumary", "did you mean `summary`?"),
])
def test_each_rule_is_checked_with_its_line(project, edit, line, path, words):
    project.write("case.yaml", case_with(edit))
    found = problems(project)
    wanted = [p for p in found if f":{line}: {path}: " in p]
    assert wanted, found
    assert words in wanted[0]


@pytest.mark.parametrize("edits, line, path, words", [
    ([("  - when: within 2 minutes", "  - when: within 2 minutes\n    from: joke"),
      ("  - when: next day", "  - id: joke\n    when: next day")],
     22, "timeline[2].from", "`joke` is a later event"),
    ([("  - when: next day", "  - when: 2 days later"),
      ("  - when: later", "  - when: within 1 hour\n    from: start")],
     27, "timeline[4].when", "at most 1 h after the start, but an earlier event is at least"),
    ([("  - when: within 2 minutes", "  - id: reply\n    when: within 2 minutes"),
      ("  - when: next day", "  - id: reply\n    when: next day")],
     25, "timeline[3].id", "`reply` is already the id of event 2"),
])
def test_from_and_id_are_checked_with_their_line(project, edits, line, path, words):
    project.write("case.yaml", case_with(*edits))
    found = problems(project)
    wanted = [p for p in found if f":{line}: {path}: " in p]
    assert wanted, found
    assert words in wanted[0]


def test_from_measures_from_an_earlier_event(project):
    project.write("c.yaml", case_with(
        ("  - when: within 2 minutes", "  - id: reply\n    when: within 2 minutes"),
        ("  - when: next day", "  - when: 3 hours later\n    from: start"),
        ("  - when: later", "  - when: 5 hours later\n    from: reply")))
    case = load(project).cases[0]
    assert [e.id for e in case.timeline] == [None, "reply", None, None]
    assert [e.ref for e in case.timeline] == [None, None, 0, 1]
    assert [str(e.elapsed) for e in case.timeline] == ["0 s", "≤ 2 min", "3 h", "5 h–5 h 2 min"]


def test_an_undated_start_before_dates_gives_since_and_a_check_hint(project):
    project.write("c.yaml", case_with(("  - when: within 2 minutes", "  - when: 2005-06"),
                                      ("  - when: next day", "  - when: 2005-06-21")))
    case = load(project).cases[0]
    assert [str(e.elapsed) for e in case.timeline] == ["0 s", "unknown", "unknown", "unknown"]
    assert [str(e.since) if e.since else None for e in case.timeline] == [
        None, "0 s after 2005-06", "≤ 21 days after 2005-06", "unknown after 2005-06"]
    (hint,) = case.hints
    assert (hint.line, hint.path) == (17, "timeline[1].when")
    assert "give this event a date (`2005-06` or earlier)" in hint.message


def test_every_problem_of_every_file_in_one_run(project):
    project.write("a.yaml", case_with(("outcome: negative", "outcome: bad"),
                                      ("draft: false", "draft: maybe"),
                                      ("  - when: next day", "  - when: tomorrow")))
    project.write("b.yaml", case_with(("title: Picard waits for cable\n", "")))
    found = [p.split(f"{project.root}/")[-1] for p in problems(project)]
    assert [p.split(": ")[0] for p in found] == [
        "cases/a.yaml:7", "cases/a.yaml:9", "cases/a.yaml:24", "cases/b.yaml:1"], found
    assert found[3].startswith("cases/b.yaml:1: title: is missing")


@pytest.mark.parametrize("yaml_text, line, words", [
    ("title: &t Picard\norganization: *t\n", 1, "anchors are not allowed"),
    ("title: !!python/object/apply:os.system [echo hi]\n", 1, "tags are not allowed"),
    ("title: !custom x\n", 1, "tags are not allowed"),
    ("title: A\ntitle: B\n", 2, "title: is given twice (first on line 1"),
])
def test_anchors_aliases_tags_and_duplicate_keys_are_errors(project, yaml_text, line, words):
    project.write("case.yaml", yaml_text)
    found = problems(project)
    assert any(f"case.yaml:{line}:" in p and words in p for p in found), found


def test_duplicate_keys_deep_in_the_file_are_errors(project):
    project.write("case.yaml", case_with(("    who: twc\n    what: Replies publicly.",
                                          "    who: twc\n    who: stewart\n    what: Replies publicly.")))
    assert any(":23: timeline[2].who: is given twice (first on line 22" in p for p in problems(project))


@pytest.mark.parametrize("name, words", [
    ("Picard.yaml", "not a usable slug"),
    ("picard_waits.yaml", "rename it to `picard-waits.yaml`"),
    ("picard.yml", "case files end in `.yaml`"),
])
def test_case_file_names_are_slugs(project, name, words):
    project.write(name, CASE_YAML)
    assert words in only_problem(project, name)


def test_files_starting_with_underscore_are_not_cases(project):
    project.write("_draft-notes.yaml", "this: [is not, a case")
    project.write("picard.yaml", CASE_YAML)
    assert [c.slug for c in load(project).cases] == ["picard"]


def test_drafts_are_checked(project):
    project.write("picard.yaml", case_with(("draft: false", "draft: true"), ("outcome: negative", "outcome: x")))
    assert any("outcome" in p for p in problems(project))


def test_figures_are_computed_per_case(project):
    project.write("c.yaml", case_with(
        ("channels: [Twitter]", "channels: [Twitter, Phone]"),
        ("    what: Joins in, in support of Stewart.\n    mark: escalation",
         "    what: Joins in.\n  - when: about 2 hours later\n    who: twc\n    channel: Phone\n"
         "    what: Calls him.\n  - when: 30 minutes later\n    who: twc\n    channel: Twitter\n"
         "    what: Confirms the fix.\n    mark: resolution")))
    case = load(project).cases[0]
    assert str(case.figures.first_response) == "≤ 2 min"
    # a `later` step lies before it: only its lower end is known, and it is `about`
    assert str(case.figures.resolution) == "≥ ~2 h 30 min"
    assert case.figures.channel_moves == 2
    # an event shows only the channel its file states
    assert [e.channel for e in case.timeline] == ["Twitter", None, None, None, "Phone", "Twitter"]


def test_figures_without_company_reply_or_resolution_are_dashes(project):
    project.write("c.yaml", case_with(("who: twc\n    what: Replies", "who: shatner\n    what: Replies"),
                                      ("who: twc\n    what: Re-engages", "who: shatner\n    what: Re-engages")))
    figures = load(project).cases[0].figures
    assert (str(figures.first_response), str(figures.resolution)) == ("—", "—")


@pytest.mark.parametrize("site_text, line, path, words", [
    ("description: D\nthemes: {a: {title: A}}\n", 1, "title", "is missing"),
    ("title: T\nthemes: {a: {title: A}}\n", 1, "description", "is missing"),
    ("title: T\ndescription: D\n", 1, "themes", "is missing"),
    ("title: T\ndescription: D\npaper: A5\nthemes: {a: {title: A}}\n", 3, "paper", "one of A4, letter"),
    ("title: T\ndescription: D\nbase_url: ftp://x\nthemes: {a: {title: A}}\n", 3, "base_url", "https://"),
    ("title: T\ndescription: D\nlanguage: English\nthemes: {a: {title: A}}\n", 3, "language", "language code"),
    ("title: T\ndescription: D\nthemes: {a: {titel: A}}\n", 3, "themes.a.titel", "did you mean `title`?"),
    ("title: T\ndescription: D\ncolour: red\nthemes: {a: {title: A}}\n", 3, "colour", "is not a known field"),
])
def test_site_yaml_rules(project, site_text, line, path, words):
    project.site(site_text)
    project.write("picard.yaml", CASE_YAML)
    found = [p for p in problems(project) if p.startswith(str(project.root / "site.yaml")) or "site.yaml:" in p]
    assert any(f"site.yaml:{line}: {path}: " in p and words in p for p in found), found


def test_site_yaml_defaults(project):
    project.write("picard.yaml", CASE_YAML)
    site = load(project).site
    assert (site.base_url, site.language, site.paper) == ("", "en", "A4")
    assert list(site.themes) == ["speed", "channel"]


def test_base_url_gets_its_trailing_slash(project):
    project.site(SITE_YAML + "base_url: https://example.org/book\n")
    project.write("picard.yaml", CASE_YAML)
    assert load(project).site.base_url == "https://example.org/book/"


@pytest.mark.parametrize("markdown, present, absent", [
    ("Hi <script>alert(1)</script>", "&lt;script&gt;", "<script>"),
    ("<iframe src='https://x'></iframe>", "&lt;iframe", "<iframe"),
    ("[x](javascript:alert(1))", "<span>x</span>", "javascript:"),
    ("[x](data:text/html,hi)", "<span>x</span>", "data:"),
    ("[ok](https://example.org)", 'href="https://example.org"', "<span>"),
    ("![a cat](https://example.org/cat.png)", "a cat", "<img"),
    ("*emphasis* and\n\n- a list", "<em>emphasis</em>", "*emphasis*"),
])
def test_markdown_is_rendered_safely(project, markdown, present, absent):
    project.write("c.yaml", case_with(("summary: |\n  One to three paragraphs.",
                                       "summary: |\n  " + markdown.replace("\n", "\n  "))))
    html = load(project).cases[0].summary.html
    assert present in html and absent not in html


def test_lines_are_counted_as_editors_count_them(project):
    # YAML also breaks lines at U+2028; an editor does not, and the author reads the editor.
    project.write("case.yaml", case_with(("title: Picard waits for cable", "title: \"Picard\u2028waits\""),
                                         ("outcome: negative", "outcome: bad")))
    assert any("case.yaml:7: outcome:" in p for p in problems(project))
