"""The check-links command: dead and moved links of entries, for people and PR comments."""

from __future__ import annotations

import re
import sys

import click
from tqdm import tqdm

from registry.commands_entries import DEFAULT_ENTRIES
from registry.commands_signals import environment_policy, load_entries, select
from registry.links import DEAD, MOVED, OK, WARNING, LinkResult, check_links, entry_links

ORDER = {DEAD: 0, WARNING: 1, MOVED: 2, OK: 3}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(text: str) -> str:
    """Contributor text made inert in Markdown: no links, images, HTML or table breaks."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " ").replace("\r", " "))


def _summary(results: list[LinkResult]) -> dict[str, int]:
    counts = {DEAD: 0, MOVED: 0, WARNING: 0, OK: 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


def render_text(results: list[LinkResult]) -> str:
    lines = []
    for result in sorted(results, key=lambda r: (ORDER[r.outcome], r.url)):
        if result.outcome == OK:
            continue
        for use in result.uses:
            lines.append(
                f"{use.path}: {use.field}: {result.outcome}: {result.url} ({result.detail})"
            )
    counts = _summary(results)
    lines.append(
        f"{len(results)} links checked: {counts[OK]} ok, {counts[MOVED]} moved, {counts[WARNING]} warnings, {counts[DEAD]} dead"
    )
    return "\n".join(lines)


def render_markdown(results: list[LinkResult]) -> str:
    counts = _summary(results)
    lines = [
        "### Link check",
        "",
        f"{len(results)} links checked: {counts[OK]} ok, {counts[MOVED]} moved, {counts[WARNING]} warnings, {counts[DEAD]} dead.",
        "",
    ]
    problems = [
        r for r in sorted(results, key=lambda r: (ORDER[r.outcome], r.url)) if r.outcome != OK
    ]
    if problems:
        lines += ["| entry | field | outcome | URL | detail |", "|---|---|---|---|---|"]
        for result in problems:
            for use in result.uses:
                lines.append(
                    f"| {_md(use.entry_id)} | {_md(use.field)} | {result.outcome} | {_md(result.url)} | {_md(result.detail)} |"
                )
        lines += [
            "",
            "Dead links are warnings on pull requests; a third party's outage never fails a PR.",
        ]
    return "\n".join(lines)


@click.command(name="check-links")
@click.argument("ids", nargs=-1)
@click.option(
    "--entries",
    "folder",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of entry files.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="Output format; markdown suits a PR comment.",
)
@click.option("--markdown", "markdown_flag", is_flag=True, help="Shorthand for --format markdown.")
@click.option("--strict", is_flag=True, help="Exit 1 when a link is dead (for the scheduled job).")
def check_links_command(ids, folder, output, markdown_flag, strict):
    """Report dead or moved links of entries.

    Checks the homepage, access URLs, evidence URLs and licence URLs of every
    entry (or only IDS). Rate limits, timeouts and redirect loops are
    warnings. By default the exit code is 0 whatever the links say, so a
    pull request never fails because a third-party site is down; --strict
    exits 1 on dead links.

    Example:

    \b
        commons check-links
        commons check-links wikipedia-en --markdown
        commons check-links --strict
    """
    chosen = select(load_entries(folder), ids)
    policy = environment_policy()
    total = len({url for e in chosen for url, _ in entry_links(e)})
    with tqdm(
        total=total,
        desc="checking links",
        unit="link",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    ) as bar:
        results = check_links(chosen, policy, progress=bar.update)
    click.echo(
        render_markdown(results)
        if (markdown_flag or output == "markdown")
        else render_text(results)
    )
    if strict and any(r.outcome == DEAD for r in results):
        raise click.ClickException(f"{sum(r.outcome == DEAD for r in results)} dead link(s)")
