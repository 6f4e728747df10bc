"""Rule-change impact: classify the entries of a git revision and of the working
tree, and say which entries change and which rule or entry change caused it.

Revisions are read with `git ls-tree` / `git cat-file` (never by checking out),
so the working tree is untouched. The engine code is the current one; what
differs between the two sides is the governed data: rules and entries.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from pathlib import Path

from classifier.engine import classify
from classifier.result import Classification
from classifier.rules_data import RuleSet, load_rules, parse_rules
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import LoadedEntry, load, parse_entry
from registry.entry.observations import NO_HISTORY, History, history_of_files, load_history

ENTRIES_DIR = "entries"
RULES_DIR = "classifier/rules"
OBSERVATIONS_DIR = "observations"


class GitError(Exception):
    """A git command failed (unknown revision, not a repository)."""


@dataclass(frozen=True)
class Snapshot:
    """Rules and entries on one side of the comparison."""

    label: str
    rules: RuleSet
    entries: dict[str, LoadedEntry]
    history: History = NO_HISTORY  # the observed signals (observations/)


@dataclass(frozen=True)
class Change:
    """One entry whose classification differs, with what differs and why."""

    entry_id: str
    before: Classification | None
    after: Classification | None
    differences: tuple[str, ...]
    causes: tuple[str, ...]


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    result = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        raise GitError(
            result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed"
        )
    return result.stdout


def repo_root(start: Path) -> Path:
    return Path(git(start, "rev-parse", "--show-toplevel").decode().strip())


def files_at(root: Path, rev: str, folder: str) -> dict[str, bytes]:
    """Every file under `folder` at `rev`, read in one `git cat-file --batch` call."""
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    names = [
        n
        for n in git(root, "ls-tree", "-r", "--name-only", commit, "--", folder)
        .decode()
        .splitlines()
        if n.endswith((".yaml", ".yml"))
    ]
    if not names:
        return {}
    request = "".join(f"{commit}:{name}\n" for name in names).encode()
    output = git(root, "cat-file", "--batch", data=request)
    files, offset = {}, 0
    for name in names:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        files[name] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def snapshot_at(root: Path, rev: str) -> tuple[Snapshot, list[EntryError]]:
    """Rules and entries as committed at `rev`; entries that do not validate are returned as
    errors."""
    rule_files = files_at(root, rev, RULES_DIR)
    rules = (
        parse_rules({Path(n).name: b.decode("utf-8") for n, b in rule_files.items()})
        if rule_files
        else load_rules()
    )
    entries, errors = {}, []
    for name, data in sorted(files_at(root, rev, ENTRIES_DIR).items()):
        if Path(name).parent.as_posix() != ENTRIES_DIR:
            continue
        try:
            loaded = parse_entry(f"{rev}:{name}", data)
            entries[loaded.entry.id] = loaded
        except EntryErrors as problems:
            errors.extend(problems.errors)
    observed = {
        f"{rev}:{name}": data
        for name, data in files_at(root, rev, OBSERVATIONS_DIR).items()
        if Path(name).parent.as_posix() == OBSERVATIONS_DIR
    }
    try:
        history = history_of_files(observed)
    except EntryErrors as problems:
        errors.extend(problems.errors)
        history = NO_HISTORY
    return Snapshot(rev, rules, entries, history), errors


def working_tree(root: Path) -> Snapshot:
    """Rules and entries in the working tree (raises EntryErrors if an entry is invalid)."""
    rules_dir = root / RULES_DIR
    rules = load_rules(rules_dir if rules_dir.is_dir() else None)
    folder = root / ENTRIES_DIR
    loaded = load([folder]) if folder.is_dir() else []
    history = load_history(root / OBSERVATIONS_DIR)
    return Snapshot("working tree", rules, {item.entry.id: item for item in loaded}, history)


def compare(
    old: Snapshot, new: Snapshot, as_of: datetime.date, old_as_of: datetime.date | None = None
) -> list[Change]:
    """Entries whose category, uses or templates differ, each with its causes.

    `old_as_of` classifies the old side as of another day (a release compares the day before
    it with its own day, so the cut-offs that move on 1 January show too)."""
    old_as_of = old_as_of or as_of
    changed_rules = _changed_rules(old.rules, new.rules)
    settings = _changed_settings(old.rules, new.rules)
    changes = []
    for entry_id in sorted(set(old.entries) | set(new.entries)):
        before_item, after_item = old.entries.get(entry_id), new.entries.get(entry_id)
        before = (
            classify(before_item.entry, old_as_of, old.rules, old.history) if before_item else None
        )
        after = classify(after_item.entry, as_of, new.rules, new.history) if after_item else None
        differences = _differences(before, after)
        if not differences:
            continue
        causes = []
        if before_item is None:
            causes.append("entry added")
        elif after_item is None:
            causes.append("entry removed")
        elif before_item.digest != after_item.digest:
            fields = _changed_fields(before_item, after_item)
            causes.append(f"entry changed ({', '.join(fields)})" if fields else "entry changed")
        fired_before = {r.rule for r in before.reasons} if before else set()
        fired_after = {r.rule for r in after.reasons} if after else set()
        decisive = {
            rule_id: how
            for rule_id, how in changed_rules.items()
            if (how == "added" and rule_id in fired_after)
            or (how == "removed" and rule_id in fired_before)
            or (how in ("changed", "moved") and rule_id in fired_before | fired_after)
        }
        causes.extend(f"rule {rule_id} {how}" for rule_id, how in decisive.items())
        observed = _changed_observations(old, new, before_item or after_item, old_as_of, as_of)
        if observed:
            causes.append(f"signals observed at {', '.join(observed)} changed")
        if not causes and old_as_of != as_of:
            causes.append(f"the date moved from {old_as_of} to {as_of}")
        if not causes:
            wording = [
                f"rule {rule_id} reworded"
                for rule_id, how in changed_rules.items()
                if how == "reworded" and rule_id in fired_before | fired_after
            ]
            causes.extend(
                settings or wording or ["a rule that did not fire before now matches first"]
            )
        changes.append(Change(entry_id, before, after, tuple(differences), tuple(causes)))
    return changes


def _changed_observations(
    old: Snapshot, new: Snapshot, item: LoadedEntry, old_as_of: datetime.date, as_of: datetime.date
) -> list[str]:
    """The entry's sources whose signals in force differ between the sides (each at its date)."""

    def seen(history: History, source: str, day: datetime.date) -> list:
        found = history.in_force(source, day)
        return [(s.vocabulary, s.value) for s in found.signals] if found else []

    return [
        source
        for source in item.entry.source_domains
        if seen(old.history, source, old_as_of) != seen(new.history, source, as_of)
    ]


