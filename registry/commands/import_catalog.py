"""`commons import-catalog` and `commons promote`: records from open catalogs, kept in
`imports/<source>/`, and a record made a curated entry in one command."""

from __future__ import annotations

from pathlib import Path

import click

from registry.commands.entries import DEFAULT_ENTRIES

SOURCES = ("common-pile", "danish-dynaword", "otdi")  # the order duplicates are settled in
DEFAULT_IMPORTS = Path("imports")


def folder_options(command):
    """--entries and --imports, which both commands take."""
    command = click.option(
        "--imports",
        default=str(DEFAULT_IMPORTS),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Imported records.",
    )(command)
    return click.option(
        "--entries",
        default=str(DEFAULT_ENTRIES),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Curated entries.",
    )(command)


def _read_records(source: str, folder: Path):
    from registry.importers.catalogs import cards, otdi

    if source == "otdi":
        return otdi.INFO, *otdi.records(folder)
    if source == "common-pile":
        return cards.COMMON_PILE, *cards.common_pile(folder)
    return cards.DYNAWORD, *cards.dynaword(folder)


def _seen_before(entries: Path, imports: Path, source: str):
    """Identities of the curated entries, then of the sources imported ahead of `source`."""
    import yaml

    from registry.importers.catalogs.dedup import Seen
    from registry.importers.catalogs.store import folder_of

    seen = Seen()
    for path in sorted(entries.glob("*.yaml")):
        seen.add(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader), "curated", access=True)
    for earlier in SOURCES[: SOURCES.index(source)]:
        for path in sorted(folder_of(imports, earlier).glob("*.yaml")):
            seen.add(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader), earlier)
    return seen


@click.command(name="import-catalog")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@folder_options
def import_catalog_command(source, folder, entries, imports):
    """Import every dataset of an open catalog, as published, into IMPORTS/SOURCE/.

    FOLDER is the catalog's repository as published (local files only, never the
    network): otdi, the AI Alliance's open-trusted-data-initiative; common-pile, the
    Danish Foundation Models site (its docs/data/*_filtered cards); danish-dynaword,
    the DFM datasheets. Records that repeat a curated entry, or a source earlier in
    the order common-pile, danish-dynaword, otdi, are left out and listed.

    Example: commons import-catalog otdi ../open-trusted-data-initiative
    """
    from registry.importers.catalogs.dedup import keep_new
    from registry.importers.catalogs.store import write_source

    try:
        info, found, notes = _read_records(source, folder)
    except ValueError as error:  # a file of the catalog that cannot be read as published
        raise click.ClickException(str(error)) from None
    kept, dropped = keep_new(found, _seen_before(entries, imports, source), source)
    for line in [*notes, *dropped, *(n for item in kept for n in item.notes)]:
        click.echo(f"note: {line}", err=True)
    written, removed = write_source(imports, info, kept, folder)
    click.echo(
        f"{source}: {len(kept)} records in {imports / source} ({written} written, {removed} "
        f"removed); {len(dropped)} duplicates left out"
    )


@click.command(name="promote")
@click.argument("entry_id")
@folder_options
def promote_command(entry_id, entries, imports):
    """Make the imported record ENTRY_ID a curated entry: move it to ENTRIES/ENTRY_ID.yaml.

    From then on the curated file is the entry: the build reads it, later imports leave
    the record out, and a pull request can fix it like any entry. It keeps its
    provenance and `verification: declared` until a person reads the licence.

    Example: commons promote huckiyang-dipco
    """
    import os

    from registry.importers.catalogs.store import import_folders

    found = [folder / f"{entry_id}.yaml" for folder in import_folders(imports)]
    found = [path for path in found if path.is_file()]
    target = entries / f"{entry_id}.yaml"
    if not found:
        raise click.ClickException(f"no imported record {entry_id} in {imports}/*/")
    if target.exists():
        raise click.ClickException(f"{target} exists: the curated entry already wins")
    entries.mkdir(parents=True, exist_ok=True)
    os.replace(found[0], target)
    click.echo(f"{found[0]} -> {target}")
    click.echo(
        "Now read the licence at the evidence URL and set verification (high, medium or low); "
        "fill in publisher.type, modality and domains; run `commons validate`.",
        err=True,
    )
