"""`build.py import FILE`: a draft case from a conversation export (tests/import/ holds samples
made after each platform's API documentation). Each sample is imported through the command
line, then read back with the real loader: events, times, people, sides, quotes, first response."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from casebook.build.project import load_project
from casebook.cli import main
from casebook.reading import formats
from casebook.reading.problems import Problems
from casebook.reading.yamltree import Mapping, Scalar, Sequence, read_tree

SAMPLES = Path(__file__).resolve().parent / "import"


def run_import(project, export: Path, *extra: str) -> int:
    return main(["import", str(export), "--cases", str(project.cases), *extra])


def written(project) -> Path:
    files = sorted(project.cases.glob("*.yaml"))
    assert len(files) == 1, files
    return files[0]


def load_case(project):
    cases = load_project(project.root, project.cases).cases
    assert len(cases) == 1
    return cases[0]


def rows(case) -> list[tuple]:
    return [(e.when, e.who.key, e.who.side, e.channel, e.quote) for e in case.timeline]


def tree_values(path: Path):
    """The file as the case reader reads it: text values by field path."""
    problems = Problems(str(path))
    tree = read_tree(path, str(path), problems)
    assert not problems, problems.found
    return tree


def timeline_field(tree, index: int, name: str) -> str:
    event = tree.values["timeline"].items[index]
    return event.values[name].text


# ---- each format --------------------------------------------------------------------------

def test_mastodon_thread(project, capsys):
    assert run_import(project, SAMPLES / "mastodon-thread.json", "--company", "parcelco") == 0
    assert "wrote " in capsys.readouterr().out
    case = load_case(project)
    assert case.draft and case.channels == ["Mastodon"] and case.outcome == "unknown"
    assert rows(case) == [
        ("2024-03-04 09:12:07", "rosa", "customer", "Mastodon",
         'Sample data: my parcel from @parcelco shows "delivered" but nothing came.\n'
         "Order 1234 & no note at the door.\n\nAnyone else?"),
        ("2024-03-04 09:14:37", "parcelco", "company", "Mastodon",
         "@rosa Sorry to hear that! Could you send us the order number in a private message?"),
        ("2024-03-04 10:01:00", "sam-other-example", "public", "Mastodon",
         'Same here: three parcels "delivered" this month. #fail '
         "https://news.example/parcels/2024/missing-deliveries"),   # a link's whole address
    ]
    assert {p.key: p.name for p in case.people.values()} == {
        "rosa": "Rosa Sample", "parcelco": "ParcelCo Help (sample)",
        "sam-other-example": "sam@other.example"}
    assert [e.what.source for e in case.timeline] == [
        "Starts the thread.", "Replies in the thread.", "Replies in the thread."]
    first = case.figures.first_response.span
    assert (first.low, first.high, first.about) == (150, 150, False)   # 09:12:07 -> 09:14:37
    assert str(case.figures.first_response) == "2 min 30 s"
    assert case.organization == "ParcelCo Help (sample)"
    assert case.title == 'Sample data: my parcel from @parcelco shows "delivered"…'
    assert [(s.title, s.url) for s in case.sources] == [
        ("Mastodon thread started by Rosa Sample (@rosa@social.example)",
         "https://social.example/@rosa/113001000000000001")]


def test_mastodon_context_object(project):
    assert run_import(project, SAMPLES / "mastodon-context.json",
                      "--company", "@parcelco@social.example", "--title", "Parcel not delivered") == 0
    case = load_case(project)
    assert case.title == "Parcel not delivered"
    assert written(project).name == "parcel-not-delivered.yaml"
    assert [(e.when, e.who.key, e.who.side) for e in case.timeline] == [
        ("2024-03-04 09:12:07", "rosa", "customer"),
        ("2024-03-04 09:14:37", "parcelco", "company"),
        ("2024-03-04 09:31:10", "parcelco", "company")]
    assert case.timeline[2].quote == "@rosa Thanks, Rosa. A new parcel is on its way (sample data)."
    assert str(case.figures.first_response) == "2 min 30 s"


def test_bluesky_thread(project):
    assert run_import(project, SAMPLES / "bluesky-thread.json", "--company", "help") == 0
    case = load_case(project)
    assert case.channels == ["Bluesky"]
    assert rows(case) == [
        ("2024-05-10 18:21:05", "mo-bsky-social", "customer", "Bluesky",
         'Sample data: my 18:05 train was cancelled and the refund form says "error 500".\n'
         "@help.railco.example how do I get my money back?"),
        ("2024-05-10 18:47:30", "help-railco-example", "company", "Bluesky",
         "@mo.bsky.social We're sorry, Mo. Refunds for cancelled trains go back to the card "
         "used: please allow 5 days."),
        # 09:15:45+02:00 is 07:15:45 UTC: before Mo's reply, so it comes first.
        ("2024-05-11 07:15:45", "lee-example", "public", "Bluesky", "Mine took 9 days: not 5."),
        ("2024-05-11 08:02:00", "mo-bsky-social", "customer", "Bluesky", "Thanks! Got it."),
    ]
    assert case.people["lee-example"].name == "lee.example"   # no display name: the handle
    first = case.figures.first_response.span
    assert (first.low, first.high) == (1585, 1585)                   # 26 min 25 s
    assert [s.url for s in case.sources] == [
        "https://bsky.app/profile/mo.bsky.social/post/3kq2sample0001"]


def test_x_search_response(project):
    assert run_import(project, SAMPLES / "x-search.json", "--company", "@SampleBankHelp") == 0
    case = load_case(project)
    assert rows(case) == [
        ("2024-06-02 12:31:09", "kim-sample", "customer", "X",
         "Sample data: @SampleBankHelp my card was charged twice for one coffee. Who do I talk to?"),
        ("2024-06-02 12:58:41", "samplebankhelp", "company", "X",
         "@kim_sample Hi Kim, we've blocked the card for you. Please send us a DM so we can "
         "check the payment."),
        ("2024-06-02 13:05:00", "kim-sample", "customer", "X", "@SampleBankHelp Done, thanks."),
        ("2024-06-02 14:40:12", "ana-sample", "public", "X",
         "@kim_sample Same thing happened to me & my sister <3"),   # the API's &amp; and &lt;
    ]
    first = case.figures.first_response.span
    assert (first.low, first.high) == (1652, 1652)                   # 27 min 32 s
    assert [s.url for s in case.sources] == ["https://x.com/kim_sample/status/1790000000000000001"]


def test_csv_table(project):
    assert run_import(project, SAMPLES / "events.csv") == 0
    case = load_case(project)
    assert case.channels == ["Email", "Phone"]
    assert rows(case) == [
        ("2024-02-01 08:00:00", "dana-sample", "customer", "Email",
         "Sample data: the app charged me twice, can someone help?"),
        ("2024-02-01 08:45:30", "support-desk", "company", "Email", None),
        ("2024-02-01 09:00:00", "dana-sample", "customer", "Email",
         'Receipt attached.\nPlease fix it: "today"!'),
        ("2024-02-01 09:15:00", "support-desk", "company", "Phone", None),   # 10:15+01:00
    ]
    assert [e.what.source for e in case.timeline] == [
        "Posts a message.", "Answers by email and asks for the receipt.", "Posts a message.",
        "Calls Dana and refunds the second charge."]
    assert str(case.figures.first_response) == "45 min 30 s"
    assert case.figures.channel_moves == 1
    assert [s.title for s in case.sources] == ["[Conversation exported as events.csv]"]


def test_xlsx_table_with_date_cells_and_text_cells(project, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["who", "TIME", "quote", "side"])
    sheet.append(["@SampleAir", "2024-07-01T10:00:30Z", "We are looking into it.", "company"])
    sheet.append(["Pat Sample", datetime(2024, 7, 1, 9, 58, 0), "Sample data: where is my bag?", None])
    sheet.append([None, None, None, None])       # an empty row is skipped, and still counted
    sheet.append(["Pat Sample", "2024-07-01 11:00", "Found it, thanks!", ""])
    export = tmp_path / "bags.xlsx"
    book.save(export)
    assert run_import(project, export) == 0
    case = load_case(project)
    assert rows(case) == [
        ("2024-07-01 09:58:00", "pat-sample", "customer", None, "Sample data: where is my bag?"),
        ("2024-07-01 10:00:30", "sampleair", "company", None, "We are looking into it."),
        ("2024-07-01 11:00:00", "pat-sample", "customer", None, "Found it, thanks!"),
    ]
    assert str(case.figures.first_response) == "2 min 30 s"


def test_round_trip_from_export_to_published_case(project, capsys):
    """The README's round trip: import, check, write the summary and the takeaways, publish."""
    from casebook.authoring import new
    assert run_import(project, SAMPLES / "x-search.json", "--company", "SampleBankHelp",
                      "--title", "Charged twice for one coffee") == 0
    assert main(["check", "--cases", str(project.cases)]) == 0
    assert "(1 draft)" in capsys.readouterr().out
    path = written(project)
    assert path.name == "charged-twice-for-one-coffee.yaml"
    text = path.read_text(encoding="utf-8")
    for placeholder, words in [(new.SUMMARY, "A customer charged twice is answered in public."),
                               (new.LESSON, "Answer in public, then fix it in private"),
                               ("draft: true", "draft: false")]:
        assert placeholder in text
        text = text.replace(placeholder, words)
    path.write_text(text, encoding="utf-8")
    assert main(project.args("--only", "site")) == 0
    page = (project.out / "site/cases/charged-twice-for-one-coffee.html").read_text(encoding="utf-8")
    for shown in ["Charged twice for one coffee", "27 min 32 s", "Replies in the thread.",
                  "Same thing happened to me &amp; my sister &lt;3", "SampleBank Help",
                  "https://x.com/kim_sample/status/1790000000000000001"]:
        assert shown in page, shown


