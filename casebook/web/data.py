"""`output/site/data/cases.json` and `cases.csv`: every published case with its computed
figures, for readers who analyse cases in their own tools (CASE-FORMAT.md, "cases.json,
version 2"). Facilitator notes are never in them.

A case's record is made when the case is read, as the very text it has in each file
(`record_pieces`), and cached with its page: a build that reads only the changed cases writes
every record by joining those pieces, without parsing or encoding any record again."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from casebook.model.case import Case, Event, Figure
from casebook.model.timeline import Since, Span


def span_record(span: Span) -> dict:
    return {"low": span.low, "high": span.high, "about": span.about, "text": str(span)}


def figure_record(figure: Figure) -> dict | None:
    return None if figure.span is None else span_record(figure.span)


def since_record(since: Since | None) -> dict | None:
    if since is None:
        return None
    return {"event": since.event, **span_record(since.span)}


def event_record(event: Event) -> dict:
    return {
        "id": event.id,
        "when": event.when,
        "who": event.who.key,
        "side": event.who.side,
        "channel": event.channel,
        "mark": event.mark,
        "quote": event.quote,
        "what": event.what.source,
        "elapsed": span_record(event.elapsed),
        "since": since_record(event.since),
    }


def case_record(case: Case) -> dict:
    """A case in the contract's shape (keys in its order)."""
    return {
        "slug": case.slug,
        "title": case.title,
        "organization": case.organization,
        "outcome": case.outcome,
        "channels": list(case.channels),
        "tags": list(case.tags),
        "date": case.date,
        "figures": {
            "first_response": figure_record(case.figures.first_response),
            "resolution": figure_record(case.figures.resolution),
            "channel_moves": case.figures.channel_moves,
        },
        "timeline": [event_record(event) for event in case.timeline],
    }


def cases_json(records: list[dict]) -> str:
    return json.dumps({"cases": records}, ensure_ascii=False, indent=1) + "\n"


def record_json(record: dict) -> str:
    """A record as it stands in cases.json (two levels deep: indented by two spaces): the
    text json.dumps(ensure_ascii=False, indent=1) writes there (`_indented`)."""
    return "  " + _indented(record, "\n  ")


_string = json.encoder.encode_basestring   # json's own (C) string encoder for ensure_ascii=False


def _indented(value, newline: str) -> str:
    """`value` as json.dumps(value, ensure_ascii=False, indent=1) writes it at the depth whose
    line breaks are `newline`. json.dumps with `indent` runs json's pure-Python encoder, about
    0.3 ms for a case's record; this is the same text (tests/test_data.py proves it), with
    the same order of type checks (a bool is an int, a str subclass a str)."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = newline + " "
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) \
            + newline + "]"
    if isinstance(value, dict) and all(type(key) is str for key in value):
        if not value:
            return "{}"
        inner = newline + " "
        return "{" + inner + ("," + inner).join(
            _string(key) + ": " + _indented(item, inner) for key, item in value.items()) \
            + newline + "}"
    # floats (NaN, infinities), other keys, anything else: json's own encoder, indented here
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)


CSV_COLUMNS = ["slug", "title", "organization", "outcome", "date", "channels", "tags",
               "events", "first_response", "first_response_low", "first_response_high",
               "first_response_about", "resolution", "resolution_low", "resolution_high",
               "resolution_about", "channel_moves"]


def _inert(cell):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def cases_csv(records: list[dict]) -> str:
    """One row per case: its facts and figures (seconds; an empty cell is an unknown bound)."""
    return _csv_rows([CSV_COLUMNS] + [_row(record) for record in records])


def record_row(record: dict) -> str:
    """A record's line in cases.csv."""
    return _csv_rows([_row(record)])


def _csv_rows(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def _row(record: dict) -> list:
    row = [record["slug"], record["title"], record["organization"], record["outcome"],
           record["date"] or "", "; ".join(record["channels"]), "; ".join(record["tags"]),
           len(record["timeline"])]
    for name in ("first_response", "resolution"):
        figure = record["figures"][name]
        if figure is None:
            row += ["—", "", "", ""]
        else:
            row += [figure["text"], figure["low"],
                    "" if figure["high"] is None else figure["high"],
                    "true" if figure["about"] else "false"]
    row.append(record["figures"]["channel_moves"])
    return [_inert(cell) for cell in row]


@dataclass(frozen=True)
class RecordPieces:
    """A case's record as text: its part of cases.json and its line of cases.csv."""

    json: str
    csv: str


def record_pieces(case: Case) -> RecordPieces:
    record = case_record(case)
    return RecordPieces(record_json(record), record_row(record))


def write_site_data(dest: Path, pieces: Iterable[RecordPieces]) -> None:
    """data/cases.json and data/cases.csv of the published cases, in reading order; each
    record written as it comes (`pieces` may be read from disk one by one)."""
    folder = dest / "data"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "cases.json", "w", encoding="utf-8") as data, \
            open(folder / "cases.csv", "w", encoding="utf-8", newline="") as table:
        table.write(_csv_rows([CSV_COLUMNS]))
        data.write('{\n "cases": [')
        separator = "\n"
        for piece in pieces:
            data.write(separator + piece.json)
            table.write(piece.csv)
            separator = ",\n"
        data.write("]\n}\n" if separator == "\n" else "\n ]\n}\n")
