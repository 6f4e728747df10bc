"""The `commons` command line.

Each command lives in the module of its concept; this file only assembles the
group. Conventions follow sqlite-utils: hyphenated names, an example in every
help text, and user errors raised as click.ClickException.
"""

from __future__ import annotations

import click

from registry.commands.build import build_command
from registry.commands.classify import classify_command
from registry.commands.content_index import content_index_command
from registry.commands.entries import fmt_command, new_command, validate_command
from registry.commands.export import export_command
from registry.commands.governance import governance_command
from registry.commands.import_catalog import import_catalog_command, promote_command
from registry.commands.import_file import import_command
from registry.commands.links import check_links_command
from registry.commands.overlap import fingerprint_command, overlap_command
from registry.commands.serve import serve_command
from registry.commands.signals import (
    import_signals_command,
    refresh_signals_command,
    signals_command,
)
from registry.commands.site import site_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="commons-registry")
def cli():
    """Commons Registry: a catalog of the data commons.

    Entries live in entries/*.yaml, one dataset per file. Start with:

    \b
        commons validate
        commons new my-dataset
    """


cli.add_command(validate_command)
cli.add_command(new_command)
cli.add_command(fmt_command)
cli.add_command(classify_command)
cli.add_command(build_command)
cli.add_command(serve_command)
cli.add_command(import_command)
cli.add_command(import_catalog_command)
cli.add_command(promote_command)
cli.add_command(export_command)
cli.add_command(site_command)
cli.add_command(signals_command)
cli.add_command(refresh_signals_command)
cli.add_command(import_signals_command)
cli.add_command(check_links_command)
cli.add_command(overlap_command)
cli.add_command(fingerprint_command)
cli.add_command(content_index_command)
cli.add_command(governance_command)
