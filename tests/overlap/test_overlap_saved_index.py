"""The overlap index the build saves beside the database (registry/overlap/saved_index.py): the
CLI and the web page answer the same with it as with an index computed on the spot, an index of
another database or method is refused with the reason, and builds write it byte for byte alike
and leave nothing behind when they fail.

The registry is built by the real build from the project's curated entries and a slice of the
real records imported from the OTDI catalog (imports/otdi/, CDLA-Permissive-2.0), so both
TF-IDF tiers are saved and loaded."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from click.testing import CliRunner
from db_content import differences
from project_datasette import project_datasette

from registry.commands.cli import cli
from registry.overlap import index as overlap_index
from registry.overlap.saved_index import SavedIndexRefused, index_path, load, stated_key

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ["kratos-ai-banking-customersupport-english-audio", "nbailab-npsc", "dfrevytus-dataset"]
QUERIES = [
    "Published opinions of United States federal courts, with dockets and citations.",
    "Norwegian parliament speech recordings with orthographic transcriptions, from nb.no",
    "Customer support call audio in English for banking, recorded by agents.",
    "Every article of English Wikipedia, cleaned plain text, from dumps.wikimedia.org",
]


def _checkout(root: Path) -> Path:
    shutil.copytree(ROOT / "entries", root / "entries")
    (root / "imports" / "otdi").mkdir(parents=True)
    for record in RECORDS:
        shutil.copy(ROOT / "imports" / "otdi" / f"{record}.yaml", root / "imports" / "otdi")
    return root / "entries"


def _build(entries: Path, out: Path, *extra: str) -> None:
    """`commons build` of `entries` into `out`, without a cache unless `extra` names one."""
    cache = [] if "--cache-dir" in extra else ["--no-cache"]
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(entries), "--out", str(out), *cache, *extra]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("saved-index")
    _build(_checkout(root), root / "registry.db")
    return root / "registry.db"


def _without_index(db: Path, folder: Path) -> Path:
    """A copy of the database and its checksum, without the saved index."""
    folder.mkdir()
    for name in (db.name, db.name + ".sha256"):
        shutil.copy(db.with_name(name), folder / name)
    return folder / db.name


def _cli(db: Path, text: str) -> tuple[dict, str]:
    result = CliRunner().invoke(
        cli, ["overlap", "--db", str(db), "--text", text, "--format", "json", "--top", "20"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def _stated_key(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return stated_key(connection)


def test_the_build_writes_the_index_keyed_to_its_database(saved):
    key = _stated_key(saved)
    text, names = load(saved, 151 + len(RECORDS), key)
    assert [len(rows) for rows, _ in text.tiers] == [151, len(RECORDS)]
    assert names["banking customersupport english audio"] == {RECORDS[0]}
    with sqlite3.connect(index_path(saved)) as connection:
        meta = dict(connection.execute("select key, value from meta"))
    assert len(key) == 64
    assert meta["inputs"] == key


def test_cli_answers_alike_with_the_saved_index_and_a_computed_one(saved, tmp_path):
    bare = _without_index(saved, tmp_path / "bare")
    for text in QUERIES:
        loaded, quiet = _cli(saved, text)
        computed, note = _cli(bare, text)
        assert loaded == computed
        assert loaded["matches"], text
        assert quiet == note == ""  # a missing index of a small catalog is computed quietly


def test_web_answers_alike_with_the_saved_index_and_a_computed_one(saved, tmp_path):
    bare = _without_index(saved, tmp_path / "bare")

    async def answers(db: Path) -> list[dict]:
        datasette = await project_datasette(db)
        found = []
        for text in QUERIES:
            for _ in range(600):  # a computed index may take a while on a loaded machine
                response = await datasette.client.get(f"/-/overlap.json?top=20&q={quote(text)}")
                if response.status_code != 503:
                    break
                assert response.headers["retry-after"] == "5"
                await asyncio.sleep(0.1)
            assert response.status_code == 200, response.text
            found.append(response.json())
        return found

    web = asyncio.run(answers(saved))
    assert web == asyncio.run(answers(bare))
    assert web == [_cli(saved, text)[0] for text in QUERIES]


def test_a_text_query_needs_neither_the_entry_schema_nor_what_computes_the_index(saved):
    """`commons overlap --text` answers from the saved index without importing pydantic and the
    entry schema (they check offer files), scipy and wordfreq (they compute the index), or
    pycountry's objects: the imports that kept it over a second at the real catalog."""
    code = (
        "import sys\nfrom registry.commands.cli import cli\ntry:\n"
        "    cli(['overlap', '--db', sys.argv[1], '--text', sys.argv[2], '--format', 'json'])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "heavy = ('pydantic', 'scipy', 'wordfreq', 'pycountry', 'registry.entry.schema')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(saved), QUERIES[3]],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["matches"][0]["id"] == "wikipedia"
    assert done.stderr.strip() == "[]"


def test_entries_read_when_asked_for_are_the_catalog_read_whole(saved):
    lazy = overlap_index.open_index(saved)
    with sqlite3.connect(f"file:{saved}?mode=ro", uri=True) as connection:
        whole = overlap_index.load_index(connection)
    assert lazy.entries.origins == whole.entries.origins
    assert lazy.entries.origins.count("imported") == len(RECORDS)
    assert lazy.entries[-1] == whole.entries[-1]
    assert list(lazy.entries) == list(whole.entries)
    assert lazy.entries[3:5] == whole.entries[3:5]


