"""What the last site build wrote and from what, so that a rebuild (`commons site
--reuse-unchanged`, what `commons serve --watch` runs) writes only what changed.

Every file of the built site is an output with a key: a page written straight into the site
(an entry's, a listing's) is keyed by a digest of everything it is rendered from, a file
mkdocs or the dataset search index writes by a digest of its bytes. The record of the last
build (`<out>.build.json`, beside the output folder) holds those keys; a rebuild renders a page
only when its key is new, writes a file only when its bytes are, and removes what the build no
longer writes. The record is removed when a rebuild starts and written when it ends, so a build
that fails part-way makes the next one a full build; without the record the output folder is
emptied and every page rendered, so the output is the same either way (tests/test_site_reuse.py
compares the two byte for byte).

An entry page's key comes from registry.read.page_digests (no entry is read whole to decide); a
listing page's from the page's own facts (pickled: a faithful serialisation, and should equal
facts pickle differently the page is only rendered again) and the digests of the own rows of
the entries on it (what a listing shows of an entry is read from those rows).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from registry.build.cache import code_fingerprint

TEMPLATES = Path(__file__).resolve().parent / "templates"
RECORD_VERSION = 1


def digest(*parts) -> str:
    """A digest of JSON-like parts, keys sorted."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(*folders: Path) -> str:
    """The names and bytes of every file under `folders`."""
    found = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                found.update(hashlib.sha256(path.read_bytes()).digest())
    return found.hexdigest()


def pages_digest(shared: dict, site_dir: Path, config_text: str, titles: dict) -> str:
    """What every entry and listing page is drawn with besides its own facts: the shared context
    (generate.page_common), the templates, the theme, the configured mkdocs.yml, the titles in
    the nav and the code; a change to any renders every page."""
    return digest(shared, tree_digest(TEMPLATES, site_dir / "theme"), config_text, titles) + (
        code_fingerprint()
    )


class SiteRecord:
    """The outputs of the last build of `out_dir` and of this one."""

    def __init__(self, out_dir: Path, reuse: bool):
        self.path = out_dir.with_name(out_dir.name + ".build.json")
        self.out_dir = out_dir
        old = None
        if reuse and (out_dir / "404.html").is_file() and self.path.is_file():
            try:
                old = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError:
                old = None
            if not isinstance(old, dict) or old.get("version") != RECORD_VERSION:
                old = None
        self.incremental = old is not None
        self.old = old or {"outputs": {}, "mkdocs": {}}
        self.new = {"version": RECORD_VERSION, "outputs": {}, "mkdocs": {}}
        self.reused = 0
        self.path.unlink(missing_ok=True)

    def stale(self, path: str, key: str) -> bool:
        """Record the page at `path` (relative to the site) with `key`; True when it must be
        rendered (the last build's page is otherwise still in place)."""
        self.new["outputs"][path] = key
        if self.old["outputs"].get(path) == key:
            self.reused += 1
            return False
        return True

    def keep(self, paths) -> None:
        """Outputs the last build wrote that this one keeps as they are."""
        for path in paths:
            self.new["outputs"][path] = self.old["outputs"][path]
            self.reused += 1

    def put(self, path: str, content: bytes) -> None:
        """Write the file at `path` unless the last build wrote these very bytes there."""
        key = "bytes:" + hashlib.sha256(content).hexdigest()
        if self.stale(path, key):
            target = self.out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def put_made(self, path: str, key: str, make: Callable[[], bytes]) -> None:
        """Write the file at `path` from `make()` unless the last build wrote it under `key` (a
        digest of everything its bytes are made from): an unchanged file is not even made."""
        if self.stale(path, key):
            target = self.out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(make())

    def put_file(self, path: str, source: Path) -> None:
        """Move `source` to `path` unless the last build wrote the same bytes there."""
        key = "bytes:" + hashlib.sha256(source.read_bytes()).hexdigest()
        if self.stale(path, key):
            target = self.out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)

    def finish(self) -> None:
        """Remove what the last build wrote and this one did not, and record this build."""
        for path in set(self.old["outputs"]) - set(self.new["outputs"]):
            (self.out_dir / path).unlink(missing_ok=True)
        self.path.write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")


class ListingKeys:
    """Keys of listing pages: what a page shows of each entry on it comes from the entry's own
    rows, whose digest registry.read.page_digests gives (`own`, one per entry, not pickled once
    per page the entry is on: about ten, all entries, its category, licence, modality...)."""

    def __init__(self, shared: str, own: dict[str, bytes]):
        self.shared = shared
        self.own = own
        self.forms: dict[str, bytes] = {}  # the narrowing forms' digests (one form per facet)

    def key(self, page: dict) -> str:
        found = hashlib.sha256(self.shared.encode())
        meta = {k: v for k, v in page.items() if k not in ("entries", "narrowing")}
        found.update(pickle.dumps(meta, 5))
        form = page["narrowing"]
        if form not in self.forms:
            self.forms[form] = hashlib.sha256(str(form).encode()).digest()
        found.update(self.forms[form])
        found.update(b"".join(self.own[entry["id"]] for entry in page["entries"]))
        return found.hexdigest()


def clear_output(out_dir: Path) -> None:
    """Empty the output folder for a full build (the caller checked it is a site it built)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
