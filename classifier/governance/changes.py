"""A proposal's change to the rules, as data: applied to the rule files of the current release
to compute its impact (in memory), and by a release to write the new rule files.

A rule change says which rules it adds (after which rule, or at the end of which list),
replaces (by id) or removes, and which rule settings it replaces. A community decision
adds one rule to `community_rules`, derived from its `community:` record (never typed
twice). The same functions work on plain data (PyYAML) and on ruamel.yaml's round-trip
data, whose mappings and lists are dict and list too.
"""

from __future__ import annotations

import copy

import yaml

from classifier.governance import models

COMMUNITY_FILE = "communities.yaml"
COMMUNITY_HEADER = (
    "# Community decisions: a community recorded, with evidence of its own process, that its\n"
    "# content opts into or out of the commons by default (classifier/communities.py). Each\n"
    "# rule is derived from an accepted governance proposal by `commons governance release`.\n"
)


class ChangeError(Exception):
    """A change cannot be applied; `problems` are (location in the proposal, message)."""

    def __init__(self, problems: list[tuple[tuple, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def community_rule(proposal: models.Proposal) -> dict:
    """The rule a community decision adds: its effect from the charter's principles (opt-outs
    only lower; opt-ins stand in for the licence), its reason from the community's record."""
    c = proposal.community
    clean = lambda text: text.replace("{", "(").replace("}", ")")  # noqa: E731
    verb = "opts into" if c.decides == "opt-in" else "opts out of"
    uses = "" if set(c.uses) == set(models.USES) else f" for {', '.join(c.uses)}"
    result = f" ({clean(c.process.result)})" if c.process.result else ""
    reason = (
        f"{clean(c.name)} ({c.type.replace('-', ' ')}, {c.standing.replace('-', ' ')}) decided by "
        f"{c.process.kind} on {c.process.date}{result} that its content {verb} the commons by "
        f"default{uses}"
    )
    if c.decides == "opt-out":
        then = {"decides": "opt-out", "standing": c.standing, "cap": "open-use-restricted"}
        then["uses"] = list(c.uses)
    else:
        then = {
            "decides": "opt-in",
            "standing": c.standing,
            "category": "commons-by-default",
            "family": "other-open",
            "uses": "with-conditions" if c.conditions else "open",
            "obligations": list(c.conditions),
            "confidence": "medium",
        }
    return {
        "id": f"community.{proposal.id}",
        "when": {"entries": list(c.entries)},
        "then": then,
        "reason": reason,
        "citation": f"{c.process.url} (governance proposal {proposal.id})",
    }


def as_change(proposal: models.Proposal) -> dict:
    """The proposal's change in the rule-change form."""
    if proposal.kind == "community-decision" and proposal.community is not None:
        return {"add": [{"list": "community_rules", "rule": community_rule(proposal)}]}
    return proposal.change if isinstance(proposal.change, dict) else {}


def _locate(files: dict, rule_id: str):
    for name, data in files.items():
        for key, value in (data or {}).items():
            if key.endswith("_rules") and isinstance(value, list):
                for index, rule in enumerate(value):
                    if isinstance(rule, dict) and rule.get("id") == rule_id:
                        return name, key, index
    return None


def _file_of(files: dict, key: str) -> str | None:
    return next((name for name, data in files.items() if key in (data or {})), None)


def apply(files: dict, change: dict, styled=lambda rule: rule) -> None:
    """Apply one change to `files` (rule file name → top-level mapping), in place.

    `styled` turns a new rule into the mapping written to the file (the release gives
    ruamel's flow style to `when` and `then`). Raises ChangeError with every problem.
    """
    problems: list[tuple[tuple, str]] = []
    if not isinstance(change, dict) or set(change) - {"add", "replace", "remove", "settings"}:
        raise ChangeError([(("change",), "change has add, replace, remove and settings only")])
    for n, rule in enumerate(change.get("replace") or []):
        found = _locate(files, rule.get("id")) if isinstance(rule, dict) else None
        if found is None:
            problems.append((("change", "replace", n), f"no rule '{_id(rule)}' to replace"))
            continue
        name, key, index = found
        files[name][key][index] = styled(copy.deepcopy(rule))
    for n, rule_id in enumerate(change.get("remove") or []):
        found = _locate(files, rule_id)
        if found is None:
            problems.append((("change", "remove", n), f"no rule '{rule_id}' to remove"))
            continue
        name, key, index = found
        del files[name][key][index]
    for n, item in enumerate(change.get("add") or []):
        problems += _add(files, item, n, styled)
    for key, value in (change.get("settings") or {}).items():
        name = _file_of(files, key)
        if name is None or key.endswith("_rules") or key in ("version", "changelog"):
            problems.append((("change", "settings", key), f"'{key}' is not a rule setting"))
        elif isinstance(value, dict) and isinstance(files[name][key], dict):
            files[name][key].update(copy.deepcopy(value))
        else:
            files[name][key] = copy.deepcopy(value)
    if problems:
        raise ChangeError(problems)


def _id(rule) -> str:
    return str(rule.get("id")) if isinstance(rule, dict) else "?"


def _add(files: dict, item, n: int, styled) -> list[tuple[tuple, str]]:
    where = ("change", "add", n)
    if not isinstance(item, dict) or not isinstance(item.get("rule"), dict):
        return [(where, "each added rule is {rule: {...}} with 'after: RULE-ID' or 'list: KEY'")]
    rule = item["rule"]
    if _locate(files, rule.get("id")) is not None:
        return [(where, f"rule '{_id(rule)}' already exists; replace it instead")]
    if "after" in item:
        found = _locate(files, item["after"])
        if found is None:
            return [(where, f"no rule '{item['after']}' to add after")]
        name, key, index = found
        files[name][key].insert(index + 1, styled(copy.deepcopy(rule)))
        return []
    key = item.get("list")
    if not isinstance(key, str) or not key.endswith("_rules"):
        return [(where, "say where the rule goes: 'after: RULE-ID' or 'list: licence_rules'")]
    name = _file_of(files, key)
    if name is None:
        name = COMMUNITY_FILE if key == "community_rules" else f"{key.removesuffix('_rules')}.yaml"
        files.setdefault(name, {})[key] = []
    files[name][key].append(styled(copy.deepcopy(rule)))
    return []


def read_files(texts: dict[str, str]) -> dict:
    """Rule file texts → plain data per file."""
    return {name: yaml.load(text, Loader=yaml.CSafeLoader) or {} for name, text in texts.items()}


def dump_files(files: dict) -> dict[str, str]:
    """Plain data per file → texts that classifier.rules_data.parse_rules reads."""
    return {
        name: yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        for name, data in files.items()
    }
