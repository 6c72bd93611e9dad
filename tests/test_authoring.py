"""A new author's first cases (issue 14): messages that point at the real mistake, text left
from `new`'s template, file names, and the notes `check` gives about a casebook as a whole."""
from __future__ import annotations

import pytest

from casebook.model.names import slugify
from test_formats import case_with, load, only_problem, problems
from conftest import CASE_YAML


# Messages: the right cause, at the right line -------------------------------------------------

def test_a_colon_inside_braces_is_the_problem_not_the_brace(project):
    project.write("case.yaml", case_with((
        'note: "Actor, new to Brooklyn"}', "note: Employees: three of them}")))
    problem = only_problem(project)
    assert ":13: (file): the value `Employees: three of them` contains `: `" in problem
    assert 'put that value in quotes: note: "Employees: three of them"' in problem
    assert "never closed" not in problem


def test_a_brace_really_left_open_is_still_reported_as_such(project):
    project.write("case.yaml", case_with(('note: "Actor, new to Brooklyn"}', 'note: "Actor"')))
    assert "a mapping opened with `{` is never closed (add the `}`)" in only_problem(project)


def test_a_colon_in_a_discussion_question_says_so(project):
    project.write("case.yaml", case_with((
        "  - What should the second reply have said?",
        "  - What did Taylor gain? Answer: goodwill")))
    problem = only_problem(project)
    assert ":38: discussion[1]: contains `: `" in problem
    assert 'put the whole text in quotes: "What did Taylor gain? Answer: goodwill"' in problem


def test_a_missing_dash_before_an_event_is_one_problem_that_says_so(project):
    project.write("case.yaml", case_with(("  - when: next day", "    when: next day")))
    problem = only_problem(project)
    assert ":24: timeline[3]: the `- ` that starts this event is missing" in problem
    assert "given twice" not in problem


def test_one_field_given_twice_in_an_event_is_still_given_twice(project):
    project.write("case.yaml", case_with(("    who: twc\n    what: Replies publicly.",
                                          "    who: twc\n    who: stewart\n    what: Replies publicly.")))
    assert ":23: timeline[2].who: is given twice (first on line 22" in only_problem(project)


def test_a_file_name_that_is_no_slug_gets_a_name_to_use_and_its_contents_checked(project):
    project.write("when_order.yaml", case_with(("outcome: negative", "outcome: awful")))
    found = problems(project)
    assert len(found) == 2, found
    name, content = found
    assert name.endswith("when_order.yaml:1: (file): `when_order.yaml` cannot be a case's name: "
                         "the name is the page's address, so it may hold only lowercase letters "
                         "a-z, digits and hyphens, and ends in `.yaml` (rename it to "
                         "`when-order.yaml`)")
    assert "when_order.yaml:7: outcome: `awful` is not allowed" in content


def test_a_misnamed_file_with_good_contents_is_still_not_published(project):
    project.write("when_order.yaml", CASE_YAML)
    assert "rename it to `when-order.yaml`" in only_problem(project, "when_order.yaml")


# Names ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("Domino's prank video", "dominos-prank-video"),
    ("Domino\u2019s prank video", "dominos-prank-video"),
    ("McDonald\u02bcs #McDStories", "mcdonalds-mcdstories"),
    ("Picard waits for cable", "picard-waits-for-cable"),
    ("Café Noir: über-fast", "cafe-noir-uber-fast"),
])
def test_slugs_drop_apostrophes(title, slug):
    assert slugify(title) == slug


def test_new_names_a_file_without_the_apostrophe(project, capsys):
    from harness import run_cli
    code, out, _ = run_cli(["new", "Domino\u2019s prank video", *project.args()], capsys)
    assert code == 0
    assert (project.cases / "dominos-prank-video.yaml").is_file(), out


# Template text ----------------------------------------------------------------------------------

def test_a_case_left_as_new_wrote_it_cannot_be_published(project, capsys):
    from harness import run_cli
    assert run_cli(["new", "Domino's prank video", *project.args()], capsys)[0] == 0
    case = project.cases / "dominos-prank-video.yaml"
    case.write_text(case.read_text().replace("draft: true", "draft: false")
                    .replace("# author: ", "author: "), encoding="utf-8")

    code, _, stderr = run_cli(["check", *project.args()], capsys)

    assert code == 1
    flagged = [line.split(": ")[1] for line in stderr.splitlines()
               if "is text from the template that `new` writes" in line]
    assert flagged == ["organization", "summary", "people.customer.name", "people.brand.name",
                       "timeline[1].what", "timeline[2].what", "takeaways[1].lesson",
                       "sources[1].title", "sources[1].author"], stderr
    assert "dominos-prank-video.yaml:6: organization: `Name of the organization` is text from " \
           "the template" in stderr


