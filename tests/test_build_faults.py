"""Faults around `commons build`, each met with the real command: a read-only output folder, a
full disk, and kill -9 in the middle of a build (issue 19, item 7).

A read-only folder and a full disk are made for real, with a read-only bind mount or a small tmpfs
in a private mount namespace (`unshare`, as root or in a user namespace).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_fixtures import raw_entry, write_corpus, write_entry
from click.testing import CliRunner
from db_content import differences

from registry.commands.cli import cli

COMMONS = str(Path(sys.executable).with_name("commons"))
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def commons_build(entries: Path, out: Path, cache: Path):
    """`commons build` run in this process (the faulty builds below run as real processes)."""
    command = ["build", "--entries", str(entries), "--out", str(out), "--cache-dir", str(cache)]
    return CliRunner().invoke(cli, command, env=EPOCH)


def in_mount_namespace(script: str, *args: object) -> subprocess.CompletedProcess:
    """Run the shell `script` (with `args` as $1, $2, ...) in a private mount namespace."""
    for unshare in (["unshare", "--mount"], ["unshare", "--user", "--map-root-user", "--mount"]):
        command = [*unshare, "--propagation", "private"]
        if subprocess.run([*command, "true"], capture_output=True).returncode == 0:
            return subprocess.run(
                [*command, "sh", "-c", script, "sh", *map(str, args)],
                capture_output=True,
                text=True,
                env={**os.environ, **EPOCH},
            )
    pytest.skip("no private mount namespace here: unshare needs root or user namespaces")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> tuple[Path, Path]:
    """(folder, cold database): a corpus built into dist/ with its cache, then one entry changed;
    and a build of the changed corpus with a fresh cache, the content a kept cache must give.
    Made once a module; each test works on a copy of the folder."""
    folder = tmp_path_factory.mktemp("built")
    entries, dist, cache = folder / "entries", folder / "dist", folder / "cache"
    write_corpus(entries)
    first = commons_build(entries, dist / "registry.db", cache)
    assert first.exit_code == 0, first.output
    write_entry(entries, raw_entry("gamma-code", name="Gamma Changed", modality="code"))
    cold_folder = tmp_path_factory.mktemp("cold")
    cold = commons_build(entries, cold_folder / "registry.db", cold_folder / "fresh-cache")
    assert cold.exit_code == 0, cold.output
    return folder, cold_folder / "registry.db"


@pytest.fixture
def built(built_once, tmp_path):
    """A copy, for this test alone, of the corpus built into dist/ with its cache, then one entry
    changed: (entries, dist, cache)."""
    for name in ("entries", "dist", "cache"):
        shutil.copytree(built_once[0] / name, tmp_path / name)
    return tmp_path / "entries", tmp_path / "dist", tmp_path / "cache"


@pytest.fixture
def assert_cache_kept(built_once):
    """assert_cache_kept(entries, cache, tmp_path, parsed="0|1"): the cache was kept, a build
    elsewhere parses at most the changed file, and holds the same content as a build of the same
    entries without the cache."""

    def check(entries: Path, cache: Path, tmp_path: Path, parsed: str = "0|1") -> None:
        again = commons_build(entries, tmp_path / "elsewhere" / "registry.db", cache)
        assert again.exit_code == 0, again.output
        assert re.search(rf"\(({parsed}) parsed, \d from cache\)", again.stderr), again.stderr
        # From the kept cache a warm build: the cold build's content, not its bytes
        # (test_build_warm).
        assert differences(tmp_path / "elsewhere/registry.db", built_once[1]) == []

    return check


def test_a_read_only_output_folder_is_a_clear_error_and_keeps_the_cache(
    built, assert_cache_kept, tmp_path
):
    entries, dist, cache = built
    before = {path.name: sha256(path) for path in dist.iterdir()}
    result = in_mount_namespace(
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
        dist,
        COMMONS,
        *("build", "--entries", entries, "--out", dist / "registry.db", "--cache-dir", cache),
    )
    assert result.returncode == 1, result.stderr
    assert "cannot write the database there (Read-only file system)" in result.stderr
    assert "make the folder writable or choose another folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert {path.name: sha256(path) for path in dist.iterdir()} == before
    # The rows of the changed entry were committed before the output failed: none is parsed again.
    assert_cache_kept(entries, cache, tmp_path, parsed="0")


@pytest.mark.parametrize("cache_option", [["--cache-dir"], ["--no-cache"]], ids=["cache", "none"])
def test_a_full_output_disk_blames_the_disk_and_leaves_no_file_behind(
    built, assert_cache_kept, tmp_path, cache_option
):
    """With --no-cache the build's working database is beside the output, on the full disk too."""
    entries, dist, cache = built
    previous = dist / "registry.db"
    # A tmpfs with room for the previous database and a third of a new one.
    size_kb = previous.stat().st_size * 4 // 3 // 1024
    script = """
        set -e
        full="$1"; shift
        mount -t tmpfs -o size="$1"k tmpfs "$full"; shift
        cp "$1" "$full/registry.db"; shift
        "$@" --out "$full/registry.db" && echo "BUILD SUCCEEDED"
        ls -A "$full"; sha256sum "$full/registry.db"
    """
    (tmp_path / "full").mkdir()
    command = (COMMONS, "build", "--entries", entries, *cache_option)
    if cache_option == ["--cache-dir"]:
        command += (cache,)
    result = in_mount_namespace(script, tmp_path / "full", size_kb, previous, *command)
    assert "BUILD SUCCEEDED" not in result.stdout
    assert "the disk is full" in result.stderr, result.stderr
    assert "cache" not in result.stderr.replace("--cache-dir", ""), result.stderr
    assert "Traceback" not in result.stderr
    listing, checksum = result.stdout.strip().rsplit("\n", 1)
    assert listing.split() == ["registry.db"], "no temporary file or journal is left"
    assert checksum.split()[0] == sha256(previous), "the previous database is kept"
    assert_cache_kept(entries, cache, tmp_path)