def test_saved_arrays_are_read_in_slices_as_saved(saved):
    text, _ = load(saved, 151 + len(RECORDS), _stated_key(saved))
    with sqlite3.connect(index_path(saved)) as connection:
        blob = connection.execute(
            "select value from arrays where tier = 0 and name = 'indptr'"
        ).fetchone()[0]
    whole = np.frombuffer(blob, dtype="<i8")
    indptr = text.tiers[0][1].columns.indptr
    assert len(indptr) == len(whole)
    assert indptr[5:9].tolist() == whole[5:9].tolist()
    assert indptr[-1] == whole[-1] and indptr[len(whole) :].tolist() == []
    with pytest.raises(IndexError):
        indptr[len(whole)]


def test_an_index_of_another_database_is_refused_and_computed_instead(saved, tmp_path):
    root = tmp_path / "other"
    root.mkdir()
    entries = _checkout(root)
    other = root / "registry.db"
    _build(entries, other, "--no-imports")  # the curated entries only: another database
    shutil.copy(index_path(saved), index_path(other))
    with pytest.raises(SavedIndexRefused, match="is the index of another catalog"):
        overlap_index.open_index(other, compute=False)
    computed, note = _cli(other, QUERIES[0])
    assert "is the index of another catalog" in note
    assert computed["catalog"]["entries"] == 151
    index_path(other).unlink()
    assert _cli(other, QUERIES[0])[0] == computed


def test_an_index_of_another_method_version_is_refused(saved, tmp_path):
    copy = _without_index(saved, tmp_path / "copy")
    shutil.copy(index_path(saved), index_path(copy))
    with sqlite3.connect(index_path(copy)) as connection:
        connection.execute("update meta set value = 'an older method' where key = 'method'")
    with pytest.raises(SavedIndexRefused, match="another version of the overlap method"):
        overlap_index.open_index(copy, compute=False)
    index_path(copy).write_bytes(b"not an index")
    with pytest.raises(SavedIndexRefused, match="not a readable saved overlap index"):
        overlap_index.open_index(copy, compute=False)


def test_rebuilds_write_the_same_index_bytes_and_a_failed_one_leaves_the_last(
    saved, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    entries = _checkout(tmp_path)
    _build(entries, tmp_path / "a" / "registry.db")
    _build(entries, tmp_path / "b" / "registry.db")
    first = index_path(tmp_path / "a" / "registry.db").read_bytes()
    assert first == index_path(tmp_path / "b" / "registry.db").read_bytes()

    def broken(rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("registry.build.overlap_index.tier_index", broken)
    (entries / "zz-extra.yaml").write_text(
        (entries / "wikipedia.yaml").read_text().replace("id: wikipedia", "id: zz-extra")
    )
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(entries), "--out", str(tmp_path / "a" / "registry.db")]
    )
    assert result.exit_code != 0
    assert "disk is full" in result.output
    folder = tmp_path / "a"
    assert sorted(p.name for p in folder.iterdir()) == [
        "registry.db",
        "registry.db.overlap",
        "registry.db.sha256",
    ]
    assert index_path(folder / "registry.db").read_bytes() == first
    assert load(folder / "registry.db", 151 + len(RECORDS), _stated_key(folder / "registry.db"))


def _whole(array) -> list:
    """A numpy array or a saved index's BlobArray, read whole, as a list."""
    return array[0 : len(array)].tolist()


def _arrays(text) -> list:
    """Each tier's name, rows, matrix arrays and IDF, for comparing two TieredTfidf exactly."""
    return [
        (
            name,
            _whole(rows),
            *(_whole(a) for a in (idx.columns.data, idx.columns.indices, idx.columns.indptr)),
            _whole(idx.idf),
            idx.columns.shape,
        )
        for name, (rows, idx) in zip(text.names, text.tiers, strict=True)
    ]


def test_the_index_assembled_from_cached_terms_is_the_one_computed_from_the_texts(saved):
    with sqlite3.connect(saved) as connection:
        rows = overlap_index.catalog_rows(connection)
    computed = overlap_index.text_index(rows)
    loaded, _ = load(saved, len(rows), _stated_key(saved))
    assert _arrays(loaded) == _arrays(computed)
    for (_, saved_tier), (_, computed_tier) in zip(loaded.tiers, computed.tiers, strict=True):
        vocabulary = computed_tier.vocabulary
        assert saved_tier.columns_of([*vocabulary, "zzz not a term"]) == vocabulary
        # Asked again, each column comes from what the first search found (SortedTerms).
        assert saved_tier.columns_of(["zzz not a term", *reversed(vocabulary)]) == vocabulary


def test_a_warm_build_writes_the_index_only_when_its_inputs_change(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    entries = _checkout(tmp_path)
    out, cache = tmp_path / "warm" / "registry.db", tmp_path / "cache"
    _build(entries, out, "--cache-dir", str(cache))
    first = index_path(out).stat()
    wikipedia = entries / "wikipedia.yaml"
    # The homepage is not among the index's inputs (id, name, origin and the document's terms).
    wikipedia.write_text(wikipedia.read_text().replace("www.wikipedia.org", "wikipedia.org"))
    _build(entries, out, "--cache-dir", str(cache))
    again = index_path(out).stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert overlap_index.open_index(out, compute=False).refused is None
    wikipedia.write_text(wikipedia.read_text().replace("Volunteer-written", "Volunteer-edited"))
    _build(entries, out, "--cache-dir", str(cache))
    assert index_path(out).stat().st_ino != first.st_ino
    cold = tmp_path / "cold" / "registry.db"
    _build(entries, cold)
    assert index_path(out).read_bytes() == index_path(cold).read_bytes()
    assert differences(out, cold) == []  # a warm build: the cold build's content, not its bytes
