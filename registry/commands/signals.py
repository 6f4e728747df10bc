"""Commands that read AI-use preference signals from the web: signals and refresh-signals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from registry.commands.entries import entries_folder_option, report_errors, text_or_json_option

if TYPE_CHECKING:
    from registry.entry.loader import LoadedEntry
    from registry.net.network import Policy


def environment_policy() -> Policy:
    """The production policy, with COMMONS_NETWORK_ALLOW read as a user error if malformed."""
    from registry.net import network

    try:
        return network.default_policy()
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@click.command(name="signals")
@click.argument("url")
@text_or_json_option
def signals_command(url, output):
    """Show the AI-use preference signals a site publishes for URL.

    Reads the site's robots.txt (Content-Usage, Content-Signal, AI crawler
    rules), the page's headers and meta tags (Content-Usage, TDMRep) and
    /.well-known/tdmrep.json, then shows one normalised view: training,
    search and retrieval, each allow, disallow or unknown.

    Only public http(s) addresses on ports 80 and 443 are fetched, with a 20 s
    deadline and a 1 MiB cap per request.

    Example:

    \b
        commons signals https://example.org/
        commons signals https://example.org/data/ --format json
    """
    from registry.net import network
    from registry.signals.observe import observe
    from registry.signals.report import report_json, report_text

    policy = environment_policy()
    try:
        network.check_url(url, policy)
    except network.Blocked as blocked:
        raise click.ClickException(f"{url}: {blocked.message}") from None
    report = observe(url, policy)
    click.echo(
        json.dumps(report_json(report), indent=2) if output == "json" else report_text(report)
    )


def select(entries: list[LoadedEntry], ids: tuple[str, ...]) -> list[LoadedEntry]:
    """The entries named by `ids` (all when none); an unknown id is a user error."""
    if not ids:
        return entries
    by_id = {e.entry.id: e for e in entries}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise click.ClickException(
            f"no entry with id {', '.join(unknown)}; ids are file names in entries/ without .yaml"
        )
    return [by_id[i] for i in ids]


def load_entries(folder: str) -> list[LoadedEntry]:
    """Every entry of `folder`, or every error in it printed (exit 1)."""
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import load

    path = Path(folder)
    if not path.is_dir():
        raise click.ClickException(f"no such folder: {folder}")
    try:
        return load([path])
    except EntryErrors as errors:
        report_errors(errors)


@click.command(name="refresh-signals")
@click.argument("ids", nargs=-1)
@entries_folder_option
def refresh_signals_command(ids, folder):
    """Update the `signals` of entries from their homepage's site.

    Checks each entry's homepage (all entries, or only IDS) and rewrites the
    file canonically; only the signals key changes. A signal seen before keeps
    its first observed date. When robots.txt or the homepage cannot be read,
    the entry's signals are left as they were and a warning is printed.

    Example:

    \b
        commons refresh-signals
        commons refresh-signals wikipedia-en common-crawl
    """
    from concurrent.futures import ThreadPoolExecutor

    from registry.entry.canonical import dumps
    from registry.entry.loader import display_path
    from registry.entry.strict_yaml import read
    from registry.signals.observe import observe
    from registry.signals.report import entry_signals

    chosen = select(load_entries(folder), ids)
    policy = environment_policy()
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda e: observe(e.entry.homepage, policy), chosen))
    updated = kept = 0
    for loaded, report in zip(chosen, reports, strict=True):
        name = display_path(Path(loaded.path))
        for warning in report.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
        if not report.complete:
            kept += 1
            continue
        path = Path(loaded.path)
        data = path.read_bytes()
        raw = read(name, data).value
        signals, refused = entry_signals(report, raw.get("signals") or [])
        for reason in refused:
            click.echo(f"warning: {name}: {reason}", err=True)
        if signals:
            raw["signals"] = signals
        else:
            raw.pop("signals", None)
        text = dumps(raw)
        if text.encode("utf-8") != data:
            path.write_text(text, encoding="utf-8")
            updated += 1
            click.echo(f"{name}: signals updated ({len(signals)})")
    click.echo(
        f"{len(chosen)} entries checked, {updated} updated, {kept} left unchanged because "
        "their site could not be read"
    )
