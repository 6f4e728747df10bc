"""The engine: apply a RuleSet to one entry and explain the result.

Order (classifier/rules/ruleset.yaml): each licence expression is evaluated
(licence rules, public-domain terms), the entry's scoped licences are combined,
the copyright-basis caps apply, then the preference signals, which only lower.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from functools import lru_cache

from classifier.expressions import LicenceContext, expression_outcome, matching_rule
from classifier.outcome import Outcome, cap, most_restrictive, profile_uses
from classifier.public_domain import evaluate as evaluate_terms
from classifier.result import USES, Classification, Reason, UseVerdict
from classifier.rules_data import RuleSet, load_rules
from classifier.signals import apply as apply_signals
from classifier.templates import fit_templates
from registry.entry.licenses import license_keys

SCOPE_CITATION = "classifier/rules/ruleset.yaml scopes"


def classify(
    entry, as_of: datetime.date | None = None, rules: RuleSet | None = None
) -> Classification:
    """Classify one `registry.entry.schema.Entry` as of a date (default: today)."""
    rules = rules or load_rules()
    as_of = as_of or datetime.date.today()
    outcome = _licences(rules, entry, as_of)
    outcome = _basis_caps(rules, entry, outcome)
    outcome, conflicts = apply_signals(rules, outcome, entry.signals)
    return _result(rules, entry, as_of, outcome, conflicts)


def _licences(rules: RuleSet, entry, as_of: datetime.date) -> Outcome:
    jurisdictions = tuple(entry.jurisdictions)

    def public_domain(claim, licence_id):
        return evaluate_terms(
            rules,
            claim,
            licence_id,
            modality=entry.modality,
            jurisdictions=jurisdictions,
            first_published=entry.first_published,
            death_year=entry.creator_death_year,
            as_of=as_of,
        )

    groups: dict[str, list[Outcome]] = {"content": [], "metadata": [], "lowers_only": []}
    for licence in entry.licenses:
        ctx = LicenceContext(
            entry.modality,
            licence.scope,
            entry.publisher.type,
            jurisdictions,
            entry.copyright_basis,
        )
        # The outcome depends only on which rule each licence id matches, unless a
        # rule decides by public-domain terms (then the dates matter too).
        matched = tuple(matching_rule(rules, key, ctx) for key in _keys(licence.expression))
        key = (
            id(rules),
            licence.expression,
            licence.scope,
            tuple(r.id if r else None for r in matched),
        )
        outcome = _PARTS.get(key)
        if outcome is None:
            outcome = expression_outcome(rules, licence.expression, ctx, public_domain)
            outcome = replace(
                outcome,
                label=f"{licence.expression} ({licence.scope})"
                if licence.scope != "all"
                else licence.expression,
            )
            if not any(r is not None and "evaluate" in r.then for r in matched):
                _remember(_PARTS, key, outcome, rules)
        groups[_scope_group(rules, licence.scope)].append(outcome)
    content, some_items, metadata = groups["content"], groups["lowers_only"], groups["metadata"]
    notes = tuple(
        f"Licence {m.label} covers the metadata only; it is not used for the content's category"
        for m in metadata
    )
    if content:
        # An item licence the rules cannot decide is no evidence of a restriction:
        # it is reported, and only decided item licences may lower the result.
        notes += tuple(
            f"Licence {s.label} could not be decided ({s.reasons[-1].text}); it does not lower "
            "the result"
            for s in some_items
            if s.category == "undetermined"
        )
        some_items = [s for s in some_items if s.category != "undetermined"]
    if content or some_items:
        parts = content + some_items
        if not content:
            parts.append(
                _unknown(
                    rules,
                    "scope.some-items-only",
                    "Only some items have a stated licence; the other items' rights are "
                    "unknown, so the entry as a whole stays undetermined",
                )
            )
        combined = (
            parts[0]
            if len(parts) == 1
            else most_restrictive(rules, parts, "the entry's licences", SCOPE_CITATION)
        )
        if some_items and content:
            combined = replace(
                combined,
                reasons=combined.reasons
                + (
                    Reason(
                        "scope.some-items",
                        "A licence scoped to some items can only lower the result, never raise it",
                        SCOPE_CITATION,
                        "lowers",
                    ),
                ),
            )
        return replace(combined, notes=combined.notes + notes) if notes else combined
    reason = "Only the metadata has a licence; a metadata licence does not make the content commons"
    return replace(_unknown(rules, "scope.metadata-only", reason), notes=notes)


# Outcomes that do not depend on dates are the same for every entry with the same
# expression and context: computing them once keeps a 10,000-entry build fast.
_PARTS: dict = {}
_VERDICTS: dict = {}
_KEEP: dict = {}


def _remember(cache: dict, key, value, rules: RuleSet) -> None:
    if len(cache) > 100_000:
        cache.clear()
    _KEEP[id(rules)] = rules  # the id in the key stays valid while the RuleSet is alive
    cache[key] = value


@lru_cache(maxsize=8192)
def _keys(expression: str) -> tuple[str, ...]:
    return tuple(license_keys(expression))


def _scope_group(rules: RuleSet, scope: str) -> str:
    for group, scopes in rules.scopes.items():
        if scope in scopes:
            return group
    return "content"


def _unknown(rules: RuleSet, rule_id: str, text: str) -> Outcome:
    return Outcome(
        "undetermined",
        "unknown",
        (),
        profile_uses(rules, "unknown"),
        (Reason(rule_id, text, SCOPE_CITATION, "undetermined"),),
        label=rule_id,
    )


def _basis_caps(rules: RuleSet, entry, outcome: Outcome) -> Outcome:
    for rule in rules.basis_rules:
        if entry.copyright_basis in rule.when.get("copyright_basis", ()):
            then = rule.then
            uses = (
                {use: (then["cap_uses"], then["cap_uses"]) for use in USES}
                if "cap_uses" in then
                else None
            )
            outcome = cap(
                rules,
                outcome,
                then["cap"],
                uses,
                Reason(rule.id, rule.reason, rule.citation, f"cap:{then['cap']}"),
            )
    return outcome


def _result(
    rules: RuleSet, entry, as_of: datetime.date, outcome: Outcome, conflicts: tuple[str, ...]
) -> Classification:
    obligations = outcome.obligations
    key = (id(rules), tuple(outcome.uses[use] for use in USES), obligations)
    cached = _VERDICTS.get(key)
    if cached is None:
        uses = {
            use: UseVerdict(
                commercial=outcome.uses[use][0],
                non_commercial=outcome.uses[use][1],
                conditions=obligations if "conditional" in outcome.uses[use] else (),
            )
            for use in USES
        }
        cached = (uses, fit_templates(rules, uses, obligations))
        _remember(_VERDICTS, key, cached, rules)
    uses, templates = cached
    notes = list(outcome.notes)
    if outcome.confidence != "high":
        notes.append(
            f"Confidence {outcome.confidence}: the licence basis needs evidence before relying "
            "on it"
        )
    if entry.verification == "low":
        notes.append("The entry's rights were verified with low confidence (verification: low)")
    if entry.status != "active":
        notes.append(f"The entry is {entry.status}")
    return Classification(
        entry_id=entry.id,
        category=outcome.category,
        license_family=outcome.family,
        obligations=obligations,
        uses=uses,
        templates=templates,
        reasons=outcome.reasons,
        rules_version=rules.version,
        as_of=as_of,
        enters_commons_on=outcome.enters_commons_on,
        jurisdictions=outcome.jurisdictions,
        conflicts=conflicts,
        notes=tuple(notes),
        confidence=outcome.confidence,
    )
