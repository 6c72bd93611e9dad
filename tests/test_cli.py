"""The command line as the contract gives it: build, check, new, exit codes, summary line."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.cli import main
from conftest import CASE_YAML, ROOT


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_the_contracts_layout(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    assert main(project.args()) == 0
    site = project.out / "site"
    for page in ["index.html", "cases/picard.html", "lessons.html", "tags/celebrity.html",
                 "tags/public-reply.html"]:
        assert (site / page).is_file(), page
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith("1 cases, ") and " pages, " in summary and summary.endswith(" s")


def test_case_page_shows_the_case(project):
    project.write("picard.yaml", CASE_YAML)
    main(project.args("--only", "site"))
    # A time keeps its number and unit together with no-break spaces (render.templates.unbroken).
    page = (project.out / "site/cases/picard.html").read_text().replace("\u00a0", " ")
    for text in ["Picard waits for cable", "Tweets his frustration at the wait for cable installation.",
                 "within 2 minutes", "≤ 2 min", "≤ 2 days", "Take it private, then fix it",
                 "When Sir Patrick Stewart Tweets for Customer Service, Make It So",
                 "What should the second reply have said?"]:
        assert text in page, text
    assert "Points to draw out" not in page  # facilitator notes never on the site


def test_drafts_are_checked_but_not_published(project):
    project.write("picard.yaml", CASE_YAML)
    project.write("draft.yaml", CASE_YAML.replace("draft: false", "draft: true")
                  .replace("Picard waits for cable", "A draft case"))
    assert main(project.args("--only", "site")) == 0
    site = project.out / "site"
    assert not (site / "cases/draft.html").exists()
    assert "A draft case" not in (site / "index.html").read_text()


def test_lessons_page_groups_takeaways_by_theme(project):
    project.write("picard.yaml", CASE_YAML)
    main(project.args("--only", "site"))
    lessons = (project.out / "site/lessons.html").read_text()
    channel = lessons.index("Take it to the right channel")
    assert lessons.index("Take it private, then fix it") > channel
    assert 'href="cases/picard.html"' in lessons


def test_invalid_input_exits_1_and_publishes_nothing(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    assert main(project.args("--only", "site")) == 0
    before = tree_digest(project.out)
    project.write("broken.yaml", CASE_YAML.replace("outcome: negative", "outcome: dunno"))
    assert main(project.args("--only", "site")) == 1
    err = capsys.readouterr().err
    assert "broken.yaml:7: outcome: `dunno` is not allowed" in err
    assert "1 problem in 1 file; nothing was published" in err
    assert tree_digest(project.out) == before


def test_check_validates_only(project, capsys):
    project.write("picard.yaml", CASE_YAML)
    assert main(["check", "--cases", str(project.cases)]) == 0
    assert "1 cases checked" in capsys.readouterr().out
    assert not project.out.exists()
    project.write("bad.yaml", "title: [")
    assert main(["check", "--cases", str(project.cases)]) == 1


def test_check_hints_which_event_to_date_after_an_undated_start(project, capsys):
    project.write("picard.yaml", CASE_YAML.replace("  - when: next day", "  - when: 2014-02-18"))
    assert main(["check", "--cases", str(project.cases)]) == 0   # a note, not a problem
    err = capsys.readouterr().err
    assert ("picard.yaml:17: timeline[1].when: note: the start is not dated, so only the times "
            "after event 3 (2014-02-18) are measured") in err
    assert "give this event a date (`2014-02-18` or earlier)" in err
    project.write("picard.yaml", CASE_YAML)
    assert main(["check", "--cases", str(project.cases)]) == 0
    assert "the start is not dated" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["frobnicate"], ["new"], ["check", "Some title"], ["--only", "everything"], ["--jobs", "0"],
    ["--port", "99999"], ["--no-such-option"],
])
def test_wrong_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_new_writes_a_draft_that_passes_check(project, capsys):
    assert main(["new", "Chat customer tweets the director", "--cases", str(project.cases)]) == 0
    path = project.cases / "chat-customer-tweets-the-director.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / text.splitlines()[0].split("$schema=")[1]).resolve()
    assert schema == ROOT / "schemas" / "case.schema.json"
    assert "draft: true" in text and "theme: speed" in text  # the first theme of site.yaml
    assert main(["check", "--cases", str(project.cases)]) == 0
    assert "(1 draft)" in capsys.readouterr().out


def test_new_never_overwrites(project, capsys):
    path = project.write("picard-waits.yaml", "my precious work\n")
    assert main(["new", "Picard waits", "--cases", str(project.cases)]) == 1
    assert path.read_text() == "my precious work\n"
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("existing", ["picard-waits.yml", "Picard-Waits.yaml"])
def test_new_never_takes_another_spelling_of_an_existing_name(project, existing, capsys):
    project.write(existing, "my precious work\n")
    assert main(["new", "Picard waits", "--cases", str(project.cases)]) == 1
    assert sorted(p.name for p in project.cases.iterdir()) == [existing]
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_a_title_without_letters_for_a_file_name(project, capsys):
    assert main(["new", "!!!", "--cases", str(project.cases)]) == 1
    assert "no letters or digits" in capsys.readouterr().err


def test_same_input_builds_byte_identical_output(project, tmp_path):
    project.write("picard.yaml", CASE_YAML)
    main(project.args("--only", "site"))
    first = tree_digest(project.out / "site")
    main(["--only", "site", "--cases", str(project.cases), "--out", str(tmp_path / "again")])
    assert tree_digest(tmp_path / "again" / "site") == first


def test_only_site_keeps_handouts_of_cases_still_published(project):
    project.write("picard.yaml", CASE_YAML)
    project.write("other.yaml", CASE_YAML.replace("Picard waits for cable", "Another case"))
    main(project.args("--only", "site"))
    pdf_dir = project.out / "site" / "pdf"
    pdf_dir.mkdir()
    for slug in ["picard", "other", "handbook"]:
        (pdf_dir / f"{slug}.pdf").write_bytes(b"%PDF-1.7 previous handout")
    assert main(project.args("--only", "site")) == 0
    assert sorted(p.name for p in pdf_dir.iterdir()) == ["handbook.pdf", "other.pdf", "picard.pdf"]
    (project.cases / "other.yaml").unlink()
    assert main(project.args("--only", "site")) == 0
    # The handbook still shows the removed case, so it goes with it.
    assert sorted(p.name for p in pdf_dir.iterdir()) == ["picard.pdf"]
    assert 'href="../pdf/picard.pdf"' in (project.out / "site/cases/picard.html").read_text()


def test_build_py_runs_as_a_script(project):
    project.write("picard.yaml", CASE_YAML)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), *project.args("--only", "site")],
                          capture_output=True, text=True, cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress output when not a terminal
    assert done.stdout.startswith("1 cases, ")
