"""Hostile input, round two (issue 16): the work a case file can cause is bounded.

Each heavy input is small (a few hundred kilobytes at most) and has a bound on time, memory or
output size that the build broke before the limits existed: 10,000 tags wrote 4.4 GB of pages,
16,000 `[` took 40 s to render, nested list markers crashed with a RecursionError, 2,000
misspelled references printed 26 MB of problems.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from casebook.model.text import MarkdownRenderer, markup_work
from casebook.reading import fields, formats
from casebook.reading.load import shown
from harness import problem_lines, run_cli

ROOT = Path(__file__).resolve().parent.parent


def q(text: str) -> str:
    return json.dumps(text)


def case_text(summary: str = "A summary.", tags=(), events=None, people=None,
              channels=("Twitter",), takeaways=None, title: str = "Hostile case",
              notes: str | None = None, extra: str = "") -> str:
    """A valid case, written as YAML, with the given parts."""
    people = people or {"a": ("Ann", "customer"), "b": ("Brand", "company")}
    events = events or [("start", "a", "Asks."), ("later", "b", "Answers.")]
    takeaways = takeaways or [("Answer", "speed", None)]
    lines = [f"title: {q(title)}", "organization: Org", f"channels: {q(list(channels))}",
             "outcome: mixed", f"tags: {q(list(tags))}", f"summary: {q(summary)}", "people:"]
    lines += [f"  {key}: {{name: {q(name)}, side: {side}}}" for key, (name, side) in people.items()]
    lines.append("timeline:")
    for when, who, what in events:
        lines += [f"  - when: {q(when)}", f"    who: {q(who)}", f"    what: {q(what)}"]
    lines.append("takeaways:")
    for lesson, theme, detail in takeaways:
        lines += [f"  - lesson: {q(lesson)}", f"    theme: {q(theme)}"]
        if detail:
            lines.append(f"    detail: {q(detail)}")
    lines += ["sources:", "  - title: A source"]
    if notes is not None:
        lines.append(f"facilitator_notes: {q(notes)}")
    return "\n".join(lines) + "\n" + extra


def check_one(text: str, tmp_path: Path, capsys, name: str = "hostile"):
    """`check` on one case: (exit code, problems of that file, stderr, seconds)."""
    cases = tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    path = cases / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    # CPU time, not wall time: the tests share the machine with other work.
    started = time.process_time()
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    return code, problem_lines(stderr, shown(path)), stderr, time.process_time() - started


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


# --- 1. counts per case are capped --------------------------------------------------------------

MANY = 5000
OVER_THE_CAP = {
    "tags": (lambda: case_text(tags=[f"t{i}" for i in range(MANY)]), "tags:", formats.MAX_TAGS),
    "channels": (lambda: case_text(channels=[f"C{i}" for i in range(MANY)]), "channels:",
                 formats.MAX_CHANNELS),
    "people": (lambda: case_text(people={f"p{i}": ("P", "customer") for i in range(MANY)}
                                 | {"a": ("Ann", "customer"), "b": ("B", "company")}),
               "people:", formats.MAX_PEOPLE),
    "timeline": (lambda: case_text(events=[("start", "a", "x")] + [("later", "b", "y")] * MANY),
                 "timeline:", formats.MAX_EVENTS),
    "takeaways": (lambda: case_text(takeaways=[("L", "speed", None)] * MANY), "takeaways:",
                  formats.MAX_TAKEAWAYS),
}


@pytest.mark.parametrize("field", sorted(OVER_THE_CAP))
def test_counts_over_the_cap_are_refused_at_their_line(field, tmp_path, capsys):
    make, start, cap = OVER_THE_CAP[field]
    text = make()
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    # A list or mapping written in block style starts on the line after its field's name.
    written = line_of(text, start)
    assert [path for line, path, _ in reported if line in (written, written + 1)] == [field]
    assert any(f"(at most {cap})" in message for _, _, message in reported)
    assert seconds < 5
    assert len(stderr) < 20_000


def test_the_limits_are_stated_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for name in ("MAX_TAGS", "MAX_CHANNELS", "MAX_PEOPLE", "MAX_EVENTS", "MAX_TAKEAWAYS",
                 "MAX_SOURCES", "MAX_EXHIBITS", "MAX_THEMES", "MAX_SUMMARY", "MAX_NOTES",
                 "MAX_MARKDOWN"):
        assert f"{getattr(formats, name):,}" in section, name


# --- 2. Markdown's work is bounded, whatever the pattern -----------------------------------------

# Patterns that made Python-Markdown slow down with the square of their length.
SLOW_PATTERNS = ["[", "**_[", "[a](", "[[", "`[", "[`", "![", "[^", "*[_", "<a", "__a_", "***"]


@pytest.mark.parametrize("pattern", SLOW_PATTERNS)
def test_markdown_that_would_take_long_is_refused_quickly(pattern, tmp_path, capsys):
    summary = (pattern * formats.MAX_SUMMARY)[:formats.MAX_SUMMARY]
    text = case_text(summary=summary)
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert seconds < 3
    assert "Traceback" not in stderr
    if markup_work(summary) > fields.MAX_FIELD_MARKUP_WORK:
        assert code == 1
        assert [(line, path) for line, path, _ in reported] == [(6, "summary")]
        assert "too much Markdown markup" in reported[0][2]


@pytest.mark.parametrize("pattern", SLOW_PATTERNS + ["[a](b)", "*a*", "`a`", "<http://a>"])
def test_markdown_within_the_budget_renders_in_bounded_time(pattern):
    """The most markup one field may hold, in the worst patterns known: each renders in well
    under a second (0.3 s measured), so a file's budget (ten such fields) stays near 3 s."""
    length = 1
    while markup_work((pattern * length)[:length + 1]) <= fields.MAX_FIELD_MARKUP_WORK:
        length += 1
    source = (pattern * length)[:length]
    renderer = MarkdownRenderer()
    started = time.process_time()
    renderer.render(source)
    assert time.process_time() - started < 1.5


