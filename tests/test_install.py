"""Installed like a tool: pyproject.toml agrees with requirements.txt and the package folders,
and `pip install` gives a `casebook` command that starts and builds a casebook anywhere."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from casebook import VERSION
from casebook.cli import main
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_package_pins_what_requirements_txt_pins():
    assert "dependencies" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["dependencies"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["dependencies"] == {
        "file": ["requirements.txt"]}
    assert PYPROJECT["project"]["version"] == VERSION


def test_every_folder_of_the_package_is_in_the_wheel():
    folders = {".".join(path.parent.relative_to(ROOT).parts)
               for path in (ROOT / "casebook").rglob("__init__.py")}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert folders <= listed
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert mapped["casebook.templates"] == "templates" and mapped["casebook.schemas"] == "schemas"
    assert PYPROJECT["project"]["scripts"]["casebook"] == "casebook.cli:run"


def test_init_starts_a_casebook_that_passes_check_and_builds(tmp_path, capsys, monkeypatch):
    book = tmp_path / "book"
    assert main(["init", str(book)]) == 0
    assert sorted(p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file()) == [
        ".gitignore", "cases/twc-patrick-stewart-cable-wait.yaml", "site.yaml"]
    assert "/output/" in (book / ".gitignore").read_text().splitlines()
    monkeypatch.chdir(book)
    assert main(["check"], root=book, prog="casebook") == 0
    assert "1 cases checked (0 drafts)" in capsys.readouterr().out
    assert main(["build", "--only", "site", "--quiet", "--jobs", "1"], root=book,
                prog="casebook") == 0
    assert (book / "output" / "site" / "cases" / "twc-patrick-stewart-cable-wait.html").is_file()
    # init never writes into a folder that has files already.
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path / "full")]) == 1
    assert "is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_pip_install_gives_a_casebook_command_that_builds_elsewhere(tmp_path):
    """Install a copy of the package into a fresh virtual environment (offline: the pinned
    libraries are the test environment's own, through a .pth file), then `casebook init`,
    `check` and `build` a casebook in a folder that has nothing of this repository."""
    source = tmp_path / "source"
    for name in ("casebook", "templates", "schemas"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "requirements.txt"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "shared-libraries.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-build-isolation", "--no-index",
                    "--disable-pip-version-check", str(source)], check=True, cwd=tmp_path)
    command = venv / "bin" / "casebook"
    assert command.is_file()
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": "", "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}

    def casebook(*args, cwd):
        return subprocess.run([str(command), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=300)

    started = casebook("init", "academy", cwd=work)
    assert started.returncode == 0, started.stderr
    book = work / "academy"
    checked = casebook("check", cwd=book)
    assert checked.returncode == 0 and "1 cases checked" in checked.stdout, checked.stderr
    built = casebook("build", "--jobs", "1", "--quiet", cwd=book)
    assert built.returncode == 0, built.stderr
    assert "1 cases, " in built.stdout
    site = book / "output" / "site"
    assert (site / "index.html").is_file() and (site / "assets" / "style.css").is_file()
    assert (site / "pdf" / "handbook.pdf").read_bytes().startswith(b"%PDF")
    assert (book / "output" / "facilitator" / "handbook-facilitator.pdf").is_file()
    # The command ran the installed package, with its own templates, not this repository's.
    where = subprocess.run([str(python), "-c", "import casebook.render.templates as t; "
                            "print(t.TEMPLATES)"], cwd=book, env=env, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert where.startswith(purelib) and Path(where, "base.html").is_file()
    # The installed package requires exactly the pins of requirements.txt.
    pins = sorted(line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    required = subprocess.run([str(python), "-c", "from importlib.metadata import requires; "
                               "print('\\n'.join(requires('casebook')))"], cwd=book, env=env,
                              capture_output=True, text=True, check=True).stdout.split()
    assert sorted(required) == pins
    usage = casebook("--help", cwd=book)
    assert usage.stdout.startswith("usage: casebook") and "init" in usage.stdout
