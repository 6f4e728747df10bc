"""Checking one rule of each kind as it is read, so that a mistake in a rule change
fails with the file, the rule id and the key named, instead of misclassifying quietly.
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass

from classifier.result import CATEGORIES, USE_VERDICTS, USES
from registry.entry.vocabularies import SIGNAL_VOCABULARIES

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
    "assume",
}
TERM_WHEN = {
    "jurisdictions",
    "modality",
    "modality_not",
    "published_from",
    "published_to",
    "authorship",
    "us_renewal",
}
TERM_THEN = {"basis", "years", "table", "or_earlier", "if_protected", "if_missing"}
TERM_BASES = ("publication", "death", "creation")
STATEMENT_THEN = {
    "category",
    "family",
    "uses",
    "obligations",
    "jurisdictions",
    "confidence",
    "overrides_dates",
}
CONFIDENCE = ("high", "medium", "low")
REASON_FIELDS = {
    "license",
    "year",
    "published",
    "authorship",
    "state",
    "cutoff",
    "as_of",
    "signal",
    "observed",
    "source",
    "by",
    "name",
    "uses",
    "route",
}
RULE_KEYS = {"id", "when", "then", "reason", "citation"}


@dataclass(frozen=True)
class Rule:
    """One rule of any kind: its condition, effect, and the reason and source shown to users."""

    kind: str  # licence, term, basis, statement, access, signal, engine
    id: str
    when: dict
    then: dict
    reason: str
    citation: str
    file: str
    pattern: re.Pattern | None = None


@dataclass
class Checker:
    """Reads raw rule mappings into Rules, collecting every problem found."""

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
        for key in sorted(RULE_KEYS):
            if not raw.get(key):
                bad(f"missing '{key}'")
        if set(raw) - RULE_KEYS:
            bad(f"unknown keys {sorted(set(raw) - RULE_KEYS)}")
        if rule_id in self.seen:
            bad("duplicate rule id")
        self.seen.add(rule_id)
        when, then = raw.get("when") or {}, raw.get("then") or {}
        if not isinstance(when, dict) or not isinstance(then, dict):
            bad("'when' and 'then' must be mappings")
            when, then = {}, {}
        reason = str(raw.get("reason", ""))
        self._placeholders(reason, bad)
        pattern = None
        check = getattr(self, f"_{kind}", None)
        if check is not None:
            pattern = check(when, then, bad)
        return Rule(kind, rule_id, when, then, reason, str(raw.get("citation", "")), file, pattern)

    def _placeholders(self, reason: str, bad) -> None:
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(reason) if name}
        except ValueError as error:
            bad(f"reason is not a valid template: {error}")
            return
        if fields - REASON_FIELDS:
            bad(
                f"reason uses unknown placeholders {sorted(fields - REASON_FIELDS)} (allowed: "
                f"{', '.join(sorted(REASON_FIELDS))})"
            )

    def _effect(self, then: dict, bad, *, evaluated: bool = False) -> None:
        """category, family, uses profile and obligations, shared by licence and statement rules."""
        if not evaluated and then.get("category") not in CATEGORIES:
            bad(f"then.category must be one of {', '.join(CATEGORIES)}")
        if then.get("family") not in self.families:
            bad(f"then.family '{then.get('family')}' is not in families")
        if then.get("uses") not in self.profiles:
            bad(f"then.uses '{then.get('uses')}' is not a use profile ({', '.join(self.profiles)})")
        if not isinstance(then.get("obligations", []), list):
            bad("then.obligations must be a list")
        if then.get("confidence", "high") not in CONFIDENCE:
            bad(f"then.confidence must be one of {', '.join(CONFIDENCE)}")

    def _licence(self, when: dict, then: dict, bad) -> re.Pattern | None:
        _known(when, LICENCE_WHEN, "conditions", bad)
        _known(when.get("entry") or {}, ENTRY_WHEN, "entry conditions", bad)
        _known(then, LICENCE_THEN, "effects", bad)
        if "evaluate" in then and then["evaluate"] != "public-domain-terms":
            bad("evaluate must be 'public-domain-terms'")
        if "assume" in then and "evaluate" not in then:
            bad("assume is only used with evaluate")
        self._effect(then, bad, evaluated="evaluate" in then)
        if "id_regex" in when:
            try:
                return re.compile(str(when["id_regex"]), re.IGNORECASE)
            except re.error as error:
                bad(f"id_regex does not compile: {error}")
        return None

    def _term(self, when: dict, then: dict, bad) -> None:
        _known(when, TERM_WHEN, "conditions", bad)
        _known(then, TERM_THEN, "effects", bad)
        if not when.get("jurisdictions"):
            bad("when.jurisdictions must list where the term applies")
        if then.get("basis") not in TERM_BASES:
            bad(f"then.basis must be one of {', '.join(TERM_BASES)}")
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
        other = then.get("or_earlier")
        if other is not None and (
            not isinstance(other, dict)
            or other.get("basis") not in TERM_BASES
            or not isinstance(other.get("years"), int)
        ):
            bad("then.or_earlier must be {basis, years}")
        for key in ("if_protected", "if_missing"):
            if key in then or key == "if_protected":
                if then.get(key) not in CATEGORIES:
                    bad(f"then.{key} must be one of {', '.join(CATEGORIES)}")

    def _basis(self, when: dict, then: dict, bad) -> None:
        if "works" in then:
            if then["works"] != "public-domain-terms":
                bad("then.works must be 'public-domain-terms'")
            return
        self._cap(then, bad)

    def _statement(self, when: dict, then: dict, bad) -> None:
        _known(when, {"statement", "steward"}, "conditions", bad)
        _known(then, STATEMENT_THEN, "effects", bad)
        if not when.get("statement"):
            bad("when.statement must list rights statement ids")
        self._effect(then, bad)
        places = then.get("jurisdictions")
        if places != "stated" and not isinstance(places, list):
            bad("then.jurisdictions must be a list of places or 'stated'")
        if not isinstance(then.get("overrides_dates"), bool):
            bad("then.overrides_dates must be true or false")

    def _access(self, when: dict, then: dict, bad) -> None:
        if not isinstance(when.get("other_routes"), bool):
            bad("when.other_routes must be true or false")
        if set(then) not in ({"cap"}, {"part"}):
            bad("then must be {cap: CATEGORY} or {part: CATEGORY}")
        if next(iter(then.values()), None) not in CATEGORIES:
            bad(f"then's category must be one of {', '.join(CATEGORIES)}")

    def _cap(self, then: dict, bad) -> None:
        if then.get("cap") not in CATEGORIES:
            bad(f"then.cap must be one of {', '.join(CATEGORIES)}")
        if "cap_uses" in then and then["cap_uses"] not in USE_VERDICTS:
            bad(f"then.cap_uses must be one of {', '.join(USE_VERDICTS)}")

    def _signal(self, when: dict, then: dict, bad) -> None:
        vocabularies = when.get("vocabulary")
        if not isinstance(vocabularies, list) or not vocabularies:
            bad("when.vocabulary must list one or more vocabularies")
        elif set(vocabularies) - set(SIGNAL_VOCABULARIES):
            bad(f"when.vocabulary must be among {', '.join(SIGNAL_VOCABULARIES)}")
        if not when.get("key") or "value" not in when:
            bad("when needs 'key' and 'value'")
        self._cap(then, bad)
        if not set(then.get("uses") or []) <= set(USES):
            bad(f"then.uses must list uses among {', '.join(USES)}")
        _known(then, {"cap", "uses", "enabled", "retired", "note"}, "effects", bad)

    def _community(self, when: dict, then: dict, bad) -> None:
        _known(when, {"entries"}, "conditions", bad)
        if not isinstance(when.get("entries"), list) or not when.get("entries"):
            bad("when.entries must list the ids of the community's entries")
        decides = then.get("decides")
        if decides == "opt-out":
            _known(then, {"decides", "standing", "cap", "uses"}, "effects", bad)
            self._cap(then, bad)
            if not set(then.get("uses") or []) <= set(USES):
                bad(f"then.uses must list uses among {', '.join(USES)}")
        elif decides == "opt-in":
            _known(then, {"decides", "standing"} | STATEMENT_THEN, "effects", bad)
            self._effect(then, bad)
            if then.get("standing") not in ("rights-holder", "creators"):
                bad(
                    "an opt-in needs then.standing rights-holder or creators: only those who "
                    "hold the rights can share the content"
                )
        else:
            bad("then.decides must be opt-in or opt-out")


def _known(mapping: dict, allowed: set, what: str, bad) -> None:
    if set(mapping) - allowed:
        bad(
            f"unknown {what} {sorted(set(mapping) - allowed)} (allowed: "
            f"{', '.join(sorted(allowed))})"
        )
