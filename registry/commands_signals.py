"""Commands that read AI-use preference signals from the web: signals and refresh-signals."""

from __future__ import annotations

import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from registry import network
from registry.canonical import dumps
from registry.commands_entries import DEFAULT_ENTRIES, report_errors
from registry.errors import EntryErrors
from registry.loader import LoadedEntry, display_path, load
from registry.signals.observe import Report, observe
from registry.signals.view import USES
from registry.strict_yaml import read

MAX_VALUE = 500


def environment_policy() -> network.Policy:
    """The production policy, with COMMONS_NETWORK_ALLOW read as a user error if malformed."""
    try:
        return network.default_policy()
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def report_json(report: Report) -> dict:
    return {
        "url": report.url,
        "complete": report.complete,
        "observations": [
            {
                "vocabulary": o.vocabulary,
                "value": o.value,
                "source": o.source,
                "observed": o.observed,
                "implies": o.effects,
                "note": o.note,
            }
            for o in report.observations
        ],
        "view": {
            use: {"value": v.value, "conflict": v.conflict, "from": list(v.sources)}
            for use, v in report.view.items()
        },
        "warnings": report.warnings,
    }


def report_text(report: Report) -> str:
    lines = [f"Signals for {report.url}", ""]
    if not report.observations:
        lines.append("  no AI-use signals found")
    for o in report.observations:
        lines.append(f"  {o.vocabulary:<16} {o.value}")
        lines.append(
            f"  {'':<16} source:   {o.source} ({o.note})"
            if o.note
            else f"  {'':<16} source:   {o.source}"
        )
        lines.append(f"  {'':<16} observed: {o.observed}")
        if o.effects:
            lines.append(
                f"  {'':<16} implies:  "
                + ", ".join(f"{use} {value}" for use, value in o.effects.items())
            )
    lines += ["", "Normalised view (any disallow wins; conflicts flagged):"]
    for use in USES:
        verdict = report.view[use]
        flag = "  CONFLICT" if verdict.conflict else ""
        origin = f"  ({', '.join(verdict.sources)})" if verdict.sources else ""
        lines.append(f"  {use:<10} {verdict.value:<9}{flag}{origin}")
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in report.warnings]
    return "\n".join(lines)


@click.command(name="signals")
@click.argument("url")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
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
    policy = environment_policy()
    try:
        network.check_url(url, policy)
    except network.Blocked as blocked:
        raise click.ClickException(f"{url}: {blocked.message}") from None
    report = observe(url, policy)
    click.echo(
        json.dumps(report_json(report), indent=2) if output == "json" else report_text(report)
    )


def entry_signals(report: Report, previous: list[dict]) -> list[dict]:
    """Signals for an entry file; a signal seen before keeps its first observed date."""
    earlier = {
        (s.get("vocabulary"), s.get("value"), s.get("source")): s.get("observed")
        for s in previous
        if isinstance(s, dict)
    }
    today = datetime.date.today().isoformat()
    signals, seen = [], set()
    for o in report.observations:
        value = o.value if len(o.value) <= MAX_VALUE else o.value[: MAX_VALUE - 3] + "..."
        key = (o.vocabulary, value, o.source)
        if key in seen:
            continue
        seen.add(key)
        signals.append(
            {
                "vocabulary": o.vocabulary,
                "value": value,
                "source": o.source,
                "observed": earlier.get(key) or today,
            }
        )
    return signals


def select(entries: list[LoadedEntry], ids: tuple[str, ...]) -> list[LoadedEntry]:
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
    path = Path(folder)
    if not path.is_dir():
        raise click.ClickException(f"no such folder: {folder}")
    try:
        return load([path])
    except EntryErrors as errors:
        report_errors(errors)


@click.command(name="refresh-signals")
@click.argument("ids", nargs=-1)
@click.option(
    "--entries",
    "folder",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of entry files.",
)
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
    chosen = select(load_entries(folder), ids)
    policy = environment_policy()
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda e: observe(e.entry.homepage, policy), chosen))
    updated = kept = 0
    for loaded, report in zip(chosen, reports):
        name = display_path(Path(loaded.path))
        for warning in report.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
        if not report.complete:
            kept += 1
            continue
        path = Path(loaded.path)
        data = path.read_bytes()
        raw = read(name, data).value
        signals = entry_signals(report, raw.get("signals") or [])
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
        f"{len(chosen)} entries checked, {updated} updated, {kept} left unchanged because their site could not be read"
    )
