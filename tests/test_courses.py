"""Courses (courses/<slug>.yaml): the agenda's clock times and lengths, the chosen questions,
each problem at FILE:LINE, `new --course`, and the course pages of the site."""
from __future__ import annotations

import textwrap

import pytest

from casebook.build.project import load_project
from casebook.model.course import ACTIVITY, BREAK, CASE
from casebook.reading.load import shown
from casebook.reading.problems import InvalidInput
from conftest import CASE_YAML, ROOT
from harness import problem_lines, run_cli

# CASE_YAML has one discussion question; this one has three.
THREE_QUESTIONS = CASE_YAML.replace(
    "discussion:\n  - What should the second reply have said?\n",
    "discussion:\n  - First question?\n  - Second question?\n  - Third question?\n")

COURSE = """\
title: Answering in public
audience: New agents
date: 2026-12-03
starts: "09:00"
presenter: Support Academy
objectives: [Tell a fast reply from a useful one]
agenda:
  - case: picard
    minutes: 30
    questions: [1, 3]
    notes: Facilitator only.
  - activity: Rewrite the reply in pairs
    minutes: 20
    detail: In pairs.
  - break: Coffee
    minutes: 15
  - case: picard
    minutes: 35
"""


def write_course(project, name: str, text: str):
    folder = project.root / "courses"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def book(project):
    project.write("picard.yaml", THREE_QUESTIONS)
    return project


def test_the_agenda_has_clock_times_durations_and_a_total(book):
    write_course(book, "workshop.yaml", COURSE)
    course = load_project(book.root, book.cases).courses[0]
    assert course.slug == "workshop"
    assert [(i.kind, i.start, i.end, i.duration) for i in course.items] == [
        (CASE, "09:00", "09:30", "30 min"), (ACTIVITY, "09:30", "09:50", "20 min"),
        (BREAK, "09:50", "10:05", "15 min"), (CASE, "10:05", "10:40", "35 min")]
    assert (course.starts, course.ends, course.minutes, course.length) == ("09:00", "10:40", 100,
                                                                           "1 h 40 min")
    assert course.date_text == "3 December 2026"
    assert course.answer_lines == 4


def test_without_a_start_time_there_are_no_clock_times(book):
    write_course(book, "workshop.yaml", COURSE.replace('starts: "09:00"\n', ""))
    course = load_project(book.root, book.cases).courses[0]
    assert {(item.start, item.end) for item in course.items} == {(None, None)}
    assert course.ends is None and course.length == "1 h 40 min"


def test_clock_times_go_round_midnight_and_accept_one_digit_hours(book):
    write_course(book, "late.yaml", COURSE.replace('"09:00"', "9:00").replace("minutes: 35", "minutes: 480"))
    course = load_project(book.root, book.cases).courses[0]
    assert course.starts == "09:00" and course.ends == "18:05"
    write_course(book, "late.yaml", COURSE.replace('"09:00"', '"23:30"'))
    assert load_project(book.root, book.cases).courses[0].ends == "01:10"


def test_chosen_questions_keep_their_numbers_and_default_to_all(book):
    write_course(book, "workshop.yaml", COURSE.replace("minutes: 35", "minutes: 35\n    questions: []"))
    first, _, _, second = load_project(book.root, book.cases).courses[0].items
    assert [(q.number, q.text) for q in first.questions] == [(1, "First question?"),
                                                             (3, "Third question?")]
    assert not first.all_questions and first.questions_text == "questions 1, 3"
    assert second.questions == () and second.questions_text == "no questions"
    write_course(book, "workshop.yaml", COURSE)
    second = load_project(book.root, book.cases).courses[0].items[3]
    assert second.all_questions and [q.number for q in second.questions] == [1, 2, 3]
    assert second.case.slug == "picard" and second.case.title == "Picard waits for cable"


def test_files_starting_with_an_underscore_are_not_courses(book):
    write_course(book, "_draft.yaml", "title: [not even valid\n")
    assert load_project(book.root, book.cases).courses == []


def problems_of(project, course_text: str, capsys, name="workshop.yaml"):
    path = write_course(project, name, course_text)
    code, out, err = run_cli(project.args("check"), capsys)
    assert code == 1, out
    assert "Traceback" not in err
    return problem_lines(err, shown(path))


def test_an_unknown_case_is_reported_at_its_line_with_a_suggestion(book, capsys):
    found = problems_of(book, COURSE.replace("case: picard\n    minutes: 30", "case: picardd\n    minutes: 30"), capsys)
    assert found == [(8, "agenda[1].case", "`picardd` is not a published case (expected the "
                      "name of a published case: its file name in cases/ without .yaml; did "
                      "you mean `picard`?)")]


