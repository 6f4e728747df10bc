"""AI-use preference signals: the rule effects (classifier/rules/signals.yaml).

Signals only lower: they cap the category and restrict the uses they name, for
commercial and non-commercial use alike. Every signal either fires a rule or shows
as a note: allowing values, values no rule reads, and values the parsers could not
read are all noted. A CC signal exception turns the refusal into a condition.
Signals of any vocabularies that disagree about one use are flagged.
"""

from __future__ import annotations

from classifier.outcome import Outcome, cap, evolve
from classifier.result import Reason
from classifier.rules_data import RuleSet
from classifier.signal_parsers import parse
from registry.entry.signals.ccsignals import SIGNALS as CC_CONDITIONS

_INDEX: dict = {}


def _index(rules: RuleSet) -> tuple[dict, dict]:
    """Signal rules by (vocabulary, key, value) and by (vocabulary, key), built once."""
    found = _INDEX.get(id(rules))
    if found is None or found[0] is not rules:
        exact: dict = {}
        by_key: dict = {}
        for rule in rules.signal_rules:
            values = rule.when["value"]
            for vocabulary in rule.when["vocabulary"]:
                key = (vocabulary, rule.when["key"])
                for value in values if isinstance(values, list) else [values]:
                    exact[key + (str(value),)] = rule
                by_key.setdefault(key, rule)
        found = _INDEX[id(rules)] = (rules, exact, by_key)
    return found[1], found[2]


def apply(rules: RuleSet, outcome: Outcome, signals) -> tuple[Outcome, tuple[str, ...]]:
    """Lower the outcome by every enabled signal rule that fires; note the rest."""
    if not signals:
        return outcome, ()
    exact, by_key = _index(rules)
    before = outcome
    conflicts: list[str] = []
    notes: list[str] = []
    stances: dict[str, dict[str, set]] = {}  # use → allow|disallow → who says so
    for signal in signals:
        source = signal.source if signal.vocabulary == "tdmrep" else ""
        parsed = parse(
            signal.vocabulary,
            signal.value,
            source,
            rules.robots_ai_tokens,
            rules.robots_usage_tokens,
        )
        said = f"Signal '{signal.value}' ({signal.vocabulary}, {signal.source})"
        notes.extend(f"{said}: {why}" for why in parsed.ignored)
        for key, value in parsed.values.items():
            who = f"{signal.vocabulary} {key}={value}"
            rule = exact.get((signal.vocabulary, key, value))
            if rule is None:
                _unread(rules, by_key, signal, key, value, said, notes, stances, who)
                continue
            outcome = _fire(rules, outcome, rule, signal, parsed.params.get(key, {}), notes)
            if not rule.then.get("enabled", True):
                continue
            for use in rule.then["uses"]:
                stances.setdefault(use, {}).setdefault("disallow", set()).add(who)
                if any(v in ("allowed", "conditional") for v in before.uses[use]):
                    conflicts.append(
                        f"{rule.id}: the licence ({before.label}) permits {use}, but the signal "
                        f"'{signal.value}' "
                        f"at {signal.source} asks not to; the result is lowered as a policy "
                        "choice, the licence still applies"
                    )
    for use, said in sorted(stances.items()):
        if len(said) > 1:
            conflicts.append(
                f"Signals disagree on {use}: {', '.join(sorted(said['allow']))} allow it, "
                f"{', '.join(sorted(said['disallow']))} do not; the most restrictive applies"
            )
    if notes:
        outcome = evolve(outcome, notes=outcome.notes + tuple(notes))
    return outcome, tuple(dict.fromkeys(conflicts))


def _unread(rules, by_key, signal, key, value, said, notes, stances, who) -> None:
    """A value no rule fires on: an allowing value, or a label no rule reads."""
    related = by_key.get((signal.vocabulary, key))
    allowing = rules.allow_values.get(signal.vocabulary)
    if related is not None and value in (allowing if isinstance(allowing, list) else [allowing]):
        uses = related.then["uses"]
        notes.append(
            f"{said} allows {', '.join(uses)}; a signal never raises the result, so it changes "
            "nothing"
        )
        for use in uses:
            stances.setdefault(use, {}).setdefault("allow", set()).add(who)
        return
    notes.append(f"{said}: '{key}={value}' is not a label this registry reads, so it is ignored")


def _fire(rules, outcome: Outcome, rule, signal, params: dict, notes: list) -> Outcome:
    then = rule.then
    text = rule.reason.format(
        signal=signal.value, observed=signal.observed.isoformat(), source=signal.source
    )
    agents = params.get("agents")
    if agents:
        text += f" [{agents}]"
    if params.get("payment"):
        text += f" [payment: {params['payment']}]"
    if not then.get("enabled", True):
        notes.append(f"{rule.id} (shown; it does not lower the result): {text}")
        return outcome
    # `retired` explains how a label of an earlier draft is read; `note`, what a current
    # label means where the rule's use is the registry's reading of it.
    for said in (then.get("retired"), then.get("note")):
        if said:
            notes.append(f"Signal '{signal.value}': {said}")
    modes = rules.opt_outs_restrict
    verdict = (
        "restricted" if "commercial" in modes else "allowed",
        "restricted" if "non_commercial" in modes else "conditional",
    )
    exception = params.get("exceptions")
    obligations = outcome.obligations
    if exception in CC_CONDITIONS:
        condition = f"cc-signal-{exception.removeprefix('cc-')}"
        verdict = ("conditional", "conditional")
        obligations = obligations + ((condition,) if condition not in obligations else ())
        notes.append(
            f"Signal '{signal.value}': the CC signal {exception} allows {', '.join(then['uses'])} "
            f"on condition of {CC_CONDITIONS[exception]}"
        )
    elif exception:
        notes.append(
            f"Signal '{signal.value}': '{exception}' is not a known CC signal, so the refusal "
            "stands"
        )
    limits = {use: verdict for use in then["uses"]}
    reason = Reason(rule.id, text, rule.citation, f"cap:{then['cap']}")
    return evolve(cap(rules, outcome, then["cap"], limits, reason), obligations=obligations)


def effects(rules: RuleSet, vocabulary: str, value: str, source: str = "") -> tuple[tuple, tuple]:
    """What the rules make of one signal value: the ids of the enabled rules it fires, and the
    uses they restrict (for pages that say what a source's signals mean, not for classifying)."""
    exact, _ = _index(rules)
    parsed = parse(
        vocabulary,
        value,
        source if vocabulary == "tdmrep" else "",
        rules.robots_ai_tokens,
        rules.robots_usage_tokens,
    )
    fired, uses = [], []
    for key, said in parsed.values.items():
        rule = exact.get((vocabulary, key, said))
        if rule is None or not rule.then.get("enabled", True):
            continue
        exception = parsed.params.get(key, {}).get("exceptions")
        if exception in CC_CONDITIONS:  # a condition, not a refusal
            continue
        fired.append(rule.id)
        uses.extend(rule.then["uses"])
    return tuple(dict.fromkeys(fired)), tuple(dict.fromkeys(uses))
