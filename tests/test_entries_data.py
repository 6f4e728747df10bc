"""Data tests over the committed catalog: evidence, lineage, aliases and coverage.

Each check runs once over the whole catalog and lists every entry that fails it,
so one failure names every entry to fix. The broken fixture catalog shows the
same checks fail when they should.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.entry import catalog_checks as checks
from registry.entry.catalog_groups import GROUPS, group_members
from registry.entry.errors import EntryErrors
from registry.entry.loader import load

ROOT = Path(__file__).resolve().parent.parent
ENTRIES_DIR = ROOT / "entries"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken-catalog"


@pytest.fixture(scope="module")
def catalog():
    """The committed entries, loaded with every check the loader makes (references included)."""
    return [item.entry for item in load([ENTRIES_DIR])]


def test_every_entry_cites_evidence_at_a_web_address(catalog):
    missing = [f"{entry.id}: no evidence" for entry in catalog if not entry.evidence]
    not_web = [
        f"{entry.id}: evidence {item.url!r} is not an http(s) URL"
        for entry in catalog
        for item in entry.evidence
        if not item.url.startswith(("http://", "https://"))
    ]
    assert missing + not_web == []


def test_lineage_resolves_without_cycles_and_aliases_are_unique(catalog):
    problems = (
        checks.dangling_references(catalog)
        + checks.derivation_cycles(catalog)
        + checks.alias_collisions(catalog)
    )
    assert [str(p) for p in problems] == []


def test_catalog_size_and_group_coverage(catalog):
    assert len(catalog) >= 150
    members = group_members(catalog)
    assert set(members) == set(GROUPS)
    thin = {name: len(ids) for name, ids in members.items() if len(ids) < 12}
    assert thin == {}, f"groups with fewer than 12 entries: {thin}"


def test_group_rules_pick_known_members(catalog):
    members = group_members(catalog)
    assert "wikipedia" in members["community-open"]
    assert "common-pile-v0-1" in members["open-ai-corpora"]
    assert "c4" not in members["open-ai-corpora"] and "c4" in members["contrast"]
    assert "the-stack-v2" not in members["open-ai-corpora"]  # gated
    assert "us-code" in members["government-legal"] and "us-code" not in members["contrast"]


# The broken fixture: fixture-alpha and fixture-beta derive from each other,
# fixture-gamma is included in a corpus that does not exist.


def _broken_entries():
    return [item.entry for item in load([BROKEN], check_references=False)]


def test_fixture_reports_dangling_reference_by_entry_id():
    problems = checks.dangling_references(_broken_entries())
    assert [(p.entry_id, p.message) for p in problems] == [
        (
            "fixture-gamma",
            "included_in: unknown entry 'no-such-corpus'; add that entry or fix the id",
        )
    ]


def test_fixture_reports_derivation_cycle_by_entry_id():
    problems = checks.derivation_cycles(_broken_entries())
    assert sorted(p.entry_id for p in problems) == ["fixture-alpha", "fixture-beta"]
    assert all("cycle" in p.message for p in problems)


def test_fixture_all_problems_names_every_broken_entry():
    assert sorted({p.entry_id for p in checks.all_problems(_broken_entries())}) == [
        "fixture-alpha",
        "fixture-beta",
        "fixture-gamma",
    ]


def test_loader_rejects_fixture_catalog():
    with pytest.raises(EntryErrors) as caught:
        load([BROKEN])
    messages = "\n".join(str(error) for error in caught.value.errors)
    assert "fixture-gamma.yaml" in messages and "no-such-corpus" in messages
    # At the item that closes the loop: line 22, column 16 is `fixture-beta` in derived_from.
    assert "fixture-alpha.yaml:22:16: derived_from forms a cycle" in messages


def test_alias_collisions_are_reported():
    alpha, beta, gamma = sorted(_broken_entries(), key=lambda e: e.id)
    renamed = [
        alpha.model_copy(update={"aliases": ["fixture-beta", "old-name"]}),
        beta,
        gamma.model_copy(update={"aliases": ["old-name"]}),
    ]
    problems = {(p.entry_id, p.message.split(" ")[1]) for p in checks.alias_collisions(renamed)}
    assert problems == {("fixture-alpha", "'fixture-beta'"), ("fixture-gamma", "'old-name'")}


def test_renamed_reference_gets_a_hint():
    alpha, beta, gamma = sorted(_broken_entries(), key=lambda e: e.id)
    renamed = [
        alpha,
        beta,
        gamma.model_copy(update={"included_in": ["old-alpha"]}),
        alpha.model_copy(
            update={"id": "fixture-delta", "aliases": ["old-alpha"], "derived_from": []}
        ),
    ]
    messages = [str(p) for p in checks.dangling_references(renamed)]
    assert (
        "fixture-gamma: included_in: unknown entry 'old-alpha'; it was renamed to 'fixture-delta'"
        in messages
    )
