"""`commons import`: a draft entry from another catalog's metadata file."""

from __future__ import annotations

from pathlib import Path

import click

from registry.commands.entries import DEFAULT_ENTRIES, report_errors
from registry.importers import FORMATS


def _report_draft(draft, path: str) -> None:
    """What the contributor must know about a draft: notes, unmapped fields, fields to check."""
    from registry.importers.draft import ALWAYS_CHECK

    for note in draft.notes:
        click.echo(f"note: {note}", err=True)
    if draft.unmapped:
        click.echo(
            f"not mapped (fields of {path} with no place in an entry): {', '.join(draft.unmapped)}",
            err=True,
        )
    checks = {**ALWAYS_CHECK, **draft.checks}
    click.echo(f"CHECK ({len(checks)} field(s) to fill in by hand):", err=True)
    for location, why in checks.items():
        field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in location)
        click.echo(f"  {field.replace('.[', '[')}: {why}", err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Format of FILE; auto guesses from the name and content.",
)
@click.option(
    "--out",
    "out",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the draft into.",
)
@click.option(
    "--entries",
    "entries",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Registry entries, to match source datasets to ids.",
)
@click.option(
    "--dataset",
    default=None,
    help="For a catalog listing many datasets (DCAT-US data.json): the identifier or title of "
    "the one to import, or '*' for all of them.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file of the same name.")
def import_command(file, fmt, out, entries, dataset, force):
    """Turn a local metadata file into a draft entry to finish by hand.

    Reads a Croissant JSON-LD file, a Hugging Face dataset card (README.md),
    a Frictionless datapackage.json, a DCAT JSON-LD file or a DCAT-US catalog
    (data.json, v1.1 or the v1.0 top-level array; one dataset or all); never uses
    the network. Fields a person must decide are left empty under a `# CHECK:`
    comment, so the draft fails `commons validate` until they are filled.
    Fields of FILE that were not used are listed on stderr.

    Example:

    \b
        commons import croissant.json
        commons import README.md --format hf-card --out entries/
        commons import data.json --dataset cftc-dc1
    """
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import display_path
    from registry.importers.draft import render
    from registry.importers.file import import_drafts
    from registry.importers.known import KnownEntries

    path = display_path(Path(file))
    try:
        drafts = import_drafts(
            path, Path(file).read_bytes(), fmt, KnownEntries.from_folder(Path(entries)), dataset
        )
        targets = [Path(out) / f"{draft.id}.yaml" for draft in drafts]
        texts = [render(d, display_path(t)) for d, t in zip(drafts, targets, strict=True)]
    except EntryErrors as errors:
        report_errors(errors)
    taken = [display_path(t) for t in targets if t.exists()] if not force else []
    if taken:
        raise click.ClickException(
            f"{', '.join(taken[:10])} already exists; pass --force to overwrite it, or edit it "
            "instead"
        )
    repeated = sorted({display_path(t) for t in targets if targets.count(t) > 1})
    if repeated:
        raise click.ClickException(
            f"two datasets would be written to {', '.join(repeated[:10])} (same name): import "
            "them one at a time with --dataset and rename the first draft (file and id)"
        )
    for draft, target, text in zip(drafts, targets, texts, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        _report_draft(draft, path)
        click.echo(
            f"Wrote {display_path(target)}: fill in the CHECK fields, then run `commons "
            f"validate {display_path(target)}`"
        )
