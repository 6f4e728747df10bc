"""The checks a pull request gets from the governance workflow.

- A change to classifier/rules/ is a release: its rule files must be the ones the release
  recorded, and the release may bundle only accepted proposals. Anything else is a rule change
  without an accepted proposal.
- A proposal whose change or community decision is added or edited is a rule change under
  review: the pull request carries the label `proposal`. Once voting has opened, what is being
  voted on cannot change.
- A vote is cast by the voter's own pull request, dated the day it is cast, and must be valid.
- Nobody merges their own proposal: a steward who is neither the author nor a proposer of what
  the pull request decides or releases must approve it.
"""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from classifier.governance import models
from classifier.governance.checks import vote_electorate
from classifier.governance.records import GOVERNANCE, RULES, Records, rules_digest
from classifier.governance.voting import check_votes
from registry.entry.errors import EntryErrors

LABEL = "proposal"
CONTENT = (
    "title",
    "kind",
    "summary",
    "rationale",
    "nearest_rule",
    "evidence",
    "change",
    "community",
    "candidates",
)


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    proposals: set[str] = field(default_factory=set)  # proposals this pull request concerns

    def markdown(self) -> str:
        lines = ["### Governance checks", ""]
        lines += [f"- ❌ {p}" for p in self.problems] or ["- ✅ every governance check passes"]
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip())
    return result.stdout


def _at(root: Path, rev: str, path: str) -> dict | None:
    try:
        return yaml.load(_git(root, "show", f"{rev}:{path}"), Loader=yaml.CSafeLoader)
    except ValueError:
        return None


def check(
    records: Records,
    base: str,
    author: str,
    labels: list[str],
    approvers: list[str],
    today: datetime.date,
    release=None,
) -> Verdict:
    """The pull request's problems and notes; `release(records, day, extraordinary, out)` cuts
    a release as `commons governance release` does (default: the rule files only)."""
    root = records.root
    changed = _git(root, "diff", "--name-only", base, "HEAD").split()
    verdict = Verdict()
    if any(name.startswith(RULES + "/") for name in changed):
        _release(records, root, base, verdict, release)
    for name in changed:
        if name.startswith(f"{GOVERNANCE}/proposals/") and name.endswith(".yaml"):
            _proposal(records, root, base, name, labels, verdict)
        elif name.startswith(f"{GOVERNANCE}/ballots/") and name.endswith(".yaml"):
            _ballot(records, root, base, name, author, today, verdict)
    if verdict.proposals or any(n.startswith(RULES + "/") for n in changed):
        _approval(records, author, approvers, today, verdict)
    return verdict


def _release(records: Records, root: Path, base: str, verdict: Verdict, release=None) -> None:
    before = _at(root, base, f"{GOVERNANCE}/releases.yaml") or {}
    known = {str(r.get("version")) for r in before.get("releases") or []}
    last = records.current
    if last.version in known or rules_digest(root / RULES) != last.rules_sha256:
        verdict.problems.append(
            f"{RULES}/ changes without an accepted proposal: rule changes are made by a "
            "proposal (commons governance propose, label 'proposal') and applied by a release"
        )
        return
    for pid in last.proposals:
        proposal = records.proposals[pid]
        if proposal.status != "accepted":
            verdict.problems.append(f"release {last.version} bundles {pid}, which is not accepted")
        verdict.proposals.add(pid)
    differing = _recut(root, base, last, release)
    if differing:
        verdict.problems.append(
            f"release {last.version} is not what `commons governance release --date {last.date}` "
            f"writes on the base commit: {', '.join(differing)} differ"
        )
    verdict.notes.append(f"release {last.version} bundles: {', '.join(last.proposals) or 'none'}")