# ---- what is written ----------------------------------------------------------------------

def test_company_handles_with_or_without_at_and_server(project):
    from casebook.authoring.importing.draft import is_company
    from casebook.authoring.importing.posts import Author
    local = Author("parcelco", "ParcelCo", server="social.example")
    remote = Author("parcelco@social.example", "ParcelCo", server="social.example")
    for author in (local, remote):
        for handle in ("parcelco", "@parcelco", "ParcelCo", "parcelco@social.example",
                       "@parcelco@social.example"):
            assert is_company(author, handle), (author, handle)
        assert not is_company(author, "parcelco@elsewhere.example")
        assert not is_company(author, "parcel")
    bluesky = Author("help.railco.example", "RailCo")
    assert is_company(bluesky, "@help.railco.example") and is_company(bluesky, "help")
    assert not is_company(bluesky, "railco")


def test_person_keys_are_handles_lowercased_with_hyphens():
    from casebook.authoring.importing.draft import person_key
    assert person_key("SampleBankHelp") == "samplebankhelp"
    assert person_key("sam@other.example") == "sam-other-example"
    assert person_key("kim_sample") == "kim-sample"
    assert person_key("@Zoë") == "zoe"
    assert formats.KEY and all(person_key(h)[0].isalnum() for h in ("_x", "@y", ".z"))


