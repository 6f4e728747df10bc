"""The engine: apply a RuleSet to one entry and explain the result.

Order (classifier/rules/ruleset.yaml): each licence expression is evaluated (licence
rules; public-domain claims by the term and statement rules), the entry's scoped
licences are combined into one answer and its parts, the copyright-basis rules apply
(caps, and the public-domain works under a packager's licence), then the access terms
and the preference signals, which only lower. Last, the answer is put in plain words.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from classifier import plain, works
from classifier.access import apply as apply_access
from classifier.communities import apply as apply_communities
from classifier.expressions import LicenceContext, expression_outcome, matching_rule
from classifier.outcome import CONFIDENCE, Outcome, cap, evolve, most_restrictive
from classifier.result import USES, Classification, Reason, UseVerdict
from classifier.rules_data import RuleSet, load_rules
from classifier.scopes import combine
from classifier.signals import apply as apply_signals
from classifier.templates import fit_templates
from registry.entry.licenses import license_keys

if TYPE_CHECKING:
    from registry.entry.observations import History


def classify(
    entry,
    as_of: datetime.date | None = None,
    rules: RuleSet | None = None,
    history: History | None = None,
) -> Classification:
    """Classify one `registry.schema.Entry` as of a date (default: today).

    The signals read are those in force at `as_of`: the entry's own, and, from the
    observation `history`, the latest observation of each of its source domains."""
    rules = rules or load_rules()
    as_of = as_of or datetime.date.today()
    outcome, claimed = _licences(rules, entry, as_of)
    outcome = _basis(rules, entry, as_of, outcome, claimed)
    outcome = apply_communities(rules, entry, outcome)
    outcome = apply_access(rules, outcome, entry.access_terms)
    signals = signals_in_force(entry, as_of, history)
    outcome, conflicts = apply_signals(rules, outcome, signals)
    return _result(rules, entry, as_of, outcome, conflicts, signals)


def signals_in_force(entry, as_of: datetime.date, history: History | None) -> list:
    """The entry's signals observed on or before `as_of`, then its sources' observed ones."""
    own = [signal for signal in entry.signals if signal.observed <= as_of]
    if history is None or not entry.source_domains:
        return own
    return own + history.signals_for(entry.source_domains, as_of)


def _licences(rules: RuleSet, entry, as_of: datetime.date) -> tuple[Outcome, bool]:
    """The entry's licences combined; also whether a public-domain claim was evaluated."""
    jurisdictions = tuple(entry.jurisdictions)
    claimed = False

    def public_domain(claim, licence_id):
        reason = Reason(
            claim.id, claim.reason.format(license=licence_id), claim.citation, "evaluate"
        )
        return works.evaluate(rules, entry, as_of, reason, licence_id, claim.then.get("assume"))

    pairs = []
    for licence in entry.licenses:
        ctx = LicenceContext(
            entry.modality,
            licence.scope,
            entry.publisher.type,
            jurisdictions,
            entry.copyright_basis,
        )
        # The outcome depends only on which rule each licence id matches, unless a rule
        # decides by public-domain terms (then the entry's dates matter too).
        matched = tuple(matching_rule(rules, key, ctx) for key in _keys(licence.expression))
        evaluates = any(r is not None and "evaluate" in r.then for r in matched)
        claimed = claimed or evaluates
        key = (id(rules), licence.expression, licence.scope, tuple(r and r.id for r in matched))
        outcome = _PARTS.get(key)
        if outcome is None:
            outcome = expression_outcome(rules, licence.expression, ctx, public_domain)
            label = licence.expression
            outcome = evolve(
                outcome, label=label if licence.scope == "all" else f"{label} ({licence.scope})"
            )
            if not evaluates:
                _remember(_PARTS, key, outcome, rules)
        pairs.append((licence, outcome))
    return combine(rules, entry, pairs), claimed


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


def _basis(rules: RuleSet, entry, as_of: datetime.date, outcome: Outcome, claimed: bool) -> Outcome:
    for rule in rules.basis_rules:
        if entry.copyright_basis not in rule.when.get("copyright_basis", ()):
            continue
        then = rule.then
        reason = Reason(rule.id, rule.reason, rule.citation, f"cap:{then.get('cap', 'works')}")
        if "works" in then:
            if not claimed:
                outcome = _public_domain_works(rules, entry, as_of, outcome, reason)
            continue
        uses = (
            {use: (then["cap_uses"], then["cap_uses"]) for use in USES}
            if "cap_uses" in then
            else None
        )
        outcome = cap(rules, outcome, then["cap"], uses, reason)
    return outcome


def _public_domain_works(rules, entry, as_of, outcome: Outcome, reason: Reason) -> Outcome:
    """A packager's licence over public-domain works: the works decide where it holds."""
    found = works.evaluate(rules, entry, as_of, reason, "the items")
    if found.category != "undetermined":
        return most_restrictive(rules, [outcome, found], f"{outcome.label} over the items")
    places = tuple(entry.jurisdictions)
    if outcome.jurisdictions:
        places = tuple(p for p in outcome.jurisdictions if not places or p in places)
    said = "for " + ", ".join(places) if places else "without saying where"
    why = Reason(
        "works.where-assessed",
        f"The items are public domain as the entry assesses them, {said}; with no item dates or "
        "steward's statement recorded, that is where the result holds",
        rules.rule("works.where-assessed").citation if rules.rule("works.where-assessed") else "",
        "limits",
    )
    confidence = max(outcome.confidence, "medium", key=CONFIDENCE.index)
    return evolve(
        outcome,
        jurisdictions=places,
        reasons=outcome.reasons + (reason, why),
        where_unstated=not places,
        confidence=confidence,
    )


def _notes(outcome: Outcome, entry, confidence: str) -> tuple[str, ...]:
    """The outcome's notes, and what the confidence, verification and status add."""
    notes = list(outcome.notes)
    if confidence != "high":
        notes.append(
            f"Confidence {confidence}: the rights basis needs more evidence before relying on it"
        )
    if entry.verification == "low":
        notes.append("The entry's rights were verified with low confidence (verification: low)")
    if entry.verification == "declared":
        notes.append(
            "The licence is the uploader's declaration, copied from another catalog's metadata "
            "(verification: declared); no person has read it"
        )
    if entry.status != "active":
        notes.append(f"The entry is {entry.status}")
    return tuple(notes)


def _result(
    rules: RuleSet,
    entry,
    as_of: datetime.date,
    outcome: Outcome,
    conflicts: tuple[str, ...],
    signals: list = (),
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
    # The entry's own verification bounds how far its classification can be relied on: a
    # licence only declared by an uploader, and read by no one, counts as low.
    checked = "low" if entry.verification == "declared" else entry.verification
    confidence = max(outcome.confidence, checked, key=CONFIDENCE.index)
    notes = _notes(outcome, entry, confidence)
    fields = {
        "category": outcome.category,
        "uses": uses,
        "obligations": obligations,
        "jurisdictions": outcome.jurisdictions,
        "parts": outcome.parts,
        "enters_commons_on": outcome.enters_commons_on,
        "confidence": confidence,
    }
    said = plain.facts(fields, outcome.reasons, outcome.where_unstated)
    where, words, parts = plain.describe(rules, said)
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
        notes=notes,
        confidence=confidence,
        parts=parts,
        where=where,
        plain=words,
        signals=tuple((s.vocabulary, s.value, s.source, s.observed.isoformat()) for s in signals),
    )
