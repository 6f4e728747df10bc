"""What a proposal reclassifies: the current release's rules with the proposal's change applied,
compared with the current release over every entry (classifier.diff). Computed, never typed.

The same machinery previews the next release: every accepted, unreleased proposal applied.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from classifier import diff
from classifier.governance import changes, models
from classifier.governance.records import RULES, Records
from classifier.rules_data import RulesError, RuleSet, parse_rules


def release_texts(root: Path) -> dict[str, str]:
    """The rule files in the repository: the current release (only releases change them)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / RULES).glob("*.yaml"))}


def rules_with(root: Path, proposals: list[models.Proposal], version: str | None = None) -> RuleSet:
    """The current rules with the proposals' changes applied in order.

    Raises changes.ChangeError or RulesError when a change does not apply or leaves the
    rules invalid."""
    files = changes.read_files(release_texts(root))
    for proposal in proposals:
        changes.apply(files, changes.as_change(proposal))
    rules = parse_rules(changes.dump_files(files))
    return dataclasses.replace(rules, version=version) if version else rules


def problems(records: Records, proposal: models.Proposal) -> list[tuple[tuple, str]]:
    """Why a proposal's change cannot be applied to the current rules: (location, message)."""
    if proposal.kind not in ("rule-change", "community-decision"):
        return []
    if proposal.released_in is not None:
        return []  # its change is in the rules now
    try:
        rules_with(records.root, [proposal])
    except changes.ChangeError as error:
        return error.problems
    except RulesError as error:
        return [(("change",), f"the changed rules are not valid: {p}") for p in error.problems]
    return []


@dataclasses.dataclass(frozen=True)
class Impact:
    proposal_ids: tuple[str, ...]
    old: diff.Snapshot
    new: diff.Snapshot
    changes: list[diff.Change]

    def markdown(self) -> str:
        return diff.markdown(self.changes, self.old, self.new, [])

    @property
    def entries(self) -> set[str]:
        return {c.entry_id for c in self.changes}


def impact(
    records: Records,
    proposals: list[models.Proposal],
    as_of: datetime.date,
    base: diff.Snapshot | None = None,
    label: str | None = None,
) -> Impact:
    """The entries that the proposals (applied together) reclassify as of a date."""
    base = base or current(records.root)
    version = label or f"{base.rules.version} + {', '.join(p.id for p in proposals)}"
    rules = rules_with(records.root, proposals, version)
    new = diff.Snapshot(version, rules, base.entries, base.history)
    return Impact(tuple(p.id for p in proposals), base, new, diff.compare(base, new, as_of))


def current(root: Path) -> diff.Snapshot:
    """The current release's rules and the working tree's entries."""
    snapshot = diff.working_tree(root)
    return dataclasses.replace(snapshot, label=f"rules {snapshot.rules.version}")


def preview(records: Records, as_of: datetime.date, base: diff.Snapshot | None = None) -> Impact:
    """The next release as it stands: every accepted, unreleased proposal applied."""
    pending = records.unreleased()
    base = base or current(records.root)
    return impact(records, pending, as_of, base, label=f"{base.rules.version} + accepted")
