"""What every importer hands on: the posts of a conversation, read and checked, and the failure
that says where an export is wrong (`FILE:LINE: ...` or `FILE: $.json.path: ...`)."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import accumulate

from casebook.reading.formats import MAX_EVENTS
from casebook.reading.problems import terminal_safe

# Generous for any thread a case is made from, small enough to refuse a huge file at once.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_POSTS = MAX_EVENTS     # one post, one event: what a case may hold
# A Bluesky thread nests about three levels per reply; JSON deeper than this is not an export.
MAX_JSON_DEPTH = 400


class ImportFailed(Exception):
    """An export that cannot be imported: where (a line, a row or a JSON path) and what was
    expected. Nothing is written."""

    def __init__(self, file: str, where: str | int | None, message: str):
        self.file, self.where, self.message = file, where, message
        super().__init__(str(self))

    def __str__(self) -> str:
        file = terminal_safe(self.file)
        if self.where is None:
            return f"{file}: {terminal_safe(self.message)}"
        separator = ":" if isinstance(self.where, int) else ": "
        return f"{file}{separator}{terminal_safe(str(self.where))}: {terminal_safe(self.message)}"


@dataclass(frozen=True)
class Author:
    handle: str        # as the export gives it: `gargron`, `user@server.social`, `alice.bsky.social`
    name: str          # the display name, or the handle when there is none
    server: str = ""   # Mastodon: the account's server, when the export says it


@dataclass(frozen=True)
class Post:
    time: datetime      # UTC, whole seconds
    author: Author
    text: str           # the post's words (may be empty)
    channel: str | None = None
    side: str | None = None    # tables only: the side column
    what: str | None = None    # tables only: the what column
    is_reply: bool | None = None   # threads: whether it answers another post (None: not known)
    where: str | int | None = None  # where in the export, for messages


@dataclass(frozen=True)
class Thread:
    posts: list[Post]       # in the export's order
    format: str             # "CSV table", "Mastodon thread", ...
    platform: str | None    # the channel of every post (None: per row, from a table)
    url: str | None = None  # the thread's address, when the export has it


# ---- text ---------------------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")


def clean_text(text: str) -> str:
    """Text as it may stand in a case: new lines kept, invisible control characters, lone
    surrogates and noncharacters (which no YAML or XML file can carry) removed."""
    text = _LINE_BREAKS.sub("\n", text)
    return "".join(ch for ch in text if ch in "\n\t" or _storable(ch)).strip()


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _storable(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs"):
        return False
    code = ord(ch)
    return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)


# ---- time ---------------------------------------------------------------------------------

_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                       r"(?:Z|[+-]\d{2}(?::?\d{2})?)?")
TIME_EXPECTED = "an ISO 8601 time such as 2024-03-04 09:12 or 2024-03-04T09:12:00Z"


def parse_time(value: str) -> datetime:
    """An ISO 8601 date and time, as UTC to the second; no offset means UTC. ValueError says
    why not."""
    text = value.strip().upper()
    if not _ISO_TIME.fullmatch(text):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(f"`{value}` has no time of day (expected {TIME_EXPECTED})")
        raise ValueError(f"`{shorten(value)}` is not a time (expected {TIME_EXPECTED})")
    text = text.replace(",", ".")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"`{value}` is not a real date and time (expected {TIME_EXPECTED})") from None
    return as_utc(moment)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def shorten(text: str, limit: int = 60) -> str:
    text = one_line(str(text))
    return text if len(text) <= limit else text[:limit] + "…"


# ---- JSON ---------------------------------------------------------------------------------

_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_NESTING = [0] * 256
_NESTING[ord("[")] = _NESTING[ord("{")] = 1
_NESTING[ord("]")] = _NESTING[ord("}")] = -1


def load_json(data: bytes, file: str):
    """The JSON value in `data`; malformed or too deeply nested JSON fails at its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(file, line, "is not UTF-8 text (expected a JSON export as the API "
                                       "returns it)") from None
    _check_depth(data, file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(file, error.lineno, f"is not valid JSON: {error.msg} (column "
                                               f"{error.colno})") from None
    except (ValueError, RecursionError) as error:  # e.g. an integer of thousands of digits
        raise ImportFailed(file, None, f"is not usable JSON ({error})") from None


def _check_depth(data: bytes, file: str) -> None:
    """Refuse JSON nested deeper than any export before parsing it: the brackets outside
    strings, counted at C speed (a second for 16 MB of brackets)."""
    skeleton = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if max(accumulate(map(_NESTING.__getitem__, skeleton)), default=0) > MAX_JSON_DEPTH:
        raise ImportFailed(file, None, f"is nested more than {MAX_JSON_DEPTH} levels deep "
                                       "(expected a thread as the API returns it)")


def describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text" if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class JsonReader:
    """Fields of a JSON export, each failure naming its JSON path and what was expected."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, message: str) -> ImportFailed:
        return ImportFailed(self.file, path, message)

    def object(self, value, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"is {describe(value)} (expected an object)")
        return value

    def list(self, value, path: str) -> list:
        if not isinstance(value, list):
            raise self.fail(path, f"is {describe(value)} (expected a list)")
        return value

    def text(self, parent: dict, key: str, path: str, required: bool = True,
             expected: str = "text") -> str | None:
        value = parent.get(key)
        where = f"{path}.{key}"
        if value is None and not required:
            return None
        if key not in parent:
            raise self.fail(where, f"is missing (expected {expected})")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(where, f"is {describe(value)} (expected {expected})")
        return value

    def time(self, parent: dict, key: str, path: str) -> datetime:
        value = self.text(parent, key, path, expected=TIME_EXPECTED)
        try:
            return parse_time(value)
        except ValueError as error:
            raise self.fail(f"{path}.{key}", str(error)) from None


def refuse_too_many(file, path: str, count: int, noun: str) -> None:
    """ImportFailed when a thread holds more posts than a case may have events."""
    if count > MAX_POSTS:
        raise ImportFailed(file, path, f"holds {count} {noun} (expected at most {MAX_POSTS}, the "
                                       "events a case may have: import a shorter part of the "
                                       "conversation)")
