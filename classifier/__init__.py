"""The "commons by default" classifier: governed rules (classifier/rules/*.yaml)
applied by a small engine, with a reason and a citation for every decision.

    from classifier import classify, load_rules
    result = classify(entry)              # as of today, current rules
    result = classify(entry, as_of=date(2030, 1, 1), rules=load_rules("path/to/rules"))
"""

from classifier.engine import classify
from classifier.rules_data import RuleSet, RulesError, load_rules

__all__ = ["classify", "load_rules", "RuleSet", "RulesError"]
