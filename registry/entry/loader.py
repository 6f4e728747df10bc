"""The loader: the only code that reads entry files.

It reads every file, collects every error with its position and a hint, and
either returns all entries or raises all errors at once. It never drops a
file: the number of entries returned equals the number of files given.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from registry.entry import spoofing
from registry.entry.catalog_checks import all_problems
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.imported import entry_model
from registry.entry.schema import ID_PATTERN, Entry, field_order
from registry.entry.strict_yaml import YamlErrors, YamlFile, read

FIELD_ORDER = field_order()


@dataclass(frozen=True)
class LoadedEntry:
    """A validated entry with where it came from, and what review should look at."""

    path: str
    entry: Entry
    digest: str
    warnings: tuple[EntryError, ...] = ()


def display_path(path: Path) -> str:
    """A path as users typed it: relative to the working directory when inside it."""
    return display_paths([path])[0]


def display_paths(paths: list) -> list[str]:
    """display_path of each path, reading the working directory once for all of them."""
    # os.path, not pathlib: this runs once per file of every build.
    cwd = os.getcwd()
    names = []
    for path in paths:
        folder, name = os.path.split(os.fspath(path))
        shown = _display_folder(folder or ".", cwd)
        names.append(name if shown == "." else os.path.join(shown, name))
    return names


def file_stem(path) -> str:
    """The file name without its extension: an entry's id (os.path, not pathlib: it runs per
    file)."""
    return os.path.splitext(os.path.basename(path))[0]


@lru_cache(maxsize=256)
def _display_folder(folder: str, cwd: str) -> str:
    # One relpath per folder, not per file: 10,000 entries share one folder.
    try:
        relative = os.path.relpath(folder, cwd)
    except ValueError:
        return folder
    return folder if relative.startswith("..") else relative


def entry_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their `*.yaml` files, sorted, so runs are deterministic."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(path / name for name in entry_names(path))
        else:
            files.append(path)
    return files


def entry_names(folder: Path) -> list[str]:
    """The names of the `*.yaml` files in `folder`, sorted (names, not paths: a build lists
    26,000 of them, and a Path each cost more than the listing)."""
    with os.scandir(folder) as found:
        return sorted(
            item.name for item in found if item.name.endswith((".yaml", ".yml")) and item.is_file()
        )


def parse_entry(path: str, data: bytes) -> LoadedEntry:
    """Read and validate one file's bytes. Raises EntryErrors, and nothing else."""
    try:
        document = read(path, data)
    except YamlErrors as problems:
        raise EntryErrors(problems.errors) from None
    spoofed, suspicious = spoofing.check(document)
    errors = [EntryError(path, *problem[1:]) for problem in spoofed]
    try:
        entry = entry_model(document.value).model_validate(document.value)
    except ValidationError as error:
        # A value the spoofing check explained is not reported twice.
        explained = {problem.location for problem in spoofed}
        errors += [
            schema_error(document, detail)
            for detail in error.errors(include_url=False)
            if tuple(detail["loc"]) not in explained
        ]
    if errors:
        raise EntryErrors(errors) from None
    stem = file_stem(path)
    if entry.id != stem:
        line, col = document.position(("id",))
        raise EntryErrors(
            [
                EntryError(
                    path,
                    line,
                    col,
                    f"id must match {ID_PATTERN} and equal the filename: the file is named "
                    f"'{stem}.yaml' but id is '{entry.id}'",
                )
            ]
        )
    warnings = tuple(EntryError(path, *finding[1:]) for finding in suspicious)
    return LoadedEntry(path, entry, hashlib.sha256(data).hexdigest(), warnings)


def load(
    paths: list[Path],
    check_references: bool | None = None,
    catalog_ids: frozenset[str] | None = None,
) -> list[LoadedEntry]:
    """Load every entry under `paths`; raise EntryErrors listing every problem in every file.

    Lineage references are checked when whole folders are loaded (the default), since a
    single file's references point at entries that were not read; or, given `catalog_ids`
    (the ids of the whole catalog the paths belong to), always, against the whole catalog.
    """
    files = entry_files(paths)
    if check_references is None:
        check_references = catalog_ids is not None or all(path.is_dir() for path in paths)
    loaded: list[LoadedEntry] = []
    errors: list[EntryError] = []
    for file, name in zip(files, display_paths(files), strict=True):
        try:
            data = file.read_bytes()
        except OSError as error:
            errors.append(EntryError(name, 1, 1, f"cannot read file: {error.strerror}"))
            continue
        try:
            loaded.append(parse_entry(name, data))
        except EntryErrors as problems:
            errors.extend(problems.errors)
    errors += check_across_files(files, loaded, check_references, catalog_ids or ())
    if errors:
        raise EntryErrors(errors)
    return loaded


