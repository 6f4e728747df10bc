"""The normalised view: every vocabulary mapped onto training, search and retrieval.

Each observation says what it implies for some of the three uses; the view
combines them per use with vocab-08 §5.1 (any disallow wins, then any allow,
else unknown) and flags a conflict when sources disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.entry.signals.aipref import ALLOW, DISALLOW, UNKNOWN, combine

USES = ("training", "search", "retrieval")


@dataclass(frozen=True)
class Observation:
    """One signal as published, where it was seen, when, and what it implies."""

    vocabulary: str  # ietf-aipref | cc-signals | tdmrep | content-signals | robots
    value: str
    source: str
    observed: str  # ISO 8601 UTC timestamp
    effects: dict[str, str] = field(default_factory=dict)  # use -> allow | disallow
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    value: str  # allow | disallow | unknown
    conflict: bool
    sources: tuple[str, ...]  # vocabularies that contributed


def normalise(observations: list[Observation]) -> dict[str, Verdict]:
    view = {}
    for use in USES:
        said = [
            (o.vocabulary, o.effects[use])
            for o in observations
            if o.effects.get(use) in (ALLOW, DISALLOW)
        ]
        values = [v for _, v in said]
        view[use] = Verdict(
            combine(values) if values else UNKNOWN,
            ALLOW in values and DISALLOW in values,
            tuple(dict.fromkeys(f"{vocab}={value}" for vocab, value in said)),
        )
    return view
