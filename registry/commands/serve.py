"""`commons serve`: the registry in real Datasette, on this machine only.

Builds the database first when it is missing or older than any entry or rule
file, then runs `datasette serve` immutable (-i) on 127.0.0.1 with the
project's configuration, templates and plugins. The static site, when built,
is served under /site/ and the export files beside it under /exports/, so every
download the site links works. Datasette runs as a supervised child
(registry/commands/serve_process.py): stopping `commons serve` stops it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import click

from registry.build.cache import DEFAULT_CACHE
from registry.commands.entries import report_errors

DATASETTE_DIR = Path(__file__).resolve().parents[1] / "datasette"
HOST = "127.0.0.1"
SERVED_NAME = "registry.db"


def is_stale(db: Path, entries: Path) -> bool:
    """True when the database is missing or older than the entry folder, an entry or a rule file."""
    from classifier.rules_data import RULES_DIR
    from registry.entry.loader import entry_files

    if not db.is_file():
        return True
    built = db.stat().st_mtime
    sources = [entries, *entry_files([entries]), *RULES_DIR.glob("*.yaml")]
    return any(path.stat().st_mtime > built for path in sources)


def check_database(db: Path, shown: Path | None = None) -> None:
    """Refuse a file that is not a readable registry database, in one sentence, before serving it.

    A damaged or truncated file would otherwise fail inside `datasette inspect`
    and then in Datasette itself, each with its own traceback. `quick_check`
    reads every page, so it runs only when the inspect data is rewritten: once
    per new database. Errors name `shown` (the file the user gave) when `db` is its link.
    """
    shown = shown or db
    rebuild = (
        "rebuild it with `commons build` (deleting the file is safe: the build writes a new one)"
    )
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            tables = {row[0] for row in conn.execute("select name from sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            f"{shown} is not a readable SQLite database ({error}); {rebuild}"
        ) from None
    if problems != ["ok"]:
        raise click.ClickException(f"{shown} is damaged ({'; '.join(problems)}); {rebuild}")
    if "catalog" not in tables:
        raise click.ClickException(
            f"{shown} has no catalog table, so it is not a registry; {rebuild}"
        )


def inspect_data(db: Path, shown: Path | None = None) -> Path:
    """Datasette's inspect data for `db` (its hash and table counts), in `<db>.inspect.json`.

    Served with --inspect-file, an immutable database's unfiltered table pages
    read their row count from it instead of counting on every request (11 ms
    of a 30 ms catalog page at 100,000 entries), and show the exact count,
    not Datasette's "10,000+". Written by `datasette inspect` when missing or
    older than the database; each build replaces the database file. The
    database is checked first (check_database).
    """
    target = db.with_name(db.name + ".inspect.json")
    if target.is_file() and target.stat().st_mtime >= db.stat().st_mtime:
        return target
    check_database(db, shown)
    temporary = target.with_name(target.name + ".tmp")
    inspected = subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(db), "--inspect-file", str(temporary)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if inspected.returncode != 0:
        temporary.unlink(missing_ok=True)
        last = (inspected.stderr.strip().splitlines() or ["no message"])[-1]
        raise click.ClickException(f"datasette inspect could not read {shown or db}: {last}")
    temporary.replace(target)
    return target


def served_path(db: Path) -> Path:
    """The path Datasette opens: `db` itself when it is named registry.db, else a link so named.

    Datasette names a database after its file, and the configuration, the plugins and every
    link say `registry`: a copy kept under another name (`commons serve --db nightly.db`) would
    lose its facets and answer its search page with an error. It is served through a symbolic
    link `registry.db` in a folder beside it (`.nightly.db.served/`), which follows the file
    when a build replaces it.
    """
    if db.name == SERVED_NAME:
        return db
    folder = db.with_name(f".{db.name}.served")
    folder.mkdir(exist_ok=True)
    link = folder / SERVED_NAME
    if not (link.is_symlink() and link.resolve() == db.resolve()):
        link.unlink(missing_ok=True)
        link.symlink_to(db.resolve())
    return link


def datasette_command(
    db: Path,
    port: int,
    config: Path,
    metadata: Path,
    site: Path | None,
    inspect: Path | None = None,
    exports: Path | None = None,
) -> list[str]:
    """The `datasette serve` command line, to be run in `db`'s folder.

    The database is named by its file name alone, so Datasette's
    /-/databases.json shows `registry.db` and not where this machine keeps it;
    every other path is made absolute.
    """
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        db.name,
        "-c",
        str(config.resolve()),
        "-m",
        str(metadata.resolve()),
        "--template-dir",
        str(DATASETTE_DIR / "templates"),
        "--plugins-dir",
        str(DATASETTE_DIR / "plugins"),
        "-h",
        HOST,
        "-p",
        str(port),
    ]
    if site is not None:
        command += ["--static", f"site:{site.resolve()}"]
    if exports is not None:
        command += ["--static", f"exports:{exports.resolve()}"]
    if inspect is not None:
        command += ["--inspect-file", str(inspect.resolve())]
    return command


def _ensure_built(database: Path, entries: Path, no_build: bool) -> None:
    """Build the database when it is missing or stale, unless told not to (then it must exist)."""
    if no_build:
        if not database.is_file():
            raise click.ClickException(
                f"{database} does not exist; run `commons build` or drop --no-build"
            )
        return
    if not is_stale(database, entries):
        return
    if not entries.is_dir():
        raise click.ClickException(f"no such folder: {entries}")
    from registry.build.db import BuildFailed
    from registry.build.pipeline import build
    from registry.entry.errors import EntryErrors

    click.echo(f"Building {database} ...", err=True)
    try:
        build(entries, database, cache_dir=DEFAULT_CACHE)
    except EntryErrors as errors:
        report_errors(errors)
    except BuildFailed as error:
        raise click.ClickException(f"build failed: {error}") from None


@click.command(name="serve")
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port on 127.0.0.1.",
)
@click.option(
    "--no-build", is_flag=True, help="Serve the existing database as it is, even if stale."
)
@click.option(
    "--entries",
    default="entries",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of entry files to build from.",
)
@click.option(
    "--db",
    "db",
    default="dist/registry.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Database to serve (built here when missing or stale); served as `registry` whatever "
    "its file name.",
)
@click.option(
    "--config",
    default="datasette.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Datasette configuration (-c).",
)
@click.option(
    "--metadata",
    default="metadata.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Datasette metadata (-m).",
)
@click.option(
    "--site",
    default="dist/site",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Static site served at /site/ when the folder exists.",
)
@click.option(
    "--exports",
    default="dist/exports",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Export files (commons export) served at /exports/ when the folder exists.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Rebuild the registry, exports and site when an entry or rule file changes, then serve "
    "the new build.",
)
def serve_command(port, no_build, entries, db, config, metadata, site, exports, watch):
    """Serve the registry with Datasette on 127.0.0.1.

    Rebuilds the database first if it is missing or older than the entries or
    rules (unless --no-build). The database is served immutable; only this
    machine can connect.

    Example:

    \b
        commons serve
        commons serve --port 8080 --no-build
        commons serve --watch          # for contributors: edit entries/, reload the page
    """
    from registry.commands.serve_process import Supervisor
    from registry.commands.serve_watch import Rebuild

    database = Path(db)
    _ensure_built(database, Path(entries), no_build)
    served = served_path(database)

    def command() -> tuple[list[str], Path]:
        site_dir = Path(site) if Path(site).is_dir() else None
        exports_dir = Path(exports) if Path(exports).is_dir() else None
        line = datasette_command(
            served,
            port,
            Path(config),
            Path(metadata),
            site_dir,
            inspect_data(served, database),
            exports_dir,
        )
        return line, served.parent.resolve()

    inspect_data(
        served, database
    )  # a damaged database is one clear error before anything is served
    where = f"http://{HOST}:{port}/"
    extra = " (site at /site/, downloads at /exports/)" if Path(site).is_dir() else ""
    click.echo(f"Serving {where}{extra}", err=True)
    rebuild = Rebuild(Path(entries), database, Path(site), Path(exports)) if watch else None
    sys.exit(Supervisor(command, rebuild).run())