def _recut(root: Path, base: str, last: models.Release, release=None) -> list[str]:
    """Cut the release again on the base commit, in a temporary worktree; the governed files
    that differ from the pull request's. `release` is the whole release as the command makes
    it (cut, then anything recorded with it, such as the snapshot), given by the caller."""
    from classifier.governance import records as reading
    from classifier.governance.release import ReleaseError, cut

    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp) / "base"
        _git(root, "worktree", "add", "--quiet", "--detach", str(again), base)
        try:
            if release is None:
                cut(reading.load(again), last.date, last.extraordinary_reason)
            else:
                release(
                    reading.load(again), last.date, last.extraordinary_reason, Path(tmp) / "out"
                )
            return [
                name
                for folder in (RULES, GOVERNANCE)
                for name in sorted(_files(root / folder, root) | _files(again / folder, again))
                if _bytes(root / name) != _bytes(again / name)
            ]
        except (ReleaseError, EntryErrors) as error:
            return [f"(the release cannot be cut on the base commit: {error})"]
        finally:
            _git(root, "worktree", "remove", "--force", str(again))


def _files(folder: Path, root: Path) -> set[str]:
    """The governed data files under a folder (not the code beside them)."""
    return {
        p.relative_to(root).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".md")
    }


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _proposal(records, root, base, name, labels, verdict) -> None:
    pid = Path(name).stem
    proposal = records.proposals.get(pid)
    if proposal is None:
        return
    old = _at(root, base, name) or {}
    edited = [key for key in CONTENT if _plain(old.get(key)) != _plain(_now(records, pid, key))]
    if old.get("status") in ("voting", "accepted", "rejected") and edited:
        verdict.problems.append(
            f"{pid} is {old['status']}: what was voted on cannot change ({', '.join(edited)})"
        )
    if {"change", "community"} & set(edited) and LABEL not in labels:
        verdict.problems.append(
            f"{pid} changes rules: label the pull request '{LABEL}' (a rule change under review)"
        )
    if proposal.status != old.get("status"):
        verdict.notes.append(f"{pid}: {old.get('status', 'new')} → {proposal.status}")
    if proposal.status in ("accepted", "rejected") or edited:
        verdict.proposals.add(pid)


def _now(records: Records, pid: str, key: str):
    raw = yaml.load(
        (records.root / records.paths[f"proposal:{pid}"]).read_text(encoding="utf-8"),
        Loader=yaml.CSafeLoader,
    )
    return raw.get(key)


def _plain(value):
    return yaml.safe_dump(value, sort_keys=True)


def _ballot(records, root, base, name, author, today, verdict) -> None:
    pid = Path(name).stem
    proposal, ballot = records.proposals.get(pid), records.ballots.get(pid)
    if proposal is None or ballot is None:
        return
    before = {
        (str(v.get("voter")), str(v.get("choice")), str(v.get("date")))
        for v in (_at(root, base, name) or {}).get("votes") or []
    }
    new = {
        i for i, v in enumerate(ballot.votes) if (v.voter, str(v.choice), str(v.date)) not in before
    }
    for i in sorted(new):
        voter = ballot.votes[i].voter
        if voter.lower() != author.lower():
            verdict.problems.append(
                f"{pid}: a vote is cast by the voter's own pull request; {voter}'s vote is in a "
                f"pull request by {author}"
            )
    electorate = vote_electorate(records, proposal)
    for index, error in check_votes(records, proposal, electorate, today=today, new=new):
        if index in new:
            verdict.problems.append(str(error))


def _approval(records, author, approvers, today, verdict) -> None:
    proposers = {p.lower() for pid in verdict.proposals for p in records.proposals[pid].proposers}
    excluded = proposers | {author.lower()}
    seats = [
        s.login.lower()
        for s in records.charter.stewards.members
        if s.term_start <= today <= s.term_end
    ]
    valid = [
        a for a in approvers if a.lower() not in excluded and (not seats or a.lower() in seats)
    ]
    who = "an elected steward" if seats else f"a member of {records.charter.stewards.interim.team}"
    if valid:
        verdict.notes.append(f"approved by {', '.join(valid)}")
    else:
        verdict.problems.append(
            f"needs the approval of {who} who is neither the author ({author}) nor a proposer "
            f"({', '.join(sorted(proposers)) or 'none'}): nobody merges their own proposal"
        )
