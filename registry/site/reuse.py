"""Reusing the pages of the previous site build whose inputs did not change (`commons serve
--watch`, through `commons site --reuse-unchanged`).

A contributor's edit to one entry changes its own page, the pages of the entries that name it,
and the facet pages it is (or was) listed on; the other few hundred pages are the same bytes as
before. Each entry and facet page is keyed by a digest of everything it is rendered from (the
entry or facet value as read from the database, the site-wide context, the templates and theme);
a page whose digest matches the previous build's is copied from the previous output instead of
rendered. The digests live beside the output folder (`<out>.pages.json`); without them, or with
a different digest, a page is rendered as usual, so the output is the same either way.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


def digest(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sources_digest(site_dir: Path) -> str:
    """The templates and theme every page is drawn with: a change to them renders every page."""
    files = sorted([*TEMPLATES.rglob("*"), *(site_dir / "theme").rglob("*")])
    return digest([(str(f), f.read_bytes().hex()) for f in files if f.is_file()])


class PageReuse:
    """Which pages can be copied from `previous` (the last build's output, moved aside)."""

    def __init__(self, out_dir: Path, previous: Path | None, common: dict, site_dir: Path):
        self.record = out_dir.with_name(out_dir.name + ".pages.json")
        self.out_dir, self.previous = out_dir, previous
        self.shared = digest(
            {key: value for key, value in common.items() if key != "names"},
            sources_digest(site_dir),
        )
        old = {}
        if previous is not None and self.record.is_file():
            old = json.loads(self.record.read_text(encoding="utf-8"))
        self.old, self.new = old, {}
        self.reused = 0

    def entry_stale(self, entry: dict, names: dict) -> bool:
        """True when the entry's page must be rendered (else it is copied now)."""
        text = json.dumps(entry, sort_keys=True, default=str)
        named = {key: value for key, value in names.items() if f'"{key}"' in text}
        return self._stale(f"entries/{entry['id']}.html", digest(self.shared, text, named))

    def facet_stale(self, value: dict, paths: list[str], form: str) -> bool:
        """True when the facet value's listing must be rendered: every page of it (`paths`,
        the first being value["path"]), drawn with the narrowing `form`."""
        return self._stale(value["path"], digest(self.shared, value, paths, form), paths)

    def _stale(self, url: str, key: str, urls: list[str] | None = None) -> bool:
        urls = urls or [url]
        self.new[url] = key
        if self.old.get(url) != key or self.previous is None:
            return True
        if not all((self.previous / page).is_file() for page in urls):
            return True
        for page in urls:
            target = self.out_dir / page
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.previous / page, target)
            self.reused += 1
        return False

    def finish(self) -> None:
        """Record this build's digests and drop the previous output."""
        self.record.write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")
        if self.previous is not None:
            shutil.rmtree(self.previous, ignore_errors=True)