HOSTILE_WORDS = ["!!python/object/apply:os.system ['echo pwned']", "key: value", "# not a comment",
                 "line one\nline two", "&anchor *alias", '"quoted" \\ backslash',
                 "tab\there", "bell\x07 and escape\x1b[31m red", "yes", "2024-01-01", "~",
                 "- a list?", "{a: 1}", "null"]


def test_text_stays_text(project, tmp_path):
    export = tmp_path / "hostile.csv"
    lines = ["time,who,quote"]
    for minute, words in enumerate(HOSTILE_WORDS):
        quoted = '"' + words.replace('"', '""') + '"'
        lines.append(f"2024-01-01 10:{minute:02d},{quoted.replace(chr(10), chr(10))},{quoted}")
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_import(project, export, "--title", "Hostile words") == 0
    tree = tree_values(written(project))
    expected = [w.replace("\x07", "").replace("\x1b", "") for w in HOSTILE_WORDS]
    quotes = [timeline_field(tree, i, "quote") for i in range(len(HOSTILE_WORDS))]
    assert quotes == expected
    people = tree.values["people"]
    names = [people.values[key].values["name"].text for key in people.keys]
    assert names == [" ".join(w.split()) for w in expected]


def test_the_title_comes_from_the_first_words_past_mentions(project, tmp_path):
    export = tmp_path / "t.csv"
    export.write_text("time,who,quote\n2024-01-01 10:00,a,@acme @help Where is my refund? "
                      "It has been three weeks and nobody answers the phone\n", encoding="utf-8")
    assert run_import(project, export) == 0
    tree = tree_values(written(project))
    assert tree.values["title"].text == "Where is my refund? It has been three…"
    assert written(project).name == "where-is-my-refund-it-has-been-three.yaml"


