"""`commons export`: downloads, feeds and badges made from registry.db."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin

import click

from registry.exports import FORMATS

# The published layout: the static site under site/, the exports beside it under exports/
# (the site's downloads page links them as ../exports/).
DEFAULT_SITE_URL = "https://commons-registry.github.io/commons-registry/site/"


def _url(value: str) -> str:
    return value if value.endswith("/") else value + "/"


@click.command(name="export")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["all", *FORMATS]),
    default=("all",),
    show_default=True,
    help="What to export; repeat the option for several. feeds = Atom feeds, ICS calendar and "
    "badges.",
)
@click.option(
    "--db",
    "db",
    default="dist/registry.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The registry database to read.",
)
@click.option(
    "--out",
    "out",
    default="dist/exports",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write into.",
)
@click.option(
    "--previous",
    "previous",
    type=click.Path(exists=True, dir_okay=False),
    help="An earlier registry.db: entries whose classification differs go into the reclassified "
    "feed.",
)
@click.option(
    "--site-url",
    default=lambda: os.environ.get("COMMONS_SITE_URL", DEFAULT_SITE_URL),
    show_default="$COMMONS_SITE_URL or the project's Pages URL",
    help="Public URL of the site, for links in feeds and metadata.",
)
@click.option(
    "--base-url",
    default=None,
    help="Public URL of the export folder. Default: SITE_URL/../exports/, beside the site.",
)
@click.option(
    "--imports",
    "imports",
    default="imports",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The imports folder: the licence files of its catalogs travel with the snapshot.",
)
def export_command(formats, db, out, previous, site_url, base_url, imports):
    """Export registry.db as the Global Training Commons snapshot, Data Package, JSON, CSV,
    Croissant, feeds and badges.

    Reads only the database (and the notice files of imports/<source>/, which
    travel with the snapshot). Writes SHA256SUMS for every file in the output
    folder, and snapshot/SHA256SUMS for the snapshot's own files. CSV text cells
    starting with = + - @ get a leading apostrophe so spreadsheets do not run
    them as formulas.

    Example:

    \b
        commons export
        commons export --format datapackage --format json --out dist/exports
        commons export --format feeds --previous old/registry.db
        commons export --format snapshot
    """
    from registry.exports.files import write
    from registry.exports.source import ExportError

    chosen = tuple(FORMATS) if "all" in formats else tuple(dict.fromkeys(formats))
    site_url = _url(site_url)
    base_url = _url(base_url) if base_url else urljoin(site_url, "../exports/")
    try:
        files = write(
            Path(db),
            Path(out),
            chosen,
            Path(previous) if previous else None,
            site_url,
            base_url,
            Path(imports),
        )
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {len(files)} file(s) to {out} ({', '.join(chosen)}), with SHA256SUMS")