def test_template_text_is_only_new_s_own_placeholders_as_whole_values(project):
    project.write("case.yaml", case_with(
        ("name: Patrick Stewart", "name: The customer"),        # a case's own words
        ("organization: Time Warner Cable", "organization: Name of the organization's parent"),
        ("what: Replies publicly.", "what: Replies with the Name of the customer field.")))
    assert load(project).cases[0].people["stewart"].name == "The customer"


def test_every_placeholder_new_writes_is_one_the_check_knows():
    from casebook.authoring.new import TEMPLATE
    from casebook.reading.template_text import PLACEHOLDERS
    for placeholder in PLACEHOLDERS:
        assert TEMPLATE.count("{") and placeholder not in TEMPLATE  # written through the names
    filled = TEMPLATE.format_map(_Everything())
    assert "Name of" not in filled and "What the customer" not in filled


class _Everything(dict):
    def __missing__(self, key):
        return "X"


# Notes: worth a look, never a problem ----------------------------------------------------------

def _two_cases(project, first=(), second=()):
    project.write("a.yaml", case_with(*first))
    project.write("b.yaml", case_with(("title: Picard waits for cable", "title: Another case"),
                                      *second))


def _notes(stderr: str) -> list[str]:
    return [line.split("/cases/", 1)[-1] for line in stderr.splitlines() if ": note: " in line]


def test_check_notes_a_channel_spelled_two_ways_and_still_exits_0(project, capsys):
    from harness import run_cli
    _two_cases(project, second=[("channels: [Twitter]", "channels: [twitter]"),
                                ("    channel: Twitter", "    channel: twitter")])
    code, stdout, stderr = run_cli(["check", *project.args()], capsys)
    assert code == 0
    assert _notes(stderr) == [
        "b.yaml:6: channels: note: the channel `twitter` is written `Twitter` in 1 other case; "
        "the site lists each spelling as a channel of its own (write it the same way in every "
        "case)"]
    assert stdout.strip() == ("2 cases checked (0 drafts), 0 courses, no problems; "
                              "1 note (not problems: the build goes ahead)")


def test_tags_differing_in_hyphens_or_capitals_and_spaces_in_channels_are_noted(project, capsys):
    from harness import run_cli
    _two_cases(project, first=[("channels: [Twitter]", "channels: [Twitter, In person]")],
               second=[("tags: [celebrity, public-reply]", "tags: [celebrity, publicreply]"),
                       ("channels: [Twitter]", "channels: [Twitter, In  Person]")])
    code, _, stderr = run_cli(["check", *project.args()], capsys)
    assert code == 0
    notes = _notes(stderr)
    assert len(notes) == 2, notes
    assert "b.yaml:6: channels: note: the channel `In  Person` is written `In person`" in notes[0]
    assert "b.yaml:8: tags: note: the tag `publicreply` is written `public-reply`" in notes[1]


def test_markdown_markers_in_a_plain_text_field_get_a_note(project, capsys):
    from harness import run_cli
    project.write("a.yaml", case_with(
        ("title: Picard waits for cable", "title: Picard waits *forever*"),
        ("  - Tell response time from resolution time",
         "  - Read [the article](https://example.org) first"),
        ("  One to three paragraphs.", "  One *to* three **paragraphs**.")))   # Markdown: fine
    code, _, stderr = run_cli(["check", *project.args()], capsys)
    assert code == 0
    assert _notes(stderr) == [
        "a.yaml:1: title: note: `*forever*` will show as written, with its markers: this field "
        "is plain text, not Markdown (write the words without them)",
        "a.yaml:36: objectives[1]: note: `[the article](https://example.org)` will show as "
        "written, with its markers: this field is plain text, not Markdown (write the words "
        "without them)"]


def test_a_literal_field_holds_markers_without_a_note():
    from casebook.reading.fields import Check, Text
    from casebook.reading.problems import Problems
    from casebook.reading.yamltree import Scalar
    for kind, expected in ((Text(), 1), (Text(literal=True), 0)):
        problems = Problems("case.yaml")
        assert kind.check(Scalar("*shrug* OK", 3, True), "quote", Check(problems)) == "*shrug* OK"
        assert len(problems.notes) == expected and not problems.found


