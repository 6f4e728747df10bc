"""The "commons by default" classifier: governed rules (classifier/rules/*.yaml)
applied by a small engine, with a reason and a citation for every decision.

    from classifier import classify, load_rules
    result = classify(entry)              # as of today, current rules
    result = classify(entry, as_of=date(2030, 1, 1), rules=load_rules("path/to/rules"))

The imports are deferred: registry.entry.licenses locates classifier/data through this
package, and the engine in turn uses registry.entry.licenses.
"""

from __future__ import annotations


def classify(entry, as_of=None, rules=None, history=None):
    """Classify one `registry.entry.schema.Entry` (see classifier.engine.classify); `history`
    is the observation history (registry.entry.observations) whose signals are in force."""
    from classifier.engine import classify as run

    return run(entry, as_of, rules, history)


def load_rules(path=None):
    """Read the governed rule files (see classifier.rules_data.load_rules)."""
    from classifier.rules_data import load_rules as read

    return read(path)


def __getattr__(name):
    if name in ("RuleSet", "RulesError"):
        from classifier import rules_data

        return getattr(rules_data, name)
    raise AttributeError(name)


__all__ = ["classify", "load_rules", "RuleSet", "RulesError"]
