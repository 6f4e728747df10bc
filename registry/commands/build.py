"""The `commons build` command."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import click

from registry.build.cache import DEFAULT_CACHE
from registry.commands.entries import entries_folder_option, report_errors


@click.command(name="build")
@entries_folder_option
@click.option(
    "--out",
    "out",
    default="dist/registry.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Database file to write (replaced atomically).",
)
@click.option(
    "--cache-dir",
    default=str(DEFAULT_CACHE),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Content-hash cache of parsed and classified entries.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and classify every entry again; read and write no cache.",
)
@click.option(
    "--imports/--no-imports",
    default=True,
    show_default=True,
    help="Read the records imported from open catalogs (imports/<source>/ beside the entries).",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Build, then stay and build again on each change to the entries, imported records, "
    "rules, governance, observations, fingerprints or git refs, until Ctrl-C; each build "
    "publishes what a one-shot build would.",
)
@click.option(
    "--poll",
    is_flag=True,
    help="With --watch: poll every file's stat each second instead of the system's file events.",
)
def build_command(folder, out, cache_dir, no_cache, imports, watch, poll):
    """Build the SQLite registry from the entry files.

    Validates and classifies every entry, then writes the database to a
    temporary file, checks it and moves it into place: a failed build leaves
    the previous database untouched. Beside it goes OUT.overlap, the overlap
    check's saved index, which `commons overlap` and `commons serve` load
    instead of rebuilding it. A build from the cache changes the last build's
    rows by difference: the same content as a build from scratch (--no-cache),
    not the same bytes, and builds.incremental says so. For a reproducible file
    build from scratch with SOURCE_DATE_EPOCH set (it fixes the build time and
    the classification date).

    With --watch the command stays (the way to rebuild while editing): it
    builds once, then again after each change, in the same process, keeping
    the last build's catalog-wide inputs in memory, so a one-entry rebuild
    skips the start-up and most whole-catalog reads. An invalid entry prints
    every error and keeps the last good database; the command keeps watching.

    Example:

    \b
        commons build
        commons build --entries entries --out dist/registry.db
        commons build --no-imports        # curated entries only
        commons build --watch             # rebuild on every save, until Ctrl-C
    """
    entries = Path(folder)
    if not entries.is_dir():
        raise click.ClickException(f"no such folder: {folder}")
    cache = None if no_cache else Path(cache_dir)
    if not watch:
        build_or_explain(entries, Path(out), cache, imports)
        return
    from registry.build.resident import watch as watch_builds

    def build_once(memory) -> bool:
        try:
            build_or_explain(entries, Path(out), cache, imports, memory)
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            return False
        return True

    try:
        watch_builds(entries, build_once, poll, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("Stopped; the last good database stays published.", err=True)


def build_or_explain(entries: Path, out: Path, cache: Path | None, imports: bool, memory=None):
    """One build, its result on stderr; a failure is a ClickException that says why (every
    entry error printed first, as file:line:col)."""
    from registry.build.db import BuildFailed
    from registry.build.pipeline import build
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import display_path

    started = time.perf_counter()
    try:
        result = build(entries, out, cache_dir=cache, imports=imports, memory=memory)
    except EntryErrors as errors:
        report_errors(errors)
    except BuildFailed as error:
        raise click.ClickException(f"build failed, previous database kept: {error}") from None
    except sqlite3.DatabaseError as error:
        # A damaged cache file (a full or read-only disk is a BuildFailed); the build removed it.
        raise click.ClickException(
            f"build failed, previous database kept: the build cache in {cache} could not "
            f"be read ({error}); it was removed, run the build again"
        ) from None
    seconds = time.perf_counter() - started
    click.echo(
        f"Wrote {display_path(result.out)}: {result.entry_count} entries"
        f" ({result.parsed} parsed, {result.entry_count - result.parsed} from cache)"
        f", rules {result.rules_version or 'none'}, in {seconds:.2f} s",
        err=True,
    )
