"""The intermediate result for one licence or one part of an entry, and the two
ways parts combine: most open (a choice, `OR`) and most restrictive (all at once, `AND`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from classifier.result import USES, Part, Reason
from classifier.rules_data import RuleSet

CONFIDENCE = ("high", "medium", "low")


@dataclass(frozen=True)
class Outcome:
    """What one licence (or a combination) means: category, family, obligations and uses."""

    category: str
    family: str
    obligations: tuple[str, ...]
    uses: dict  # use -> (commercial, non_commercial)
    reasons: tuple[Reason, ...]
    label: str = ""
    jurisdictions: tuple[str, ...] = ()  # empty: the result is not limited to some jurisdictions
    enters_commons_on: datetime.date | None = None
    notes: tuple[str, ...] = ()
    confidence: str = "high"
    conditions: tuple[str, ...] = field(default=())
    parts: tuple[Part, ...] = ()  # per-scope answers (split verdicts, scoped licences)
    where_unstated: bool = False  # holds where a steward assessed it, which is not stated


_FIELDS = frozenset(Outcome.__dataclass_fields__)


def evolve(outcome: Outcome, **changes) -> Outcome:
    """A copy with some fields changed: dataclasses.replace without its per-call
    introspection, which cost a fifth of a 10,000-entry classification."""
    if not changes.keys() <= _FIELDS:
        raise TypeError(f"Outcome has no fields {sorted(changes.keys() - _FIELDS)}")
    new = object.__new__(Outcome)
    new.__dict__.update(outcome.__dict__)
    new.__dict__.update(changes)
    return new


def profile_uses(rules: RuleSet, profile: str) -> dict:
    return {use: tuple(rules.use_profiles[profile][use]) for use in USES}


def _rank(rules: RuleSet, outcome: Outcome) -> tuple:
    families = list(rules.families)
    verdicts = rules.verdict_order
    use_score = sum(verdicts.index(v) for pair in outcome.uses.values() for v in pair)
    family = families.index(outcome.family) if outcome.family in families else len(families)
    return (rules.order.index(outcome.category), use_score, family, len(outcome.obligations))


def _merge(items) -> tuple:
    seen: dict = {}
    for group in items:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def most_open(rules: RuleSet, parts: list[Outcome], label: str) -> Outcome:
    """A choice between parts (`OR`): the most open one applies."""
    best = min(parts, key=lambda p: _rank(rules, p))
    others = [p.label for p in parts if p is not best]
    why = Reason(
        "combine.or",
        f"{label}: the licensee may choose, so the most open option applies ({best.label}; not "
        f"{', '.join(others)})",
        "SPDX Specification 3.0.1 Annex D (disjunctive licence expressions)",
        "most-open",
    )
    return evolve(best, reasons=best.reasons + (why,), label=label)


def most_restrictive(
    rules: RuleSet, parts: list[Outcome], label: str, cite: str | None = None
) -> Outcome:
    """Parts that apply together (`AND`, several licences): the most restrictive wins."""
    worst = max(parts, key=lambda p: _rank(rules, p))
    verdicts = rules.verdict_order
    uses = {
        use: tuple(max((p.uses[use][mode] for p in parts), key=verdicts.index) for mode in (0, 1))
        for use in USES
    }
    # Only the parts that decide the category say where it holds.
    limited = [
        set(p.jurisdictions) for p in parts if p.jurisdictions and p.category == worst.category
    ]
    jurisdictions: tuple[str, ...] = ()
    notes = _merge(p.notes for p in parts)
    if limited:
        common = set.intersection(*limited)
        jurisdictions = tuple(sorted(common or set.union(*limited)))
        if not common:
            notes += (
                f"{label}: the parts hold in different jurisdictions "
                f"({'; '.join(', '.join(sorted(s)) for s in limited)})",
            )
    dates = [p.enters_commons_on for p in parts if p.enters_commons_on]
    reasons = _merge(p.reasons for p in parts)
    if len(parts) > 1:
        reasons += (
            Reason(
                "combine.and",
                f"{label}: all apply at once, so the most restrictive decides ({worst.label}: "
                f"{worst.category})",
                cite or "SPDX Specification 3.0.1 Annex D (conjunctive licence expressions)",
                "most-restrictive",
            ),
        )
    return Outcome(
        category=worst.category,
        family=worst.family,
        obligations=_merge(p.obligations for p in parts),
        uses=uses,
        reasons=reasons,
        label=label,
        jurisdictions=jurisdictions,
        enters_commons_on=max(dates) if dates and worst.category != "commons-by-default" else None,
        notes=notes,
        confidence=max((p.confidence for p in parts), key=CONFIDENCE.index),
        conditions=_merge(p.conditions for p in parts),
        parts=_merge(p.parts for p in parts),
        where_unstated=any(p.where_unstated for p in parts if p.category == worst.category),
    )


def cap(
    rules: RuleSet, outcome: Outcome, category: str, uses: dict | None, reason: Reason
) -> Outcome:
    """Lower the category to at most `category`, and the given uses to at most their verdicts."""
    order, verdicts = rules.order, rules.verdict_order
    lowered = outcome.category
    if order.index(category) > order.index(outcome.category):
        lowered = category
    new_uses = dict(outcome.uses)
    for use, pair in (uses or {}).items():
        new_uses[use] = tuple(
            max(old, new, key=verdicts.index) for old, new in zip(new_uses[use], pair, strict=True)
        )
    return evolve(outcome, category=lowered, uses=new_uses, reasons=outcome.reasons + (reason,))