def test_the_draft_starts_dated_and_reuses_news_placeholders(project):
    from casebook.authoring import new
    assert run_import(project, SAMPLES / "events.csv") == 0
    text = written(project).read_text(encoding="utf-8")
    tree = tree_values(written(project))
    assert tree.values["draft"].text == "true"
    assert tree.values["summary"].text == new.SUMMARY
    assert tree.values["takeaways"].items[0].values["lesson"].text == new.LESSON
    assert tree.values["takeaways"].items[0].values["theme"].text == "speed"   # the first theme
    assert timeline_field(tree, 0, "when") == "2024-02-01 08:00:00"
    assert text.startswith("# yaml-language-server: $schema=")
    assert "UTC" in text


def test_never_overwrites_a_case(project, capsys):
    path = project.write("parcel-not-delivered.yaml", "my precious work\n")
    assert run_import(project, SAMPLES / "mastodon-thread.json",
                      "--title", "Parcel not delivered") == 1
    assert path.read_text() == "my precious work\n"
    assert "already exists" in capsys.readouterr().err
    assert sorted(p.name for p in project.cases.iterdir()) == ["parcel-not-delivered.yaml"]


@pytest.mark.parametrize("argv", [
    ["import"], ["check", "--title", "T"], ["new", "T", "--company", "acme"],
    ["import", "a.csv", "--company"],
])
def test_wrong_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


# ---- bad input: exit 1, where and what was expected, nothing written ---------------------

