"""Every export file of registry.db, rendered in memory, then written with SHA256SUMS.

The output is a pure function of the database (and `--previous`), so two runs
give byte-identical files.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from registry.exports import (
    badges,
    calendar,
    croissant,
    csv_export,
    datapackage,
    entry_croissant,
    feeds,
    json_export,
    snapshot,
)
from registry.exports.source import Registry, read_registry

# Licence of the catalog's own metadata, declared in the Data Package and Croissant files.
CATALOG_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"


def render(
    registry: Registry,
    formats: tuple[str, ...],
    previous: Registry | None = None,
    site_url: str = "",
    base_url: str = "",
    imports: Path | None = None,
) -> dict[str, bytes]:
    """Every exported file, keyed by its path under the export folder."""
    files: dict[str, bytes] = {}
    if "snapshot" in formats:
        made = snapshot.render(registry, site_url, CATALOG_LICENSE, imports)
        folder = snapshot.FOLDER + "/"
        sums = checksums({path.removeprefix(folder): data for path, data in made.items()})
        files.update(made)
        files[folder + "SHA256SUMS"] = sums
    if "csv" in formats or "datapackage" in formats or "croissant" in formats:
        files.update(csv_export.render(registry))
    if "datapackage" in formats:
        files.update(datapackage.render(registry, site_url, files))
    if "croissant" in formats:
        files.update(croissant.render(registry, files, site_url, base_url, CATALOG_LICENSE))
        files.update(entry_croissant.render(registry, site_url, CATALOG_LICENSE))
    if "json" in formats:
        files.update(json_export.render(registry))
    if "feeds" in formats:
        files.update(feeds.render(registry, previous, site_url, base_url))
        files.update(calendar.render(registry, site_url))
        files.update(badges.render(registry))
    return files


def checksums(files: dict[str, bytes]) -> bytes:
    """`sha256sum -c` compatible lines for every file, sorted by path."""
    return "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())
    ).encode("utf-8")


def remove_stale(out: Path, sub: str, files: dict[str, bytes]) -> None:
    """Files under `out/sub` this export does not write (a removed entry's badge) must not
    survive."""
    for path in sorted((out / sub).rglob("*"), reverse=True):
        name = path.relative_to(out).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif name not in files:
            path.unlink()


def write_if_changed(target: Path, data: bytes) -> None:
    """Write `data` unless the file holds it already: after one entry changes, `commons serve
    --watch` re-exports, and all but a few of the 26,000 badges are the same bytes."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return
    except (FileNotFoundError, NotADirectoryError):
        target.parent.mkdir(parents=True, exist_ok=True)
    except IsADirectoryError:
        shutil.rmtree(target)
    target.write_bytes(data)


def write(
    db: Path,
    out: Path,
    formats: tuple[str, ...],
    previous: Path | None = None,
    site_url: str = "",
    base_url: str | None = None,
    imports: Path | None = None,
) -> dict[str, bytes]:
    """Render and write the exports, the database copy (sqlite) and SHA256SUMS."""
    registry = read_registry(db)
    before = read_registry(previous) if previous else None
    base = base_url if base_url is not None else ""
    files = render(registry, formats, before, site_url, base, imports)
    if "sqlite" in formats:
        files["registry.db"] = db.read_bytes()
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("csv", "feeds", "calendar", "badges", entry_croissant.FOLDER, snapshot.FOLDER):
        if (out / sub).is_dir() and any(path.startswith(f"{sub}/") for path in files):
            remove_stale(out, sub, files)
    for path, data in files.items():
        write_if_changed(out / path, data)
    # The checksum list covers every file in the folder, also those of earlier runs with other
    # formats.
    present = dict(files)
    for path in out.rglob("*"):
        name = path.relative_to(out).as_posix()
        if name not in present and path.is_file() and name != "SHA256SUMS":
            present[name] = path.read_bytes()
    sums = checksums(present)
    (out / "SHA256SUMS").write_bytes(sums)
    files["SHA256SUMS"] = sums
    return files
