"""Registry databases for overlap tests, created from the declared schema
(registry/build/db_schema.py)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from registry.build.db_schema import TABLES
from registry.overlap.sketch import Sketch


def create(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.execute("pragma synchronous = off")
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )
    return db


def add_entry(
    db: sqlite_utils.Database,
    id: str,
    name: str,
    summary: str,
    description: str = "",
    *,
    modality: str = "text",
    languages: tuple = ("en",),
    domains: tuple = ("web",),
    source_domains: tuple = (),
    included_in: tuple = (),
    derived_from: tuple = (),
    category: str = "commons-by-default",
    licenses: tuple = ("CC-BY-4.0",),
    fingerprint: Sketch | None = None,
) -> None:
    db["entries"].insert(
        {
            "id": id,
            "name": name,
            "summary": summary,
            "description": description,
            "homepage": f"https://example.org/{id}",
            "modality": modality,
            "verification": "high",
            "status": "active",
            "source_path": f"entries/{id}.yaml",
            "digest": "0" * 64,
        }
    )
    db["catalog"].insert(
        {
            "id": id,
            "name": name,
            "summary": summary,
            "description": description,
            "category": category,
            "license_family": "open",
            "licenses": json.dumps(list(licenses)),
            "modality": modality,
            "languages": json.dumps(list(languages)),
            "domains": json.dumps(list(domains)),
            "publisher": "Example",
            "publisher_type": "nonprofit",
            "verification": "high",
            "status": "active",
        }
    )
    db["domains"].insert_all({"entry_id": id, "domain": d} for d in domains)
    db["languages"].insert_all({"entry_id": id, "language": tag} for tag in languages)
    db["source_domains"].insert_all({"entry_id": id, "host": h} for h in source_domains)
    db["lineage"].insert_all(
        [{"entry_id": id, "relation": "included_in", "related_id": r} for r in included_in]
        + [{"entry_id": id, "relation": "derived_from", "related_id": r} for r in derived_from]
    )
    if fingerprint is not None:
        db["fingerprints"].insert(
            {
                "entry_id": id,
                "path": f"fingerprints/{id}.json",
                "sha256": fingerprint.sha256,
                "num_perm": fingerprint.num_perm,
                "shingles": fingerprint.shingles,
                "sketch": fingerprint.dumps(),
            }
        )


def from_entries(path: Path, folder: Path) -> sqlite_utils.Database:
    """A database of the real entries with just the columns the overlap check reads.

    Used only while `commons build` is unavailable on this branch; categories
    are then `undetermined`, since classification is the build's job.
    """
    from registry.entry.loader import load

    db = create(path)
    loaded = load([folder])
    for item in loaded:
        e = item.entry
        add_entry(
            db,
            e.id,
            e.name,
            e.summary,
            e.description or "",
            modality=e.modality,
            languages=tuple(e.languages),
            domains=tuple(e.domains),
            source_domains=tuple(e.source_domains),
            category="undetermined",
            licenses=tuple(x.expression for x in e.licenses),
        )
    for item in loaded:
        e = item.entry
        db["lineage"].insert_all(
            [{"entry_id": e.id, "relation": "included_in", "related_id": r} for r in e.included_in]
            + [
                {"entry_id": e.id, "relation": "derived_from", "related_id": r}
                for r in e.derived_from
            ],
            ignore=True,
        )
    return db


def add_wiki_entries(db) -> None:
    """A corpus, two Wikipedias (one inside the corpus) and a dataset derived from one of them:
    one entry for each kind of pair (lineage, shared sources, description)."""
    add_entry(
        db,
        "big-corpus",
        "Big open corpus",
        "A mixture of open text sources for language models.",
        domains=("web",),
    )
    add_entry(
        db,
        "wiki-en",
        "English Wikipedia",
        "All articles of the English encyclopedia.",
        source_domains=("en.wikipedia.org",),
        included_in=("big-corpus",),
    )
    add_entry(
        db,
        "wiki-fr",
        "French Wikipedia",
        "Tous les articles de l'encyclopédie.",
        languages=("fr",),
        source_domains=("fr.wikipedia.org",),
    )
    add_entry(
        db,
        "wikitext",
        "WikiText",
        "Language modelling benchmark of good and featured articles.",
        source_domains=("en.wikipedia.org",),
        derived_from=("wiki-en",),
    )


def built_with_imports(root: Path, records: list[str]) -> Path:
    """The curated entries plus the named real imported OTDI records (imports/otdi/), built the
    way `commons build` reads a checkout (imports/<source>/ beside entries/); the database path."""
    import shutil

    from click.testing import CliRunner

    from registry.commands.cli import cli

    project = Path(__file__).resolve().parents[2]
    shutil.copytree(project / "entries", root / "entries")
    (root / "imports" / "otdi").mkdir(parents=True)
    for record in records:
        shutil.copy(project / "imports" / "otdi" / f"{record}.yaml", root / "imports" / "otdi")
    db = root / "registry.db"
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(root / "entries"), "--out", str(db), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    return db
