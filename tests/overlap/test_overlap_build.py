"""`commons build` with a published fingerprint, then `commons overlap --sample`, end to end."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.canonical import dumps
from registry.overlap.sketch import sketch_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from build_fixtures import raw_entry  # noqa: E402


def _text(seed: int, words: int = 4000) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(words))


def test_build_stores_fingerprint_and_overlap_compares_content(tmp_path):
    entries = tmp_path / "entries"
    entries.mkdir()
    (tmp_path / "fingerprints").mkdir()
    sketch = sketch_text(_text(1))
    (tmp_path / "fingerprints" / "letters-corpus.json").write_text(sketch.dumps())
    with_sketch = raw_entry(
        "letters-corpus",
        fingerprint={"path": "fingerprints/letters-corpus.json", "sha256": sketch.sha256},
    )
    (entries / "letters-corpus.yaml").write_text(dumps(with_sketch))
    (entries / "other-corpus.yaml").write_text(dumps(raw_entry("other-corpus")))
    out = tmp_path / "registry.db"
    built = CliRunner().invoke(
        cli, ["build", "--entries", str(entries), "--out", str(out), "--no-cache"]
    )
    assert built.exit_code == 0, built.output
    with sqlite3.connect(out) as connection:
        assert connection.execute("select entry_id, sha256 from fingerprints").fetchall() == [
            ("letters-corpus", sketch.sha256)
        ]

    sample = tmp_path / "sample.txt"
    sample.write_text(_text(1)[:8000])
    result = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(out),
            "--text",
            "my private letters",
            "--sample",
            str(sample),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    top = json.loads(result.output)["matches"][0]
    assert top["id"] == "letters-corpus"
    assert top["components"]["content"]["containment"] > 0.8


def test_build_rejects_a_fingerprint_that_does_not_match_its_hash(tmp_path):
    entries = tmp_path / "entries"
    entries.mkdir()
    (tmp_path / "fingerprints").mkdir()
    (tmp_path / "fingerprints" / "letters-corpus.json").write_text(sketch_text(_text(1)).dumps())
    raw = raw_entry(
        "letters-corpus",
        fingerprint={"path": "fingerprints/letters-corpus.json", "sha256": "0" * 64},
    )
    (entries / "letters-corpus.yaml").write_text(dumps(raw))
    built = CliRunner().invoke(
        cli,
        ["build", "--entries", str(entries), "--out", str(tmp_path / "registry.db"), "--no-cache"],
    )
    assert built.exit_code == 1
    assert "fingerprint.sha256 does not match fingerprints/letters-corpus.json" in built.output
    assert "Traceback" not in built.output