def test_a_draft_case_is_reported_at_its_line(book, capsys):
    book.write("draft-one.yaml", THREE_QUESTIONS.replace("draft: false", "draft: true"))
    found = problems_of(book, COURSE.replace("  - case: picard\n    minutes: 35", "  - case: draft-one\n    minutes: 35"), capsys)
    assert [(line, path) for line, path, _ in found] == [(17, "agenda[4].case")]
    assert "`draft-one` is a draft case" in found[0][2]


def test_a_question_number_the_case_lacks_is_reported_at_its_line(book, capsys):
    found = problems_of(book, COURSE.replace("questions: [1, 3]", "questions:\n      - 1\n      - 4"), capsys)
    assert found == [(12, "agenda[1].questions[2]",
                      "the case `picard` has no question 4 (it has 3 (1 to 3))")]


def test_a_missing_minutes_is_reported_at_its_item(book, capsys):
    found = problems_of(book, COURSE.replace("  - break: Coffee\n    minutes: 15\n", "  - break: Coffee\n"), capsys)
    assert found == [(15, "agenda[3].minutes", "is missing (required: a whole number from 1 to "
                      "480 (minutes))")]


def test_an_agenda_with_no_case_is_reported(book, capsys):
    found = problems_of(book, "title: Breaks only\nagenda:\n  - break: Coffee\n    minutes: 15\n", capsys)
    assert found == [(3, "agenda", "has no case (expected at least one item with `case:`, "
                      "the name of a published case)")]


@pytest.mark.parametrize("change, expected", [
    (('"09:00"', '"25:00"'), (4, "starts", "`25:00` is not a time of day")),
    (("minutes: 30", "minutes: half an hour"), (9, "agenda[1].minutes", "`half an hour` is not a whole number")),
    (("minutes: 30", "minutes: 0"), (9, "agenda[1].minutes", "0 is out of range")),
    (("presenter: Support Academy", "answer_lines: 21"), (5, "answer_lines", "21 is out of range (expected a whole number from 0 to 20")),
    (("  - break: Coffee", "  - break: Coffee\n    activity: Both"), (15, "agenda[3]", "has more than one of `activity`, `break`")),
    (("  - break: Coffee", "  - lunch: Coffee"), (15, "agenda[3]", "has none of `case`, `activity`, `break`")),
    (("questions: [1, 3]", "questions: [1, 1]"), (10, "agenda[1].questions[2]", "`1` is listed twice")),
])
def test_other_mistakes_are_reported_at_their_line(book, capsys, change, expected):
    found = problems_of(book, COURSE.replace(*change), capsys)
    assert len(found) == 1 and found[0][:2] == expected[:2] and expected[2] in found[0][2], found


def test_a_course_naming_a_broken_case_is_not_blamed_for_it(book, capsys):
    case = book.write("picard.yaml", THREE_QUESTIONS.replace("outcome: negative", "outcome: awful"))
    path = write_course(book, "workshop.yaml", COURSE)
    code, _, err = run_cli(book.args("check"), capsys)
    assert code == 1
    assert problem_lines(err, shown(path)) == []
    assert [line for line, _, _ in problem_lines(err, shown(case))] == [7]


def test_a_course_named_index_is_refused(book, capsys):
    found = problems_of(book, COURSE, capsys, name="index.yaml")
    assert found == [(1, "(file)", "the name `index` is taken by the page that lists every "
                      "course (rename the file)")]


def test_courses_are_checked_with_the_cases_in_one_run(book, capsys):
    case = book.write("bad.yaml", THREE_QUESTIONS.replace("outcome: negative", "outcome: awful"))
    path = write_course(book, "workshop.yaml", COURSE.replace("minutes: 30", "minutes: x"))
    code, _, err = run_cli(book.args("check"), capsys)
    assert code == 1
    assert problem_lines(err, shown(case)) and problem_lines(err, shown(path))


def test_check_counts_the_courses(book, capsys):
    write_course(book, "workshop.yaml", COURSE)
    code, out, _ = run_cli(book.args("check"), capsys)
    assert code == 0 and "1 course, no problems" in out


def test_new_course_writes_a_template_that_passes_check(book, capsys):
    code, out, err = run_cli(book.args("new", "--course", "A half-day workshop"), capsys)
    assert code == 0, err
    path = book.root / "courses" / "a-half-day-workshop.yaml"
    assert "case: picard" in path.read_text(encoding="utf-8")
    code, out, err = run_cli(book.args("check"), capsys)
    assert code == 0, err
    assert "1 course, no problems" in out
    course = load_project(book.root, book.cases).courses[0]
    assert course.title == "A half-day workshop" and course.length == "1 h"
    # Again: the file exists, so nothing is written.
    before = path.read_bytes()
    code, _, err = run_cli(book.args("new", "--course", "A half-day workshop"), capsys)
    assert code == 1 and "already exists" in err and path.read_bytes() == before