CSV_HEADER = "time,who,quote\n"
BAD = [
    ("missing-column.csv", "when,who,quote\n2024-01-01 10:00,a,hi\n",
     "missing-column.csv:1: the header has no `time` column (found `when`, `who`, `quote`;"),
    ("bad-time.csv", CSV_HEADER + "2024-01-01 10:00,a,hi\nyesterday,b,hello\n",
     "bad-time.csv:3: time: `yesterday` is not a time (expected an ISO 8601 time such as "
     "2024-03-04 09:12 or 2024-03-04T09:12:00Z)"),
    ("no-time-of-day.csv", CSV_HEADER + "2024-01-01,a,hi\n",
     "no-time-of-day.csv:2: time: `2024-01-01` has no time of day"),
    ("not-a-date.csv", CSV_HEADER + "2024-02-30 10:00,a,hi\n",
     "not-a-date.csv:2: time: `2024-02-30 10:00` is not a real date and time"),
    ("multiline-row.csv", CSV_HEADER + '2024-01-01 10:00,a,"two\nlines"\n,b,hi\n',
     "multiline-row.csv:4: time: is empty"),
    ("empty-who.csv", CSV_HEADER + "2024-01-01 10:00,,hi\n", "empty-who.csv:2: who: is empty"),
    ("bad-side.csv", "time,who,side,what\n2024-01-01 10:00,a,brand,Waits.\n",
     "bad-side.csv:2: side: `brand` is not a side (expected one of customer, company, public"),
    ("two-sides.csv", "time,who,side,what\n2024-01-01 10:00,a,company,Waits.\n"
                      "2024-01-01 10:01,a,public,Waits.\n",
     "two-sides.csv:3: side: `public` for a, who is `company` at 2"),
    ("nothing-said.csv", "time,who,what,quote\n2024-01-01 10:00,a,,\n",
     "nothing-said.csv:2: what and quote are both empty"),
    ("header-only.csv", CSV_HEADER, "header-only.csv: has a header but no events"),
    ("empty.csv", "", "empty.csv: is empty (expected a header row"),
    ("bad-quoting.csv", CSV_HEADER + '2024-01-01 10:00,a,"un"closed\n',
     "bad-quoting.csv:2: is not a readable CSV row"),
    ("latin1.csv", None, "latin1.csv:2: is not UTF-8 text"),
    ("malformed.json", '[{"id": "1",\n "content": }]', "malformed.json:2: is not valid JSON: "
                                                       "Expecting value (column 13)"),
    ("empty-list.json", "[]", "empty-list.json: $: is an empty list (expected the thread's statuses)"),
    ("unknown.json", '{"hello": "world"}', "unknown.json: $: is JSON but not a thread that "
                                           "import knows (expected a CSV or XLSX table"),
    ("unknown.txt", "Dear support,\nmy parcel...", "unknown.txt: is not an export that import knows"),
    ("status-no-time.json", json.dumps([{"account": {"acct": "a"}, "content": "<p>hi</p>"}]),
     "status-no-time.json: $[0].created_at: is missing (expected an ISO 8601 time"),
    ("status-bad-time.json", json.dumps([{"account": {"acct": "a"}, "content": "<p>hi</p>",
                                          "created_at": "last Tuesday"}]),
     "status-bad-time.json: $[0].created_at: `last Tuesday` is not a time"),
    ("status-no-account.json", json.dumps([{"account": None, "content": "<p>hi</p>",
                                            "created_at": "2024-01-01T10:00:00Z"}]),
     "status-no-account.json: $[0].account: is null (expected an object)"),
    ("context-empty.json", '{"ancestors": [], "descendants": []}',
     "context-empty.json: $: holds no statuses"),
    ("bluesky-gone.json", json.dumps({"thread": {"$type": "app.bsky.feed.defs#notFoundPost",
                                                 "uri": "at://x/app.bsky.feed.post/1",
                                                 "notFound": True}}),
     "bluesky-gone.json: $.thread: holds no post"),
    ("bluesky-no-text-time.json", json.dumps({"thread": {"post": {
        "author": {"handle": "a.bsky.social"}, "record": {"text": "hi"}}}}),
     "bluesky-no-text-time.json: $.thread.post.record.createdAt: is missing"),
    ("bluesky-error.json", '{"error": "NotFound", "message": "Post not found"}',
     "bluesky-error.json: $.error: the API answered with an error (`NotFound`)"),
    ("x-empty.json", '{"meta": {"result_count": 0}}', "x-empty.json: $: holds no posts"),
    ("x-unknown-author.json", json.dumps({"data": [{"id": "1", "text": "hi", "author_id": "7",
                                                    "created_at": "2024-01-01T10:00:00Z"}],
                                          "includes": {"users": []}}),
     "x-unknown-author.json: $.data[0].author_id: `7` is not in includes.users"),
    ("x-no-created-at.json", json.dumps({"data": [{"id": "1", "text": "hi", "author_id": "7"}],
                                         "includes": {"users": [{"id": "7", "username": "a"}]}}),
     "x-no-created-at.json: $.data[0].created_at: is missing"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "deep.json: is nested more than 400 levels deep"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "broken.xlsx: is not a readable XLSX workbook"),
]


@pytest.mark.parametrize("name, content, message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_says_where_and_writes_nothing(project, tmp_path, capsys, name, content, message):
    export = tmp_path / name
    if content is None:
        export.write_bytes(CSV_HEADER.encode() + "2024-01-01 10:00,Zoë,café\n".encode("latin-1"))
    elif isinstance(content, bytes):
        export.write_bytes(content)
    else:
        export.write_text(content, encoding="utf-8")
    assert run_import(project, export) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"build.py import: {export.parent}/"), err
    assert message in err, err
    assert "nothing was written" in err
    assert list(project.cases.iterdir()) == []


def test_an_unknown_company_handle_is_refused(project, capsys):
    assert run_import(project, SAMPLES / "x-search.json", "--company", "acme") == 1
    err = capsys.readouterr().err
    assert "--company acme: no author of the conversation has that handle (the authors: " \
           "@kim_sample, @samplebankhelp, @ana_sample)" in err
    assert list(project.cases.iterdir()) == []


def test_a_huge_file_is_refused_before_it_is_read(project, tmp_path, capsys):
    export = tmp_path / "huge.json"
    with open(export, "wb") as file:
        file.truncate(64 * 1024 * 1024)   # sparse: 64 MB that take no disk
    assert run_import(project, export) == 1
    assert "huge.json: is 64 MB (expected an export of at most 16 MB)" in capsys.readouterr().err


def test_a_fifo_is_refused_without_waiting(project, tmp_path, capsys):
    fifo = tmp_path / "thread.json"
    os.mkfifo(fifo)
    assert run_import(project, fifo) == 1
    assert "thread.json: is not a regular file" in capsys.readouterr().err


