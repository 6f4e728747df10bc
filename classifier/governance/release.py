"""Releases on the charter's calendar: bundle the accepted proposals into the rule files,
bump the version, write the changelog line and the reclassification table, and record the
release. Run again on the commit before a release, with the same date, it writes the same
files: a release is reproducible from the repository at its tag.

The rule files are edited with ruamel.yaml's round trip, so their comments and layout stay
as reviewers wrote them.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from classifier import diff
from classifier.governance import changes, models
from classifier.governance.impact import current
from classifier.governance.records import GOVERNANCE, RULES, Records, rules_digest
from classifier.rules_data import load_rules


class ReleaseError(Exception):
    """A release cannot be cut (not a release day, rules changed outside a release, ...)."""


@dataclasses.dataclass(frozen=True)
class Cut:
    version: str
    kind: str
    proposals: tuple[str, ...]
    table: str
    reclassified: int


def calendar(charter: models.Charter, year: int) -> list[datetime.date]:
    return sorted(datetime.date.fromisoformat(f"{year}-{md}") for md in charter.releases.dates)


def next_release(charter: models.Charter, after: datetime.date) -> datetime.date:
    """The first calendar release date after `after`."""
    return min(d for y in (after.year, after.year + 1) for d in calendar(charter, y) if d > after)


def release_kind(charter: models.Charter, day: datetime.date) -> str | None:
    if day.strftime("%m-%d") == charter.releases.public_domain_day:
        return "public-domain-day"
    return "calendar" if day in calendar(charter, day.year) else None


def next_version(current: str, day: datetime.date) -> str:
    year, number = (int(part) for part in current.split("."))
    return f"{day.year}.{number + 1 if day.year == year else 1}"


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _styled(rule: dict) -> CommentedMap:
    """A new rule written as the rule files write theirs: `when` and `then` on one line."""
    out = CommentedMap()
    for key, value in rule.items():
        if isinstance(value, dict):
            value = CommentedMap(value)
            value.fa.set_flow_style()
        out[key] = value
    return out


def cut(records: Records, day: datetime.date, extraordinary: str | None = None) -> Cut:
    """Cut the release of `day` in the repository at records.root."""
    root, charter, last = records.root, records.charter, records.current
    kind = release_kind(charter, day)
    if kind is None and not extraordinary:
        raise ReleaseError(
            f"{day} is not on the release calendar (next: {next_release(charter, day)}); an "
            "off-calendar release needs --extraordinary REASON"
        )
    if day <= last.date:
        raise ReleaseError(f"the last release, {last.version}, is dated {last.date}")
    if rules_digest(root / RULES) != last.rules_sha256:
        raise ReleaseError(
            f"{RULES}/ differs from release {last.version}: rule files change only through a "
            "release; move the edits into a proposal"
        )
    bundled = [p for p in records.unreleased() if p.decision.date <= day]
    version = next_version(last.version, day)
    old = current(root)
    files, yaml = {}, _yaml()
    for path in sorted((root / RULES).glob("*.yaml")):
        files[path.name] = yaml.load(path.read_text(encoding="utf-8"))
    for proposal in bundled:
        changes.apply(files, changes.as_change(proposal), _styled)
    _changelog(files, version, day, kind or "extraordinary", bundled, extraordinary)
    for name, data in files.items():
        text = _dump(yaml, data)
        if name == changes.COMMUNITY_FILE and not text.startswith("#"):
            text = changes.COMMUNITY_HEADER + text
        (root / RULES / name).write_text(text, encoding="utf-8")
    new = dataclasses.replace(old, label=f"rules {version}", rules=load_rules(root / RULES))
    reclassified = diff.compare(old, new, day, old_as_of=day - datetime.timedelta(days=1))
    table = f"{GOVERNANCE}/releases/{version}.md"
    (root / table).write_text(
        _table(version, day, kind or "extraordinary", bundled, old, new, reclassified),
        encoding="utf-8",
    )
    for proposal in bundled:
        _set_key(yaml, root / records.paths[f"proposal:{proposal.id}"], "released_in", version)
    _record(yaml, root, version, day, kind or "extraordinary", bundled, table, extraordinary)
    return Cut(
        version, kind or "extraordinary", tuple(p.id for p in bundled), table, len(reclassified)
    )


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _changelog(files, version, day, kind, bundled, extraordinary) -> None:
    ruleset = next(data for data in files.values() if "changelog" in data)
    said = [f"{p.id}: {p.summary}" for p in bundled]
    if kind == "public-domain-day":
        said.append(f"Public Domain Day: the public-domain cut-offs move to {day.year}")
    why = [f"{p.id}: {p.decision.reasons.strip()}" for p in bundled]
    if extraordinary:
        why.append(f"Extraordinary release: {extraordinary}")
    line = CommentedMap()
    line["version"] = DoubleQuotedScalarString(version)
    line["date"] = DoubleQuotedScalarString(day.isoformat())
    line["change"] = "; ".join(said) or "No rule changes."
    line["reason"] = " ".join(why) or f"Release on the calendar ({kind})."
    line["proposals"] = CommentedSeq(p.id for p in bundled)
    line["proposals"].fa.set_flow_style()
    ruleset["version"] = DoubleQuotedScalarString(version)
    ruleset["changelog"].insert(0, line)


def _table(version, day, kind, bundled, old, new, reclassified) -> str:
    lines = [f"# Rules {version}", "", f"Released {day} ({kind.replace('-', ' ')}).", ""]
    if bundled:
        lines.append("Proposals bundled:")
        lines += [f"- `{p.id}`: {diff._cell(p.title)}" for p in bundled]
    else:
        lines.append("No proposals were accepted since the last release.")
    lines.append("")
    return "\n".join(lines) + diff.markdown(reclassified, old, new, [])


def _set_key(yaml: YAML, path: Path, key: str, value: str) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"))
    data[key] = value
    path.write_text(_dump(yaml, data), encoding="utf-8")


def _record(yaml, root, version, day, kind, bundled, table, extraordinary) -> None:
    path = root / GOVERNANCE / "releases.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    record = CommentedMap()
    record["version"] = DoubleQuotedScalarString(version)
    record["date"] = day.isoformat()
    record["kind"] = kind
    record["proposals"] = CommentedSeq(p.id for p in bundled)
    record["proposals"].fa.set_flow_style()
    record["rules_sha256"] = rules_digest(root / RULES)
    record["table"] = table
    if extraordinary:
        record["extraordinary_reason"] = extraordinary
    data["releases"].append(record)
    path.write_text(_dump(yaml, data), encoding="utf-8")