def _differences(before: Classification | None, after: Classification | None) -> list[str]:
    if before is None or after is None:
        present = before or after
        return [f"{'added' if before is None else 'removed'}: {present.category}"]
    out = []
    if before.category != after.category:
        out.append("category")
    if before.uses != after.uses:
        out.append("uses")
    if [(t.template, t.fit) for t in before.templates] != [
        (t.template, t.fit) for t in after.templates
    ]:
        out.append("templates")
    return out


def _changed_rules(old: RuleSet, new: RuleSet) -> dict[str, str]:
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    changes = {}
    for rule_id in sorted(set(before) | set(after)):
        if rule_id not in before:
            changes[rule_id] = "added"
        elif rule_id not in after:
            changes[rule_id] = "removed"
        elif _signature(before[rule_id])[:2] != _signature(after[rule_id])[:2]:
            changes[rule_id] = "changed"
        elif _signature(before[rule_id]) != _signature(after[rule_id]):
            changes[rule_id] = "reworded"  # reason or citation only: cannot change a decision
    # A licence rule that moved changes which rule matches first.
    old_order = [r.id for r in old.licence_rules if r.id in after]
    new_order = [r.id for r in new.licence_rules if r.id in before]
    if old_order != new_order:
        for rule_id in {a for a, b in zip(old_order, new_order, strict=True) if a != b}:
            changes.setdefault(rule_id, "moved")
    return changes