def test_an_xlsx_that_unpacks_huge_is_refused_before_unpacking(project, tmp_path, capsys):
    import zipfile
    export = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 * 1024 * 1024))
    assert export.stat().st_size < 1024 * 1024
    assert run_import(project, export) == 1
    assert "bomb.xlsx: unpacks to 80 MB in 1 parts (expected a table of at most 64 MB)" \
        in capsys.readouterr().err


def test_a_thread_too_long_for_one_case_is_refused(project, tmp_path, capsys):
    export = tmp_path / "long.csv"
    what, quote = "w" * 3000, "q" * 2000
    export.write_text("time,who,what,quote\n" + "".join(
        f"2024-01-01 10:{m % 60:02d},p{m % 9},{what},{quote}\n" for m in range(300)),
        encoding="utf-8")
    assert run_import(project, export, "--title", "Long") == 1
    assert "long.csv: makes a case of 1" in capsys.readouterr().err
    assert list(project.cases.iterdir()) == []


def test_a_draft_that_would_not_pass_check_is_not_written(project, tmp_path, capsys):
    export = tmp_path / "long-channel.csv"
    export.write_text("time,who,channel,quote\n2024-01-01 10:00,a," + "c" * 61 + ",hi\n",
                      encoding="utf-8")
    assert run_import(project, export, "--title", "Long channel") == 1
    err = capsys.readouterr().err
    assert "long-channel.csv: makes a draft that would not pass check (channels[1]: is 61 " \
           "characters long (expected at most 60)" in err, err
    assert list(project.cases.iterdir()) == []


@pytest.mark.parametrize("rows, message", [
    ([["who", "when"], ["a", "2024-01-01 10:00"]],
     "table.xlsx:1: the header has no `time` column (found `who`, `when`;"),
    ([["who", "time", "quote"], ["a", "2024-01-01 10:00", "hi"], [None, None, None],
      ["b", "soon", "hello"]],
     "table.xlsx:4: time: `soon` is not a time"),
    ([["who", "time", "quote"], ["a", 45000.5, "hi"]],
     "table.xlsx:2: time: `45000.5` is a number, not a time (format the cell as a date and time"),
])
def test_xlsx_problems_name_the_row(project, tmp_path, capsys, rows, message):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    export = tmp_path / "table.xlsx"
    book.save(export)
    assert run_import(project, export) == 1
    assert message in capsys.readouterr().err
    assert list(project.cases.iterdir()) == []


def test_a_thread_the_company_starts_makes_its_first_other_author_the_customer(project, tmp_path):
    export = tmp_path / "announcement.csv"
    export.write_text("time,who,quote\n2024-01-01 10:00,@Acme,Our app is down for maintenance.\n"
                      "2024-01-01 10:05,@lou,I can't pay my bill!\n"
                      "2024-01-01 10:06,@max,Same here.\n", encoding="utf-8")
    assert run_import(project, export, "--company", "acme", "--title", "Maintenance") == 0
    people = tree_values(written(project)).values["people"]
    assert {key: people.values[key].values["side"].text for key in people.keys} == {
        "acme": "company", "lou": "customer", "max": "public"}


def test_a_thread_without_latin_words_needs_a_title(project, tmp_path, capsys):
    export = tmp_path / "jp.csv"
    export.write_text("time,who,quote\n2024-01-01 10:00,@hana,荷物が届きません\n", encoding="utf-8")
    assert run_import(project, export) == 1
    assert "jp.csv: has no words in Latin letters or digits to make a title and a file name " \
           "from (give the title with --title)" in capsys.readouterr().err
    assert list(project.cases.iterdir()) == []


def test_a_table_without_channels_leaves_the_channel_to_write(project, tmp_path, capsys):
    from casebook.authoring import new
    export = tmp_path / "no-channel.csv"
    export.write_text("time,who,what\n2024-01-01 10:00,Ola,Calls the help line.\n",
                      encoding="utf-8")
    assert run_import(project, export, "--title", "Help line") == 0
    path = written(project)
    assert load_case(project).channels == ["Name of the channel"]
    text = path.read_text(encoding="utf-8")
    for placeholder, words in [(new.SUMMARY, "Ola calls."), (new.LESSON, "Pick up"),
                               (new.ORGANIZATION, "Sample Telecom"), ("draft: true", "draft: false")]:
        text = text.replace(placeholder, words)
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--cases", str(project.cases)]) == 1
    err = capsys.readouterr().err
    assert "help-line.yaml:9: channels[1]: `Name of the channel` is text from the template" in err
    assert err.count("is text from the template") == 1   # the imported words are not


