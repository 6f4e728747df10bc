"""Reading the governance files of a repository, every problem at its line and column.

Files: classifier/governance/charter.yaml, releases.yaml, proposals/<id>.yaml and
ballots/<proposal id>.yaml. Each is read by the entries' strict YAML reader and typed by
classifier.governance.models; problems across files (a ballot for no proposal, a release
naming a proposal that was not accepted) are reported at the value that is wrong.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from classifier.governance import models
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import display_path, schema_error
from registry.entry.schema import field_order
from registry.entry.strict_yaml import YamlErrors, YamlFile, read

GOVERNANCE = "classifier/governance"
RULES = "classifier/rules"
MAX_BYTES = 256 * 1024  # a ballot of a well-attended vote is longer than an entry


@dataclass
class Records:
    """One repository's governance data, validated."""

    root: Path
    charter: models.Charter
    proposals: dict[str, models.Proposal]
    ballots: dict[str, models.Ballot]
    releases: list[models.Release]
    documents: dict[str, YamlFile] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # "proposal:<id>" etc. → shown path

    @property
    def current(self) -> models.Release:
        return self.releases[-1]

    def error(self, key: str, location: tuple, message: str) -> EntryError:
        """An error at `location` in the file known as `key` (e.g. 'ballot:<id>')."""
        path = self.paths[key]
        document = self.documents.get(path)
        line, col = document.position(location) if document else (1, 1)
        return EntryError(path, line, col, message)

    def unreleased(self, statuses=("accepted",)) -> list[models.Proposal]:
        """Proposals with a rule or community change, in the given statuses, not yet released;
        in the order a release applies them (decision date, then id)."""
        found = [
            p
            for p in self.proposals.values()
            if p.status in statuses
            and p.released_in is None
            and p.kind in ("rule-change", "community-decision")
        ]
        return sorted(found, key=lambda p: (p.decision.date if p.decision else p.opened, p.id))


def governance_dir(root: Path) -> Path:
    return root / GOVERNANCE


def rules_digest(rules_dir: Path) -> str:
    """SHA-256 over the rule files' names and bytes: what a release record pins."""
    digest = hashlib.sha256()
    for path in sorted(rules_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def texts_digest(texts: dict[str, str]) -> str:
    """rules_digest of rule files held in memory (file name → text)."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def _read(path: Path, model: type[BaseModel], errors: list[EntryError]):
    """One file typed by `model`, or None with its problems added to `errors`."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
        document = read(shown, data, MAX_BYTES)
    except OSError as error:
        errors.append(EntryError(shown, 1, 1, f"cannot read file: {error.strerror}"))
        return None, None
    except YamlErrors as problems:
        errors.extend(problems.errors)
        return None, None
    value = document.value
    if model is models.Proposal and isinstance(value, dict) and "change" in value:
        # A rule change is rule data: typed as the rule files are (numbers, true/false), after
        # the strict reader refused anchors, tags and the rest.
        value = dict(value, change=yaml.load(data, Loader=yaml.CSafeLoader).get("change"))
    try:
        return model.model_validate(value), document
    except ValidationError as error:
        order = field_order(model)
        errors.extend(schema_error(document, d, order) for d in error.errors(include_url=False))
        return None, document


def load(root: Path) -> Records:
    """Every governance file under `root`; raises EntryErrors with every problem found."""
    folder = governance_dir(root)
    errors: list[EntryError] = []
    documents: dict[str, YamlFile] = {}
    paths: dict[str, str] = {}
    charter, doc = _read(folder / "charter.yaml", models.Charter, errors)
    releases, rdoc = _read(folder / "releases.yaml", models.Releases, errors)
    for key, path, document in (
        ("charter", "charter.yaml", doc),
        ("releases", "releases.yaml", rdoc),
    ):
        paths[key] = display_path(folder / path)
        if document is not None:
            documents[paths[key]] = document
    proposals: dict[str, models.Proposal] = {}
    ballots: dict[str, models.Ballot] = {}
    for kind, target, model in (
        ("proposal", proposals, models.Proposal),
        ("ballot", ballots, models.Ballot),
    ):
        for path in sorted((folder / f"{kind}s").glob("*.yaml")):
            item, document = _read(path, model, errors)
            shown = display_path(path)
            if document is not None:
                documents[shown] = document
            if item is None:
                continue
            ident = item.id if kind == "proposal" else item.proposal
            if ident != path.stem:
                line, col = document.position(("id" if kind == "proposal" else "proposal",))
                errors.append(
                    EntryError(
                        shown, line, col, f"'{ident}' must equal the file name '{path.stem}'"
                    )
                )
                continue
            target[ident] = item
            paths[f"{kind}:{ident}"] = shown
    if errors or charter is None or releases is None:
        raise EntryErrors(errors)
    records = Records(root, charter, proposals, ballots, list(releases.releases), documents, paths)
    problems = _across(records)
    if problems:
        raise EntryErrors(problems)
    return records


def _across(records: Records) -> list[EntryError]:
    """Problems no single file shows."""
    errors = []
    for pid, proposal in records.proposals.items():
        for message in models.missing(proposal):
            errors.append(records.error(f"proposal:{pid}", ("status",), message))
    for pid in records.ballots:
        if pid not in records.proposals:
            errors.append(
                records.error(f"ballot:{pid}", ("proposal",), f"no proposal '{pid}' in proposals/")
            )
    seen: set[str] = set()
    for index, release in enumerate(records.releases):
        if release.version in seen:
            errors.append(
                records.error("releases", ("releases", index, "version"), "version listed twice")
            )
        seen.add(release.version)
        for n, pid in enumerate(release.proposals):
            proposal = records.proposals.get(pid)
            if proposal is None or proposal.released_in != release.version:
                errors.append(
                    records.error(
                        "releases",
                        ("releases", index, "proposals", n),
                        f"proposal '{pid}' is not an accepted proposal released in "
                        f"{release.version}",
                    )
                )
    return errors
