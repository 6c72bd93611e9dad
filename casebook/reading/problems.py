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
    # For the line that stands for problems not listed: how many it stands for.
    hidden: int = field(default=0, compare=False)

    def __str__(self) -> str:
        # Escaped again here: a problem may be made without `Problems.add` (a file's name).
        return terminal_safe(f"{self.file}:{self.line}: {self.path or '(file)'}: {self.message}")


def terminal_safe(text: str) -> str:
    """Text with control characters written as escapes: a problem message quotes what the
    author wrote, and a terminal must not obey escape sequences hidden in a case file."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


# Past this many problems in one file, the rest are counted, not listed: a file with thousands
# of mistakes (or made to have them) must not print megabytes, and its first ones say enough.
MAX_PROBLEMS_PER_FILE = 50
MAX_MESSAGE = 1000   # characters of one message


@dataclass
class Problems:
    """Collects the problems of one file, so a run can report all of them at once (the first
    MAX_PROBLEMS_PER_FILE, then how many more)."""

    file: str
    found: list[Problem] = field(default_factory=list)
    more: int = 0
    # Notes: worth a look, but not wrong; they never stop a build (`check` exits 0).
    notes: list[Hint] = field(default_factory=list)

    def add(self, line: int, path: str, message: str) -> None:
        if len(self.found) >= MAX_PROBLEMS_PER_FILE:
            self.more += 1
            self.found[MAX_PROBLEMS_PER_FILE:] = [Problem(
                self.file, line, "", f"and {self.more} more problem{'s' * (self.more != 1)} "
                                     "in this file, not listed (fix the ones above first)",
                hidden=self.more)]
            return
        message = terminal_safe(message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + "…"
        self.found.append(Problem(self.file, line, terminal_safe(path)[:200], message))

    def note(self, line: int, path: str, message: str) -> None:
        if len(self.notes) >= MAX_PROBLEMS_PER_FILE:  # advice beyond this says nothing new
            return
        self.notes.append(Hint(line, terminal_safe(path)[:200], terminal_safe(message)))

    @property
    def full(self) -> bool:
        """Whether further problems are only counted (their messages are not shown)."""
        return len(self.found) >= MAX_PROBLEMS_PER_FILE

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
