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
