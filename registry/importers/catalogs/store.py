"""Imported records on disk: `imports/<source>/<id>.yaml`, one file per dataset.

The same canonical YAML as curated entries, so the build, `commons validate` and a
pull request treat both alike, and promoting a record is moving one file. Each
source's folder also holds its README (where the records came from) and the licence
texts its data licence requires to travel with it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from registry.entry.canonical import dumps
from registry.importers.catalogs.records import Imported, SourceInfo

IMPORTS = Path("imports")

README = """# Imported from the {title}

These {count} files were written by `commons import-catalog {source}` from the catalog's
data as published ({base}), snapshot of {snapshot}. Do not edit them by hand: the next
import replaces them. To fix a record, promote it to a curated entry
(`commons promote ID`), which moves it to `entries/`; the curated entry wins from then on.

Every record is `verification: declared`: its licence is the uploader's declaration,
copied from the catalog, and no person has read it. Each file's `provenance` names the
source file and, field by field, what each value was read from.

The catalog's data is licensed {licence}; its text travels with these files ({notices}).
Descriptions quoted from dataset cards are third-party text, quoted with their link.
"""


def folder_of(imports: Path, source: str) -> Path:
    return imports / source


def write_source(
    imports: Path, info: SourceInfo, records: list[Imported], notices_from: Path | None
) -> tuple[int, int]:
    """Write one source's records (replacing its previous import): (written, removed)."""
    folder = folder_of(imports, info.source)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{item.id}.yaml": dumps(item.record) for item in records}
    removed = 0
    for old in folder.glob("*.yaml"):
        if old.name not in wanted:
            old.unlink()
            removed += 1
    written = 0
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _write(path, text)
            written += 1
    for notice in info.notice_files:
        if notices_from is not None and (notices_from / notice).is_file():
            shutil.copyfile(notices_from / notice, folder / notice)
    readme = README.format(
        title=info.title,
        count=len(records),
        source=info.source,
        base=info.base,
        snapshot=info.snapshot,
        licence=info.licence,
        notices=", ".join(info.notice_files) or "none required",
    )
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return written, removed


def _write(path: Path, text: str) -> None:
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def import_folders(imports: Path) -> list[Path]:
    """The folders of imported records, one per source, sorted."""
    if not imports.is_dir():
        return []
    return sorted(path for path in imports.iterdir() if path.is_dir())
