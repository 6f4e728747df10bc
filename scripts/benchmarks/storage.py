"""Storage of imported records: one YAML file per record (as kept) against one snapshot file per
source (JSON Lines, one record a line, curated entries overriding by id), on the real records.

Both layouts hold the same records: the snapshot layout is made here from `imports/`, each
record read as text (the strict reader keeps every value as text too) and written as one JSON
line, sorted by id. Measured in one run, turn about, `--runs` times each:

- read: what a cold build does with the layout before validating (the validation,
  classification and rows after it are the same for both): every file read and parsed,
  strictly (registry.entry.strict_yaml for YAML; json with duplicate keys refused for lines);
- rescan: what a warm build does to find one changed record: per-file stat plus reading the
  one file, against reading, hashing and parsing the changed source's whole snapshot;
- re-import write: writing a source's records after a re-import that changed one (the
  importer's store compares each file; the snapshot is one file written whole);
- git, on a repository of each layout (entries and the imports, one commit): add, commit,
  status, a clone by `file://` (time and size of .git), and the pull-request diff of
  (a) a re-import that changed one record and (b) promoting one record.

Usage: python -m scripts.benchmarks.storage [--runs 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from registry.entry.strict_yaml import read as read_strict

ROOT = Path(__file__).resolve().parents[2]


def _load_text(data: bytes) -> dict:
    return yaml.load(data, Loader=yaml.CBaseLoader)  # every value as text, as the strict reader


def snapshot_layout(imports: Path, out: Path) -> dict[str, Path]:
    """`imports/<source>.jsonl` from `imports/<source>/*.yaml`: one record a line, by id."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for folder in sorted(p for p in imports.iterdir() if p.is_dir()):
        records = [_load_text(f.read_bytes()) for f in sorted(folder.glob("*.yaml"))]
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
        target = out / f"{folder.name}.jsonl"
        target.write_text("".join(lines), encoding="utf-8")
        for extra in folder.iterdir():
            if extra.suffix != ".yaml":  # README and licence texts travel with the snapshot
                shutil.copyfile(extra, out / f"{folder.name}.{extra.name}")
        written[folder.name] = target
    return written


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def read_files(files: list[Path]) -> int:
    for path in files:
        read_strict(str(path), path.read_bytes())
    return len(files)


def read_snapshots(snapshots: list[Path]) -> int:
    count = 0
    for path in snapshots:
        with path.open("rb") as handle:
            for line in handle:
                json.loads(line, object_pairs_hook=_no_duplicates)
                count += 1
    return count


def rescan_files(files: list[Path], stats: dict[str, tuple], changed: Path) -> None:
    """Stat every file; read, hash and parse the one whose stat moved."""
    for path in files:
        st = os.stat(path)
        if (st.st_size, st.st_mtime_ns, st.st_ino) != stats[str(path)]:
            data = path.read_bytes()
            hashlib.sha256(data).hexdigest()
            read_strict(str(path), data)
    assert changed.exists()


def rescan_snapshot(snapshot: Path, digests: dict[bytes, str]) -> int:
    """Hash every line of the changed snapshot; parse the lines whose hash is new."""
    parsed = 0
    with snapshot.open("rb") as handle:
        for line in handle:
            if hashlib.sha256(line).digest() not in digests:
                json.loads(line, object_pairs_hook=_no_duplicates)
                parsed += 1
    return parsed


def write_files(folder: Path, texts: dict[str, str]) -> int:
    """As the importer's store: read each file, write those that differ (atomically)."""
    written = 0
    for name, text in texts.items():
        path = folder / name
        if path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".yaml.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            written += 1
    return written