def check_across_files(
    files: list[Path],
    loaded: list[LoadedEntry],
    check_references: bool = True,
    elsewhere: Iterable[str] = (),
) -> list[EntryError]:
    """Errors no single file shows (catalog_checks), each at its line and column.

    Public so that callers that parse files themselves (the build's cache) apply the same
    checks. A file that failed to parse still names an entry: its own errors say what is
    wrong, so references to it are not reported as unknown as well.
    """
    shown = display_paths(files)
    stems = [file_stem(file) for file in files]
    problems = all_problems(
        [item.entry for item in loaded],
        list(zip(stems, shown, strict=True)),
        check_references,
        elsewhere,
    )
    path_of = dict(zip(stems, shown, strict=True)) | {item.entry.id: item.path for item in loaded}
    documents: dict[str, YamlFile | None] = {}
    errors = []
    for problem in problems:
        path = path_of[problem.entry_id]
        if path not in documents:
            documents[path] = _reread(path)
        document = documents[path]
        line, col = document.position(problem.location) if document else (1, 1)
        errors.append(EntryError(path, line, col, problem.message))
    return errors


def _reread(path: str) -> YamlFile | None:
    """A file with a catalog problem, read again for positions (such files are rare)."""
    try:
        return read(path, Path(path).read_bytes())
    except (OSError, YamlErrors):
        return None


# Schema errors → messages a contributor can act on


def schema_error(document: YamlFile, detail: dict, order: dict = FIELD_ORDER) -> EntryError:
    """One pydantic error as an EntryError at its line and column, with a hint; `order` is the
    model's field order (registry.entry.schema.field_order), for 'did you mean' and allowed keys."""
    location = tuple(detail["loc"])
    kind = detail["type"]
    field = _field_label(location)
    if kind == "extra_forbidden":
        parent, key = location[:-1], str(location[-1])
        line, col = document.key_position(parent, key)
        known = list(_known_keys(parent, order))
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else f"; allowed keys: {', '.join(known)}"
        return EntryError(document.path, line, col, f"unknown key '{key}'{hint}")
    if kind == "missing":
        line, col = document.position(location[:-1])
        return EntryError(document.path, line, col, f"missing required key '{field}'")
    line, col = document.position(location)
    if location == ("id",) and kind == "string_pattern_mismatch":
        return EntryError(
            document.path,
            line,
            col,
            f"id '{detail['input']}' must match {ID_PATTERN} (lowercase letters, digits and "
            "'-') and equal the filename",
        )
    return EntryError(document.path, line, col, f"{field}: {_describe(detail)}")


def _field_label(location: tuple) -> str:
    label = ""
    for part in location:
        if isinstance(part, int):
            label += f"[{part}]"
        elif not str(part).startswith(("function-", "literal[")):
            label += f".{part}" if label else str(part)
    return label or "entry"


def _known_keys(location: tuple, order: dict) -> dict:
    for part in location:
        if isinstance(part, str) and isinstance(order, dict) and isinstance(order.get(part), dict):
            order = order[part]
    return order


def _describe(detail: dict) -> str:
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    shown = f"'{value}'" if isinstance(value, str) else _kind_name(value)
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "literal_error":
        return (
            f"{shown} is not allowed; expected one of: "
            f"{ctx.get('expected', '').replace(chr(39), '')}"
        )
    if kind == "string_pattern_mismatch":
        return f"{shown} must match {ctx.get('pattern')} (lowercase letters, digits and '-')"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty" if kind == "string_too_short" else "needs at least one item"
    if kind in ("string_too_long", "too_long"):
        return (
            f"is too long (at most {ctx.get('max_length')} "
            f"{'characters' if kind == 'string_too_long' else 'items'})"
        )
    if kind == "string_type":
        return f"expected text, got {_kind_name(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_kind_name(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_kind_name(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        return (
            f"{shown} must be {'at least' if kind == 'greater_than_equal' else 'at most'} {bound}"
        )
    return f"{shown}: {detail['msg']}"


def _kind_name(value) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"
