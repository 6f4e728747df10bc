"""`commons serve --watch`: rebuild when an entry or rule file changes.

Polls the modification times of the entry files and rule files once a second
(no extra dependency, works on every file system). On a change it rebuilds
the registry database (the build cache re-reads only changed entries), the
exports and the site, each with the same command a contributor would run, so
their errors read the same; the site renders only the entry and listing pages
whose inputs changed, writes only the search-index files whose bytes changed, and
runs mkdocs only when its pages changed (`commons site --reuse-unchanged`).
Every export but the badges depends on every entry (the JSON, the CSV tables,
the Data Package and Croissant with their files' hashes, the feeds, the
calendar, the database copy), so they are all rendered again,
but only the files whose bytes changed are written; they come before the site
because its downloads page lists each file's size and SHA-256.
A failed step keeps the running build served.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

CLI = [sys.executable, "-c", "from registry.commands.cli import cli; cli()"]
SETTLE_SECONDS = 0.3  # an editor's save is often a write and a rename: let it finish


def watched_files(entries: Path) -> dict[Path, int]:
    """Every entry and rule file with its modification time (ns)."""
    from classifier.rules_data import RULES_DIR

    found = {}
    for path in [*sorted(entries.rglob("*.yaml")), *sorted(RULES_DIR.glob("*.yaml"))]:
        try:
            found[path] = path.stat().st_mtime_ns
        except FileNotFoundError:
            continue
    return found


class Rebuild:
    """Knows the last state of the sources and rebuilds database, exports and site from them."""

    def __init__(self, entries: Path, database: Path, site: Path, exports: Path):
        self.entries, self.database, self.site, self.exports = entries, database, site, exports
        self.seen = watched_files(entries)

    def changed(self) -> bool:
        now = watched_files(self.entries)
        if now == self.seen:
            return False
        time.sleep(SETTLE_SECONDS)
        self.seen = watched_files(self.entries)
        return True

    def steps(self) -> list[list[str]]:
        db, exports = str(self.database), str(self.exports)
        return [
            ["build", "--entries", str(self.entries), "--out", db],
            ["export", "--db", db, "--out", exports],
            ["site", "--db", db, "--out", str(self.site), "--exports", exports]
            + ["--reuse-unchanged"],
        ]

    def run(self) -> bool:
        """Rebuild everything; True when every step passed (then the new build is served)."""
        started = time.monotonic()
        click.echo("Sources changed; rebuilding ...", err=True)
        for step in self.steps():
            if subprocess.run([*CLI, *step]).returncode != 0:
                click.echo(
                    f"`commons {step[0]}` failed (above); still serving the previous build.",
                    err=True,
                )
                return False
        click.echo(f"Rebuilt in {time.monotonic() - started:.1f} s.", err=True)
        return True
