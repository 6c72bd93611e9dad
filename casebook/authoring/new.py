"""`build.py new "Title"`: a commented case file that passes `check` as written."""
from __future__ import annotations

import json
import os
from pathlib import Path

from casebook.model.case import HANDBOOK_SLUG, Site
from casebook.model.names import slugify
from casebook.reading.fields import CONTROL
from casebook.reading.yamltree import NOT_TEXT

# The words `new` writes where the author has something to write: defined with the check that
# flags them in a case that is not a draft. `import` writes the same ones.
from casebook.reading.template_text import (ANSWER, AUTHOR, CUSTOMER, DETAIL, FACILITATOR_NOTES,
                                            FIRST_EVENT, LESSON, OBJECTIVE, ORGANIZATION,
                                            PUBLISHER, QUESTION, SOURCE_TITLE, SUMMARY, URL)

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new case. It is a draft: `build.py check` checks it, the site leaves it out until you
# set `draft: false`. Field by field: README.md, "Writing a case". Lines starting with # are
# comments; remove the ones you don't need.
title: {title}
organization: {organization}    # the brand the case is about
# industry: Airline                       # optional
# date: 2014-02                           # optional: YYYY, YYYY-MM or YYYY-MM-DD, only if the source gives it
# location: Brooklyn, New York            # optional
channels: [Twitter]                       # every channel the events use
outcome: unknown                          # positive | negative | mixed | unresolved | unknown
tags: []                                  # lowercase-hyphenated, such as public-reply
draft: true
summary: |
  {summary}
people:                                   # everyone who acts in the timeline: a short name each
  customer: {{name: {customer}, side: customer}}   # side: customer | company | public
  brand: {{name: {organization}, side: company}}
timeline:                                 # in order; `when` is the time since the previous event
  - when: start
    who: customer
    channel: Twitter
    what: {first_event}
  - when: later                           # e.g. within 2 minutes, next day, about 3 hours later, days later
    who: brand
    what: {answer}
takeaways:
  - lesson: {lesson}
    theme: {theme}                         # one of the themes in site.yaml: {themes}
    # detail: {detail}
# objectives:
#   - {objective}
# discussion:
#   - {question}
# facilitator_notes: |
#   {facilitator_notes}
sources:
  - title: {source_title}           # required; untitled: "[Untitled blog post]"
    # author: {author}
    # publisher: {publisher}
    # date: 2014-02-18
    # url: {url}
    # note: Republished with the author's permission
