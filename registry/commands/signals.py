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


def observations_folder(entries_folder: str, given: str | None) -> Path:
    """The observations folder: the one given, else observations/ beside the entries folder."""
    from registry.entry.observations import FOLDER

    return Path(given) if given else Path(entries_folder).resolve().parent / FOLDER


observations_option = click.option(
    "--observations",
    "observations",
    type=click.Path(file_okay=False),
    help="Folder of observation files [default: observations/ beside the entries folder].",
)


def load_observation_history(folder: Path):
    """The observation history, or every error in its files printed (exit 1)."""
    from registry.entry.errors import EntryErrors
    from registry.entry.observations import load_history

    try:
        return load_history(folder)
    except EntryErrors as errors:
        report_errors(errors)


@click.command(name="refresh-signals")
@click.argument("ids", nargs=-1)
@entries_folder_option
@observations_option
def refresh_signals_command(ids, folder, observations):
    """Look again at the sources of entries and append what changed to their history.

    For every source domain of the entries (all, or only IDS), reads the
    site's robots.txt, the RSL licences it names, the page's headers and meta
    tags and /.well-known/tdmrep.json, then appends an observation to
    observations/<source>.yaml when the signals differ from the latest one
    (otherwise only its `checked` date moves). Entry files are not touched. A
    source that cannot be read keeps its history, with a warning.

    Example:

    \b
        commons refresh-signals
        commons refresh-signals stack-exchange-data-dump wikipedia-en
    """
    from registry.signals.refresh import refresh

    chosen = select(load_entries(folder), ids)
    where = observations_folder(folder, observations)
    history = load_observation_history(where)
    sources = [source for loaded in chosen for source in loaded.entry.source_domains]
    policy = environment_policy()
    result = refresh(sources, history, where, policy)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for source in result.appended:
        click.echo(f"{where.name}/{source}.yaml: new observation")
    without = sum(1 for loaded in chosen if not loaded.entry.source_domains)
    click.echo(
        f"{result.looked} sources of {len(chosen)} entries looked at: {len(result.appended)} "
        f"changed, {len(result.unchanged)} unchanged, {len(result.unread)} could not be read"
        + (f"; {without} entries name no source_domains" if without else "")
    )


@click.command(name="import-signals")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--tracker",
    default="samber-the-great-gpt-firewall",
    show_default=True,
    help="Which tracker's layout and dates (registry/signals/trackers.yaml).",
)
@entries_folder_option
@observations_option
def import_signals_command(path, tracker, folder, observations):
    """Import a tracker's stored robots.txt copies as dated observations.

    PATH is a local copy of the tracker's repository (never fetched). Every
    source domain of the catalog the tracker watched (same host, with or
    without www.) gets one observation per stored copy, dated when the tracker
    fetched it, with the tracker, snapshot, file and SHA-256. Copies are read
    with this project's parsers; error pages and empty copies are recorded as
    rejected, with the reason. Re-running adds nothing twice.

    Example:

    \b
        commons import-signals ../shared/sources/ai-preference-signals/samber-the-great-gpt-firewall
    """
    from registry.signals.importer import ImportProblem, import_tracker, trackers

    known = trackers()
    if tracker not in known:
        raise click.ClickException(
            f"unknown tracker '{tracker}'; known: {', '.join(sorted(known))}"
        )
    entries = load_entries(folder)
    where = observations_folder(folder, observations)
    load_observation_history(where)  # a file with an error stops the import before any write
    sources = sorted({s for loaded in entries for s in loaded.entry.source_domains})
    try:
        report = import_tracker(Path(path), sources, where, known[tracker])
    except ImportProblem as problem:
        raise click.ClickException(str(problem)) from None
    for source, host in report.matched.items():
        click.echo(
            f"{where.name}/{source}.yaml: {report.added[source]} new observation(s) of {host} "
            f"({report.rejected[source]} copies rejected)"
        )
    for source, host in report.near.items():
        click.echo(
            f"not imported: {source} is not {host}, whose robots.txt the tracker kept "
            "(robots.txt applies to its own host only, RFC 9309 s.2.3)"
        )
    if report.flag_only_months:
        click.echo(
            f"not imported: {', '.join(report.flag_only_months)} have only the tracker's flags "
            "(a token appears somewhere in the file), no robots.txt copy to read"
        )
    click.echo(
        f"{len(report.matched)} of {len(sources)} source domains watched by "
        f"{report.tracker.repository}@{report.tracker.snapshot[:7]}; "
        f"{sum(report.added.values())} observations added from {len(report.months)} months"
    )
