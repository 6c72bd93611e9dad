"""A table of events, CSV or XLSX: a header row (any order, any case) naming `time` and `who`
(required) and `side`, `channel`, `what`, `quote` (optional); then one event per row."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time

from casebook.model.case import SIDES
from casebook.authoring.importing.posts import (MAX_POSTS, TIME_EXPECTED, Author, ImportFailed,
                                                Post, Thread, as_utc, clean_text, one_line,
                                                parse_time, shorten)

COLUMNS = ("time", "who", "side", "channel", "what", "quote")
REQUIRED = ("time", "who")
# An XLSX file is a zip of XML parts: what it may unpack to, checked before anything unpacks.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_PARTS = 2000


def read_csv(data: bytes, file: str) -> Thread:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(file, line, "is not UTF-8 text (save the table as CSV, UTF-8)") from None
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in ",;\t" if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
            if len(rows) > MAX_POSTS + 1:
                break
    except csv.Error as error:
        raise ImportFailed(file, line, f"is not a readable CSV row ({error}; expected "
                                       "comma-separated values, quoted with \" where needed)") from None
    return _read_rows(rows, file, "CSV table", "line")


def read_xlsx(data: bytes, file: str) -> Thread:
    import openpyxl  # only an XLSX import needs it
    source = io.BytesIO(data)
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFailed(file, None, f"is not a readable XLSX workbook ({error})") from None
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
        raise ImportFailed(file, None, f"unpacks to {unpacked // (1024 * 1024)} MB in "
                                       f"{len(parts)} parts (expected a table of at most "
                                       f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB)")
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFailed(file, None, "is not a readable XLSX workbook "
                                       f"({type(error).__name__}: {shorten(str(error))})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
            if len(rows) > MAX_POSTS + 1:
                break
    except Exception as error:
        raise ImportFailed(file, None, "is not a readable XLSX workbook "
                                       f"({type(error).__name__}: {shorten(str(error))})") from None
    finally:
        workbook.close()
    return _read_rows(rows, file, "XLSX table", "row")


def _read_rows(rows: list[tuple[int, list]], file: str, format: str, unit: str) -> Thread:
    rows = [(number, values) for number, values in rows if not all(map(_blank, values))]
    if not rows:
        raise ImportFailed(file, None, "is empty (expected a header row naming the columns "
                                       f"time and who, then one event per {unit})")
    header_number, header = rows[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = one_line(str(name)).lower() if name is not None else ""
        if key in COLUMNS:
            if key in columns:
                raise ImportFailed(file, header_number, f"the column `{key}` is named twice "
                                                        "(expected each column once)")
            columns[key] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(f"`{shorten(str(n), 30)}`" for n in header if not _blank(n)) or "nothing"
        raise ImportFailed(file, header_number,
                           f"the header has no {' or '.join(f'`{m}`' for m in missing)} column "
                           f"(found {found}; expected a header row naming time and who, and "
                           "optionally side, channel, what and quote, in any order)")
    body = rows[1:]
    if not body:
        raise ImportFailed(file, None, f"has a header but no events (expected one event per "
                                       f"{unit} after the header)")
    if len(body) > MAX_POSTS:
        raise ImportFailed(file, body[MAX_POSTS][0],
                           f"has more than {MAX_POSTS} events (expected at most {MAX_POSTS}, the "
                           "events a case may have: import a shorter part of the conversation)")
    posts = [_read_row(number, values, columns, file) for number, values in body]
    return Thread(posts, format, None)


def _read_row(number: int, values: list, columns: dict[str, int], file: str) -> Post:
    def cell(name: str):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    def text(name: str) -> str:
        value = cell(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else clean_text(str(value))

    who = one_line(text("who"))
    if not who:
        raise ImportFailed(file, number, "who: is empty (expected who acted: a handle or a name)")
    side = text("side").lower() or None
    if side is not None and side not in SIDES:
        raise ImportFailed(file, number, f"side: `{shorten(side)}` is not a side (expected one "
                                         f"of {', '.join(SIDES)}, or nothing)")
    what, quote = text("what"), text("quote")
    if not what and not quote:
        raise ImportFailed(file, number, "what and quote are both empty (expected what happened, "
                                         "the words posted, or both)")
    return Post(time=_row_time(cell("time"), number, file), author=Author(who, who),
                text=quote, channel=one_line(text("channel")) or None, side=side,
                what=what or None, where=number)


def _row_time(value, number: int, file: str) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, (date, time)):
        has = "a date but no time of day" if isinstance(value, date) else "a time but no date"
        raise ImportFailed(file, number, f"time: the cell holds {has} (expected {TIME_EXPECTED})")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ImportFailed(file, number, f"time: `{value}` is a number, not a time (format the "
                                         f"cell as a date and time, or write {TIME_EXPECTED})")
    if _blank(value):
        raise ImportFailed(file, number, f"time: is empty (expected {TIME_EXPECTED})")
    try:
        return parse_time(str(value))
    except ValueError as error:
        raise ImportFailed(file, number, f"time: {error}") from None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