def write_snapshot(path: Path, lines: list[str]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, path)


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def git(repo: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return time.perf_counter() - started


def git_out(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def make_repo(repo: Path, entries: Path, imports_tree: Path) -> dict[str, float]:
    """A repository of one layout; the times of its first add, commit and status."""
    repo.mkdir(parents=True)
    shutil.copytree(entries, repo / "entries")
    shutil.copytree(imports_tree, repo / "imports")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for key, value in (("user.name", "bench"), ("user.email", "bench@localhost")):
        git(repo, "config", key, value)
    return {
        "add": git(repo, "add", "-A"),
        "commit": git(repo, "commit", "-q", "-m", "records"),
        "status": git(repo, "status", "--porcelain"),
    }


def clone(repo: Path, target: Path) -> tuple[float, int]:
    started = time.perf_counter()
    subprocess.run(
        ["git", "clone", "-q", f"file://{repo}", str(target)], check=True, capture_output=True
    )
    return time.perf_counter() - started, size_of(target / ".git")


def pr_diff(repo: Path, change) -> dict[str, object]:
    """Apply `change` to the work tree; the staged diff's files and bytes, add and commit times."""
    change(repo)
    added = git(repo, "add", "-A")
    numstat = git_out(repo, "diff", "--cached", "-M", "--numstat").splitlines()
    patch = git_out(repo, "diff", "--cached", "-M")
    committed = git(repo, "commit", "-q", "-m", "change")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    return {"files": len(numstat), "bytes": len(patch.encode()), "add": added, "commit": committed}


def changed_record(record: dict) -> dict:
    changed = dict(record)
    changed["summary"] = record["summary"].rstrip(".") + " (re-imported)."
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="commons-storage-"))
    imports, entries = ROOT / "imports", ROOT / "entries"
    snapshots = snapshot_layout(imports, work / "snapshots")
    files = sorted(imports.glob("*/*.yaml"))
    print(
        f"records: {len(files)} files; snapshots: "
        + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in snapshots.values())
    )
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    results: dict[str, list[float]] = {}

    def turn(name, function, *fargs):
        results.setdefault(name, []).append(timed(function, *fargs))

    # The changed record: the first OTDI file (its source holds nearly all records).
    otdi = snapshots["otdi"]
    lines = otdi.read_text(encoding="utf-8").splitlines(keepends=True)
    target = sorted((imports / "otdi").glob("*.yaml"))[0]
    scratch_files = work / "files-otdi"
    shutil.copytree(imports / "otdi", scratch_files)
    texts = {p.name: p.read_text(encoding="utf-8") for p in scratch_files.glob("*.yaml")}
    first = json.loads(lines[0])
    new_texts = dict(texts)
    new_texts[target.name] = texts[target.name].replace(
        f"summary: {first['summary']}", f"summary: {changed_record(first)['summary']}"
    )
    new_lines = [json.dumps(changed_record(first), ensure_ascii=False) + "\n", *lines[1:]]
    digests = {hashlib.sha256(line.encode()).digest(): "" for line in lines}
    scratch_snapshot = work / "otdi-scratch.jsonl"
    shutil.copyfile(otdi, scratch_snapshot)
    all_scratch = sorted(scratch_files.glob("*.yaml"))
    for _ in range(args.runs):
        turn("read: files (strict YAML)", read_files, files)
        turn("read: snapshots (JSON lines)", read_snapshots, list(snapshots.values()))
        # One record re-imported: written, then found again by a warm build's scan.
        write_files(scratch_files, texts)
        write_snapshot(scratch_snapshot, lines)
        stats = {
            str(p): (s.st_size, s.st_mtime_ns, s.st_ino) for p in all_scratch for s in [os.stat(p)]
        }
        turn("re-import write: files", write_files, scratch_files, new_texts)
        turn("re-import write: snapshot", write_snapshot, scratch_snapshot, new_lines)
        turn("rescan: files", rescan_files, all_scratch, stats, scratch_files / target.name)
        turn("rescan: snapshot", rescan_snapshot, scratch_snapshot, digests)
    for name, values in results.items():
        print(f"{name}: {spread(values)}")
    git_figures(work, entries, imports, snapshots, target, first)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


def git_figures(work: Path, entries: Path, imports: Path, snapshots, target: Path, first) -> None:
    snapshot_tree = work / "snapshots"
    layouts = {"files": imports, "snapshots": snapshot_tree}
    for name, tree in layouts.items():
        repo = work / f"repo-{name}"
        made = make_repo(repo, entries, tree)
        statuses = [git(repo, "status", "--porcelain") for _ in range(3)]
        seconds, size = clone(repo, work / f"clone-{name}")
        fresh = [git(work / f"clone-{name}", "status", "--porcelain") for _ in range(3)]
        print(
            f"git {name}: first add {made['add']:.2f} s, commit {made['commit']:.2f} s, "
            f"status {spread(statuses)}; clone {seconds:.2f} s, .git {size / 1e6:.1f} MB, "
            f"status on the clone {spread(fresh)}"
        )
        clone_repo = work / f"clone-{name}"
        for key, value in (("user.name", "bench"), ("user.email", "bench@localhost")):
            git(clone_repo, "config", key, value)
        reimport = pr_diff(clone_repo, lambda r, n=name: _reimport(r, n, target, first))
        promote = pr_diff(clone_repo, lambda r, n=name: _promote(r, n, target))
        for label, figures in (
            ("re-import, 1 record changed", reimport),
            ("promote 1 record", promote),
        ):
            print(
                f"  PR diff {name}, {label}: {figures['files']} files, "
                f"{figures['bytes']} bytes; add {figures['add']:.2f} s, "
                f"commit {figures['commit']:.2f} s"
            )


def _reimport(repo: Path, layout: str, target: Path, first: dict) -> None:
    if layout == "files":
        path = repo / "imports" / "otdi" / target.name
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(
                f"summary: {first['summary']}", f"summary: {changed_record(first)['summary']}"
            ),
            encoding="utf-8",
        )
        return
    path = repo / "imports" / "otdi.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = json.dumps(changed_record(first), ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def _promote(repo: Path, layout: str, target: Path) -> None:
    if layout == "files":  # commons promote: the file moves to entries/
        os.replace(repo / "imports" / "otdi" / target.name, repo / "entries" / target.name)
        return
    # The curated copy overrides the snapshot's line, which stays as imported.
    shutil.copyfile(target, repo / "entries" / target.name)


if __name__ == "__main__":
    sys.exit(main())
