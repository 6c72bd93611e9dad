"""Which export a file is, from its name and its first bytes, and its posts."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from casebook.authoring.importing import bluesky, mastodon, table, x
from casebook.authoring.importing.posts import MAX_FILE_BYTES, ImportFailed, Thread, load_json

KNOWN = ("a CSV or XLSX table with a header row, a Mastodon thread (statuses as JSON), "
         "a Bluesky getPostThread response or an X API v2 search response")


def read_export(path: Path, file: str) -> Thread:
    """The posts of the export at `path` (`file` is its name in messages)."""
    data = _read_capped(path, file)
    suffix = path.suffix.lower()
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return table.read_xlsx(data, file)
    if suffix == ".csv":
        return table.read_csv(data, file)
    if suffix == ".json" or start in (b"[", b"{"):
        return _read_json(data, file)
    if not data.strip():
        raise ImportFailed(file, None, f"is empty (expected {KNOWN})")
    raise ImportFailed(file, None, f"is not an export that import knows (expected {KNOWN}; "
                                   "name a table .csv or .xlsx)")


def _read_json(data: bytes, file: str) -> Thread:
    value = load_json(data, file)
    if isinstance(value, dict) and isinstance(value.get("error"), str):
        raise ImportFailed(file, "$.error", f"the API answered with an error (`{value['error']}`), "
                                            "not a thread (expected the response to a request "
                                            "that succeeded)")
    if value == []:
        raise ImportFailed(file, "$", "is an empty list (expected the thread's statuses)")
    for reader in (mastodon, bluesky, x):
        if reader.looks_like(value):
            return reader.read(value, file)
    raise ImportFailed(file, "$", f"is JSON but not a thread that import knows (expected {KNOWN})")


def _read_capped(path: Path, file: str) -> bytes:
    """The file's bytes; a file over the cap, or anything but a regular file, is refused before
    it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ImportFailed(file, None, f"cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed(file, None, "is not a regular file (expected an export file)")
        if info.st_size > MAX_FILE_BYTES:
            raise ImportFailed(file, None, f"is {info.st_size // (1024 * 1024)} MB (expected an "
                                           f"export of at most {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise ImportFailed(file, None, f"is over {MAX_FILE_BYTES // (1024 * 1024)} MB (expected "
                                       "a smaller export)")
    return data
