"""`commons classify`: text, JSON, --explain, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from classifier_fixtures import raw_entry
from click.testing import CliRunner

from classifier import load_rules
from registry.commands.cli import cli
from registry.entry.canonical import dumps


@pytest.fixture
def entries(tmp_path):
    folder = tmp_path / "entries"
    folder.mkdir()
    for entry_id, expression, extra in [
        ("open-corpus", "CC-BY-4.0", {}),
        ("nc-corpus", "CC-BY-NC-SA-4.0", {}),
        (
            "old-books",
            "LicenseRef-Public-Domain-Expired",
            {"first_published": "1925", "jurisdictions": ["US"]},
        ),
    ]:
        (folder / f"{entry_id}.yaml").write_text(
            dumps(raw_entry(entry_id, licenses=(expression,), **extra)), encoding="utf-8"
        )
    return folder


def invoke(*args):
    return CliRunner().invoke(cli, ["classify", *args])


def test_json_output_has_the_contract_fields(entries):
    result = invoke(str(entries), "--format", "json", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    data = {item["id"]: item for item in json.loads(result.output)}
    assert set(data) == {"open-corpus", "nc-corpus", "old-books"}
    first = data["open-corpus"]
    for key in (
        "id",
        "category",
        "obligations",
        "uses",
        "templates",
        "reasons",
        "rules_version",
        "enters_commons_on",
    ):
        assert key in first
    assert first["reasons"][0]["rule"] == "lic.cc-by" and first["reasons"][0]["citation"]
    assert data["nc-corpus"]["category"] == "open-use-restricted"
    assert data["old-books"]["jurisdictions"] == ["US"]


def test_as_of_moves_the_public_domain_boundary(entries):
    before = json.loads(
        invoke(str(entries / "old-books.yaml"), "--format", "json", "--as-of", "2020-12-31").output
    )[0]
    after = json.loads(
        invoke(str(entries / "old-books.yaml"), "--format", "json", "--as-of", "2021-01-01").output
    )[0]
    assert before["category"] == "undetermined" and before["enters_commons_on"] == "2021-01-01"
    assert after["category"] == "commons-by-default"


def test_text_output_and_summary(entries):
    result = invoke(str(entries))
    assert result.exit_code == 0
    assert "nc-corpus: open-use-restricted (cc-nc)" in result.output
    assert f"3 entries (rules {load_rules().version}" in result.output


def test_explain_is_readable(entries):
    result = invoke(str(entries), "--explain", "nc-corpus")
    assert result.exit_code == 0
    assert "nc-corpus: open-use-restricted" in result.output
    assert "[lic.cc-nc-sa]" in result.output and "source: okfn/licenses@98a3a6f" in result.output
    assert "Training-Commercial-Standard" in result.output


def test_explain_unknown_id(entries):
    result = invoke(str(entries), "--explain", "nope")
    assert result.exit_code == 1
    assert "no entry with id 'nope'" in result.output


def test_invalid_entry_is_reported_with_position(entries):
    (entries / "broken.yaml").write_text(
        dumps(raw_entry("broken")).replace("open-licence", "open-licenc"), encoding="utf-8"
    )
    result = invoke(str(entries))
    assert result.exit_code == 1
    assert "broken.yaml:" in result.output and "copyright_basis" in result.output
    assert "Traceback" not in result.output


def test_bad_rules_folder_is_a_clear_error(entries, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ruleset.yaml").write_text("version: 1\n", encoding="utf-8")
    result = invoke(str(entries), "--rules", str(rules))
    assert result.exit_code == 1
    assert "missing top-level key 'changelog'" in result.output


def test_bad_date(entries):
    result = invoke(str(entries), "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert "write it as YYYY-MM-DD" in result.output
