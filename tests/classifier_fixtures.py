"""Helpers for the classifier tests: build real, schema-validated entries."""

from __future__ import annotations

import datetime

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
