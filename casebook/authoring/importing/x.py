"""An X thread: the API v2 search response for one conversation
(GET /2/tweets/search/recent?query=conversation_id:ID with tweet.fields=created_at,author_id
and expansions=author_id): `data`, the posts (`id`, `text`, `created_at`, `author_id`), and
`includes.users` (`id`, `name`, `username`). The conversation's first post, which the search
does not return, is taken from `includes.tweets` when the response has it
(expansions=referenced_tweets.id). Post text comes with &amp;, &lt; and &gt; escaped."""
from __future__ import annotations

import html
import re

from casebook.authoring.importing.posts import (refuse_too_many, Author, ImportFailed, JsonReader, Post,
                                                Thread, clean_text)


def looks_like(value) -> bool:
    return isinstance(value, dict) and ("data" in value or "result_count" in
                                        (value.get("meta") or {}))


def read(value, file: str) -> Thread:
    json = JsonReader(file)
    if "data" not in value:  # a search that found nothing has only `meta`
        raise ImportFailed(file, "$", "holds no posts (`meta.result_count` is 0; expected "
                                      "`data`, the conversation's posts)")
    data = json.list(value["data"], "$.data")
    includes = json.object(value.get("includes") or {}, "$.includes")
    users = {}
    for index, user in enumerate(json.list(includes.get("users") or [], "$.includes.users")):
        path = f"$.includes.users[{index}]"
        user = json.object(user, path)
        users[json.text(user, "id", path, expected="the user's id")] = (path, user)
    items = [(f"$.data[{index}]", item) for index, item in enumerate(data)]
    ids = {item.get("id") for _, item in items if isinstance(item, dict)}
    conversations = {item.get("conversation_id") for _, item in items if isinstance(item, dict)}
    for index, item in enumerate(json.list(includes.get("tweets") or [], "$.includes.tweets")):
        # The conversation's first post, when the response includes it.
        if (isinstance(item, dict) and item.get("id") in conversations - {None}
                and item.get("id") not in ids):
            items.append((f"$.includes.tweets[{index}]", item))
            ids.add(item.get("id"))
    if not items:
        raise ImportFailed(file, "$.data", "holds no posts (expected the conversation's posts)")
    refuse_too_many(file, "$.data", len(items), "posts")
    posts = [_post(item, path, users, json) for path, item in items]
    first = min(range(len(posts)), key=lambda index: posts[index].time)
    url = _web_url(items[first][1], posts[first].author.handle)
    return Thread(posts, "X thread", "X", url)


def _post(item, path: str, users: dict, json: JsonReader) -> Post:
    post = json.object(item, path)
    author_id = json.text(post, "author_id", path,
                          expected="the author's id (request tweet.fields=author_id)")
    if author_id not in users:
        raise json.fail(f"{path}.author_id", f"`{author_id}` is not in includes.users (expected "
                                             "the response of a search with expansions=author_id)")
    user_path, user = users[author_id]
    username = json.text(user, "username", user_path, expected="the user's @username")
    name = json.text(user, "name", user_path, required=False) or ""
    text = json.text(post, "text", path, expected="the post's text")
    return Post(time=json.time(post, "created_at", path),
                author=Author(username.strip().lstrip("@"), clean_text(name) or username),
                text=clean_text(html.unescape(text)), channel="X", where=path,
                is_reply=_is_reply(post))


def _web_url(post: dict, username: str) -> str | None:
    post_id = post.get("id")
    if not isinstance(post_id, str) or not re.fullmatch(r"\d{1,25}", post_id):
        return None
    if not re.fullmatch(r"[A-Za-z0-9_]{1,50}", username):
        return None
    return f"https://x.com/{username}/status/{post_id}"


def _is_reply(post: dict) -> bool:
    """A reply refers to the post it answers, and belongs to another post's conversation."""
    references = post.get("referenced_tweets")
    if isinstance(references, list) and any(isinstance(r, dict) and r.get("type") == "replied_to"
                                            for r in references):
        return True
    conversation = post.get("conversation_id")
    return conversation is not None and conversation != post.get("id")
