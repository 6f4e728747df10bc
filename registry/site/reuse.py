"""Reusing the pages of the previous site build whose inputs did not change (`commons serve
--watch`, through `commons site --reuse-unchanged`).

A contributor's edit to one entry changes its own page, the pages of the entries that name it,
and the listing pages it is (or was) on; the other pages are the same bytes as before. Each
entry and listing page is keyed by a digest of everything it is rendered from (the entry, or the
listing page's own entries, title and pager, as read from the database; the context shared by
those pages, `generate.page_common`; the templates and theme); a page whose digest matches the
previous build's is moved from the previous output instead of rendered.

What is digested is pickled (two to three times faster than sorted JSON; an entry is about
12 KB, mostly its overlaps): a pickle is a faithful serialisation, so different inputs never
share a digest, and should equal inputs pickle differently the page is only rendered again. The
digests live beside the output folder (`<out>.pages.json`); without them, or with a different
digest, a page is rendered as usual, so the output is the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

from registry.read.entries import linked_ids
from registry.site.generate import page_common

TEMPLATES = Path(__file__).resolve().parent / "templates"


def digest(*parts) -> str:
    """A digest of JSON-like parts, keys sorted."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sources_digest(site_dir: Path) -> str:
    """The templates and theme every page is drawn with: a change to them renders every page."""
    files = sorted([*TEMPLATES.rglob("*"), *(site_dir / "theme").rglob("*")])
    return digest([(str(f), f.read_bytes().hex()) for f in files if f.is_file()])


class PageReuse:
    """Which pages can be taken from `previous` (the last build's output, moved aside): a page
    taken is moved (not copied) into the new output, so what is left of `previous` is removed."""

    def __init__(self, out_dir: Path, previous: Path | None, common: dict, site_dir: Path):
        self.record = out_dir.with_name(out_dir.name + ".pages.json")
        self.out_dir, self.previous = out_dir, previous
        self.shared = digest(page_common(common), sources_digest(site_dir)).encode()
        old = {}
        if previous is not None and self.record.is_file():
            old = json.loads(self.record.read_text(encoding="utf-8"))
        self.old, self.new = old, {}
        self.reused = 0

    def entry_stale(self, entry: dict, names: dict) -> bool:
        """True when the entry's page must be rendered (else it is taken now). The page is
        drawn from the entry and the names of the entries it links to (`linked_ids`)."""
        named = sorted((key, names.get(key)) for key in linked_ids(entry))
        return self._stale(f"entries/{entry['id']}.html", (entry, named))

    def listing_reused(self, path: str, page: dict) -> bool:
        """True when the listing page at `path`, drawn from `page`, is taken from the previous
        build (registry.site.listing.Reused)."""
        return not self._stale(path, page)

    def _stale(self, url: str, drawn_from) -> bool:
        key = hashlib.sha256(self.shared + pickle.dumps(drawn_from, 5)).hexdigest()
        self.new[url] = key
        if self.previous is None or self.old.get(url) != key:
            return True
        try:
            os.replace(self.previous / url, self.out_dir / url)
        except FileNotFoundError:
            (self.out_dir / url).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(self.previous / url, self.out_dir / url)
            except FileNotFoundError:  # not in the previous output after all
                return True
        self.reused += 1
        return False

    def finish(self) -> None:
        """Record this build's digests and drop what is left of the previous output."""
        self.record.write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")
        if self.previous is not None:
            shutil.rmtree(self.previous, ignore_errors=True)
