"""Reading the governed rule files (classifier/rules/*.yaml) into a RuleSet.

The files are trusted repository data (reviewed by CODEOWNERS), read with
PyYAML's CSafeLoader for speed; their structure is still checked here, so a
mistake in a rule change fails with a message naming the file, the rule and
the key, all problems at once, instead of misclassifying entries quietly.
"""

from __future__ import annotations

import datetime
import re
import string
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from classifier.result import CATEGORIES, USE_VERDICTS, USES

RULES_DIR = Path(str(resources.files("classifier") / "rules"))

LICENCE_WHEN = {"ids", "id_regex", "spdx", "entry"}
ENTRY_WHEN = {
    "modality",
    "scope",
    "publisher_type",
    "jurisdictions_any",
    "jurisdictions_none",
    "copyright_basis",
    "code",
}
LICENCE_THEN = {
    "category",
    "family",
    "obligations",
    "uses",
    "jurisdictions",
    "confidence",
    "evaluate",
}
TERM_WHEN = {"jurisdictions", "basis", "modality", "modality_not"}
TERM_THEN = {"years", "table", "not_retroactive", "if_protected"}
SIGNAL_VOCABULARIES = ("ietf-aipref", "cc-signals", "tdmrep", "content-signals", "robots")
REASON_FIELDS = {"license", "year", "state", "cutoff", "as_of", "signal", "observed", "source"}
TOP_LEVEL = {
    "version",
    "changelog",
    "order",
    "no_match",
    "combine",
    "scopes",
    "verdict_order",
    "families",
    "use_profiles",
    "licence_rules",
    "term_rules",
    "basis_rules",
    "signal_rules",
    "engine_rules",
    "templates",
    "vocabularies",
    "robots_ai_tokens",
}


class RulesError(Exception):
    """The rule files are malformed; `problems` lists every one as 'file: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid classifier rules:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Rule:
    """One rule of any kind: its condition, effect, and the reason and source shown to users."""

    kind: str  # licence, term, basis, signal
    id: str
    when: dict
    then: dict
    reason: str
    citation: str
    file: str
    pattern: re.Pattern | None = None


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
    signal_rules: tuple[Rule, ...]
    engine_rules: tuple[Rule, ...]
    templates: tuple[dict, ...]
    vocabularies: dict
    robots_ai_tokens: tuple[str, ...]
    sources: dict = field(default_factory=dict, compare=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in evaluation order, then the engine's own reasons."""
        return (
            self.licence_rules
            + self.term_rules
            + self.basis_rules
            + self.signal_rules
            + self.engine_rules
        )

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


_CACHE: dict = {}


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
    if folder.is_file():
        files = [folder]
    else:
        files = sorted(folder.glob("*.yaml"))
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
    ruleset = _build(merged, origin, problems)
    if problems:
        raise RulesError(problems)
    return ruleset


def _build(data: dict, origin: dict, problems: list[str]) -> RuleSet:
    version = str(data["version"])
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
                f"{origin['use_profiles']}: profile '{name}' must give each of "
                f"{', '.join(USES)} as [commercial, non-commercial] verdicts"
            )
    families = data["families"] or {}
    seen: set[str] = set()
    ctx = _Context(problems, profiles or {}, families, seen)
    licence_rules = tuple(
        ctx.rule("licence", r, origin["licence_rules"])
        for r in _list(data, "licence_rules", origin, problems)
    )
    term_rules = tuple(
        ctx.rule("term", r, origin["term_rules"])
        for r in _list(data, "term_rules", origin, problems)
    )
    basis_rules = tuple(
        ctx.rule("basis", r, origin["basis_rules"])
        for r in _list(data, "basis_rules", origin, problems)
    )
    signal_rules = tuple(
        ctx.rule("signal", r, origin["signal_rules"])
        for r in _list(data, "signal_rules", origin, problems)
    )
    engine_rules = tuple(
        ctx.rule("engine", r, origin["engine_rules"])
        for r in _list(data, "engine_rules", origin, problems)
    )
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
                    f"{origin['templates']}: template {template['id']}: requires '{use}: "
                    f"{mode}' must name a use ({', '.join(USES)}) and a mode (commercial, "
                    "non_commercial)"
                )
    return RuleSet(
        version=version,
        changelog=tuple(changelog),
        order=order,
        no_match=str(data.get("no_match", "undetermined")),
        scopes=data["scopes"],
        verdict_order=verdicts,
        families=families,
        use_profiles=profiles,
        licence_rules=licence_rules,
        term_rules=term_rules,
        basis_rules=basis_rules,
        signal_rules=signal_rules,
        engine_rules=engine_rules,
        templates=templates,
        vocabularies=data.get("vocabularies") or {},
        robots_ai_tokens=tuple(data.get("robots_ai_tokens") or ()),
        sources=origin,
    )


def _list(data: dict, key: str, origin: dict, problems: list[str]) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        problems.append(f"{origin.get(key, '(rules)')}: '{key}' must be a list")
        return []
    return value


