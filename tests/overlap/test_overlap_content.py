"""Content containment on real public-domain text, indexed on a real local Ray cluster.

The King James Bible and The Devil's Dictionary come from Debian packages (bible-kjv,
dict-devil), installed by scripts/install-system.sh like the browser tests' chromium: without
them these tests fail and say which script installs them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.overlap.content import debian_texts
from registry.overlap.content.build import build_index, cluster
from registry.overlap.content.containment import Lookup, contained
from registry.overlap.content.documents import Document
from registry.overlap.content.fingerprint import METHOD, PARAMETERS, VERSION
from registry.overlap.content.shards import FORMAT, load

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_samples import mixed_sample, other_texts  # noqa: E402

ENTRY = "project-gutenberg"


@pytest.fixture(scope="module")
def public_domain():
    absent = debian_texts.missing()
    if absent:
        pytest.fail(
            f"Debian package(s) {', '.join(absent)} missing: bash scripts/install-system.sh"
        )
    return [text for _, text in debian_texts.kjv_chapters() + debian_texts.devil_definitions()]


@pytest.fixture(scope="module")
def local_cluster():
    """One local runtime of two worker processes for the module: the CLI below runs on it too
    (`cluster` uses a runtime the process already runs), so Ray starts once, not twice. The
    runtime `cluster` started is shut down when its block ends."""
    import ray

    with cluster(workers=2) as client:
        yield client
    assert not ray.is_initialized()


@pytest.fixture(scope="module")
def content_index(tmp_path_factory, public_domain, local_cluster):
    """The public-domain texts indexed by the CLI on the module's local cluster, which the
    command uses and leaves running."""
    import ray

    root = tmp_path_factory.mktemp("content")
    result = CliRunner().invoke(
        cli,
        [
            "content-index",
            str(root / "corpus"),
            "--debian-texts",
            "--entry",
            ENTRY,
            "--out",
            str(root / "index"),
            "--workers",
            "2",
            "--files-per-shard",
            "400",
        ],
    )
    assert result.exit_code == 0, result.output
    assert ray.is_initialized()
    return root


def test_the_index_names_its_entry_method_and_parameters(content_index, public_domain):
    manifest = json.loads((content_index / "index" / "manifest.json").read_text())
    assert (manifest["format"], manifest["version"], manifest["method"]) == (
        FORMAT,
        VERSION,
        METHOD,
    )
    assert manifest["parameters"] == PARAMETERS
    assert len(manifest["shards"]) == 6  # 2,197 files, 400 a shard
    assert {s["entry_id"] for s in manifest["shards"]} == {ENTRY}
    assert sum(s["documents"] for s in manifest["shards"]) == len(public_domain) == 2197
    index = load(content_index / "index", verify=True)
    assert set(index.entry_ids) == {ENTRY}
    assert any(name.startswith("kjv/Genesis_1-") for name in index.names)


def test_local_cluster_workers_are_separate_processes(local_cluster):
    def pid_after_a_pause(seconds: float) -> int:  # nested: sent to the workers by value
        import os
        import time

        time.sleep(seconds)
        return os.getpid()

    pids = set(local_cluster.map(pid_after_a_pause, [1.0, 1.0]))
    assert len(pids) == 2 and os.getpid() not in pids


@pytest.mark.parametrize("seed", [0, 1])
def test_a_sample_with_30_percent_public_domain_is_reported_as_30_percent(
    content_index, public_domain, seed
):
    sample = mixed_sample(public_domain, other_texts(), 1000, 0.3, seed)
    documents = [Document(f"doc{n}", text) for n, (_, text) in enumerate(sample)]
    report = contained(Lookup(load(content_index / "index")), documents)
    assert [e["id"] for e in report["entries"]] == [ENTRY]
    assert 0.27 <= report["entries"][0]["share"] <= 0.33
    truth = {f"doc{n}" for n, (taken, _) in enumerate(sample) if taken}
    assert all(ex["your_document"] in truth for ex in report["entries"][0]["examples"])


def test_cli_reports_containment_with_licence_and_passages(
    content_index, public_domain, project_catalog
):
    sample = mixed_sample(public_domain, other_texts(), 200, 0.3, 5)
    folder = content_index / "sample"
    folder.mkdir()
    for n, (_, text) in enumerate(sample):
        (folder / f"doc{n:03d}.txt").write_text(text, encoding="utf-8")
    args = ["overlap", "--db", str(project_catalog), "--text", "religious texts and satire"]
    args += ["--sample", str(folder), "--content-index", str(content_index / "index")]
    result = CliRunner().invoke(cli, args + ["--format", "json"])
    assert result.exit_code == 0, result.output
    content = json.loads(result.output)["content"]
    (entry,) = content["entries"]
    assert entry["id"] == ENTRY and entry["documents"] == content["contained"]
    assert 0.27 <= entry["share"] <= 0.33
    assert entry["licenses"] and entry["category"] == "commons-by-default"
    example = entry["examples"][0]
    assert example["your_passage"][:60] in " ".join(
        (folder / Path(example["your_document"]).name).read_text().split()
    )
    text = CliRunner().invoke(cli, args)
    assert f"inside commons content: {content['contained']} of 200" in text.output
    assert "match strength 0." in text.output or "match strength 1." in text.output


def test_build_reports_every_unreadable_file_and_keeps_the_manifest(tmp_path, local_cluster):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("a plain document of several words " * 5)
    (corpus / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (corpus / "latin1.txt").write_bytes("caf\xe9 au lait\n".encode("latin-1"))
    out = tmp_path / "index"
    build_index(local_cluster, ENTRY, [corpus / "good.txt"], out)
    before = (out / "manifest.json").read_text()
    from registry.overlap.content.documents import SampleErrors

    with pytest.raises(SampleErrors) as raised:
        build_index(local_cluster, ENTRY, [corpus], out, files_per_shard=1)
    assert (out / "manifest.json").read_text() == before
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "shard-00000.sqlite"]
    messages = "\n".join(raised.value.errors)
    assert "image.bin:3:1: a binary file (NUL byte)" in messages
    assert "latin1.txt:1:4: byte 0xe9 is not UTF-8" in messages


def _overlap(project_catalog: Path, index: Path, *samples: Path):
    args = ["overlap", "--db", str(project_catalog), "--text", "notes", "--format", "json"]
    args += ["--content-index", str(index)]
    for sample in samples:
        args += ["--sample", str(sample)]
    return CliRunner().invoke(cli, args)


def test_bad_sample_files_are_all_reported_and_nothing_is_compared(
    tmp_path, content_index, project_catalog
):
    (tmp_path / "good.txt").write_text("In the beginning God created the heaven and the earth.")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF\0")
    (tmp_path / "cp1252.txt").write_bytes("first line\nna\xefve caf\xe9\n".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    result = _overlap(project_catalog, content_index / "index", tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "{" not in result.output
    assert "photo.jpg:1:5: a binary file (NUL byte)" in result.output
    assert "cp1252.txt:2:3: byte 0xef is not UTF-8" in result.output
    assert "huge.txt:1:1: the file is 64 MiB, over the 64 MiB" in result.output
    assert "3 problem(s) in the sample files; nothing was compared" in result.output


def test_an_index_of_another_method_or_version_is_refused(tmp_path, content_index, project_catalog):
    import shutil
    import sqlite3

    sample = tmp_path / "sample.txt"
    sample.write_text("In the beginning God created the heaven and the earth.")
    other = tmp_path / "other-version"
    shutil.copytree(content_index / "index", other)
    manifest = json.loads((other / "manifest.json").read_text())
    (other / "manifest.json").write_text(json.dumps({**manifest, "version": VERSION + 1}))
    result = _overlap(project_catalog, other, sample)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"made with version {VERSION + 1}" in result.output
    assert "rebuild the index with `commons content-index`" in result.output

    (other / "manifest.json").write_text(json.dumps(manifest))
    shard = other / manifest["shards"][0]["path"]
    with sqlite3.connect(shard) as connection:
        connection.execute(
            "update meta set value = ? where key = 'method'", (json.dumps("iscc-text-code"),)
        )
    connection.close()
    result = _overlap(project_catalog, other, sample)
    assert result.exit_code == 1 and "made with method 'iscc-text-code'" in result.output

    (other / "manifest.json").write_text("not json")
    result = _overlap(project_catalog, other, sample)
    assert result.exit_code == 1 and "not a JSON manifest" in result.output
    result = _overlap(project_catalog, tmp_path / "nowhere", sample)
    assert result.exit_code == 1 and "no content index here" in result.output
