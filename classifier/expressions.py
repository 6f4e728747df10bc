"""Licence expressions: match each licence id to its rule, then combine along the
SPDX expression tree (OR → most open, AND → most restrictive, WITH → base licence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

from classifier import knowledge
from classifier.outcome import Outcome, evolve, most_open, most_restrictive, profile_uses
from classifier.result import Reason
from classifier.rules_data import Rule, RuleSet
from registry.entry.licenses import licensing, parse


@dataclass(frozen=True)
class LicenceContext:
    """The facts about an entry (and one licence's scope) that licence rules may test."""

    modality: str = ""
    scope: str = "all"
    publisher_type: str = ""
    jurisdictions: tuple[str, ...] = ()
    copyright_basis: str = ""


PublicDomain = Callable[[Rule, str], Outcome]

_CANDIDATES: dict = {}


def candidates(rules: RuleSet, licence_id: str) -> tuple[Rule, ...]:
    """Rules whose licence-level conditions (ids, id_regex, spdx) hold for an id, in order.
    Computed once per id; only the few entry conditions are checked per entry."""
    key = (id(rules), licence_id)
    found = _CANDIDATES.get(key)
    if found is None:
        if len(_CANDIDATES) > 50_000:
            _CANDIDATES.clear()
        found = tuple(r for r in rules.licence_rules if _id_holds(r, licence_id))
        _CANDIDATES[key] = found
        _KEEP[id(rules)] = rules  # keeps the id in the key from being reused
    return found


_KEEP: dict = {}


def matching_rule(rules: RuleSet, licence_id: str, ctx: LicenceContext) -> Rule | None:
    """The first licence rule whose conditions all hold for this id and context."""
    for rule in candidates(rules, licence_id):
        if _entry_holds(rule.when.get("entry") or {}, ctx):
            return rule
    return None


def _id_holds(rule: Rule, licence_id: str) -> bool:
    when = rule.when
    if "ids" in when and licence_id.lower() not in {str(i).lower() for i in when["ids"]}:
        return False
    if rule.pattern is not None and not rule.pattern.fullmatch(licence_id):
        return False
    if "spdx" in when:
        facts = knowledge.spdx_licence(licence_id)
        if facts is None or any(facts.get(flag) != value for flag, value in when["spdx"].items()):
            return False
    return True


def _entry_holds(conditions: dict, ctx: LicenceContext) -> bool:
    for name, wanted in conditions.items():
        if name == "code":
            if (ctx.modality == "code" or ctx.scope == "code") != bool(wanted):
                return False
        elif name == "jurisdictions_any":
            if not set(ctx.jurisdictions) & set(wanted):
                return False
        elif name == "jurisdictions_none":
            if set(ctx.jurisdictions) & set(wanted):
                return False
        elif getattr(ctx, name) not in wanted:
            return False
    return True


def licence_outcome(
    rules: RuleSet, licence_id: str, ctx: LicenceContext, public_domain: PublicDomain | None = None
) -> Outcome:
    """What one licence id means in this context: its rule's effect, or `no_match`."""
    rule = matching_rule(rules, licence_id, ctx)
    if rule is None:
        known = (
            "an SPDX licence" if knowledge.spdx_licence(licence_id) else "not a known licence id"
        )
        return Outcome(
            category=rules.no_match,
            family="unknown",
            obligations=(),
            uses=profile_uses(rules, "unknown"),
            reasons=(
                Reason(
                    "no-match",
                    f"No rule covers {licence_id} ({known}), so it stays undetermined until a "
                    "rule is added",
                    "classifier/rules/ruleset.yaml no_match",
                    rules.no_match,
                ),
            ),
            label=licence_id,
        )
    then = rule.then
    if then.get("evaluate") == "public-domain-terms" and public_domain is not None:
        return public_domain(rule, licence_id)
    text = rule.reason.format_map(_Fields(license=licence_id))
    return Outcome(
        category=then.get("category", rules.no_match),
        family=then["family"],
        obligations=tuple(then.get("obligations") or ()),
        uses=profile_uses(rules, then["uses"]),
        reasons=(Reason(rule.id, text, rule.citation, then.get("category", "")),),
        label=licence_id,
        jurisdictions=tuple(then.get("jurisdictions") or ()),
        confidence=then.get("confidence", "high"),
    )


def expression_outcome(
    rules: RuleSet, expression: str, ctx: LicenceContext, public_domain: PublicDomain | None = None
) -> Outcome:
    """Evaluate an SPDX expression along its tree."""
    parsed, _ = parse(expression)
    return _walk(rules, parsed, ctx, public_domain)


def _walk(rules: RuleSet, node, ctx: LicenceContext, public_domain: PublicDomain | None) -> Outcome:
    if isinstance(node, LicenseWithExceptionSymbol):
        base = _walk(rules, node.license_symbol, ctx, public_domain)
        note = Reason(
            "combine.with",
            f"{node.render()}: an exception only adds permissions, so the base licence "
            f"{node.license_symbol.key} decides",
            "SPDX Specification 3.0.1 Annex D (WITH operator)",
            "base-licence",
        )
        return evolve(base, reasons=base.reasons + (note,), label=node.render())
    if isinstance(node, LicenseSymbol):
        return licence_outcome(rules, str(node.key), ctx, public_domain)
    parts = [_walk(rules, arg, ctx, public_domain) for arg in node.args]
    label = node.render()
    if isinstance(node, licensing().OR):
        return most_open(rules, parts, label)
    return most_restrictive(rules, parts, label)


class _Fields(dict):
    """Reason interpolation that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