def test_a_full_cache_disk_blames_the_disk_and_keeps_the_cache(tmp_path):
    entries = tmp_path / "entries"
    write_corpus(entries)
    changed = write_entry(tmp_path / "changed", raw_entry("gamma-code", name="Gamma Changed"))
    script = """
        full="$1"; changed="$2"; shift 2
        mount -t tmpfs -o size=2m tmpfs "$full" || exit 9
        "$@" --cache-dir "$full" || exit 8
        sha256sum "$full"/work-*.db
        head -c 8m /dev/zero > "$full/filler" 2>/dev/null
        cp "$changed" "$4/gamma-code.yaml"
        "$@" --cache-dir "$full"; echo "exit $?"
        sha256sum "$full"/work-*.db
        # Journals in TRUNCATE mode stay as empty files; one holding pages is a rollback not done.
        find "$full" -name "*-journal" -size +0c -printf "hot %p\\n"
    """
    command = (COMMONS, "build", "--entries", entries, "--out", tmp_path / "dist" / "registry.db")
    (tmp_path / "full").mkdir()
    result = in_mount_namespace(script, tmp_path / "full", changed, *command)
    lines = result.stdout.split("\n")
    assert "exit 1" in lines, result.stdout + result.stderr
    assert "the disk is full" in result.stderr and "the build cache" in result.stderr
    assert "damaged" not in result.stderr and "removed" not in result.stderr
    assert "Traceback" not in result.stderr
    before, after = [line.split()[0] for line in lines if "/work-" in line]
    assert before == after, "the cache is rolled back, not deleted"
    assert not [line for line in lines if line.startswith("hot ")]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_leaves_no_worker_and_the_next_build_removes_its_files(tmp_path):
    entries, dist = tmp_path / "entries", tmp_path / "dist"
    # Enough files for worker processes (parse.PARALLEL_MIN_FILES), and for a parse that lasts
    # well past the kill on a quiet machine: one entry's canonical text under 4,000 ids.
    template = write_entry(entries, raw_entry("entry-0000")).read_text(encoding="utf-8")
    for i in range(1, 4000):
        text = template.replace("entry-0000", f"entry-{i:04d}")
        (entries / f"entry-{i:04d}.yaml").write_text(text, encoding="utf-8")
    command = [COMMONS, "build", "--entries", str(entries), "--out", str(dist / "registry.db")]
    build = subprocess.Popen(
        [*command, "--no-cache"], stderr=subprocess.DEVNULL, env={**os.environ, **EPOCH}
    )
    try:
        deadline = time.monotonic() + 60
        cmdline = None
        workers: list[int] = []
        while not workers and time.monotonic() < deadline and build.poll() is None:
            cmdline = cmdline or Path(f"/proc/{build.pid}/cmdline").read_bytes()
            workers = [
                pid
                for pid in children(build.pid)
                if Path(f"/proc/{pid}/cmdline").read_bytes() == cmdline  # forked, not git
            ]
            time.sleep(0.01)
        assert workers, "the build must have started its workers"
        time.sleep(0.1)  # into the parse
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    finally:
        build.kill()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "workers must die with the build"
    left = sorted(path.name for path in dist.iterdir())
    # Only the killed build's temporaries (the working database, and its pairs file when the
    # build got that far), which the next build must remove.
    assert left and all(name.startswith(".registry.db.") and ".tmp" in name for name in left), left
    # The next build, of any corpus to the same database, removes them.
    write_corpus(tmp_path / "next")
    command = ["build", "--entries", str(tmp_path / "next"), "--out", str(dist / "registry.db")]
    result = CliRunner().invoke(cli, [*command, "--no-cache"], env=EPOCH)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in dist.iterdir()) == [
        "registry.db",
        "registry.db.overlap",
        "registry.db.sha256",
    ]


def test_a_new_database_failing_after_its_pairs_began_leaves_no_staged_pairs(tmp_path):
    """An error only the whole catalog shows (an unknown derived_from) is found after a new
    working database's overlaps thread began staging its rows beside it (work-*.db.pairs): the
    rolled-back build removes that file too, as a Ctrl-C in `commons build --watch` there does."""
    entries, cache = tmp_path / "entries", tmp_path / "cache"
    write_corpus(entries)
    write_entry(entries, raw_entry("orphan-copy", derived_from=["nowhere-known"]))
    result = commons_build(entries, tmp_path / "out.db", cache)
    assert result.exit_code == 1 and "nowhere-known" in result.output
    assert not list(cache.glob("*.pairs")), sorted(p.name for p in cache.iterdir())
