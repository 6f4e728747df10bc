"""The Global Training Commons snapshot of a rules release (`commons governance release`
and the pull-request check of a release, which hands this to classifier.governance).

A release builds the registry from the repository's entries and imported records under
its new rules, as of the release day, exports the snapshot (registry/exports/snapshot.py)
to a folder for publishing, and records the snapshot's counts and SHA-256 sums in the
release record. Built again from the release's commit, the snapshot has the same bytes, so
anyone can check a copy against releases.yaml.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

from classifier.governance.models import ReleaseSnapshot
from classifier.governance.records import GOVERNANCE
from classifier.governance.release import ReleaseError, cut

SUMS = "SHA256SUMS"


@contextlib.contextmanager
def _as_of(day: datetime.date):
    """The build's date (classifications' as-of, timestamps) set to the release day."""
    midnight = datetime.datetime.combine(day, datetime.time(), datetime.UTC)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def cut_and_publish(records, day: datetime.date, extraordinary: str | None, out: Path):
    """The whole release: `cut` it, then build its snapshot under out/snapshot/ and record it.

    The pull-request check of a release runs this again on the base commit, so the snapshot
    links the project's published site (never a URL from the environment): the same commit
    gives the same release record."""
    from registry.commands.export import DEFAULT_SITE_URL
    from registry.exports.source import ExportError

    made = cut(records, day, extraordinary)
    try:
        snapshot = publish(records.root, day, out, DEFAULT_SITE_URL)
    except ExportError as error:
        raise ReleaseError(
            f"rules {made.version} were cut, but the snapshot could not be built: {error}; fix "
            "it, undo the release's edits (git checkout -- classifier) and release again"
        ) from None
    record(records.root, made.version, snapshot)
    return made, snapshot


def publish(root: Path, day: datetime.date, out: Path, site_url: str) -> ReleaseSnapshot:
    """Build the registry at `root` as of `day` and write its snapshot under out/snapshot/."""
    from registry.build.pipeline import build
    from registry.exports import snapshot
    from registry.exports.files import write

    with tempfile.TemporaryDirectory(prefix="release-") as tmp, _as_of(day):
        db = Path(tmp) / "registry.db"
        build(root / "entries", db, cache_dir=None, progress=False)
        files = write(db, out, ("snapshot",), site_url=site_url, imports=root / "imports")
    folder = snapshot.FOLDER + "/"
    sums = {
        path.removeprefix(folder): hashlib.sha256(data).hexdigest()
        for path, data in sorted(files.items())
        if path.startswith(folder) and path != folder + SUMS
    }
    header = snapshot.read_header(snapshot.manifest_in(out / snapshot.FOLDER))
    return ReleaseSnapshot(
        datasets=str(header["dataset_count"]),
        curated=str(header["curated_count"]),
        imported=str(header["imported_count"]),
        sha256=sums,
    )


def record(root: Path, version: str, made: ReleaseSnapshot) -> None:
    """Write the snapshot into the release record of `version` in releases.yaml."""
    from ruamel.yaml.comments import CommentedMap

    from classifier.governance.release import _dump, _yaml  # the release's own YAML style

    yaml, path = _yaml(), root / GOVERNANCE / "releases.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    release = next(r for r in data["releases"] if str(r["version"]) == version)
    entry = CommentedMap()
    entry["datasets"], entry["curated"], entry["imported"] = (
        made.datasets,
        made.curated,
        made.imported,
    )
    entry["sha256"] = CommentedMap(sorted(made.sha256.items()))
    release["snapshot"] = entry
    path.write_text(_dump(yaml, data), encoding="utf-8")
