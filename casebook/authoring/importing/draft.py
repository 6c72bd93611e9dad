"""The draft case an import writes: the posts as events in time order, each dated to the second
in UTC with its words quoted; people keyed by handle; placeholders (the same as `new` writes)
where the author has to write the summary and the takeaways."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from casebook.authoring.importing.detect import read_export
from casebook.authoring.importing.posts import Author, ImportFailed, Post, Thread, one_line
from casebook.authoring.new import (LESSON, ORGANIZATION, SUMMARY, case_path, schema_reference,
                                    write_new_case)
from casebook.model.case import Site
from casebook.model.names import slugify
from casebook.reading.formats import MAX_PEOPLE
from casebook.reading.load import Loader, shown
from casebook.reading.template_text import CHANNEL   # a table that names no channel
from casebook.reading.yamltree import MAX_FILE_BYTES as MAX_CASE_BYTES

# An event's `what` until the author rewrites it: neutral, true of any post, and publishable as
# it is (it is not template text: the quote beside it says what was posted).
FIRST_POST = "Starts the thread."
REPLY = "Replies in the thread."
TABLE_POST = "Posts a message."
NO_WORDS = "Posts without text."
LONG_POST = "Posts a long message (the quote is its beginning)."

# The longest `quote` a case may hold (formats.EVENT: a message's words, shown as a post).
QUOTE_CHARS = 2000

TITLE_WORDS, TITLE_CHARS = 8, 60


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    side: str
    handle: str


def import_case(export: Path, cases_dir: Path, site: Site, schema_file: Path,
                title: str | None = None, companies: tuple[str, ...] = ()) -> Path:
    """Write the draft case of `export` into `cases_dir` and return its path. ImportFailed says
    what is wrong with the export, NewCaseError that the case's file exists; either way nothing
    is written."""
    file = shown(export)
    thread = read_export(export, file)
    posts = sorted(thread.posts, key=lambda post: post.time)   # stable: same second, same order
    # One account, one person, whatever name each post carries (the first one's is kept).
    accounts: dict[str, Author] = {}
    posts = [replace(post, author=accounts.setdefault(full_handle(post.author), post.author))
             for post in posts]
    people = _people(posts, companies, file)
    title, path = case_path(title if title is not None else _title(posts, file), cases_dir)
    text = _case_text(thread, posts, people, title, export.name, site,
                      schema_reference(schema_file, cases_dir))
    size = len(text.encode("utf-8"))
    if size > MAX_CASE_BYTES:
        raise ImportFailed(file, None, f"makes a case of {size // 1024} KB (a case file holds at "
                                       f"most {MAX_CASE_BYTES // 1024} KB: import a shorter part "
                                       "of the conversation)")
    _passes_check(path, text, site, file)
    write_new_case(path, text)
    return path


def _passes_check(path: Path, text: str, site: Site, file: str) -> None:
    """The draft is read as `check` reads it before it is written: an export whose contents
    break a rule of the case format (a `what` too long, say) fails here, not after."""
    _, problems = Loader().case(path, site, text.encode("utf-8"))
    if problems:
        found = "; ".join(f"{p.path or '(file)'}: {p.message}" for p in problems[:3])
        more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise ImportFailed(file, None, f"makes a draft that would not pass check ({found}{more})")


# ---- people -------------------------------------------------------------------------------

def person_key(handle: str) -> str:
    """A handle as a key of `people`: lowercased, other characters as hyphens."""
    ascii_handle = unicodedata.normalize("NFKD", handle).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_handle.lower()).strip("-")[:60].strip("-")


def full_handle(author: Author) -> str:
    handle = author.handle.strip().lstrip("@").lower()
    if author.server and "@" not in handle:
        handle = f"{handle}@{author.server.lower()}"
    return handle


def is_company(author: Author, company: str) -> bool:
    """`--company` names the account with or without `@`, with or without its server
    (`@acme@mastodon.social`, `acme`; `acme.bsky.social`, `acme`)."""
    wanted = company.strip().lstrip("@").lower()
    handle = full_handle(author)
    if wanted in (handle, author.handle.strip().lstrip("@").lower()):
        return True
    return not re.search(r"[@.]", wanted) and wanted == re.split(r"[@.]", handle)[0]


def _people(posts: list[Post], companies: tuple[str, ...], file: str) -> dict[Author, Person]:
    authors: list[Author] = []
    for post in posts:
        if post.author not in authors:
            authors.append(post.author)
    if len(authors) > MAX_PEOPLE:
        raise ImportFailed(file, None, f"has {len(authors)} authors (expected at most "
                                       f"{MAX_PEOPLE}, the people a case may have: import a "
                                       "shorter part of the conversation)")
    for company in companies:
        if not any(is_company(author, company) for author in authors):
            known = ", ".join(f"@{full_handle(a)}" for a in authors[:10])
            raise ImportFailed(file, None, f"--company {company}: no author of the conversation "
                                           f"has that handle (the authors: {known})")
    stated = _stated_sides(posts, file)
    company = {author for author in authors
               if stated.get(author, "company" if any(is_company(author, c) for c in companies)
                             else None) == "company"}
    # The customer: the first author who is not the company (a company account may start it).
    customer = next((a for a in authors if a not in company and a not in stated), None)
    people: dict[Author, Person] = {}
    keys: set[str] = set()
    for number, author in enumerate(authors, start=1):
        key = person_key(author.handle) or f"person-{number}"
        base, count = key, 1
        while key in keys:
            count += 1
            key = f"{base}-{count}"
        keys.add(key)
        if author in stated:
            side = stated[author]
        elif author in company:
            side = "company"
        elif author == customer:
            side = "customer"
        else:
            side = "public"
        name = one_line(author.name) or author.handle
        people[author] = Person(key, name if len(name) <= 120 else name[:119] + "…", side,
                                author.handle)
    return people


def _stated_sides(posts: list[Post], file: str) -> dict[Author, str]:
    """The sides a table's `side` column gives; one person, one side."""
    sides: dict[Author, tuple[str, str | int | None]] = {}
    for post in posts:
        if post.side is None:
            continue
        given = sides.setdefault(post.author, (post.side, post.where))
        if given[0] != post.side:
            raise ImportFailed(file, post.where, f"side: `{post.side}` for {post.author.handle}, "
                                                 f"who is `{given[0]}` at {given[1]} (expected "
                                                 "one side for each person)")
    return {author: side for author, (side, _) in sides.items()}


