"""A Bluesky thread: the `app.bsky.feed.getPostThread` response, `{"thread": threadViewPost}`:
the post, its `parent` chain up to the root, and its `replies`, nested (lexicons
app.bsky.feed.defs#threadViewPost, #postView; the post record's `text` and `createdAt`).
Posts that are gone or blocked (`notFoundPost`, `blockedPost`) are skipped."""
from __future__ import annotations

import re

from casebook.authoring.importing.posts import (MAX_POSTS, Author, ImportFailed, JsonReader, Post,
                                                Thread, clean_text)

_POST_URI = re.compile(r"at://([^/]+)/app\.bsky\.feed\.post/([A-Za-z0-9._:~-]+)")


def looks_like(value) -> bool:
    return isinstance(value, dict) and "thread" in value


def read(value, file: str) -> Thread:
    json = JsonReader(file)
    thread = json.object(json.object(value, "$").get("thread"), "$.thread")
    views: list[tuple[str, dict]] = []   # (JSON path, threadViewPost), the post's ancestors first
    parent, path = thread.get("parent"), "$.thread.parent"
    ancestors = []
    while isinstance(parent, dict) and "post" in parent and len(ancestors) <= MAX_POSTS:
        ancestors.append((path, parent))
        parent, path = parent.get("parent"), f"{path}.parent"
    views += reversed(ancestors)
    pending = [("$.thread", thread)]     # the post and its replies, depth first, in order
    while pending and len(views) <= MAX_POSTS:
        path, view = pending.pop()
        if not _is_post(view):
            continue
        views.append((path, view))
        replies = view.get("replies") or []
        replies = json.list(replies, f"{path}.replies")
        pending += reversed([(f"{path}.replies[{i}]", r) for i, r in enumerate(replies)])
    if len(views) > MAX_POSTS:
        raise ImportFailed(file, "$.thread", f"holds more than {MAX_POSTS} posts (expected at "
                                             f"most {MAX_POSTS}, the events a case may have: "
                           "import a shorter part of the conversation)")
    if not views:
        raise ImportFailed(file, "$.thread", "holds no post (expected a threadViewPost with "
                                             "`post`; the post may be deleted or blocked)")
    posts = [_post(view, path, json) for path, view in views]
    root = views[0][1]["post"]
    return Thread(posts, "Bluesky thread", "Bluesky", _web_url(root))


def _is_post(view) -> bool:
    """A threadViewPost (not a notFoundPost or blockedPost)."""
    return isinstance(view, dict) and "post" in view and not (view.get("notFound")
                                                                or view.get("blocked"))


def _post(view: dict, path: str, json: JsonReader) -> Post:
    path = f"{path}.post"
    post = json.object(view["post"], path)
    author = json.object(post.get("author"), f"{path}.author")
    handle = json.text(author, "handle", f"{path}.author", expected="the author's handle")
    name = json.text(author, "displayName", f"{path}.author", required=False) or ""
    record = json.object(post.get("record"), f"{path}.record")
    text = json.text(record, "text", f"{path}.record", required=False,
                     expected="the post's text") or ""
    return Post(time=json.time(record, "createdAt", f"{path}.record"),
                author=Author(handle.strip().lstrip("@"), clean_text(name) or handle),
                text=clean_text(text), channel="Bluesky", where=path,
                is_reply=record.get("reply") is not None)


def _web_url(post: dict) -> str | None:
    """bsky.app's address of a post: its author's handle and its record key."""
    match = _POST_URI.fullmatch(str(post.get("uri", "")))
    handle = (post.get("author") or {}).get("handle") if isinstance(post.get("author"), dict) else None
    if not match or not isinstance(handle, str) or not re.fullmatch(r"[A-Za-z0-9.-]+", handle):
        return None
    return f"https://bsky.app/profile/{handle.lower()}/post/{match.group(2)}"
