"""The answer in plain words: "can I train on this, and where?", for someone who is not
a lawyer. Phrases are data (classifier/rules/plain.yaml); this module only picks and
joins them. Rule ids and citations stay on the page as the detail behind the sentence.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pycountry

from classifier.result import Classification, Part
from classifier.rules_data import RuleSet


def describe(rules: RuleSet, result: Classification, where_unstated: bool) -> Classification:
    """The result with `where`, `plain` and each part's text filled in."""
    words = rules.plain_words
    if not words:
        return result
    where = place_phrase(words, result.jurisdictions, where_unstated)
    sentences = [_opener(words, result, where)]
    parts = tuple(replace(p, text=_part_text(words, p, where)) for p in result.parts)
    sentences.extend(p.text + "." for p in parts)
    if result.jurisdictions and result.category == "commons-by-default":
        sentences.append(words["where"]["elsewhere"])
    if result.enters_commons_on:
        more = result.category == "commons-by-default" or "select-items" in result.obligations
        key = "enters_more" if more else "enters"
        sentences.append(words[key].format(date=result.enters_commons_on.isoformat()))
    if any(r.rule.startswith("sig.") for r in result.reasons):
        sentences.append(words["signals"])
    if result.confidence in words["confidence"]:
        sentences.append(words["confidence"][result.confidence])
    return replace(result, where=where, plain=" ".join(sentences), parts=parts)


def place_phrase(words: dict, places: tuple[str, ...], unstated: bool) -> str:
    if places:
        names = [place_name(words, p) for p in places]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"in {joined}"
    return words["where"]["unstated" if unstated else "anywhere"]


def place_name(words: dict, code: str) -> str:
    return words.get("places", {}).get(code) or _country(code)


@lru_cache(maxsize=512)
def _country(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def _opener(words: dict, result: Classification, where: str) -> str:
    if result.category == "not-commons":
        compilation = any(r.rule == "basis.copyrighted-compilation" for r in result.reasons)
        return words["compilation" if compilation else "not-commons"]
    if "select-items" in result.obligations and result.category != "commons-by-default":
        if where == words["where"]["anywhere"]:
            return words["split_anywhere"]
        return words["split"].format(where=where)
    training = result.uses["training"]
    key = f"{training.commercial}/{training.non_commercial}"
    template = words["training"].get(key) or words["training"]["unknown/unknown"]
    return template.format(
        where=where, conditions=conditions(words, result.obligations), why=_why(result)
    )


def conditions(words: dict, obligations: tuple[str, ...]) -> str:
    said = [
        words["obligations"].get(o, o.replace("-", " "))
        for o in obligations
        if o not in words.get("silent", ())
    ]
    said = list(dict.fromkeys(said)) or ["follow its terms"]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def _why(result: Classification) -> str:
    """The first reason that left the entry undetermined, as the short explanation."""
    for reason in reversed(result.reasons):
        if reason.effect in ("undetermined", "unknown"):
            return reason.text.rstrip(".") + "."
    return (result.reasons[-1].text.rstrip(".") + ".") if result.reasons else "no rule applies."


def _part_text(words: dict, part: Part, where: str) -> str:
    answer = words["parts"].get(part.category, part.category)
    place = place_phrase(words, part.jurisdictions, False) if part.jurisdictions else ""
    if part.category == "commons-by-default" and place:
        answer = f"{answer} {place}"
    detail = f" ({part.detail})" if part.detail else ""
    return f"{part.scope[:1].upper()}{part.scope[1:]}{detail}: {answer}"
