"""Content fingerprints: sketching, parallel sketching, comparison, publication."""

from __future__ import annotations

import hashlib
import json
import random

import pytest
from catalog_db import add_entry, create
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.errors import EntryErrors
from registry.entry.loader import parse_entry
from registry.overlap.check import check
from registry.overlap.fingerprint_store import fingerprint_rows
from registry.overlap.index import open_index
from registry.overlap.offer import offer_from_text
from registry.overlap.sketch import compare, loads, sketch_paths, sketch_text

VOCABULARY = [f"w{i}" for i in range(3000)]


def documents(seed: int, count: int, words: int = 200) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCABULARY) for _ in range(words)) for _ in range(count)]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(documents(1, 40)):
        (folder / f"doc{i:03d}.txt").write_text(text)
    return folder


def test_sample_inside_corpus_is_found_and_unrelated_text_is_not(corpus, tmp_path):
    whole = sketch_paths([corpus])
    part = sketch_paths(sorted(corpus.iterdir())[:20])
    other = sketch_text("\n".join(documents(2, 20)))
    inside = compare(part, whole)
    assert inside["jaccard"] == pytest.approx(0.5, abs=0.12)
    assert inside["containment"] > 0.8
    assert compare(other, whole)["containment"] < 0.1
    assert compare(whole, whole)["jaccard"] == 1.0


def test_parallel_sketch_equals_serial_sketch(corpus):
    serial = sketch_paths([corpus], jobs=1)
    parallel = sketch_paths([corpus], jobs=2)
    assert serial.hashvalues.tolist() == parallel.hashvalues.tolist()
    assert serial.shingles == parallel.shingles


def test_fingerprint_command_writes_no_text(corpus, tmp_path):
    out = tmp_path / "sketch.json"
    result = CliRunner().invoke(cli, ["fingerprint", str(corpus), "--jobs", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    data = json.loads(text)
    assert data["num_perm"] == len(data["hashvalues"]) == 256
    assert hashlib.sha256(text.encode()).hexdigest() in result.output
    assert not any(word in text for word in ("w1 ", "w2", "doc0", "corpus"))
    assert loads(text).hashvalues.tolist() == sketch_paths([corpus]).hashvalues.tolist()


def test_overlap_uses_content_when_both_sides_have_a_sketch(corpus, tmp_path):
    db_path = tmp_path / "registry.db"
    db = create(db_path)
    add_entry(
        db,
        "random-words",
        "Random word corpus",
        "Texts of random words.",
        fingerprint=sketch_paths([corpus]),
    )
    add_entry(
        db,
        "other-words",
        "Other word corpus",
        "Texts of other random words.",
        fingerprint=sketch_text("\n".join(documents(3, 40))),
    )
    sample = tmp_path / "sample.txt"
    sample.write_text("\n".join(documents(1, 40)[:10]))
    result = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(db_path),
            "--text",
            "a private collection of notes",
            "--sample",
            str(sample),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    top = data["matches"][0]
    assert top["id"] == "random-words"
    assert top["components"]["content"]["containment"] > 0.7
    assert data["verdict"]["level"] == "high"
    assert (
        all(m["id"] != "other-words" for m in data["matches"])
        or data["matches"][1]["components"]["content"]["containment"] < 0.1
    )
    without = check(open_index(db_path), offer_from_text("a private collection of notes"))
    assert without["verdict"]["level"] == "none"


ENTRY = """id: sample-corpus
name: Sample corpus
summary: A sample corpus.
homepage: https://example.org/
access:
  kind: open
  urls:
    - https://example.org/download
publisher:
  name: Example
  type: nonprofit
modality: text
domains: [web]
licenses:
  - expression: CC0-1.0
copyright_basis: cc0-dedication
evidence:
  - url: https://example.org/license
verification: high
fingerprint:
  path: fingerprints/sample-corpus.json
  sha256: {sha}
"""


def test_published_fingerprint_is_verified_against_its_sha256(corpus, tmp_path):
    (tmp_path / "fingerprints").mkdir()
    sketch = sketch_paths([corpus])
    (tmp_path / "fingerprints" / "sample-corpus.json").write_text(sketch.dumps())
    entry_file = tmp_path / "sample-corpus.yaml"
    entry_file.write_text(ENTRY.format(sha=sketch.sha256))
    good = parse_entry(str(entry_file), entry_file.read_bytes())
    rows = fingerprint_rows([good], tmp_path)
    assert rows[0]["entry_id"] == "sample-corpus" and rows[0]["shingles"] == sketch.shingles

    entry_file.write_text(ENTRY.format(sha="0" * 64))
    bad = parse_entry(str(entry_file), entry_file.read_bytes())
    with pytest.raises(EntryErrors) as raised:
        fingerprint_rows([bad], tmp_path)
    message = str(raised.value)
    assert f"{entry_file}:22:11: fingerprint.sha256 does not match" in message
    assert sketch.sha256 in message


def test_sample_may_be_a_ready_sketch_or_files_sketched_in_parallel(corpus, tmp_path):
    db_path = tmp_path / "registry.db"
    db = create(db_path)
    add_entry(
        db,
        "random-words",
        "Random word corpus",
        "Texts of random words.",
        fingerprint=sketch_paths([corpus]),
    )
    sketch_file = tmp_path / "mine.json"
    assert (
        CliRunner().invoke(cli, ["fingerprint", str(corpus), "--out", str(sketch_file)]).exit_code
        == 0
    )
    from_sketch = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(db_path),
            "--text",
            "notes",
            "--sample",
            str(sketch_file),
            "--format",
            "json",
        ],
    )
    from_files = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(db_path),
            "--text",
            "notes",
            "--sample",
            str(corpus),
            "--jobs",
            "2",
            "--format",
            "json",
        ],
    )
    assert from_sketch.exit_code == from_files.exit_code == 0, (
        from_sketch.output + from_files.output
    )
    assert json.loads(from_sketch.output)["matches"][0]["components"]["content"]["jaccard"] == 1.0
    assert json.loads(from_sketch.output) == json.loads(from_files.output)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something-else"}')
    result = CliRunner().invoke(
        cli, ["overlap", "--db", str(db_path), "--text", "notes", "--sample", str(broken)]
    )
    assert result.exit_code == 1 and "not a commons-registry-fingerprint file" in result.output
