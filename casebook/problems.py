"""Problems found in input files, reported as `FILE:LINE: field.path: message`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '(file)'}: {self.message}"


@dataclass
class Problems:
    """Collects every problem of one file, so a run can report all of them at once."""

    file: str
    found: list[Problem] = field(default_factory=list)

    def add(self, line: int, path: str, message: str) -> None:
        self.found.append(Problem(self.file, line, path, message))

    def __bool__(self) -> bool:
        return bool(self.found)


class InvalidInput(Exception):
    """Raised with every problem of a run; the command line prints them and exits 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))
