"""The files a build reads: curated entries (`entries/`), then the records imported from
open catalogs (`imports/<source>/`, beside `entries/`). A curated entry wins: an
imported record with the same id (one that was promoted) is not read."""

from __future__ import annotations

from pathlib import Path

from registry.entry.loader import entry_names

IMPORTS = "imports"


def import_folders(entries: Path) -> list[Path]:
    """`imports/<source>/` beside the entries folder, sorted; none when there is none."""
    folder = entries.resolve().parent / IMPORTS
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_dir())


def source_files(entries: Path, imports: bool = True) -> list[Path]:
    """Every entry file the build reads: curated first, then (with `imports`) imported ones no
    curated file overrides."""
    return [folder / name for folder, names in source_listing(entries, imports) for name in names]


def source_listing(entries: Path, imports: bool = True) -> list[tuple[Path, list[str]]]:
    """source_files as (folder, the names of its files read) for each folder, in that order."""
    if entries.is_dir():
        listing = [(entries, entry_names(entries))]
    else:  # one file, as entry_files takes it
        listing = [(entries.parent, [entries.name])]
    curated = listing[0][1]
    if not imports:
        return listing
    taken = set(curated)
    for folder in import_folders(entries):
        names = [name for name in entry_names(folder) if name not in taken]
        taken.update(names)
        listing.append((folder, names))
    return listing


def repository_path(path: str, filename: str) -> str:
    """The file's path inside the repository, whatever folder the build was pointed at:
    `imports/<source>/<id>.yaml` for an imported record, else `entries/<id>.yaml`."""
    parent = Path(path).parent
    if parent.parent.name == IMPORTS:
        return f"{IMPORTS}/{parent.name}/{filename}"
    return f"entries/{filename}"