# ---- the case file ------------------------------------------------------------------------

def _title(posts: list[Post], file: str) -> str:
    """The first words of the conversation, past the @mentions a reply starts with."""
    for post in posts:
        words = one_line(post.text or post.what or "").split()
        while words and words[0].startswith("@"):
            words.pop(0)
        if words and slugify(" ".join(words[:TITLE_WORDS])):   # it must name a file too
            title = ""
            for word in words[:TITLE_WORDS]:
                if len(title) + len(word) + 1 > TITLE_CHARS:
                    break
                title = f"{title} {word}".strip()
            title = title or words[0][:TITLE_CHARS]
            return title + ("…" if title != " ".join(words) else "")
    raise ImportFailed(file, None, "has no words in Latin letters or digits to make a title and "
                                   "a file name from (give the title with --title)")


def q(text: str) -> str:
    """A YAML double-quoted string: whatever the text says (`!!python/object`, `: `, `#`, a new
    line), it stays that text."""
    return json.dumps(text, ensure_ascii=False)


def _case_text(thread: Thread, posts: list[Post], people: dict[Author, Person], title: str,
               export_name: str, site: Site, schema: str) -> str:
    ordered = list(dict.fromkeys(people[post.author] for post in posts))
    channels = ([thread.platform] if thread.platform else
                list(dict.fromkeys(post.channel for post in posts if post.channel)))
    company = next((person for person in ordered if person.side == "company"), None)
    first = posts[0]
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# A draft imported from a {thread.format}. The events, times and quotes are the",
        "# export's; times are UTC, to the second. Still to write: the summary, the",
        "# takeaways, the outcome, the organization if it is not right; rewrite each `what`",
        "# to say what the post did, if you like. Then set `draft: false` to publish it.",
        f"title: {q(title)}",
        f"organization: {q(company.name if company else ORGANIZATION)}",
        f"date: {first.time:%Y-%m-%d}",
    ]
    if channels:
        lines.append(f"channels: [{', '.join(q(channel) for channel in channels)}]")
    else:
        lines.append(f"channels: [{q(CHANNEL)}]    # the export names no channel: which was it?")
    lines += [
        "outcome: unknown                          # positive | negative | mixed | unresolved | unknown",
        "draft: true",
        f"summary: {q(SUMMARY)}",
        "people:",
    ]
    for person in ordered:
        lines += [f"  {person.key}:", f"    name: {q(person.name)}", f"    side: {person.side}"]
    lines.append("timeline:")
    for index, post in enumerate(posts):
        person = people[post.author]
        lines += [f"  - when: {q(f'{post.time:%Y-%m-%d %H:%M:%S}')}",
                  f"    who: {q(person.key)}"]
        if post.channel:
            lines.append(f"    channel: {q(post.channel)}")
        lines.append(f"    what: {q(_what(post, index, thread))}")
        if post.text:
            lines.append(f"    quote: {q(_quote(post.text))}")
    lines += [
        "takeaways:",
        f"  - lesson: {q(LESSON)}",
        f"    theme: {q(next(iter(site.themes)))}    # one of the themes in site.yaml: "
        + ", ".join(site.themes),
        "sources:",
        f"  - title: {q(_source_title(thread, posts, people, export_name))}",
        f"    date: {first.time:%Y-%m-%d}",
    ]
    if thread.url:
        lines.append(f"    url: {q(thread.url)}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _what(post: Post, index: int, thread: Thread) -> str:
    if post.what:
        return post.what
    if len(post.text) > QUOTE_CHARS:
        return LONG_POST
    if thread.platform is None:
        return TABLE_POST
    if not post.text:
        return NO_WORDS
    if post.is_reply is None:   # the export does not say: the first post starts the thread
        return FIRST_POST if index == 0 else REPLY
    return REPLY if post.is_reply else FIRST_POST


def _source_title(thread: Thread, posts: list[Post], people: dict[Author, Person],
                  export_name: str) -> str:
    if thread.platform is None:
        return f"[Conversation exported as {one_line(export_name)}]"[:300]
    author = posts[0].author
    handle = author.handle.lstrip("@")
    if author.server and "@" not in handle:
        handle = f"{handle}@{author.server}"
    return f"{thread.platform} thread started by {people[author].name} (@{handle})"[:300]
