"""The `commons content-index` command: fingerprint commons content into a publishable index."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="content-index")
@click.argument("corpus", nargs=-1, required=True, type=click.Path())
@click.option(
    "--entry", "entry_id", required=True, help="Catalog id of the entry it is content of."
)
@click.option(
    "--out",
    default=str(Path("dist") / "content-index"),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Index folder: shards are added, manifest.json lists them all.",
)
@click.option(
    "--address",
    help="Address of a running Ray cluster (head-node:6379, or auto); without it a local "
    "runtime of --workers worker processes is started.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 256))
@click.option(
    "--files-per-shard", default=256, show_default=True, type=click.IntRange(1, 1_000_000)
)
@click.option(
    "--debian-texts",
    is_flag=True,
    help="CORPUS is a folder to fill first with the public-domain texts of the Debian packages "
    "bible-kjv-text and dict-devil (content of project-gutenberg).",
)
def content_index_command(corpus, entry_id, out, address, workers, files_per_shard, debian_texts):
    """Fingerprint commons content, document by document, into a content index.

    Each document (a file, a JSON Lines record, or a part between form feeds
    or `---` lines) gets a MinHash of its 5-word shingles and paragraph
    hashes, written to SQLite shards with the entry id, method and
    parameters, on a Ray cluster: a local one, or the one at --address
    (its workers must see CORPUS and --out).

    Example:

    \b
        commons content-index texts/ --entry project-gutenberg --workers 2
        commons content-index /data/dump --entry common-crawl --address 10.0.0.5:6379
    """
    if debian_texts:
        _write_debian_texts(Path(corpus[0]))
    missing = [p for p in corpus if not Path(p).exists()]
    if missing:
        raise click.ClickException(f"no such file or folder: {', '.join(missing)}")
    found = _build(
        entry_id, [Path(p) for p in corpus], Path(out), address, workers, files_per_shard
    )
    click.echo(
        f"Indexed {found['documents']:,} documents from {found['files']:,} files as content of "
        f"{entry_id} into {found['shards']} shard(s) under {out}",
        err=True,
    )


def _write_debian_texts(folder: Path) -> None:
    from registry.overlap.content.debian_texts import MissingPackage, write_corpus

    try:
        written = write_corpus(folder)
    except MissingPackage as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {written:,} public-domain documents under {folder}", err=True)


def _build(entry_id, corpus, out, address, workers, files_per_shard) -> dict:
    """Run the build on the cluster; every unreadable file is reported and nothing is listed."""
    from registry.commands.overlap import fail_with
    from registry.overlap.content.build import build_index, cluster
    from registry.overlap.content.documents import SampleErrors
    from registry.overlap.content.shards import ContentIndexError

    try:
        with cluster(address, workers) as client:
            return build_index(client, entry_id, corpus, out, files_per_shard)
    except SampleErrors as errors:
        fail_with(errors.errors, f"{len(errors.errors)} file(s) could not be read; none was listed")
    except ContentIndexError as error:
        raise click.ClickException(str(error)) from None