@pytest.mark.parametrize("text", ["5 * 3 * 2", "rated 5*", "a*b*c", "** lone", "Q&A (live)"])
def test_text_that_only_looks_like_markup_gets_no_note(text):
    from casebook.reading.fields import markdown_marker
    assert markdown_marker(text) is None


def test_build_prints_the_notes_too_also_from_the_cache(project, capsys):
    from harness import run_cli
    _two_cases(project, second=[("channels: [Twitter]", "channels: [twitter]"),
                                ("    channel: Twitter", "    channel: twitter")])
    for _ in range(2):   # the second build takes both cases from the cache
        code, stdout, stderr = run_cli(["--only", "site", *project.args()], capsys)
        assert code == 0
        assert len(_notes(stderr)) == 1, stderr
        assert stderr.strip().endswith("1 note (not problems: the build goes ahead)")
    assert (project.out / "site" / "index.html").is_file()


# Channels read as words ------------------------------------------------------------------------

@pytest.mark.parametrize("channel, phrase", [
    ("Twitter", "on Twitter"), ("In person", "in person"), ("in  Person", "in person"),
    ("Phone", "by phone"), ("Email", "by email"), ("Chat", "in chat"), ("Blog", "on a blog"),
    ("News media", "in the news media"), ("Facebook Messenger", "on Facebook Messenger"),
])
def test_a_channel_is_handed_to_pages_as_a_phrase(channel, phrase):
    from casebook.model.case import channel_phrase
    assert channel_phrase(channel) == phrase


def test_the_timeline_says_in_person_not_on_in_person(project, capsys):
    from harness import run_cli
    project.write("a.yaml", case_with(("channels: [Twitter]", "channels: [Twitter, In person]"),
                                      ("    who: twc\n    what: Replies publicly.",
                                       "    who: twc\n    channel: In person\n    what: Meets him.")))
    assert run_cli(["--only", "site", *project.args()], capsys)[0] == 0
    page = (project.out / "site" / "cases" / "a.html").read_text(encoding="utf-8")
    assert '<span class="channel">in person</span>' in page
    assert '<span class="channel">on Twitter</span>' in page
    assert "on In person" not in page
    listing = (project.out / "site" / "channels" / "in-person.html").read_text(encoding="utf-8")
    assert "Cases in person" in listing


# Reading: cards and dates ---------------------------------------------------------------------

@pytest.mark.parametrize("written, shown", [
    ("2009", "2009"), ("2009-04", "April 2009"), ("2014-02-18", "18 February 2014"), (None, None)])
def test_dates_are_written_for_people(written, shown):
    from casebook.model.case import date_for_people
    assert date_for_people(written) == shown


@pytest.mark.parametrize("summary, lead", [
    ("Patrick Stewart tweets. Then TWC replies.", "Patrick Stewart tweets."),
    ("U.S. Airways lost it. Mr. Smith was cross.", "U.S. Airways lost it."),
    ("He wrote \u201cNever again!\u201d Then he left.", "He wrote \u201cNever again!\u201d"),
    ("Prices rose 2.5 percent in a day. Next.", "Prices rose 2.5 percent in a day."),
    ("One sentence without a full stop", "One sentence without a full stop"),
])
def test_a_card_s_lead_is_the_summary_s_first_sentence(summary, lead):
    from casebook.model.case import first_sentence
    assert first_sentence(summary) == lead


def test_the_model_hands_cards_the_lead_and_pages_no_date_unknown(project, capsys):
    from harness import run_cli
    project.write("a.yaml", case_with(("date: 2014-02\n", ""),
                                      ("  One to three paragraphs.",
                                       "  Stewart *waits* for cable. The company answers fast.")))
    assert load(project).cases[0].summarize().lead == "Stewart waits for cable."
    assert run_cli(["--only", "site", *project.args()], capsys)[0] == 0
    index = (project.out / "site" / "index.html").read_text(encoding="utf-8")
    page = (project.out / "site" / "cases" / "a.html").read_text(encoding="utf-8")
    assert '<p class="card-lead">Stewart waits for cable.</p>' in index
    assert "date unknown" not in index + page and 'class="date"' not in index + page


def test_the_time_model_s_hint_goes_through_the_same_note_channel(project, capsys):
    from harness import run_cli
    project.write("c.yaml", case_with(("  - when: within 2 minutes", "  - when: 2005-06"),
                                      ("  - when: next day", "  - when: 2005-06-21")))
    code, _, stderr = run_cli(["check", *project.args()], capsys)
    assert code == 0
    (note,) = _notes(stderr)
    assert note.startswith("c.yaml:17: timeline[1].when: note: the start is not dated")