def test_a_file_of_many_heavy_fields_is_refused_at_the_field_over_the_budget(tmp_path, capsys):
    heavy = "`[" * 499 + "a"     # just under one field's budget
    events = [("start", "a", heavy)] + [("later", "ab"[i % 2], heavy) for i in range(40)]
    text = case_text(events=events)
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert seconds < 8
    budget = fields.MAX_FILE_MARKUP_WORK // markup_work(heavy)
    first = reported[0]
    assert first[1] == f"timeline[{budget + 1}].what"
    assert "over what can be rendered quickly" in first[2]


def test_long_markdown_fields_are_refused(tmp_path, capsys):
    text = case_text(summary="word " * 3000, events=[("start", "a", "x" * 5000)])
    code, reported, _, _ = check_one(text, tmp_path, capsys)
    assert code == 1
    assert {path: message for _, path, message in reported} == {
        "summary": f"is 14999 characters long (expected at most {formats.MAX_SUMMARY})",
        "timeline[1].what": f"is 5000 characters long (expected at most {formats.MAX_MARKDOWN})",
    }


# --- 3. a failure rendering a field is that field's problem ------------------------------------

@pytest.mark.parametrize("markers", ["- ", "> ", "1. ", "* ", "    - "])
def test_deeply_nested_markdown_is_a_problem_at_its_line(markers, tmp_path, capsys):
    text = case_text(summary="Fine.", events=[("start", "a", "x"),
                                               ("later", "b", markers * (2400 // len(markers)) + "x")])
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert "Traceback" not in stderr and "RecursionError" not in stderr
    assert [(line, path) for line, path, _ in reported] == [
        (line_of(text, "  - when: \"later\"") + 2, "timeline[2].what")]
    assert "levels deep (at most 8)" in reported[0][2]
    assert len(stderr) < 2000


@pytest.mark.parametrize("field, start", [("summary", "summary:"),
                                          ("facilitator_notes", "facilitator_notes:")])
def test_any_failure_rendering_a_field_is_a_problem_at_its_line(field, start, tmp_path, capsys,
                                                                 markdown_fails_on_boom):
    text = case_text(summary="A *boom*." if field == "summary" else "Fine.",
                     notes="Notes *boom*." if field == "facilitator_notes" else None)
    code, reported, stderr, _ = check_one(text, tmp_path, capsys)
    assert code == 1
    assert "Traceback" not in stderr
    assert reported == [(line_of(text, start), field,
                         "cannot be rendered as Markdown (RecursionError: simplify its markup)")]


# --- 7. problem output is bounded --------------------------------------------------------------

def test_many_mistakes_print_a_bounded_report(tmp_path, capsys):
    people = {f"person-{i}": (f"Person {i}", "customer") for i in range(formats.MAX_PEOPLE)}
    events = [("start", "person-0", "x")] + [("later", f"persn-{i}", "x")
                                              for i in range(formats.MAX_EVENTS - 1)]
    text = case_text(people=people, events=events)
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert seconds < 8
    assert len(stderr) < 30_000
    assert len(reported) == 51
    more = formats.MAX_EVENTS - 1 - 50
    assert reported[-1][2] == f"and {more} more problems in this file, not listed (fix the ones above first)"
    assert f"{formats.MAX_EVENTS - 1} problems in 1 file" in stderr
    # Each message lists a few people, not all of them.
    assert re.search(r"person-11 and 88 more", reported[0][2])


def test_suggestions_are_still_made_among_few_choices(tmp_path, capsys):
    text = case_text(events=[("start", "a", "x"), ("later", "bb", "y")])
    _, reported, _, _ = check_one(text, tmp_path, capsys)
    assert reported[0][2].endswith("(expected one of: a, b; did you mean `b`?)")


# --- 6. links and special files are refused, never followed -------------------------------------

def a_casebook(tmp_path: Path) -> Path:
    """A casebook folder with site.yaml and one valid case; its cases folder."""
    cases = tmp_path / "book" / "cases"
    cases.mkdir(parents=True)
    (cases.parent / "site.yaml").write_text((ROOT / "site.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    (cases / "fine.yaml").write_text(case_text(), encoding="utf-8")
    return cases


def test_links_to_cases_and_system_files_are_refused(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text(case_text(title="Published from outside"), encoding="utf-8")
    (cases / "outside.yaml").symlink_to(outside)
    (cases / "passwd.yaml").symlink_to("/etc/passwd")
    out = tmp_path / "out"
    code, _, stderr = run_cli(["--cases", cases, "--out", out, "--only", "site", "--quiet"], capsys)
    assert code == 1
    for name in ("outside", "passwd"):
        assert problem_lines(stderr, shown(cases / f"{name}.yaml")) == [
            (1, "(file)", "is a symbolic link (an input file must be a regular file in the "
                          "casebook: copy the file here instead of linking to it)")]
    assert "root:" not in stderr
    assert not out.exists()


@pytest.mark.parametrize("where", ["cases/stuck.yaml", "site.yaml"])
def test_a_fifo_does_not_hang_check(where, tmp_path, capsys):
    import os

    cases = a_casebook(tmp_path)
    fifo = cases.parent / where
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    started = time.monotonic()
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert time.monotonic() - started < 5
    assert code == 1
    assert problem_lines(stderr, shown(fifo)) == [
        (1, "(file)", "is a FIFO, not a regular file (an input file must be a regular file "
                      "in the casebook)")]


def test_a_linked_site_yaml_or_course_is_refused(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    site = cases.parent / "site.yaml"
    real = tmp_path / "real-site.yaml"
    site.rename(real)
    site.symlink_to(real)
    courses = cases.parent / "courses"
    courses.mkdir()
    (courses / "linked.yaml").symlink_to(real)
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert code == 1
    for path in (site, courses / "linked.yaml"):
        assert [message for _, _, message in problem_lines(stderr, shown(path))] == [
            "is a symbolic link (an input file must be a regular file in the casebook: copy "
            "the file here instead of linking to it)"]


# --- 11. control characters in file names are escaped ----------------------------------------------

def test_control_characters_in_a_file_name_are_escaped(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    (cases / "a\x1b[31mred\x1b]0;title\x07.yaml").write_text(case_text(), encoding="utf-8")
    code, out, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert code == 1
    assert "\x1b" not in stderr + out and "\x07" not in stderr + out
    assert "a\\x1b[31mred\\x1b]0;title\\x07.yaml:1: (file): " in stderr


# --- 12. characters XML cannot carry are refused at their line -------------------------------------

@pytest.mark.parametrize("escape", ["\\uffff", "\\ufffe", "\\U0001FFFF", "\\ufdd0"])
def test_noncharacters_are_refused_at_their_line(escape, tmp_path, capsys):
    text = case_text().replace('title: "Hostile case"', f'title: "Bad {escape} title"')
    code, reported, stderr, _ = check_one(text, tmp_path, capsys)
    assert code == 1
    assert [(line, path) for line, path, _ in reported] == [(1, "title")]
    assert "which is not text" in reported[0][2]


# --- 14. one build at a time in an output folder ----------------------------------------------------

def test_a_second_build_waits_for_the_first(tmp_path, capsys):
    import subprocess
    import sys

    from casebook.build.publish import output_lock

    cases = a_casebook(tmp_path)
    out = tmp_path / "out"
    assert run_cli(["--cases", cases, "--out", out, "--only", "site", "--quiet"], capsys)[0] == 0
    command = [sys.executable, str(ROOT / "build.py"), "--cases", str(cases), "--out", str(out),
               "--only", "site", "--quiet", "--jobs", "1"]
    with output_lock(out):   # as a build holds it
        second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        time.sleep(3)
        assert second.poll() is None                 # waiting, and touching nothing
        assert [p.name for p in out.iterdir() if p.name.startswith(".site-new")] == []
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr
    assert f"another build is writing {shown(out)}; waiting for it to finish" in stderr
    assert "1 cases" in stdout


# --- 15. a full disk, `new` with escapes, theme keys that clash on case-insensitive disks --------

def test_a_full_disk_is_reported_with_its_reason(tmp_path, capsys, monkeypatch):
    import errno

    cases = a_casebook(tmp_path)

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("casebook.build.sitebuild.write", disk_full)
    code, _, stderr = run_cli(["--cases", cases, "--out", tmp_path / "out", "--only", "site",
                               "--quiet", "--jobs", "1"], capsys)
    assert code == 1
    assert "None" not in stderr
    assert ("could not write the output (No space left on device (the disk is full: free some "
            "space and build again))") in stderr


def test_new_refuses_a_title_that_check_would_refuse(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    for title in ("a\x1b[31mred", "odd \uffff title"):
        code, _, stderr = run_cli(["new", title, "--cases", cases], capsys)
        assert code == 1
        assert "\x1b" not in stderr
        assert "invisible character" in stderr
    assert sorted(p.name for p in cases.iterdir()) == ["fine.yaml"]
    code, _, _ = run_cli(["new", "A \u00e9l\u00e8ve's title", "--cases", cases], capsys)
    assert code == 0
    assert run_cli(["check", "--cases", cases], capsys)[0] == 0


def test_theme_keys_that_differ_only_in_capitals_are_refused(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    site = cases.parent / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("themes:\n", "themes:\n  Speed:\n    title: Capital speed\n", 1),
                    encoding="utf-8")
    code, _, stderr = run_cli(["check", "--cases", cases], capsys)
    assert code == 1
    reported = problem_lines(stderr, shown(site))
    assert [(path, message) for _, path, message in reported] == [
        ("themes.speed", "differs from `Speed` only in capitals, and their pages would be one "
                         "file on disks that ignore case (give it another name)")]


# --- 8. the handbook's chapter links are made from the model -------------------------------------

def test_link_like_text_in_a_takeaway_stays_text_in_the_handbook(tmp_path):
    from casebook.build.project import load_project
    from casebook.model.catalog import catalog_of
    from casebook.printing.pdf import PARTICIPANT, front_html, lessons_html
    from casebook.render.templates import environment

    cases = a_casebook(tmp_path)
    lesson = 'See <a href="#case-elsewhere">this</a> and href="#lessons"'
    detail = 'Also href="#case-nowhere" and <a href="#case-fine">here</a>, [a](#case-fine).'
    (cases / "fine.yaml").write_text(case_text(takeaways=[(lesson, "speed", detail)]),
                                     encoding="utf-8")
    project = load_project(ROOT, cases)
    catalog = catalog_of(project.site, project.published)
    pages = {"case-fine": 3, "lessons": 5}
    env = environment(ROOT / "templates")
    front = front_html(env, catalog, PARTICIPANT, pages)
    lessons = lessons_html(env, catalog, PARTICIPANT, pages)
    assert links(front) == [("x-casebook-part:case-fine", "3"), ("x-casebook-part:lessons", "5")]
    assert links(lessons) == [("x-casebook-part:case-fine", "3")]
    assert "&lt;a href=&#34;#case-elsewhere&#34;&gt;this&lt;/a&gt;" in lessons
    assert 'Also href="#case-nowhere" and &lt;a href="#case-fine"&gt;here&lt;/a&gt;' in lessons


def links(html: str) -> list[tuple[str, str | None]]:
    """(href, data-page) of each <a> element."""
    from html.parser import HTMLParser

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "a" and "href" in attrs:
                found.append((attrs["href"], attrs.get("data-page")))

    Links().feed(html)
    return found


# --- found in a fresh round: a long `when` took minutes to parse -----------------------------------

@pytest.mark.parametrize("when", ["1" * 150_000, "about " + "1 " * 70_000 + "minutes later"])
def test_a_long_time_phrase_is_refused_quickly(when, tmp_path, capsys):
    text = case_text(events=[("start", "a", "x"), (when, "b", "y")])
    code, reported, _, seconds = check_one(text, tmp_path, capsys)
    assert seconds < 3
    assert code == 1
    assert [(path, message.split(" (")[0]) for _, path, message in reported] == [
        ("timeline[2].when", f"is {len(when)} characters long")]


# --- 9. what a handout prints is bounded: all the text of a case ------------------------------------

def test_a_case_over_the_text_limit_is_refused_once_at_the_field_that_goes_over(tmp_path, capsys):
    what = "Word " * 200    # 1,000 characters an event
    events = [("start", "a", what)] + [("later", "ab"[i % 2], what) for i in range(250)]
    text = case_text(events=events)
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert seconds < 5
    over = [(path, message) for _, path, message in reported if "over 200,000" in message]
    assert len(over) == 1
    assert over[0][0] == "timeline[199].what"   # 198 events of 999 characters, and the rest


# --- found in a fresh round: names too long for a file name passed `check` and failed the build ----

def test_names_that_would_be_too_long_for_a_file_are_refused_by_check(tmp_path, capsys):
    cases = a_casebook(tmp_path)
    (cases / "fine.yaml").write_text(case_text(tags=["a" * 300]), encoding="utf-8")
    (cases / ("b" * 200 + ".yaml")).write_text(case_text(), encoding="utf-8")
    site = cases.parent / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "themes:\n", "themes:\n  " + "c" * 300 + ":\n    title: Long\n", 1), encoding="utf-8")
    code, _, stderr = run_cli(["check", "--cases", cases], capsys)
    assert code == 1
    assert [(path, message) for _, path, message in problem_lines(stderr, shown(cases / "fine.yaml"))] == [
        ("tags[1]", "is 300 characters long (expected at most 60)")]
    assert [message for _, _, message in problem_lines(stderr, shown(cases / ("b" * 200 + ".yaml")))] == [
        "the file name is 200 characters long before `.yaml` (at most 120: rename it)"]
    assert [message for _, _, message in problem_lines(stderr, shown(site))] == [
        "is 300 characters long (a short name is at most 60)"]


# --- found in a fresh round: a course of 2,000 agenda items built for minutes in 2 GB -------------

def test_a_course_agenda_is_capped(tmp_path, capsys):
    from casebook.reading.courseformat import MAX_AGENDA_ITEMS

    cases = a_casebook(tmp_path)
    courses = cases.parent / "courses"
    courses.mkdir()
    items = "".join("  - case: fine\n    minutes: 1\n" for _ in range(2000))
    (courses / "big.yaml").write_text("title: Big\nagenda:\n" + items, encoding="utf-8")
    started = time.process_time()
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert time.process_time() - started < 5
    assert code == 1
    assert problem_lines(stderr, shown(courses / "big.yaml")) == [
        (3, "agenda", f"has 2000 items (at most {MAX_AGENDA_ITEMS})")]


def test_addresses_are_bounded(tmp_path, capsys):
    """`base_url` is on every page: a long one would make every page long."""
    cases = a_casebook(tmp_path)
    site = cases.parent / "site.yaml"
    site.write_text(re.sub(r"(?m)^base_url:.*$", "base_url: https://example.org/" + "a" * 5000
                           + "/", site.read_text(encoding="utf-8")), encoding="utf-8")
    (cases / "fine.yaml").write_text(case_text().replace(
        "  - title: A source", "  - title: A source\n    url: https://example.org/" + "b" * 5000),
        encoding="utf-8")
    code, _, stderr = run_cli(["check", "--cases", cases], capsys)
    assert code == 1
    assert [(path, message) for _, path, message in problem_lines(stderr, shown(site))] == [
        ("base_url", "is 5021 characters long (expected at most 300)")]
    assert [(path, message) for _, path, message in problem_lines(stderr, shown(cases / "fine.yaml"))] == [
        ("sources[1].url", "is 5020 characters long (expected at most 2000)")]


def test_tens_of_thousands_of_unknown_fields_are_counted_quickly(tmp_path, capsys):
    """Past the problems listed, the rest are only counted: no suggestions are worked out for
    them (60,000 unknown fields took 15 s, most of it in difflib)."""
    text = case_text() + "".join(f"f{i}x: 1\n" for i in range(60_000))
    code, reported, stderr, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert seconds < 8
    assert len(stderr) < 30_000
    assert reported[-1][2].startswith("and 59950 more problems")


def test_a_case_of_too_many_markdown_lines_is_refused_once(tmp_path, capsys):
    """Each line may be a block the PDF lays out on its own: 60,000 one-word paragraphs took
    over 5 minutes and 1.9 GB to print."""
    events = [("start", "a", "x")] + [("later", "ab"[i % 2], "p\n\n" * 200) for i in range(60)]
    text = case_text(events=events)
    code, reported, _, seconds = check_one(text, tmp_path, capsys)
    assert code == 1
    assert seconds < 5
    over = [(path, message) for _, path, message in reported if "2,000 lines" in message]
    assert [path for path, _ in over] == ["timeline[11].what"]   # 1 + 2 + 200 x 10 lines


def test_a_linked_courses_folder_or_a_fifo_course_is_refused(tmp_path, capsys):
    import os

    cases = a_casebook(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (cases.parent / "courses").symlink_to(elsewhere)
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert code == 1
    assert problem_lines(stderr, shown(cases.parent / "courses")) == [
        (1, "(file)", "is a symbolic link (the courses folder must be a folder in the casebook, "
                      "not a link to one elsewhere)")]
    (cases.parent / "courses").unlink()
    (cases.parent / "courses").mkdir()
    os.mkfifo(cases.parent / "courses" / "stuck.yaml")
    started = time.monotonic()
    code, _, stderr = run_cli(["check", "--cases", cases, "--jobs", "1"], capsys)
    assert time.monotonic() - started < 5
    assert code == 1
    assert "stuck.yaml:1: (file): is a FIFO, not a regular file" in stderr
