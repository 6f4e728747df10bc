"""The entry fields for collection-level rights, access terms and term facts: every
mistake is reported with file, line and column, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from classifier_fixtures import make_entry
from click.testing import CliRunner
from pydantic import ValidationError

from registry.commands.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "collections"


def test_bad_collection_fields_are_all_reported_with_line_and_column(monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    result = CliRunner().invoke(cli, ["validate", "tests/fixtures/collections"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("tests/")]
    path = "tests/fixtures/collections/bad-collection.yaml"
    assert lines == [
        f"{path}:19:3: items_published: earliest (1950) is after latest (1920)",
        f"{path}:22:13: authorship: 'corporate' is not allowed; expected one of: named, "
        "anonymous, pseudonymous, work-made-for-hire or crown",
        f"{path}:24:7: rights_statement.id: 'NoC-UK' is not allowed; expected one of: NoC-US, "
        "NKC, NoC-CR, NoC-NC, NoC-OKLR, InC, InC-EDU, InC-NC, InC-OW-EU, InC-RUU, CNE, UND or PDM",
        f"{path}:31:16: access_terms[0].restricts: needs at least one item",
    ]


def test_one_work_or_a_collection_not_both():
    with pytest.raises(ValidationError, match="either first_published .* or items_published"):
        make_entry(
            ["LicenseRef-Public-Domain-Expired"],
            first_published="1900",
            items_published={"latest": "1920", "evidence": "https://data.example.org/years"},
        )


def test_collection_fields_read_their_types():
    entry = make_entry(
        ["LicenseRef-Public-Domain-Expired"],
        items_published={
            "earliest": "1789",
            "latest": "1963",
            "evidence": "https://data.example.org/years",
        },
        rights_statement={
            "id": "NoC-US",
            "by": "Example Library",
            "by_type": "cultural-heritage",
            "url": "https://data.example.org/rights",
            "applies_in": ["US"],
        },
        access_terms=[
            {
                "name": "Example terms",
                "url": "https://data.example.org/terms",
                "restricts": ["training"],
                "other_routes": "true",
            }
        ],
        is_metadata="true",
    )
    assert entry.items_published.earliest == 1789 and entry.items_published.latest == 1963
    assert entry.rights_statement.determination == "not-stated"
    assert entry.access_terms[0].other_routes is True
    assert entry.is_metadata is True
