"""The files a build reads: curated entries (`entries/`), then the records imported from
open catalogs (`imports/<source>/`, beside `entries/`). A curated entry wins: an
imported record with the same id (one that was promoted) is not read."""

from __future__ import annotations

from pathlib import Path

from registry.entry.loader import entry_files

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
    curated = entry_files([entries])
    if not imports:
        return curated
    taken = {file.name for file in curated}
    files = list(curated)
    for folder in import_folders(entries):
        for file in entry_files([folder]):
            if file.name not in taken:
                taken.add(file.name)
                files.append(file)
    return files


def repository_path(path: str, filename: str) -> str:
    """The file's path inside the repository, whatever folder the build was pointed at:
    `imports/<source>/<id>.yaml` for an imported record, else `entries/<id>.yaml`."""
    parent = Path(path).parent
    if parent.parent.name == IMPORTS:
        return f"{IMPORTS}/{parent.name}/{filename}"
    return f"entries/{filename}"