def test_a_csv_saved_by_a_spreadsheet_with_semicolons_and_a_byte_order_mark(project, tmp_path):
    export = tmp_path / "excel.csv"
    export.write_bytes("\ufeffTime;Who;Quote\r\n2024-01-01 10:00;Ola;Hello, anyone?\r\n"
                       "2024-01-01 10:03:09;Help desk;Hi Ola!\r\n".encode("utf-8"))
    assert run_import(project, export, "--company", "help desk", "--title", "Hello") == 0
    case = load_case(project)
    assert [(e.when, e.who.key, e.who.side, e.quote) for e in case.timeline] == [
        ("2024-01-01 10:00:00", "ola", "customer", "Hello, anyone?"),
        ("2024-01-01 10:03:09", "help-desk", "company", "Hi Ola!")]
    assert str(case.figures.first_response) == "3 min 9 s"


def test_more_posts_or_authors_than_a_case_may_have_are_refused(project, tmp_path, capsys):
    from casebook.reading.formats import MAX_EVENTS, MAX_PEOPLE
    export = tmp_path / "many.csv"
    export.write_text(CSV_HEADER + "".join(f"2024-01-01 10:00:{n % 60:02d},p{n % 5},hi\n"
                                           for n in range(MAX_EVENTS + 1)), encoding="utf-8")
    assert run_import(project, export) == 1
    assert f"many.csv:{MAX_EVENTS + 2}: has more than {MAX_EVENTS} events (expected at most " \
           f"{MAX_EVENTS}, the events a case may have" in capsys.readouterr().err
    export.write_text(CSV_HEADER + "".join(f"2024-01-01 10:00:{n % 60:02d},p{n},hi\n"
                                           for n in range(MAX_PEOPLE + 1)), encoding="utf-8")
    assert run_import(project, export) == 1
    assert f"many.csv: has {MAX_PEOPLE + 1} authors (expected at most {MAX_PEOPLE}, the people " \
           "a case may have" in capsys.readouterr().err
    assert list(project.cases.iterdir()) == []


def test_the_neutral_what_never_says_a_reply_starts_the_thread(project, tmp_path):
    """Without its first post (a search response without includes.tweets), an X thread starts
    with a reply, and says so."""
    response = json.loads((SAMPLES / "x-search.json").read_text(encoding="utf-8"))
    del response["includes"]["tweets"]
    export = tmp_path / "replies-only.json"
    export.write_text(json.dumps(response), encoding="utf-8")
    assert run_import(project, export, "--company", "samplebankhelp", "--title", "Replies") == 0
    case = load_case(project)
    assert [(e.who.key, e.who.side, e.what.source) for e in case.timeline] == [
        ("samplebankhelp", "company", "Replies in the thread."),
        ("kim-sample", "customer", "Replies in the thread."),
        ("ana-sample", "public", "Replies in the thread.")]
    assert str(case.figures.first_response) == "—"   # the company answered first: no response


def test_one_account_is_one_person_whatever_its_posts_call_it(project, tmp_path):
    export = tmp_path / "names.csv"
    export.write_text("time,who,quote\n2024-01-01 10:00,@Ola,Hello?\n"
                      "2024-01-01 10:01,@acme,Hi!\n2024-01-01 10:02,@ola,Thanks.\n",
                      encoding="utf-8")
    assert run_import(project, export, "--company", "acme", "--title", "Names") == 0
    case = load_case(project)
    assert [(e.who.key, e.who.name, e.who.side) for e in case.timeline] == [
        ("ola", "@Ola", "customer"), ("acme", "@acme", "company"), ("ola", "@Ola", "customer")]
    assert sorted(case.people) == ["acme", "ola"]


def test_a_missing_export_is_named(project, tmp_path, capsys):
    assert run_import(project, tmp_path / "nowhere.json") == 1
    assert "nowhere.json: cannot be read (No such file or directory)" in capsys.readouterr().err
    assert list(project.cases.iterdir()) == []
