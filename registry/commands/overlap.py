"""The `commons overlap` and `commons fingerprint` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from registry.commands.entries import text_or_json_option
from registry.overlap import MAX_TOP

if TYPE_CHECKING:
    from registry.entry.errors import EntryErrors

DEFAULT_DB = Path("dist") / "registry.db"
DEFAULT_CONTENT_INDEX = Path("dist") / "content-index"


def fail_with(errors: list, summary: str) -> None:
    """Print every error on stderr, one a line, then stop with `summary`."""
    for error in errors:
        click.echo(str(error), err=True)
    raise click.ClickException(summary)


def _report_offer_errors(errors: EntryErrors) -> None:
    fail_with(errors.errors, f"{len(errors.errors)} error(s) in the offer file")


def _sample(paths: tuple[str, ...], content_index: str | None, jobs: int = 1):
    """(whole-sample sketch, containment report or None) of the sample files; a ready sketch
    (.json from `commons fingerprint`) is read as is. Every unreadable file is reported at once,
    before anything is compared."""
    from registry.overlap.content.documents import SampleErrors, read_samples
    from registry.overlap.sketch import SketchError, loads, sketch_documents

    if not paths:
        return None, None
    if len(paths) == 1 and paths[0].endswith(".json"):
        try:
            return loads(Path(paths[0]).read_text(encoding="utf-8"), paths[0]), None
        except (SketchError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{paths[0]}: {error}") from None
    try:
        documents = read_samples([Path(p) for p in paths])
    except SampleErrors as errors:
        fail_with(
            errors.errors,
            f"{len(errors.errors)} problem(s) in the sample files; nothing was compared",
        )
    sketch = sketch_documents([d.text for d in documents], jobs)
    return sketch, _containment(documents, content_index)


def _containment(documents, content_index: str | None):
    """The containment report against the content index, or None when there is no index."""
    from registry.overlap.content.containment import contained
    from registry.overlap.content.shards import ContentIndexError
    from registry.overlap.content.store import open_lookup

    folder = Path(content_index) if content_index else DEFAULT_CONTENT_INDEX
    if content_index is None and not folder.is_dir():
        return None
    try:
        return contained(open_lookup(folder), documents)
    except ContentIndexError as error:
        raise click.ClickException(str(error)) from None


def _offer(text: str | None, offer_path: str | None):
    """The dataset on offer: from --offer FILE, from --text, or from stdin."""
    from registry.overlap.offer import MAX_TEXT, offer_from_text

    if text is not None and offer_path is not None:
        raise click.ClickException("give either --text or --offer, not both")
    if offer_path is not None:
        # The entry schema and pydantic check an offer file; free text needs neither.
        from registry.entry.errors import EntryErrors
        from registry.overlap.offer_file import read_offer

        try:
            return read_offer(offer_path, Path(offer_path).read_bytes())
        except EntryErrors as errors:
            _report_offer_errors(errors)
    if text is None:
        if sys.stdin.isatty():
            raise click.ClickException(
                "describe your dataset with --text, --offer FILE, or on stdin"
            )
        text = sys.stdin.read(MAX_TEXT * 4 + 1)
    try:
        return offer_from_text(text)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@click.command(name="overlap")
@click.option(
    "--text", "text", help="Describe your dataset in words (or pipe the description on stdin)."
)
@click.option(
    "--offer",
    "offer_path",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML offer file: name, summary, description, domains, languages, modality, "
    "source_domains.",
)
@click.option(
    "--sample",
    "samples",
    multiple=True,
    type=click.Path(exists=True),
    help="Files (or folders) of your actual content, sketched locally; or one sketch .json. "
    "Repeatable.",
)
@click.option(
    "--content-index",
    "content_index",
    type=click.Path(file_okay=False),
    help="Content index of commons documents (`commons content-index`) to look --sample "
    f"documents up in [default: {DEFAULT_CONTENT_INDEX} when it exists].",
)
@click.option(
    "--db",
    "db_path",
    default=str(DEFAULT_DB),
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Registry database built by `commons build`.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1, MAX_TOP),
    help="How many matches to show.",
)
@text_or_json_option
@click.option(
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes used to sketch --sample files.",
)
def overlap_command(text, offer_path, samples, content_index, db_path, top, output, jobs):
    """Is my data already in the commons? Rank catalog datasets that overlap yours.

    Compares your description (and declared source sites, and optionally a
    content sketch of sample files) with every entry in the registry
    database, and explains each match: similar description, same source
    site, lineage (a corpus that includes a matching source), agreement of
    modality, languages and domains, and content overlap where the entry
    publishes a fingerprint. With --sample, each of your documents (a file,
    a JSON Lines record, or a part between form feeds or `---` lines) is
    looked up in the content index: the report gives the share of your
    documents inside each entry's content, with its licence and signals and
    passages of your own files that matched. Nothing is sent anywhere.

    Example:

    \b
        commons overlap --text "Every English Wikipedia article, cleaned"
        commons overlap --offer my-offer.yaml --sample data/ --format json
    """
    from registry.overlap.check import check
    from registry.overlap.index import open_index
    from registry.overlap.report import render_text

    offer = _offer(text, offer_path)
    try:
        index = open_index(db_path)
    except (FileNotFoundError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    if note := index.computed_note():
        click.echo(f"Note: {note}", err=True)
    sketch, content = _sample(samples, content_index, jobs)
    result = check(index, offer, sketch, top, content)
    if output == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result), nl=False)


@click.command(name="fingerprint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the sketch here instead of stdout.",
)
@click.option(
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Sketch files in this many processes.",
)
def fingerprint_command(paths, out, jobs):
    """Make a privacy-preserving content sketch of local files.

    The sketch is a MinHash signature of 5-word shingles: a few KB of
    numbers, no text and no file names. It is computed on this machine and
    nothing is sent anywhere. Publish it under fingerprints/ and reference it
    from an entry's `fingerprint` field, or pass it to
    `commons overlap --sample`.

    Example:

    \b
        commons fingerprint corpus/ --jobs 4 --out fingerprints/my-dataset.json
    """
    from registry.overlap.sketch import sketch_paths

    sketch = sketch_paths([Path(p) for p in paths], jobs=jobs)
    if sketch.empty:
        raise click.ClickException(
            "no words found in the given files; fingerprints are made from text"
        )
    if out:
        Path(out).write_text(sketch.dumps(), encoding="utf-8")
        click.echo(
            f"Wrote {out}: {sketch.num_perm} hash values over about {sketch.shingles:,} "
            f"distinct 5-word shingles (sha256 {sketch.sha256})",
            err=True,
        )
    else:
        click.echo(sketch.dumps(), nl=False)
