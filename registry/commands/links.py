"""`commons check-links`: dead and moved links of entries, for people and PR comments."""

from __future__ import annotations

import sys

import click

from registry.commands.entries import entries_folder_option
from registry.commands.signals import environment_policy, load_entries, select


@click.command(name="check-links")
@click.argument("ids", nargs=-1)
@entries_folder_option
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
    from tqdm import tqdm

    from registry.net.link_report import render_markdown, render_text
    from registry.net.links import DEAD, check_links, entry_links
    from registry.signals.clean import visible_lines

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
    # Final URLs come from redirects a website chose: no control character reaches the output.
    click.echo(
        visible_lines(
            render_markdown(results)
            if (markdown_flag or output == "markdown")
            else render_text(results)
        )
    )
    if strict and any(r.outcome == DEAD for r in results):
        raise click.ClickException(f"{sum(r.outcome == DEAD for r in results)} dead link(s)")