"""


class NewCaseError(Exception):
    pass


def new_case(title: str, cases_dir: Path, site: Site, schema_file: Path) -> Path:
    title, path = case_path(title, cases_dir)
    text = TEMPLATE.format(schema=schema_reference(schema_file, cases_dir),
                           title=json.dumps(title, ensure_ascii=False),
                           organization=ORGANIZATION, summary=SUMMARY, lesson=LESSON,
                           customer=CUSTOMER, first_event=FIRST_EVENT, answer=ANSWER,
                           detail=DETAIL, objective=OBJECTIVE, question=QUESTION,
                           facilitator_notes=FACILITATOR_NOTES, source_title=SOURCE_TITLE,
                           author=AUTHOR, publisher=PUBLISHER, url=URL,
                           theme=next(iter(site.themes)), themes=", ".join(site.themes))
    write_new_case(path, text)
    return path


def title_and_slug(title: str, kind: str) -> tuple[str, str]:
    """The title on one line and the slug made from it; NewCaseError when a `kind` ("case",
    "course") of that title could not be written or would not pass `check`."""
    title = " ".join(title.split())
    if not title:
        raise NewCaseError(f"the title is empty (write the {kind}'s title in quotes)")
    if len(title) > 120:
        raise NewCaseError(f"the title is {len(title)} characters long (at most 120)")
    odd = CONTROL.search(title) or NOT_TEXT.search(title)
    if odd:  # the file would keep it, and `check` refuse it
        raise NewCaseError(f"the title holds an invisible character ({ascii(odd.group())[1:-1]}) "
                           f"that a {kind} may not hold (type the title without it)")
    slug = slugify(title)
    if not slug:
        raise NewCaseError("the title has no letters or digits to make a file name from "
                           "(add some Latin letters or digits)")
    return title, slug


def free_path(folder: Path, slug: str) -> Path:
    """folder/<slug>.yaml, which must not exist in any spelling (Slug.yaml, slug.yml would
    collide with it)."""
    taken = [p for p in folder.glob("*") if p.name.lower() in (f"{slug}.yaml", f"{slug}.yml")]
    if taken:
        raise NewCaseError(f"{taken[0]} already exists (it was left untouched; "
                           "choose another title)")
    return folder / f"{slug}.yaml"


def case_path(title: str, cases_dir: Path) -> tuple[str, Path]:
    """The title on one line and the file a case of that title goes to, which must not exist."""
    title, slug = title_and_slug(title, "case")
    path = free_path(cases_dir, slug)
    if slug == HANDBOOK_SLUG:
        raise NewCaseError(f"the name `{slug}` is taken by the PDF handbook (choose another title)")
    return title, path


def schema_reference(schema_file: Path, cases_dir: Path) -> str:
    """The case schema as the `# yaml-language-server: $schema=` line of a case names it."""
    return Path(os.path.relpath(schema_file, cases_dir.resolve())).as_posix()


def write_new_case(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
            file.write(text)
    except FileExistsError:
        raise NewCaseError(f"{path} already exists (it was left untouched; "
                           "choose another title)") from None


COURSE_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new course: a training session built from published cases. `build.py check` checks it;
# the build makes its page, its participant pack and its facilitator guide. Field by field:
# README.md, "Courses". Lines starting with # are comments; remove the ones you don't need.
title: {title}
# audience: New social-care agents        # optional: who it is for
# date: 2026-12-03                        # optional: YYYY, YYYY-MM or YYYY-MM-DD
starts: "09:00"                           # optional: the clock time of the first item (HH:MM)
# presenter: Support Academy              # optional
# description: |                          # optional, Markdown
#   What the session is for.
# objectives:                             # optional: what a participant should take away
#   - Tell a fast reply from a useful one
answer_lines: 4                           # ruled lines under each question in the pack (0 to 20)
agenda:                                   # in order; every item needs its minutes
  - case: {case}   # a published case: its file name in cases/ without .yaml{others}
    minutes: 30
    # questions: [1, 2]                   # which of its discussion questions, from 1 (default all)
    # notes: |                            # for the facilitator guide only (Markdown)
    #   Points to draw out.
  - activity: Discuss the case in pairs
    minutes: 15
    # detail: What participants do (Markdown, printed in the pack).
  - break: Coffee
    minutes: 15
"""


def new_course(title: str, courses_dir: Path, case_slugs: list[str], schema_file: Path) -> Path:
    """Write courses/<slug>.yaml from COURSE_TEMPLATE with the first of the published
    `case_slugs` in its agenda; NewCaseError says why not (and nothing is written)."""
    title, slug = title_and_slug(title, "course")
    if slug == "index":
        raise NewCaseError("the name `index` is taken by the page that lists every course "
                           "(choose another title)")
    if not case_slugs:
        raise NewCaseError("a course is built from published cases, and there is none yet "
                           "(publish a case first: set `draft: false` in it)")
    path = free_path(courses_dir, slug)
    others = case_slugs[1:4]
    text = COURSE_TEMPLATE.format(
        schema=schema_reference(schema_file, courses_dir), title=json.dumps(title, ensure_ascii=False), case=case_slugs[0],
        others=("; others: " + ", ".join(others)) if others else "")
    write_new_case(path, text)
    return path


# `init DIR`: what a new casebook starts with (casebook/authoring/starter/): its settings, one
# published example case (a shipped case, with its source) and a .gitignore for output/.
STARTER = Path(__file__).resolve().parent / "starter"
STARTER_FILES = ("site.yaml", "cases/twc-patrick-stewart-cable-wait.yaml")
GITIGNORE = "# what `casebook build` writes: publish output/site only, never the rest\n/output/\n"


def start_casebook(folder: Path) -> list[Path]:
    """Write a new casebook into `folder` (new, or empty); the files written. NewCaseError
    when the folder has files already (nothing is written then)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewCaseError(f"{folder} is not an empty folder (it was left untouched; "
                           "choose a new folder)")
    written = []
    for name in STARTER_FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((STARTER / name).read_bytes())
        written.append(target)
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    written.append(folder / ".gitignore")
    return written