@dataclass
class _Context:
    problems: list[str]
    profiles: dict
    families: dict
    seen: set

    def rule(self, kind: str, raw: object, file: str) -> Rule:
        if not isinstance(raw, dict):
            self.problems.append(
                f"{file}: each rule must be a mapping with id, when, then, reason, citation"
            )
            return Rule(kind, "?", {}, {}, "", "", file)
        rule_id = str(raw.get("id", "?"))
        where = f"{file}: rule {rule_id}"
        bad = lambda message: self.problems.append(f"{where}: {message}")  # noqa: E731
        for key in ("id", "when", "then", "reason", "citation"):
            if not raw.get(key):
                bad(f"missing '{key}'")
        extra = set(raw) - {"id", "when", "then", "reason", "citation"}
        if extra:
            bad(f"unknown keys {sorted(extra)}")
        if rule_id in self.seen:
            bad("duplicate rule id")
        self.seen.add(rule_id)
        when, then = raw.get("when") or {}, raw.get("then") or {}
        if not isinstance(when, dict) or not isinstance(then, dict):
            bad("'when' and 'then' must be mappings")
            when, then = {}, {}
        reason = str(raw.get("reason", ""))
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(reason) if name}
        except ValueError as error:
            fields = set()
            bad(f"reason is not a valid template: {error}")
        if fields - REASON_FIELDS:
            bad(
                f"reason uses unknown placeholders {sorted(fields - REASON_FIELDS)} (allowed: "
                f"{', '.join(sorted(REASON_FIELDS))})"
            )
        pattern = None
        if kind == "licence":
            pattern = self._licence(when, then, bad)
        elif kind == "term":
            self._term(when, then, bad)
        elif kind == "basis":
            self._cap(then, bad)
        elif kind == "signal":
            self._signal(when, then, bad)
        return Rule(kind, rule_id, when, then, reason, str(raw.get("citation", "")), file, pattern)

    def _licence(self, when: dict, then: dict, bad) -> re.Pattern | None:
        if set(when) - LICENCE_WHEN:
            bad(
                f"unknown conditions {sorted(set(when) - LICENCE_WHEN)} (allowed: "
                f"{', '.join(sorted(LICENCE_WHEN))})"
            )
        if set(when.get("entry") or {}) - ENTRY_WHEN:
            bad(
                f"unknown entry conditions {sorted(set(when['entry']) - ENTRY_WHEN)} (allowed: "
                f"{', '.join(sorted(ENTRY_WHEN))})"
            )
        if set(then) - LICENCE_THEN:
            bad(
                f"unknown effects {sorted(set(then) - LICENCE_THEN)} (allowed: "
                f"{', '.join(sorted(LICENCE_THEN))})"
            )
        if "evaluate" in then:
            if then["evaluate"] != "public-domain-terms":
                bad("evaluate must be 'public-domain-terms'")
        elif then.get("category") not in CATEGORIES:
            bad(f"then.category must be one of {', '.join(CATEGORIES)}")
        if then.get("family") not in self.families:
            bad(f"then.family '{then.get('family')}' is not in families")
        if then.get("uses") not in self.profiles:
            bad(f"then.uses '{then.get('uses')}' is not a use profile ({', '.join(self.profiles)})")
        if not isinstance(then.get("obligations", []), list):
            bad("then.obligations must be a list")
        if "id_regex" in when:
            try:
                return re.compile(str(when["id_regex"]), re.IGNORECASE)
            except re.error as error:
                bad(f"id_regex does not compile: {error}")
        return None

    def _term(self, when: dict, then: dict, bad) -> None:
        if set(when) - TERM_WHEN or set(then) - TERM_THEN:
            bad(
                f"unknown keys (when: {', '.join(sorted(TERM_WHEN))}; then: "
                f"{', '.join(sorted(TERM_THEN))})"
            )
        if when.get("basis") not in ("publication", "death"):
            bad("when.basis must be 'publication' or 'death'")
        if not when.get("jurisdictions"):
            bad("when.jurisdictions must list where the term applies")
        if ("years" in then) == ("table" in then):
            bad("then needs exactly one of 'years' or 'table'")
        for row in then.get("table") or []:
            if ("years" in row) == ("free_from" in row):
                bad(f"table row {row} needs exactly one of 'years' or 'free_from'")
            elif "free_from" in row:
                try:
                    datetime.date.fromisoformat(str(row["free_from"]))
                except ValueError:
                    bad(f"table row {row}: free_from must be YYYY-MM-DD")
        if then.get("if_protected") not in CATEGORIES:
            bad(f"then.if_protected must be one of {', '.join(CATEGORIES)}")

    def _cap(self, then: dict, bad) -> None:
        if then.get("cap") not in CATEGORIES:
            bad(f"then.cap must be one of {', '.join(CATEGORIES)}")
        if "cap_uses" in then and then["cap_uses"] not in USE_VERDICTS:
            bad(f"then.cap_uses must be one of {', '.join(USE_VERDICTS)}")

    def _signal(self, when: dict, then: dict, bad) -> None:
        if when.get("vocabulary") not in SIGNAL_VOCABULARIES:
            bad(f"when.vocabulary must be one of {', '.join(SIGNAL_VOCABULARIES)}")
        if not when.get("key") or "value" not in when:
            bad("when needs 'key' and 'value'")
        self._cap(then, bad)
        if not set(then.get("uses") or []) <= set(USES):
            bad(f"then.uses must list uses among {', '.join(USES)}")
