"""`commons serve`: the registry in real Datasette, on this machine only.

Builds the database first when it is missing or older than any entry or rule
file, then runs `datasette serve` immutable (-i) on 127.0.0.1 with the
project's configuration, templates and plugins. The static site, when built,
is served under /site/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from registry.build.cache import DEFAULT_CACHE
from registry.commands.entries import report_errors

DATASETTE_DIR = Path(__file__).resolve().parents[1] / "datasette"
HOST = "127.0.0.1"


def is_stale(db: Path, entries: Path) -> bool:
    """True when the database is missing or older than the entry folder, an entry or a rule file."""
    from classifier.rules_data import RULES_DIR
    from registry.entry.loader import entry_files

    if not db.is_file():
        return True
    built = db.stat().st_mtime
    sources = [entries, *entry_files([entries]), *RULES_DIR.glob("*.yaml")]
    return any(path.stat().st_mtime > built for path in sources)


def inspect_data(db: Path) -> Path:
    """Datasette's inspect data for `db` (its hash and table counts), in `<db>.inspect.json`.

    Served with --inspect-file, an immutable database's unfiltered table pages
    read their row count from it instead of counting on every request (11 ms
    of a 30 ms catalog page at 100,000 entries), and show the exact count,
    not Datasette's "10,000+". Written by `datasette inspect` when missing or
    older than the database; each build replaces the database file.
    """
    target = db.with_name(db.name + ".inspect.json")
    if target.is_file() and target.stat().st_mtime >= db.stat().st_mtime:
        return target
    temporary = target.with_name(target.name + ".tmp")
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(db), "--inspect-file", str(temporary)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    temporary.replace(target)
    return target


def datasette_command(
    db: Path,
    port: int,
    config: Path,
    metadata: Path,
    site: Path | None,
    inspect: Path | None = None,
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(db),
        "-c",
        str(config),
        "-m",
        str(metadata),
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
        command += ["--static", f"site:{site}"]
    if inspect is not None:
        command += ["--inspect-file", str(inspect)]
    return command


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
    help="Database to serve (built here when missing or stale).",
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
def serve_command(port, no_build, entries, db, config, metadata, site):
    """Serve the registry with Datasette on 127.0.0.1.

    Rebuilds the database first if it is missing or older than the entries or
    rules (unless --no-build). The database is served immutable; only this
    machine can connect.

    Example:

    \b
        commons serve
        commons serve --port 8080 --no-build
    """
    database = Path(db)
    if no_build:
        if not database.is_file():
            raise click.ClickException(
                f"{db} does not exist; run `commons build` or drop --no-build"
            )
    elif is_stale(database, Path(entries)):
        if not Path(entries).is_dir():
            raise click.ClickException(f"no such folder: {entries}")
        from registry.build.db import BuildFailed
        from registry.build.pipeline import build
        from registry.entry.errors import EntryErrors

        click.echo(f"Building {db} ...", err=True)
        try:
            build(Path(entries), database, cache_dir=DEFAULT_CACHE)
        except EntryErrors as errors:
            report_errors(errors)
        except BuildFailed as error:
            raise click.ClickException(f"build failed: {error}") from None
    site_dir = Path(site) if Path(site).is_dir() else None
    command = datasette_command(
        database, port, Path(config), Path(metadata), site_dir, inspect_data(database)
    )
    click.echo(
        f"Serving http://{HOST}:{port}/"
        + (f" (site at http://{HOST}:{port}/site/)" if site_dir else ""),
        err=True,
    )
    process = subprocess.Popen(command)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    sys.exit(code)