def _signature(rule) -> tuple:
    return (repr(rule.when), repr(rule.then), rule.reason, rule.citation)


def _changed_settings(old: RuleSet, new: RuleSet) -> list[str]:
    names = (
        "order",
        "no_match",
        "scopes",
        "verdict_order",
        "families",
        "use_profiles",
        "templates",
    )
    return [
        f"rule setting '{name}' changed"
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def _changed_fields(before: LoadedEntry, after: LoadedEntry) -> list[str]:
    a, b = before.entry.model_dump(), after.entry.model_dump()
    return [key for key in b if a.get(key) != b.get(key)]


MAX_ROWS = 150  # keeps the report well inside a pull-request comment (65,536 characters)


def markdown(
    changes: list[Change],
    old: Snapshot,
    new: Snapshot,
    errors: list[EntryError],
    max_rows: int = MAX_ROWS,
) -> str:
    """A Markdown report a pull-request comment can hold."""
    lines = [f"### Classification changes: `{_cell(old.label)}` → {new.label}", ""]
    lines.append(
        f"Rules version {old.rules.version} → {new.rules.version}; {len(changes)} of "
        f"{len(set(old.entries) | set(new.entries))} entries change."
    )
    known = {str(c["version"]) for c in old.rules.changelog}
    for line in new.rules.changelog:
        if str(line["version"]) not in known:
            lines.append(
                f"- Rules {_cell(str(line['version']))}: {_cell(str(line['change']).strip())} "
                f"Why: {_cell(str(line['reason']).strip())}"
            )
    lines.append("")
    if changes:
        moves: dict[str, int] = {}
        for change in changes:
            moves[_category(change)] = moves.get(_category(change), 0) + 1
        lines.append(
            "Category moves: " + "; ".join(f"{move}: {n}" for move, n in sorted(moves.items()))
        )
        lines.append("")
        lines += ["| Entry | Category | Uses | Templates | Cause |", "|---|---|---|---|---|"]
        for change in changes[:max_rows]:
            lines.append(
                f"| `{_cell(change.entry_id)}` | {_cell(_category(change))} | "
                f"{_cell(_uses(change))} | {_cell(_templates(change))} | "
                f"{_cell('; '.join(change.causes))} |"
            )
        if len(changes) > max_rows:
            lines.append("")
            lines.append(
                f"… and {len(changes) - max_rows} more; run `commons classify --diff "
                f"{_cell(old.label)}` locally for the full list."
            )
    else:
        lines.append("No entry changes category, uses or templates.")
    if errors:
        lines += [
            "",
            f"{len(errors)} entry file(s) at `{old.label}` do not validate with the current "
            "schema and were skipped:",
        ]
        lines += [f"- `{_cell(str(e))}`" for e in errors[:20]]
    return "\n".join(lines) + "\n"


def _category(change: Change) -> str:
    before = change.before.category if change.before else "—"
    after = change.after.category if change.after else "—"
    return before if before == after else f"{before} → {after}"


def _uses(change: Change) -> str:
    if not (change.before and change.after) or "uses" not in change.differences:
        return "" if change.before and change.after else "—"
    parts = []
    for use, verdict in change.after.uses.items():
        old = change.before.uses[use]
        if (old.commercial, old.non_commercial) != (verdict.commercial, verdict.non_commercial):
            parts.append(
                f"{use}: {old.commercial}/{old.non_commercial} → "
                f"{verdict.commercial}/{verdict.non_commercial}"
            )
    return "; ".join(parts)


def _templates(change: Change) -> str:
    if not (change.before and change.after):
        return "—"
    old = {t.template: t.fit for t in change.before.templates}
    return "; ".join(
        f"{t.template}: {old.get(t.template, '—')} → {t.fit}"
        for t in change.after.templates
        if old.get(t.template) != t.fit
    )


def _cell(text: str) -> str:
    """Table-safe text: no pipes or line breaks can break the row."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
