"""`commons classify`: classify entries, explain one, or show what a change reclassifies."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path

import click

from registry.commands.entries import entry_paths, report_errors, text_or_json_option


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


@click.command(name="classify")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--as-of",
    "as_of",
    callback=_date,
    help="Evaluate public-domain terms as of this date (YYYY-MM-DD); default today.",
)
@text_or_json_option
@click.option(
    "--explain", "explain_id", metavar="ID", help="Explain one entry's classification in full."
)
@click.option(
    "--diff",
    "rev",
    metavar="REV",
    help="Show which entries change between git revision REV and the working tree, as a Markdown "
    "table.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Classify with the next release as it stands: the accepted, unreleased proposals "
    "applied to the current rules.",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(exists=True),
    help="Folder of rule files (default: classifier/rules).",
)
def classify_command(paths, as_of, output, explain_id, rev, preview, rules_dir):
    """Classify entries as commons-by-default, open-use-restricted, not-commons
    or undetermined, with the rule, reason and citation behind each result.

    With no PATHS, classifies all of entries/. The signals read are the entries'
    own and those observed at their source domains (observations/ beside the
    entries folder), as of the date. --diff REV compares the rules, entries and
    observations committed at REV with the working tree and names the rule,
    entry or observation change behind each reclassification.

    Example:

    \b
        commons classify
        commons classify --explain wikipedia-en
        commons classify entries/c4.yaml --format json --as-of 2030-01-01
        commons classify --diff main
        commons classify --preview --explain arxiv-nonexclusive-full-text
    """
    from classifier.rules_data import RulesError, load_rules
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import load
    from registry.entry.observations import load_history

    as_of = as_of or datetime.date.today()
    try:
        if rev:
            _diff(rev, as_of)
            return
        rules = _preview_rules() if preview else load_rules(rules_dir)
    except RulesError as error:
        raise click.ClickException(str(error)) from None
    chosen = entry_paths(paths)
    try:
        loaded = load(chosen)
        history = load_history(observations_beside(chosen[0]))
    except EntryErrors as errors:
        report_errors(errors)
    if explain_id:
        _explain(loaded, explain_id, chosen, as_of, rules, history, output)
    else:
        _classify_all(loaded, as_of, rules, history, output)


def _explain(loaded, explain_id: str, chosen, as_of, rules, history, output: str) -> None:
    from classifier.engine import classify
    from classifier.explain import explanation

    match = [
        item for item in loaded if item.entry.id == explain_id or explain_id in item.entry.aliases
    ]
    if not match:
        raise click.ClickException(
            f"no entry with id '{explain_id}' in {', '.join(map(str, chosen))}"
        )
    entry = match[0].entry
    result = classify(entry, as_of, rules, history)
    if output == "json":
        click.echo(json.dumps(_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(
            explanation(result, [f"{lic.expression} ({lic.scope})" for lic in entry.licenses])
        )


def _classify_all(loaded, as_of, rules, history, output: str) -> None:
    from classifier.engine import classify
    from classifier.explain import one_line

    results = [classify(item.entry, as_of, rules, history) for item in loaded]
    if output == "json":
        click.echo(json.dumps([_json(r) for r in results], indent=2, ensure_ascii=False))
        return
    for result in results:
        click.echo(one_line(result))
    counts = Counter(result.category for result in results)
    summary = ", ".join(f"{n} {category}" for category, n in sorted(counts.items()))
    click.echo(
        f"{len(results)} entries (rules {rules.version}, as of {as_of.isoformat()}): {summary}",
        err=True,
    )


def observations_beside(path: Path) -> Path:
    """observations/ beside the entries folder that holds `path` (a folder or an entry file)."""
    from registry.entry.observations import FOLDER

    folder = path if path.is_dir() else path.parent
    return folder.resolve().parent / FOLDER


def _preview_rules():
    """The current rules with every accepted, unreleased proposal applied."""
    from classifier import diff
    from classifier.governance import records
    from classifier.governance.changes import ChangeError
    from classifier.governance.impact import rules_with
    from registry.entry.errors import EntryErrors

    try:
        root = diff.repo_root(Path.cwd())
        found = records.load(root)
        pending = found.unreleased()
        version = f"{found.current.version} + accepted ({len(pending)} proposal(s), preview)"
        return rules_with(root, pending, version)
    except (diff.GitError, ChangeError) as error:
        raise click.ClickException(f"cannot preview the next release: {error}") from None
    except EntryErrors as errors:
        report_errors(errors)


def _json(result) -> dict:
    data = result.to_json()
    data["reasons"] = [
        {"rule": r["rule"], "text": r["text"], "citation": r["citation"], "effect": r["effect"]}
        for r in data["reasons"]
    ]
    ordered = {
        key: data.pop(key)
        for key in (
            "id",
            "category",
            "obligations",
            "uses",
            "templates",
            "reasons",
            "rules_version",
            "enters_commons_on",
        )
    }
    return {**ordered, **data}


def _diff(rev: str, as_of: datetime.date) -> None:
    from classifier import diff
    from registry.entry.errors import EntryErrors

    try:
        root = diff.repo_root(Path.cwd())
        old, errors = diff.snapshot_at(root, rev)
    except diff.GitError as error:
        raise click.ClickException(f"cannot read revision '{rev}': {error}") from None
    try:
        new = diff.working_tree(root)
    except EntryErrors as problems:
        report_errors(problems)
    click.echo(diff.markdown(diff.compare(old, new, as_of), old, new, errors), nl=False)
