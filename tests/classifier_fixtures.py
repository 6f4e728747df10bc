"""Helpers for the classifier tests: build real, schema-validated entries."""

from __future__ import annotations

import datetime
from pathlib import Path

from classifier import classify
from registry.entry.schema import Entry

AS_OF = datetime.date(2026, 6, 1)


def raw_entry(entry_id: str = "test-entry", licenses=("CC-BY-4.0",), **fields) -> dict:
    """Raw entry data as the loader would hand it over (all scalars strings)."""
    data = {
        "id": entry_id,
        "name": "Test dataset",
        "summary": "A dataset used in tests.",
        "homepage": "https://data.example.org/",
        "access": {"kind": "open", "urls": ["https://data.example.org/download"]},
        "publisher": {"name": "Example", "type": "academic"},
        "modality": "text",
        "domains": ["science"],
        "licenses": [lic if isinstance(lic, dict) else {"expression": lic} for lic in licenses],
        "copyright_basis": "open-licence",
        "evidence": [{"url": "https://data.example.org/license"}],
        "verification": "high",
    }
    data.update(fields)
    return data


def make_entry(licenses=("CC-BY-4.0",), **fields) -> Entry:
    return Entry.model_validate(raw_entry(licenses=licenses, **fields))


def classify_licences(*licenses, as_of=AS_OF, **fields):
    """Classify an entry with the given licence expressions (or {expression, scope} dicts)."""
    return classify(make_entry(licenses, **fields), as_of=as_of)


def signal(vocabulary: str, value: str) -> dict:
    return {
        "vocabulary": vocabulary,
        "value": value,
        "source": "https://data.example.org/robots.txt",
        "observed": "2026-05-01",
    }


def proposal_rules(proposal_id: str):
    """The rules in force with one governance proposal applied
    (classifier/governance/proposals), as its impact computes them."""
    from classifier.governance import records
    from classifier.governance.impact import rules_with

    root = Path(__file__).resolve().parent.parent
    found = records.load(root)
    return rules_with(root, [found.proposals[proposal_id]], f"2026.3 + {proposal_id}")


def with_rules(rules, licence: str, *pairs):
    """Classify a one-licence entry carrying (vocabulary, value) signals under `rules`."""
    entry = make_entry([licence], signals=[signal(v, value) for v, value in pairs])
    return classify(entry, as_of=AS_OF, rules=rules)
