"""The answer in plain words: "can I train on this, and where?", for someone who is not
a lawyer. Phrases are data (classifier/rules/plain.yaml); this module only picks and
joins them. Rule ids and citations stay on the page as the detail behind the sentence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from functools import lru_cache

import pycountry

from classifier.result import Part, Reason, UseVerdict
from classifier.rules_data import RuleSet


@dataclass(frozen=True)
class Facts:
    """What the plain answer depends on; equal facts give the same words."""

    category: str
    training: UseVerdict
    obligations: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    where_unstated: bool
    parts: tuple[Part, ...]
    enters_commons_on: datetime.date | None
    confidence: str
    compilation: bool  # a copyrighted compilation
    signalled: bool  # a preference signal lowered the result
    why: str  # the reason an undecided answer gives


def facts(result_fields: dict, reasons: tuple[Reason, ...], where_unstated: bool) -> Facts:
    training = result_fields["uses"]["training"]
    undecided = (training.commercial, training.non_commercial) == ("unknown", "unknown")
    return Facts(
        category=result_fields["category"],
        training=training,
        obligations=result_fields["obligations"],
        jurisdictions=result_fields["jurisdictions"],
        where_unstated=where_unstated,
        parts=result_fields["parts"],
        enters_commons_on=result_fields["enters_commons_on"],
        confidence=result_fields["confidence"],
        compilation=any(r.rule == "basis.copyrighted-compilation" for r in reasons),
        signalled=any(r.rule.startswith("sig.") for r in reasons),
        why=_why(reasons) if undecided else "",
    )


_SAID: dict = {}
_KEEP: dict = {}


def describe(rules: RuleSet, said: Facts) -> tuple[str, str, tuple[Part, ...]]:
    """Where the result holds, the plain answer, and the parts with their own words."""
    key = (id(rules), said)
    found = _SAID.get(key)
    if found is None:
        if len(_SAID) > 50_000:
            _SAID.clear()
        _KEEP[id(rules)] = rules  # keeps the id in the key from being reused
        found = _SAID[key] = _describe(rules.plain_words, said)
    return found


def _describe(words: dict, said: Facts) -> tuple[str, str, tuple[Part, ...]]:
    where = place_phrase(words, said.jurisdictions, said.where_unstated)
    if not words:
        return where, "", said.parts
    sentences = [_opener(words, said, where)]
    parts = tuple(replace(p, text=_part_text(words, p)) for p in said.parts)
    sentences.extend(p.text + "." for p in parts)
    if said.jurisdictions and said.category == "commons-by-default":
        sentences.append(words["where"]["elsewhere"])
    if said.enters_commons_on:
        more = said.category == "commons-by-default" or "select-items" in said.obligations
        key = "enters_more" if more else "enters"
        sentences.append(words[key].format(date=said.enters_commons_on.isoformat()))
    if said.signalled:
        sentences.append(words["signals"])
    if said.confidence in words["confidence"]:
        sentences.append(words["confidence"][said.confidence])
    return where, " ".join(sentences), parts


def place_phrase(words: dict, places: tuple[str, ...], unstated: bool) -> str:
    if places:
        names = [place_name(words, p) for p in places]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"in {joined}"
    where = words.get("where") or {"anywhere": "anywhere", "unstated": "where not stated"}
    return where["unstated" if unstated else "anywhere"]


def place_name(words: dict, code: str) -> str:
    return words.get("places", {}).get(code) or _country(code)


@lru_cache(maxsize=512)
def _country(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def _opener(words: dict, said: Facts, where: str) -> str:
    if said.category == "not-commons":
        return words["compilation" if said.compilation else "not-commons"]
    if "select-items" in said.obligations and said.category != "commons-by-default":
        if where == words["where"]["anywhere"]:
            return words["split_anywhere"]
        return words["split"].format(where=where)
    key = f"{said.training.commercial}/{said.training.non_commercial}"
    template = words["training"].get(key) or words["training"]["unknown/unknown"]
    return template.format(
        where=where, conditions=conditions(words, said.obligations), why=said.why
    )


def conditions(words: dict, obligations: tuple[str, ...]) -> str:
    said = [
        words["obligations"].get(o, o.replace("-", " "))
        for o in obligations
        if o not in words.get("silent", ())
    ]
    said = list(dict.fromkeys(said)) or ["follow its terms"]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def _why(reasons: tuple[Reason, ...]) -> str:
    """The last reason that left the entry undecided, as the short explanation."""
    for reason in reversed(reasons):
        if reason.effect in ("undetermined", "unknown"):
            return reason.text.rstrip(".") + "."
    return (reasons[-1].text.rstrip(".") + ".") if reasons else "no rule applies."


def _part_text(words: dict, part: Part) -> str:
    answer = words["parts"].get(part.category, part.category)
    place = place_phrase(words, part.jurisdictions, False) if part.jurisdictions else ""
    if part.category == "commons-by-default" and place:
        answer = f"{answer} {place}"
    detail = f" ({part.detail})" if part.detail else ""
    return f"{part.scope[:1].upper()}{part.scope[1:]}{detail}: {answer}"
