"""The rows of the observation tables: every source's history, and what the rules make of it.

Written whole at every build from observations/ (registry.entry.observations).
Each observation row says whether its signals changed since the last readable
observation, since when its set of signals has been seen, since when training
has been restricted without a break, and whether it is the one in force at the
build's as-of date (the one the classifier read).
"""

from __future__ import annotations

import datetime
import json

from classifier.signals import effects
from registry.entry.observations import History


def _json(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def observation_rows(history: History, rules, as_of: datetime.date) -> dict[str, list[dict]]:
    """Rows of `observations` and `observation_signals`, by source and position."""
    observations, signals = [], []
    for source in sorted(history.sources):
        in_force = history.in_force(source, as_of)
        state: dict = {"said": None, "since": None, "training": None}
        for position, observation in enumerate(history.sources[source].observations):
            row, found = _observation_row(source, position, observation, rules, state)
            row["in_force"] = int(observation is in_force)
            observations.append(row)
            signals += found
    return {"observations": observations, "observation_signals": signals}


def _observation_row(source, position, observation, rules, state) -> tuple[dict, list[dict]]:
    found, fired, restricted = [], [], []
    for index, signal in enumerate(observation.signals):
        url = signal.source or observation.url
        rule_ids, uses = effects(rules, signal.vocabulary, signal.value, url)
        fired += rule_ids
        restricted += uses
        found.append(
            {
                "source": source,
                "position": position,
                "signal": index,
                "vocabulary": signal.vocabulary,
                "value": signal.value,
                "found_at": url,
                "note": signal.note,
                "rules": _json(rule_ids),
                "restricts": _json(uses),
            }
        )
    said = sorted(f"{s.vocabulary}: {s.value}" for s in observation.signals)
    day = observation.observed.isoformat()
    if observation.rejected:
        change = "rejected"
    else:
        change = (
            "first" if state["said"] is None else "same" if said == state["said"] else "changed"
        )
        if change != "same":
            state["said"], state["since"] = said, day
        training = "training" in restricted
        state["training"] = (state["training"] or day) if training else None
    return {
        "source": source,
        "position": position,
        "observed": day,
        "month": day[:7],
        "url": observation.url,
        "by": observation.by,
        "tracker": observation.tracker,
        "snapshot": observation.snapshot,
        "file": observation.file,
        "sha256": observation.sha256,
        "lower_cased": int(observation.lower_cased),
        "rejected": observation.rejected,
        "signals": _json(said),
        "rules": _json(dict.fromkeys(fired)),
        "restricts": _json(sorted(set(restricted))),
        "change": change,
        "since": None if observation.rejected else state["since"],
        "training_restricted_since": None if observation.rejected else state["training"],
    }, found