def test_new_course_needs_a_published_case(project, capsys):
    project.write("draft-one.yaml", CASE_YAML.replace("draft: false", "draft: true"))
    code, _, err = run_cli(project.args("new", "--course", "Nothing to teach"), capsys)
    assert code == 1 and "there is none yet" in err
    assert not (project.root / "courses").exists()


def test_course_goes_only_with_new(book, capsys):
    code, _, err = run_cli(book.args("check", "--course", "Title"), capsys)
    assert code == 2 and "--course goes with new" in err


def test_the_shipped_course_passes_check_and_uses_published_cases():
    project = load_project(ROOT)
    assert project.courses, "a sample course ships in courses/"
    for course in project.courses:
        kinds = {item.kind for item in course.items}
        assert kinds == {CASE, ACTIVITY, BREAK}
        assert course.starts and course.length


# --- the site ------------------------------------------------------------------------------

NOTES = "Facilitator only."


def test_the_course_pages_show_the_agenda_and_never_the_notes(book, capsys):
    write_course(book, "workshop.yaml", COURSE.replace("detail: In pairs.", "detail: In pairs.\n    notes: Also secret."))
    code, _, err = run_cli(book.args("--only", "site"), capsys)
    assert code == 0, err
    site = book.out / "site"
    page = (site / "courses" / "workshop.html").read_text(encoding="utf-8")
    for text in ("Answering in public", "3 December 2026", "09:00–10:40", "1 h 40 min",
                 "New agents", "Support Academy", "Tell a fast reply from a useful one",
                 '<td class="agenda-time">10:05</td>', "questions 1, 3", "questions 1, 2, 3",
                 "Rewrite the reply in pairs", "In pairs.", "Coffee"):
        assert text in page, text
    assert page.count('href="../cases/picard.html"') == 2
    assert "pdf/courses/workshop.pdf" not in page    # no PDFs were built: no link to one
    listing = (site / "courses" / "index.html").read_text(encoding="utf-8")
    assert 'href="workshop.html"' in listing and "1 h 40 min" in listing
    assert 'href="courses/index.html"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../courses/index.html"' in (site / "cases" / "picard.html").read_text(encoding="utf-8")
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert NOTES not in text and "Also secret." not in text, path


def test_without_courses_the_listing_says_there_are_none(book, capsys):
    code, _, err = run_cli(book.args("--only", "site"), capsys)
    assert code == 0, err
    assert "no courses yet" in (book.out / "site" / "courses" / "index.html").read_text(encoding="utf-8")
    assert "courses built from these cases" not in (book.out / "site" / "index.html").read_text(encoding="utf-8")


def test_only_site_keeps_a_course_pack_while_its_cases_stay_published(book, capsys):
    from casebook.build.publish import MARKER
    write_course(book, "workshop.yaml", COURSE)
    pack = book.out / "site" / "pdf" / "courses" / "workshop.pdf"
    pack.parent.mkdir(parents=True)
    pack.write_bytes(b"%PDF-1.7 (left by a build)")
    (book.out / MARKER).write_text("", encoding="utf-8")
    code, _, err = run_cli(book.args("--only", "site"), capsys)
    assert code == 0, err
    assert pack.read_bytes() == b"%PDF-1.7 (left by a build)"
    page = (book.out / "site" / "courses" / "workshop.html").read_text(encoding="utf-8")
    assert 'href="../pdf/courses/workshop.pdf"' in page
    # Its case becomes a draft: the course is now invalid, so nothing is published.
    book.write("picard.yaml", THREE_QUESTIONS.replace("draft: false", "draft: true"))
    code, _, err = run_cli(book.args("--only", "site"), capsys)
    assert code == 1 and pack.is_file()
    # Without the course, its pack goes.
    (book.root / "courses" / "workshop.yaml").unlink()
    book.write("picard.yaml", THREE_QUESTIONS)
    code, _, err = run_cli(book.args("--only", "site"), capsys)
    assert code == 0, err
    assert not pack.exists()


@pytest.mark.parametrize("field, start", [("description", "description: Then *boom*."),
                                          ("agenda[2].detail", "    detail: In *boom* pairs."),
                                          ("agenda[1].notes", "    notes: Facilitator *boom*.")])
def test_any_failure_rendering_a_course_field_is_a_problem_at_its_line(field, start, book, capsys,
                                                                        markdown_fails_on_boom):
    text = COURSE.replace("presenter: Support Academy\n",
                          "presenter: Support Academy\ndescription: Then *boom*.\n"
                          if field == "description" else "presenter: Support Academy\n")
    text = text.replace("    detail: In pairs.", start if field.endswith("detail") else "    detail: In pairs.")
    text = text.replace("    notes: Facilitator only.", start if field.endswith("notes") else "    notes: Facilitator only.")
    found = problems_of(book, text, capsys)
    line = text.splitlines().index(start) + 1
    assert found == [(line, field, "cannot be rendered as Markdown (RecursionError: simplify its markup)")]
