"""The downloads page's file list: what the export step left in dist/exports, with SHA-256.

Only files present at build time are listed; a folder of one file per entry
(badges) is summarised rather than listed file by file. The Global Training
Commons snapshot (exports/snapshot/) is offered first, on its own, with what it holds.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from registry.exports import snapshot

EXPORT_KINDS = {
    ".db": "SQLite database",
    ".sqlite": "SQLite database",
    ".csv": "CSV table",
    ".json": "JSON",
    ".jsonl": "JSON lines",
    ".zip": "Zip archive",
    ".atom": "Atom feed",
    ".xml": "XML",
    ".ics": "iCalendar",
    ".svg": "SVG badge",
}
EXPORT_NAMES = {
    "datapackage.json": "Data Package descriptor",
    "croissant.json": "Croissant metadata (JSON-LD)",
    "SHA256SUMS": "Checksums of every file",
    "entry.schema.json": "JSON Schema of an entry",
    "global-training-commons.schema.json": "JSON Schema of the snapshot",
}
# Folders of one file per entry, by what each file is.
FOLDER_KINDS = {
    "croissant": "Croissant metadata (JSON-LD), one per entry",
    "badges": "shields.io badge, one per entry",
}
LISTED_PER_FOLDER = (
    20  # larger folders (one badge per entry) are summarised, not listed file by file
)


def list_exports(exports_dir: Path | None) -> tuple[list[dict], list[dict]]:
    """(files, summarised folders) present in the export folder now, files with size and SHA-256."""
    if exports_dir is None or not exports_dir.is_dir():
        return [], []
    by_folder: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(p for p in exports_dir.rglob("*") if p.is_file() and p.suffix != ".sha256"):
        folder = path.parent.relative_to(exports_dir).as_posix()
        if folder.split("/")[0] != snapshot.FOLDER:  # offered on its own: snapshot_download
            by_folder[folder].append(path)
    files, folders = [], []
    for folder, paths in sorted(by_folder.items()):
        if folder != "." and len(paths) > LISTED_PER_FOLDER:
            folders.append(
                {
                    "name": folder + "/",
                    "count": len(paths),
                    "kind": FOLDER_KINDS.get(folder),
                    "size": sum(p.stat().st_size for p in paths),
                    "example": "../exports/" + paths[0].relative_to(exports_dir).as_posix(),
                    "example_name": paths[0].name,
                }
            )
            continue
        files += [_file_row(path, exports_dir) for path in paths]
    return files, folders


def _file_row(path: Path, exports_dir: Path, kind: str | None = None) -> dict:
    relative = path.relative_to(exports_dir).as_posix()
    return {
        "name": relative,
        "href": "../exports/" + relative,
        "size": path.stat().st_size,
        "sha256": _sha256(path),
        "kind": kind
        or EXPORT_NAMES.get(path.name)
        or FOLDER_KINDS.get(path.parent.relative_to(exports_dir).as_posix())
        or EXPORT_KINDS.get(path.suffix.lower(), "File"),
    }


def snapshot_download(exports_dir: Path | None) -> dict | None:
    """The snapshot's header (rules version, counts) and its files, manifest first; None when
    the export step wrote no snapshot."""
    folder = exports_dir / snapshot.FOLDER if exports_dir else None
    manifest = snapshot.manifest_in(folder) if folder and folder.is_dir() else None
    if manifest is None:
        return None
    kinds = {
        manifest.name: "The snapshot (JSON)",
        manifest.name.removesuffix(".json") + ".croissant.json": "Croissant metadata (JSON-LD)",
        "SHA256SUMS": "Checksums of the snapshot's files",
    }
    first = {name: position for position, name in enumerate(kinds)}
    paths = sorted(
        (p for p in folder.rglob("*") if p.is_file()),
        key=lambda p: (first.get(p.name, len(first)), p.as_posix()),
    )
    rows = [_file_row(p, exports_dir, kinds.get(p.name)) for p in paths]
    for row in rows:
        if row["name"].startswith(f"{snapshot.FOLDER}/notices/"):
            row["kind"] = "Licence of a catalog the imported records came from"
    return {"header": snapshot.read_header(manifest), "files": rows}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
