"""The licences of one entry, each with its scope, combined into one answer and, when
there are several, one answer per licence (its parts).

Content scopes combine with AND. A metadata licence is the content licence only when
the dataset is itself metadata. A licence on some items gives those items their own
part; a more restrictive one lowers the whole entry at most to open-use-restricted and
turns the uses it restricts into "select the items" (classifier/rules/ruleset.yaml scopes).
"""

from __future__ import annotations

from classifier.outcome import Outcome, _rank, evolve, most_restrictive, profile_uses
from classifier.result import USES, Part, Reason
from classifier.rules_data import RuleSet

CITATION = "classifier/rules/ruleset.yaml scopes"
SCOPE_WORDS = {
    "all": "the dataset as a whole",
    "text": "the text",
    "data": "the data",
    "metadata": "the metadata (descriptions)",
    "media": "the media files",
    "code": "the code",
    "annotations": "the annotations",
}
OPEN_VERDICTS = ("allowed", "conditional")


def scope_group(rules: RuleSet, scope: str, is_metadata: bool) -> str:
    if is_metadata and scope in rules.scopes.get("metadata", ()):
        return "content"
    for group, scopes in rules.scopes.items():
        if isinstance(scopes, list) and scope in scopes:
            return group
    return "content"


def part_name(licence) -> str:
    if licence.covers:
        return licence.covers
    if licence.scope == "some-items":
        return f"items under {licence.expression}"
    return SCOPE_WORDS.get(licence.scope, licence.scope)


def combine(rules: RuleSet, entry, outcomes: list[tuple[object, Outcome]]) -> Outcome:
    """One answer for the entry from its (licence, outcome) pairs."""
    groups: dict[str, list[Outcome]] = {"content": [], "metadata": [], "lowers_only": []}
    for licence, outcome in outcomes:
        groups[scope_group(rules, licence.scope, entry.is_metadata)].append(outcome)
    content, items, metadata = groups["content"], groups["lowers_only"], groups["metadata"]
    parts = _parts(outcomes) if len(outcomes) > 1 else ()
    notes = tuple(
        f"Licence {m.label} covers the metadata only; it is not used for the content's category"
        for m in metadata
    )
    if content:
        combined = _with_items(rules, _and(rules, content), items)
    elif items:
        unknown = _unknown(
            rules,
            "scope.some-items-only",
            "Only some items have a stated licence; the other items' rights are unknown, so the "
            "entry as a whole stays undetermined",
        )
        combined = _with_items(rules, unknown, items)
    else:
        combined = _unknown(
            rules,
            "scope.metadata-only",
            "Only the metadata has a licence; a metadata licence does not make the content commons",
        )
    if entry.is_metadata and any(
        lic.scope in rules.scopes.get("metadata", ()) for lic, _ in outcomes
    ):
        combined = evolve(
            combined,
            reasons=combined.reasons
            + (
                Reason(
                    "scope.metadata-is-content",
                    "The dataset is itself metadata, so the licence of its metadata is the "
                    "licence of its content",
                    CITATION,
                    "content",
                ),
            ),
        )
    return evolve(combined, notes=combined.notes + notes, parts=parts + combined.parts)


def _and(rules: RuleSet, parts: list[Outcome]) -> Outcome:
    if len(parts) == 1:
        return parts[0]
    return most_restrictive(rules, parts, "the entry's licences", CITATION)


def _with_items(rules: RuleSet, combined: Outcome, items: list[Outcome]) -> Outcome:
    """Item licences: an undecided one changes nothing; a more restrictive one lowers the
    whole to at most open-use-restricted, with "select the items" for what it restricts."""
    notes = tuple(
        f"Licence {i.label} could not be decided ({i.reasons[-1].text}); it does not lower the "
        "result"
        for i in items
        if i.category == "undetermined"
    )
    decided = [i for i in items if i.category != "undetermined"]
    if not decided:
        return evolve(combined, notes=combined.notes + notes) if notes else combined
    worse = [i for i in decided if _rank(rules, i)[0] > _rank(rules, combined)[0]]
    milder = [i for i in decided if i not in worse]
    result = _and(rules, [combined, *milder]) if milder else combined
    if worse:
        result = _select_items(rules, result, worse)
    why = Reason(
        "scope.some-items",
        "A licence scoped to some items gives those items their own answer; a more restrictive "
        "one lowers the whole entry at most to open-use-restricted, because the other items are "
        "not restricted",
        CITATION,
        "lowers",
    )
    return evolve(
        result, reasons=result.reasons + why_once(result, why), notes=result.notes + notes
    )


def why_once(outcome: Outcome, why: Reason) -> tuple[Reason, ...]:
    return () if why in outcome.reasons else (why,)


def _select_items(rules: RuleSet, result: Outcome, worse: list[Outcome]) -> Outcome:
    floor = rules.scopes.get("items_lower_at_most_to")
    if floor is None:  # rule sets before 2026.3: item licences combine with AND
        return most_restrictive(rules, [result, *worse], "the entry's licences", CITATION)
    order = rules.order
    category = result.category
    if order.index(category) < order.index(floor):
        category = floor
    uses = dict(result.uses)
    for use in USES:
        pair = list(uses[use])
        for mode in (0, 1):
            if pair[mode] not in OPEN_VERDICTS:
                continue
            theirs = [w.uses[use][mode] for w in worse]
            if any(v not in OPEN_VERDICTS for v in theirs):
                pair[mode] = "conditional"  # open only on a selection of the items
            else:
                pair[mode] = max([pair[mode], *theirs], key=rules.verdict_order.index)
        uses[use] = tuple(pair)
    reasons = result.reasons + tuple(r for w in worse for r in w.reasons if r not in result.reasons)
    obligations = result.obligations + ("select-items",)
    return evolve(result, category=category, uses=uses, obligations=obligations, reasons=reasons)


def _parts(outcomes: list[tuple[object, Outcome]]) -> tuple[Part, ...]:
    return tuple(
        Part(part_name(licence), outcome.category, outcome.jurisdictions, licence.expression)
        for licence, outcome in outcomes
    )


def _unknown(rules: RuleSet, rule_id: str, text: str) -> Outcome:
    return Outcome(
        "undetermined",
        "unknown",
        (),
        profile_uses(rules, "unknown"),
        (Reason(rule_id, text, CITATION, "undetermined"),),
        label=rule_id,
    )
