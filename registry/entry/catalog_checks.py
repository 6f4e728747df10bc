"""Checks that need the whole catalog rather than one file: ids, aliases and lineage.

The one owner of these checks: `commons validate`, the build and the data tests
all run them (the loader through `check_across_files`). Each returns
`Problem`s naming the entry and where in its file the problem is (a field, and
an item's index in a list), so the loader can print `file:line:col` and a test
can name the entry to fix. They read only `id`, `aliases`, `derived_from` and
`included_in`, which the build's cached entries also carry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

LINEAGE_FIELDS = ("derived_from", "included_in")


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one entry, in words a contributor can act on."""

    entry_id: str
    message: str
    location: tuple = ()  # in the entry's file: ("derived_from", 2) is its third item

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.message}"


def normalised_id(value: str) -> str:
    """The form in which two ids must differ: NFKC, case-folded, without `-` and `_`."""
    return unicodedata.normalize("NFKC", value).casefold().replace("-", "").replace("_", "")


def id_collisions(files: list[tuple[str, str]]) -> list[Problem]:
    """Files whose ids (their stems) equal an earlier file's once case, `-` and `_` are ignored.

    `files`: (stem, path as shown) of every entry file, in order.
    """
    problems, owner = [], {}
    for stem, shown in files:
        key = normalised_id(stem)
        if key in owner:
            problems.append(
                Problem(
                    stem,
                    f"id collides with {owner[key]} (ids must differ after ignoring case, '-' "
                    "and '_'); choose another id",
                    ("id",),
                )
            )
        else:
            owner[key] = shown
    return problems


def alias_collisions(entries: Iterable, file_ids: Iterable[str] = ()) -> list[Problem]:
    """Aliases that equal (ignoring case, `-` and `_`) an entry's id or another entry's alias."""
    entries = list(entries)
    owner = {normalised_id(i): ("id", i) for i in [*file_ids, *(e.id for e in entries)]}
    problems = []
    for entry in entries:
        for index, alias in enumerate(entry.aliases):
            key = normalised_id(alias)
            kind, other = owner.get(key, (None, entry.id))
            if other != entry.id:
                problems.append(
                    Problem(
                        entry.id,
                        f"alias '{alias}' collides with the {kind} of entry '{other}'; an alias "
                        "must be a former id that no other entry uses as its id or alias",
                        ("aliases", index),
                    )
                )
            else:
                owner[key] = ("alias", entry.id)
    return problems


def dangling_references(entries: Iterable, file_ids: Iterable[str] = ()) -> list[Problem]:
    """derived_from / included_in values that are the entry itself or not the id of an entry.

    `file_ids`: ids of files that did not load; their own errors say what is wrong, so a
    reference to one is not reported as unknown as well.
    """
    entries = list(entries)
    ids = {e.id for e in entries} | set(file_ids)
    renamed = {alias: e.id for e in entries for alias in e.aliases}
    problems = []
    for entry in entries:
        for field in LINEAGE_FIELDS:
            for index, target in enumerate(getattr(entry, field)):
                if target == entry.id:
                    message = f"{field}: an entry cannot refer to itself; remove '{target}'"
                elif target in ids:
                    continue
                elif target in renamed:
                    message = (
                        f"{field}: unknown entry '{target}'; it was renamed to '{renamed[target]}'"
                    )
                else:
                    message = f"{field}: unknown entry '{target}'; add that entry or fix the id"
                problems.append(Problem(entry.id, message, (field, index)))
    return problems


def derivation_cycles(entries: Iterable) -> list[Problem]:
    """Loops in derived_from (A built from B built from A), one problem per entry on a loop."""
    entries = list(entries)
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
    derived = {e.id: list(e.derived_from) for e in entries}
    return [
        Problem(
            node,
            f"derived_from forms a cycle: {' -> '.join(loop)}; remove one of these derived_from "
            "links",
            ("derived_from", derived[node].index(loop[loop.index(node) + 1])),
        )
        for node, loop in sorted(on_cycle.items())
    ]


def all_problems(
    entries: Iterable,
    files: list[tuple[str, str]] = (),
    references: bool = True,
    elsewhere: Iterable[str] = (),
) -> list[Problem]:
    """Every catalog-level problem, sorted by entry id.

    `files`: (stem, path as shown) of every entry file, also those that did not load;
    `references`: whether lineage is checked (not when only some files were read, unless
    `elsewhere` names the ids of the rest of the catalog, which references may point at).
    """
    entries = list(entries)
    file_ids = [stem for stem, _ in files]
    problems = id_collisions(list(files)) + alias_collisions(entries, file_ids)
    if references:
        problems += dangling_references(entries, [*file_ids, *elsewhere])
        problems += derivation_cycles(entries)
    return sorted(problems)
