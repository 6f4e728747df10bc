"""The facts converter on small inline records (the real facts file is not in the repository)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from registry.entry.canonical import dumps
from registry.entry.loader import parse_entry

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_facts.py"


@pytest.fixture(scope="module")
def importer():
    spec = importlib.util.spec_from_file_location("import_facts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_facts"] = module
    spec.loader.exec_module(module)
    return module


RECORD = {
    "id": "example-corpus.v1",
    "name": "Example corpus",
    "summary": "A corpus used to test the converter.",
    "homepage": "https://example.org/corpus",
    "download_urls": ["https://example.org/corpus/download", "s3://example-bucket/corpus/"],
    "publisher": "Example Lab",
    "publisher_type": "academic",
    "license": "public-domain-us-gov",
    "license_evidence_url": "https://example.org/corpus/licence",
    "copyright_basis": "us-federal-government-work",
    "jurisdiction": "UK",
    "modality": "text",
    "languages": ["en"],
    "domains": ["government"],
    "approx_size": "~2.5M documents (2023, approx.)",
    "included_in": [],
    "derived_from": [],
    "ai_signals_known": ["The publisher asks crawlers to slow down."],
    "confidence": "medium",
    "notes": "Some items quote third-party material.",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unknown (not checked)", None),
        ("tens of millions of articles across ~300 editions (approx., not checked)", None),
        (
            "~1,000 hours (2015)",
            {"value": "1000", "unit": "hours", "as_of": "2015-01-01", "approximate": "true"},
        ),
        (
            "70,853 books in Common Pile's public-domain index (2024/25, README)",
            {"value": "70853", "unit": "items", "as_of": "2024-01-01", "approximate": "false"},
        ),
        (
            "~750 GB English text (2019, approx.)",
            {
                "value": "750000000000",
                "unit": "bytes",
                "as_of": "2019-01-01",
                "approximate": "true",
            },
        ),
        (
            "~14M images; ILSVRC-2012 train 1.28M (approx.)",
            {"value": "14000000", "unit": "images", "approximate": "true"},
        ),
        (
            "228B GPT-NeoX tokens (2023)",
            {
                "value": "228000000000",
                "unit": "tokens",
                "as_of": "2023-01-01",
                "approximate": "true",
            },
        ),
    ],
)
def test_parse_size(importer, text, expected):
    assert importer.parse_size(text) == expected


def test_converted_record_is_a_valid_canonical_entry(importer):
    raw = importer.convert(RECORD, ["example.org"])
    text = dumps(raw)
    entry = parse_entry("entries/example-corpus-v1.yaml", text.encode("utf-8")).entry
    assert entry.id == "example-corpus-v1"
    assert entry.jurisdictions == ["GB"]
    assert entry.licenses[0].expression == "LicenseRef-US-Government-Work"
    assert entry.access.urls == ["https://example.org/corpus/download"]
    assert "s3://example-bucket/corpus/" in entry.description
    assert entry.rights_notes.endswith("AI-use notes: The publisher asks crawlers to slow down.")
    assert (
        entry.evidence[0].url == RECORD["license_evidence_url"]
        and entry.evidence[0].checked is None
    )
    assert entry.verification == "medium" and entry.signals == []
    assert dumps(raw) == text


def test_various_needs_a_reading(importer):
    with pytest.raises(SystemExit, match="no reading"):
        importer.licences({**RECORD, "id": "not-in-the-table", "license": "various"})


def test_various_reading_lists_per_item_licences(importer):
    items = importer.licences({**RECORD, "id": "gbif-occurrence-data", "license": "various"})
    assert [(i["expression"], i["scope"]) for i in items] == [
        ("LicenseRef-Various", "all"),
        ("CC0-1.0", "some-items"),
        ("CC-BY-4.0", "some-items"),
        ("CC-BY-NC-4.0", "some-items"),
    ]


def test_source_domains_inherit_from_lineage(importer):
    records = [
        {**RECORD, "id": "wikipedia", "included_in": ["big-corpus"], "derived_from": []},
        {**RECORD, "id": "wikitext-103", "included_in": [], "derived_from": ["wikipedia"]},
        {**RECORD, "id": "big-corpus", "included_in": [], "derived_from": []},
    ]
    domains = importer.source_domains(records)
    assert domains["wikitext-103"] == ["en.wikipedia.org", "wikipedia.org"]
    assert domains["big-corpus"] == ["wikipedia.org", "en.wikipedia.org"]
