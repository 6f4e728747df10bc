"""Commands that work on entry files: validate, new and fmt."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from registry.entry.errors import EntryErrors

DEFAULT_ENTRIES = Path("entries")

# The options several commands share, declared once.
entries_folder_option = click.option(
    "--entries",
    "folder",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of entry files.",
)
text_or_json_option = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def report_errors(errors: EntryErrors) -> None:
    """Print every error as `path:line:col: message`, then a count; exit 1."""
    for error in errors.errors:
        click.echo(str(error), err=True)
    files = len({error.path for error in errors.errors})
    raise click.ClickException(f"{len(errors.errors)} error(s) in {files} file(s)")


def entry_paths(paths: tuple[str, ...]) -> list[Path]:
    """The files and folders given, or entries/; a missing one is a user error."""
    chosen = [Path(p) for p in paths] or [DEFAULT_ENTRIES]
    missing = [str(p) for p in chosen if not p.exists()]
    if missing:
        raise click.ClickException(f"no such file or folder: {', '.join(missing)}")
    return chosen


@click.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path())
def validate_command(paths):
    """Check entry files against the schema and the registry's rules.

    Reports every problem in every file as file:line:col: message, then exits 1.
    Warnings (such as a name that mixes scripts) are printed as file:line:col:
    warning: message and do not fail. With no PATHS, checks all of entries/. A
    folder's observation history (observations/ beside it) is checked too.
    References (derived_from, included_in) of the files given are resolved against
    the whole catalog they belong to (entries/ and imports/<source>/), so a subset
    is checked as the whole catalog is.

    Example:

    \b
        commons validate
        commons validate entries/wikipedia-en.yaml
    """
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import load
    from registry.entry.observations import FOLDER, load_history

    chosen = entry_paths(paths)
    catalog = catalog_around(chosen)
    problems = []
    try:
        loaded = load(chosen, catalog_ids=catalog_ids(catalog) if catalog else None)
    except EntryErrors as errors:
        problems += errors.errors
    sources = 0
    for folder in dict.fromkeys(p.resolve().parent / FOLDER for p in chosen if p.is_dir()):
        try:
            sources += len(load_history(folder).sources)
        except EntryErrors as errors:
            problems += errors.errors
    if problems:
        report_errors(EntryErrors(problems))
    warnings = sorted(warning for item in loaded for warning in item.warnings)
    for warning in warnings:
        click.echo(
            f"{warning.path}:{warning.line}:{warning.col}: warning: {warning.message}", err=True
        )
    click.echo(
        f"{len(loaded)} entries valid"
        + (f", {sources} observation histories valid" if sources else "")
        + (f", {len(warnings)} warning(s)" if warnings else "")
        + (
            f"; references resolved against the whole catalog ({catalog}/ and its imports)"
            if catalog
            else ""
        )
    )


def catalog_around(chosen: list[Path]) -> Path | None:
    """The entries/ folder of the catalog the paths belong to: the nearest folder holding
    entries/, at most three levels up (entries/<id>.yaml, imports/<source>/<id>.yaml)."""
    for path in chosen:
        resolved = path.resolve()
        for folder in [resolved, *resolved.parents][:4]:
            if (folder / "entries").is_dir():
                return display_path_of(folder / "entries")
    return None


def catalog_ids(entries: Path) -> frozenset[str]:
    """Every id in the catalog (curated and imported): an entry's id is its file's name."""
    from registry.build.sources import source_files

    return frozenset(path.stem for path in source_files(entries))


def display_path_of(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@click.command(name="new")
@click.argument("entry_id")
@click.option(
    "--dir",
    "folder",
    default=str(DEFAULT_ENTRIES),
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the entry into.",
)
def new_command(entry_id, folder):
    """Create entries/ENTRY_ID.yaml from a commented template.

    Fill in the empty keys, then run `commons validate`.

    Example:

    \b
        commons new us-census-tiger
    """
    from importlib import resources

    from registry.entry.loader import display_path
    from registry.entry.schema import ID_PATTERN

    if not re.fullmatch(ID_PATTERN, entry_id):
        raise click.ClickException(
            f"'{entry_id}' is not a valid id: it must match {ID_PATTERN} (lowercase letters, "
            "digits and '-')"
        )
    target = Path(folder) / f"{entry_id}.yaml"
    if target.exists():
        raise click.ClickException(f"{display_path(target)} already exists; edit it instead")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        (resources.files("registry.entry") / "template.yaml")
        .read_text(encoding="utf-8")
        .replace("{id}", entry_id),
        encoding="utf-8",
    )
    click.echo(
        f"Wrote {display_path(target)}: fill it in, then run `commons validate "
        f"{display_path(target)}`"
    )


@click.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--check", is_flag=True, help="Only report files that are not canonical; change nothing."
)
def fmt_command(paths, check):
    """Rewrite entry files in canonical form (key order from the schema).

    Comments are removed. With --check, lists the files that would change and
    prints the command that fixes them.

    Example:

    \b
        commons fmt
        commons fmt --check entries/
    """
    from registry.entry.canonical import dumps
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import display_path, entry_files
    from registry.entry.strict_yaml import YamlErrors, read

    changed, problems = [], []
    for file in entry_files(entry_paths(paths)):
        name = display_path(file)
        data = file.read_bytes()
        try:
            document = read(name, data)
        except YamlErrors as errors:
            problems.extend(errors.errors)
            continue
        text = dumps(document.value)
        if text.encode("utf-8") != data:
            changed.append(name)
            if not check:
                file.write_text(text, encoding="utf-8")
    if problems:
        report_errors(EntryErrors(problems))
    if check and changed:
        for name in changed:
            click.echo(f"{name}: not in canonical form", err=True)
        raise click.ClickException(
            f"{len(changed)} file(s) need formatting; run: commons fmt {' '.join(changed)}"
        )
    verb = "would reformat" if check else "reformatted"
    click.echo(
        f"{verb} {len(changed)} file(s)" if changed else "all files already canonical",
        file=sys.stdout,
    )
