"""Problems found in input files, reported as `FILE:LINE: field.path: message`."""
from __future__ import annotations

from dataclasses import dataclass, field

from casebook.model.case import Hint


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '(file)'}: {self.message}"


def terminal_safe(text: str) -> str:
    """Text with control characters written as escapes: a problem message quotes what the
    author wrote, and a terminal must not obey escape sequences hidden in a case file."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


@dataclass
class Problems:
    """Collects every problem of one file, so a run can report all of them at once."""

    file: str
    found: list[Problem] = field(default_factory=list)
    # Notes: worth a look, but not wrong; they never stop a build (`check` exits 0).
    notes: list[Hint] = field(default_factory=list)

    def add(self, line: int, path: str, message: str) -> None:
        self.found.append(Problem(self.file, line, terminal_safe(path)[:200],
                                  terminal_safe(message)))

    def note(self, line: int, path: str, message: str) -> None:
        self.notes.append(Hint(line, terminal_safe(path)[:200], terminal_safe(message)))

    def __bool__(self) -> bool:
        return bool(self.found)


def note(file: str, line: int, path: str, message: str) -> Problem:
    """A note, printed like a problem (`FILE:LINE: field: note: ...`) but never one."""
    return Problem(file, line, terminal_safe(path)[:200], "note: " + terminal_safe(message))


def notes_summary(notes: list[Problem]) -> str:
    count = len(notes)
    return f"{count} note{'s' * (count != 1)} (not problems: the build goes ahead)" if count else ""


class InvalidInput(Exception):
    """Raised with every problem of a run; the command line prints them and exits 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))
