"""Checks that need the whole catalog rather than one file: evidence, lineage, aliases.

Each check takes the loaded entries and returns `Problem`s naming the entry,
so a test (or a command) can report every problem at once and say which entry
to fix. Loading with `check_references=False` lets broken catalogs reach them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from registry.entry.schema import Entry

LINEAGE_FIELDS = ("derived_from", "included_in")


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one entry, in words a contributor can act on."""

    entry_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.message}"


def missing_evidence(entries: Iterable[Entry]) -> list[Problem]:
    """Entries without at least one evidence URL."""
    return [
        Problem(e.id, "evidence: add a page where the licence or rights statement can be read")
        for e in entries
        if not any(item.url for item in e.evidence)
    ]


def dangling_references(entries: Iterable[Entry]) -> list[Problem]:
    """derived_from / included_in values that are not the id of an entry."""
    entries = list(entries)
    ids = {e.id for e in entries}
    renamed = {alias: e.id for e in entries for alias in e.aliases}
    problems = []
    for entry in entries:
        for field in LINEAGE_FIELDS:
            for target in getattr(entry, field):
                if target == entry.id:
                    problems.append(Problem(entry.id, f"{field}: an entry cannot refer to itself"))
                elif target not in ids:
                    hint = (
                        f"it was renamed to '{renamed[target]}'"
                        if target in renamed
                        else "add that entry or fix the id"
                    )
                    problems.append(Problem(entry.id, f"{field}: unknown entry '{target}'; {hint}"))
    return problems


def derivation_cycles(entries: Iterable[Entry]) -> list[Problem]:
    """Loops in derived_from (A built from B built from A), one problem per entry on a loop."""
    parents = {e.id: [p for p in e.derived_from if p != e.id] for e in entries}
    on_cycle: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for parent in parents.get(node, []):
            if parent not in parents:
                continue
            if state.get(parent) == 1:
                loop = path[path.index(parent) :] + [parent]
                for member in loop[:-1]:
                    on_cycle.setdefault(member, loop)
            elif state.get(parent) is None:
                visit(parent)
        path.pop()
        state[node] = 2

    for node in sorted(parents):
        if node not in state:
            visit(node)
    return [
        Problem(node, f"derived_from forms a cycle: {' -> '.join(loop)}")
        for node, loop in sorted(on_cycle.items())
    ]


def alias_collisions(entries: Iterable[Entry]) -> list[Problem]:
    """Aliases that equal an entry id or another entry's alias."""
    entries = list(entries)
    ids = {e.id for e in entries}
    owner: dict[str, str] = {}
    problems = []
    for entry in entries:
        for alias in entry.aliases:
            if alias in ids:
                problems.append(
                    Problem(
                        entry.id,
                        f"alias '{alias}' is also the id of an entry; an alias must be a "
                        "former id that no entry uses",
                    )
                )
            elif alias in owner and owner[alias] != entry.id:
                problems.append(
                    Problem(entry.id, f"alias '{alias}' is also an alias of '{owner[alias]}'")
                )
            else:
                owner[alias] = entry.id
    return problems


def all_problems(entries: Iterable[Entry]) -> list[Problem]:
    """Every catalog-level problem, sorted by entry id."""
    entries = list(entries)
    return sorted(
        missing_evidence(entries)
        + dangling_references(entries)
        + derivation_cycles(entries)
        + alias_collisions(entries)
    )
