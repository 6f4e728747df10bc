"""The overlap check on the real catalog, built from entries/ with `commons build`."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = ROOT / "entries"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


eval_overlap = _load_script("eval_overlap")
evaluate, load_cases = eval_overlap.evaluate, eval_overlap.load_cases


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    if not ENTRIES.is_dir() or not any(ENTRIES.glob("*.yaml")):
        pytest.skip("entries/ is empty: the evaluation needs the real catalog")
    out = tmp_path_factory.mktemp("real") / "registry.db"
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(ENTRIES), "--out", str(out), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_eval_set_is_large_enough_and_has_negatives():
    cases = load_cases()
    assert len([c for c in cases if c["expect"]]) >= 40
    assert len([c for c in cases if not c["expect"]]) >= 8


def test_recall_and_false_alarms_on_the_real_catalog(real_db):
    report = evaluate(real_db)
    misses = [
        (r["id"], r["top"]) for r in report["rows"] if r["recall"] is not None and r["recall"] < 1
    ]
    assert report["recall_at_3"] >= 0.9, misses
    assert report["false_alarm_rate"] <= 0.10, report["negative_verdicts"]
    assert report["high_precision"] is not None and report["high_precision"] >= 0.9


def test_build_fills_overlaps_between_catalog_entries(real_db):
    with sqlite3.connect(real_db) as connection:
        rows = {
            (a, b): (relation, json.loads(evidence))
            for a, b, relation, evidence in connection.execute(
                "select entry_id, other_id, relation, evidence from overlaps"
            )
        }
    assert rows[("wikipedia", "open-license-corpus")][0] == "included-in"
    assert rows[("wikitext-103", "wikipedia")][0] == "derived-from"
    assert any(relation == "shares-sources" for relation, _ in rows.values())


def test_cli_text_output_on_the_real_catalog(real_db):
    result = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(real_db),
            "--text",
            "Ten years of Stack Overflow questions and answers",
            "--top",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("High redundancy: 'Stack Exchange data dump'")
    assert "[stack-exchange-data-dump]" in result.output
