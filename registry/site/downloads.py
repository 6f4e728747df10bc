"""The downloads page's file list: what the export step left in dist/exports, with SHA-256.

Only files present at build time are listed; a folder of one file per entry
(badges) is summarised rather than listed file by file.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

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
        by_folder[path.parent.relative_to(exports_dir).as_posix()].append(path)
    files, folders = [], []
    for folder, paths in sorted(by_folder.items()):
        if folder != "." and len(paths) > LISTED_PER_FOLDER:
            folders.append(
                {
                    "name": folder + "/",
                    "count": len(paths),
                    "size": sum(p.stat().st_size for p in paths),
                    "example": "../exports/" + paths[0].relative_to(exports_dir).as_posix(),
                    "example_name": paths[0].name,
                }
            )
            continue
        for path in paths:
            relative = path.relative_to(exports_dir).as_posix()
            kind = EXPORT_NAMES.get(path.name) or EXPORT_KINDS.get(path.suffix.lower(), "File")
            files.append(
                {
                    "name": relative,
                    "href": "../exports/" + relative,
                    "size": path.stat().st_size,
                    "sha256": _sha256(path),
                    "kind": kind,
                }
            )
    return files, folders


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
