"""Reading the governed rule files (classifier/rules/*.yaml) into a RuleSet.

The files are trusted repository data (reviewed by CODEOWNERS), read with
PyYAML's CSafeLoader for speed; their structure is still checked here, so a
mistake in a rule change fails with a message naming the file, the rule and
the key, all problems at once, instead of misclassifying entries quietly.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from classifier.result import CATEGORIES, USE_VERDICTS, USES
from classifier.rules_check import Checker, Rule
from classifier.rules_upgrade import upgrade

RULES_DIR = Path(str(resources.files("classifier") / "rules"))

# Lists of rules, by top-level key, and the kind each one is checked as.
RULE_LISTS = {
    "licence_rules": "licence",
    "term_rules": "term",
    "basis_rules": "basis",
    "statement_rules": "statement",
    "access_rules": "access",
    "signal_rules": "signal",
    "community_rules": "community",
    "engine_rules": "engine",
}
TOP_LEVEL = set(RULE_LISTS) | {
    "version",
    "changelog",
    "order",
    "no_match",
    "combine",
    "scopes",
    "verdict_order",
    "families",
    "use_profiles",
    "templates",
    "vocabularies",
    "allow_values",
    "opt_outs_restrict",
    "robots_ai_tokens",
    "robots_usage_tokens",
    "plain_words",
}


class RulesError(Exception):
    """The rule files are malformed; `problems` lists every one as 'file: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid classifier rules:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class RuleSet:
    """Everything the engine needs, read from the rule files of one revision."""

    version: str
    changelog: tuple[dict, ...]
    order: tuple[str, ...]
    no_match: str
    scopes: dict
    verdict_order: tuple[str, ...]
    families: dict
    use_profiles: dict
    licence_rules: tuple[Rule, ...]
    term_rules: tuple[Rule, ...]
    basis_rules: tuple[Rule, ...]
    statement_rules: tuple[Rule, ...]
    access_rules: tuple[Rule, ...]
    signal_rules: tuple[Rule, ...]
    engine_rules: tuple[Rule, ...]
    community_rules: tuple[Rule, ...]
    templates: tuple[dict, ...]
    vocabularies: dict
    allow_values: dict
    opt_outs_restrict: tuple[str, ...]
    robots_ai_tokens: tuple[str, ...]
    robots_usage_tokens: tuple[str, ...]
    plain_words: dict
    sources: dict = field(default_factory=dict, compare=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in evaluation order, then the engine's own reasons."""
        return (
            self.licence_rules
            + self.term_rules
            + self.basis_rules
            + self.statement_rules
            + self.access_rules
            + self.signal_rules
            + self.community_rules
            + self.engine_rules
        )

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


_CACHE: dict = {}


def rule_files(path: str | Path | None = None) -> list[Path]:
    """The rule files of a folder (default: the package's classifier/rules), or one file."""
    folder = Path(path) if path is not None else RULES_DIR
    return [folder] if folder.is_file() else sorted(folder.glob("*.yaml"))


def rules_digest(path: str | Path | None = None) -> str:
    """sha256 over the names and bytes of the rule files: what classifications were made with,
    including edits the declared version does not name (a page rebuilt from a database trusts
    it; registry.read.page_digests)."""
    found = hashlib.sha256()
    for file in rule_files(path):
        found.update(f"{file.name}\0".encode())
        found.update(hashlib.sha256(file.read_bytes()).digest())
    return found.hexdigest()


_LAST_CHECK: dict = {}


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read the rule files of a folder (default: the package's classifier/rules).

    The parsed RuleSet is cached and re-read when a file changes; for the default
    folder the files are checked at most once a second, so calling
    `classify(entry)` without `rules` stays cheap in a loop.
    """
    if (
        path is None
        and "default" in _CACHE
        and time.monotonic() - _LAST_CHECK.get("default", -1.0) < 1.0
    ):
        return _CACHE["default"][1]
    if path is None:
        _LAST_CHECK["default"] = time.monotonic()
    folder = Path(path) if path is not None else RULES_DIR
    files = rule_files(folder)
    if not files:
        raise RulesError([f"{folder}: no rule files (*.yaml) found"])
    # Re-read only when a file changed, so classify(entry) without `rules` stays cheap.
    slot = "default" if path is None else str(folder.resolve())
    key = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    cached = _CACHE.get(slot)
    if cached is None or cached[0] != key:
        texts = {f.name: f.read_text(encoding="utf-8") for f in files}
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[slot] = (key, parse_rules(texts))
    return _CACHE[slot][1]


def parse_rules(texts: dict[str, str]) -> RuleSet:
    """Build a RuleSet from file name → YAML text (used for the working tree and for git
    revisions)."""
    problems: list[str] = []
    merged: dict = {}
    origin: dict = {}
    for name, text in sorted(texts.items()):
        try:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
            problems.append(f"{where}: not valid YAML: {getattr(error, 'problem', error)}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{name}: expected a mapping of top-level keys")
            continue
        for key, value in data.items():
            if key not in TOP_LEVEL:
                problems.append(
                    f"{name}: unknown top-level key '{key}' (allowed: "
                    f"{', '.join(sorted(TOP_LEVEL))})"
                )
            elif key in merged:
                problems.append(f"{name}: '{key}' is already defined in {origin[key]}")
            else:
                merged[key], origin[key] = value, name
    if problems:
        raise RulesError(problems)
    for required in (
        "version",
        "changelog",
        "order",
        "use_profiles",
        "licence_rules",
        "verdict_order",
        "families",
        "scopes",
    ):
        if required not in merged:
            problems.append(f"(rules): missing top-level key '{required}'")
    if problems:
        raise RulesError(problems)
    ruleset = _build(upgrade(merged), origin, problems)
    if problems:
        raise RulesError(problems)
    return ruleset


def _changelog(data: dict, version: str, origin: dict, problems: list[str]) -> list:
    """The rules' changelog, which must say what changed in this version and why."""
    changelog = data["changelog"] or []
    if not isinstance(changelog, list) or not all(
        isinstance(c, dict) and {"version", "change", "reason"} <= set(c) for c in changelog
    ):
        problems.append(
            f"{origin['changelog']}: changelog must be a list of {{version, date, change, reason}}"
        )
    elif not any(str(c["version"]) == version for c in changelog):
        problems.append(
            f"{origin['changelog']}: no changelog line for version {version}; say what changed "
            "and why"
        )
    return changelog


def _templates(data: dict, origin: dict, problems: list[str]) -> tuple:
    """The contract templates, each with an id, a description and the uses it requires."""
    templates = tuple(_list(data, "templates", origin, problems))
    for template in templates:
        if not isinstance(template, dict) or not {"id", "description", "requires"} <= set(template):
            problems.append(
                f"{origin.get('templates')}: each template needs id, description and requires"
            )
            continue
        for use, mode in (template["requires"] or {}).items():
            if use not in USES or mode not in ("commercial", "non_commercial"):
                problems.append(
                    f"{origin['templates']}: template {template['id']}: requires '{use}: {mode}' "
                    f"must name a use ({', '.join(USES)}) and a mode (commercial, non_commercial)"
                )
    return templates


def _build(data: dict, origin: dict, problems: list[str]) -> RuleSet:
    version = str(data["version"])
    changelog = _changelog(data, version, origin, problems)
    order = tuple(data["order"])
    if sorted(order) != sorted(CATEGORIES):
        problems.append(
            f"{origin['order']}: order must list each category once: {', '.join(CATEGORIES)}"
        )
    verdicts = tuple(data["verdict_order"])
    if sorted(verdicts) != sorted(USE_VERDICTS):
        problems.append(
            f"{origin['verdict_order']}: verdict_order must list each of {', '.join(USE_VERDICTS)}"
        )
    profiles = data["use_profiles"]
    for name, profile in (profiles or {}).items():
        if (
            not isinstance(profile, dict)
            or set(profile) != set(USES)
            or not all(
                isinstance(v, list) and len(v) == 2 and all(x in USE_VERDICTS for x in v)
                for v in profile.values()
            )
        ):
            problems.append(
                f"{origin['use_profiles']}: profile '{name}' must give each of {', '.join(USES)} "
                "as [commercial, non-commercial] verdicts"
            )
    families = data["families"] or {}
    checker = Checker(problems, profiles or {}, families, set())
    lists = {
        key: tuple(
            checker.rule(kind, r, origin.get(key)) for r in _list(data, key, origin, problems)
        )
        for key, kind in RULE_LISTS.items()
    }
    templates = _templates(data, origin, problems)
    return RuleSet(
        version=version,
        changelog=tuple(changelog),
        order=order,
        no_match=str(data.get("no_match", "undetermined")),
        scopes=data["scopes"],
        verdict_order=verdicts,
        families=families,
        use_profiles=profiles,
        **lists,
        templates=templates,
        vocabularies=data.get("vocabularies") or {},
        allow_values=data.get("allow_values") or {},
        opt_outs_restrict=tuple(data.get("opt_outs_restrict") or ("commercial",)),
        robots_ai_tokens=tuple(data.get("robots_ai_tokens") or ()),
        robots_usage_tokens=tuple(data.get("robots_usage_tokens") or ()),
        plain_words=data.get("plain_words") or {},
        sources=origin,
    )


def _list(data: dict, key: str, origin: dict, problems: list[str]) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        problems.append(f"{origin.get(key, '(rules)')}: '{key}' must be a list")
        return []
    return value
