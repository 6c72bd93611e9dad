"""A Mastodon thread: a JSON array of statuses as the API returns them (a status's ancestors,
the status and its descendants joined), or the context object with `ancestors` and
`descendants` (GET /api/v1/statuses/:id/context). Status content is HTML; it becomes plain text."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from casebook.authoring.importing.posts import (refuse_too_many, Author, ImportFailed, JsonReader, Post,
                                                Thread, clean_text)


def looks_like(value) -> bool:
    if isinstance(value, dict):
        return "ancestors" in value or "descendants" in value
    return (isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            and "account" in value[0] and "content" in value[0])


def read(value, file: str) -> Thread:
    json = JsonReader(file)
    if isinstance(value, dict):
        statuses = []
        for key in ("ancestors", "descendants"):
            if key not in value:
                raise json.fail(f"$.{key}", "is missing (expected the context's list of statuses)")
            items = json.list(value[key], f"$.{key}")
            statuses += [(f"$.{key}[{index}]", item) for index, item in enumerate(items)]
    else:
        statuses = [(f"$[{index}]", item) for index, item in enumerate(json.list(value, "$"))]
    statuses = _once_each(statuses)
    if not statuses:
        raise ImportFailed(file, "$", "holds no statuses (expected the thread's statuses)")
    refuse_too_many(file, "$", len(statuses), "statuses")
    posts = [_status(item, path, json) for path, item in statuses]
    first = min(zip(posts, statuses), key=lambda pair: pair[0].time)[1][1]
    url = first.get("url") if isinstance(first.get("url"), str) else None
    return Thread(posts, "Mastodon thread", "Mastodon", _web_url(url))


def _once_each(statuses: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A status listed twice (lists joined with overlap) once, where it first appears."""
    seen, kept = set(), []
    for path, item in statuses:
        status_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(status_id, str) and status_id in seen:
            continue
        seen.add(status_id)
        kept.append((path, item))
    return kept


def _status(item, path: str, json: JsonReader) -> Post:
    status = json.object(item, path)
    if isinstance(status.get("reblog"), dict):  # a boost: the boosted status is what was said
        status, path = status["reblog"], f"{path}.reblog"
    account = json.object(status.get("account"), f"{path}.account")
    acct = json.text(account, "acct", f"{path}.account", expected="the account's handle")
    name = json.text(account, "display_name", f"{path}.account", required=False) or ""
    server = _host(account.get("url"))
    content = json.text(status, "content", path, required=False, expected="the status's HTML")
    return Post(time=json.time(status, "created_at", path),
                author=Author(acct.strip().lstrip("@"), clean_text(name) or acct, server),
                text=html_to_text(content or ""), channel="Mastodon", where=path,
                is_reply=status.get("in_reply_to_id") is not None)


def _web_url(url: str | None) -> str | None:
    return url if _host(url) else None


def _host(url) -> str:
    """The server of an http(s) address, or "" for anything else."""
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        return (parts.hostname or "") if parts and parts.scheme in ("http", "https") else ""
    except ValueError:
        return ""


class _Text(HTMLParser):
    """Status HTML as the words a reader sees: paragraphs apart, line breaks kept, links as
    their full text, every tag and attribute dropped."""

    BLOCKS = {"p", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = clean_text("".join(parser.parts))
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(paragraphs)).strip()
