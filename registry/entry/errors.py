"""The one error type users see: a position in a file and a message with a hint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class EntryError(Exception):
    """A problem in an entry file, printed as `path:line:col: message`."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class EntryErrors(Exception):
    """Every error found in one run, raised once so none is hidden behind another."""

    def __init__(self, errors: list[EntryError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
