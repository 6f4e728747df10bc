"""Build the static site: `mkdocs build --strict` of the hand-written project and the nav
pages, then a page per entry and per facet value in the same theme.

The hand-written project in `site/` (mkdocs.yml, docs, theme, hooks) is copied
into a build folder (never committed) and the generated pages the nav links are
written next to the hand-written ones; a real mkdocs process renders the lot.
The pages there is one of per entry or facet value are then rendered straight
into the built site with the theme's own template (theme_pages.py), and the
datasets get their own search index (dataset_search.py).
"""

from __future__ import annotations

import json
import shutil
import time
from hashlib import sha256
from pathlib import Path

from registry.site.data import entry_chunks, page_keys, read_site_data
from registry.site.dataset_search import DatasetIndex
from registry.site.generate import (
    browse_pages,
    browse_paths,
    common_context,
    entry_pages,
    facet_groups,
    nav_pages,
    page_common,
    write_markdown_pages,
    write_sidecar,
)
from registry.site.listing import listing_order
from registry.site.mkdocs_step import MkdocsError, mkdocs_pages
from registry.site.render import compiled_in
from registry.site.reuse import ListingKeys, SiteRecord, clear_output, pages_digest
from registry.site.theme_pages import ThemePages


class SiteBuildError(Exception):
    """The site could not be built; the message says why."""


def check_replaceable(folder: Path, marker: str, what: str) -> None:
    """Refuse to wipe a folder that is not empty and not one this command wrote (e.g. `--out .`)."""
    if folder.exists() and (
        not folder.is_dir() or (any(folder.iterdir()) and not (folder / marker).exists())
    ):
        raise SiteBuildError(
            f"{folder}: exists and is not a previous {what}; refusing to replace it (choose an "
            "empty or new folder)"
        )


def prepare_sources(site_dir: Path, src_dir: Path) -> Path:
    """A fresh copy of the hand-written mkdocs project; returns its docs folder."""
    if not (site_dir / "mkdocs.yml").is_file():
        raise SiteBuildError(
            f"{site_dir}/mkdocs.yml: not found; run from the repository root or pass --site-dir"
        )
    if src_dir.resolve() == site_dir.resolve():
        raise SiteBuildError(
            f"{src_dir}: the build folder cannot be the hand-written project itself"
        )
    check_replaceable(src_dir, "generated.json", "site build folder")
    if src_dir.exists():
        shutil.rmtree(src_dir)
    shutil.copytree(site_dir, src_dir, ignore=shutil.ignore_patterns("__pycache__"))
    (src_dir / "generated.json").write_text(
        "{}", encoding="utf-8"
    )  # marks the folder as ours, even if generation fails
    return src_dir / "docs"


def configure_copy(config_file: Path, static_hosting: bool, site_url: str | None) -> None:
    """Adjust the build copy of mkdocs.yml: no Datasette beside the site (`extra.datasette`
    null), and where the site is published (`site_url`, which the 404 page links from)."""
    text = config_file.read_text(encoding="utf-8")
    changes = {}
    if static_hosting:
        changes['  datasette: "../"\n'] = "  datasette: null\n"
    if site_url:
        line = next((li for li in text.splitlines(True) if li.startswith("site_url: ")), None)
        changes[line] = f"site_url: {json.dumps(site_url)}\n"
    for old, new in changes.items():
        if old is None or text.count(old) != 1:
            raise SiteBuildError(f"{config_file}: cannot set {new.strip()!r} (line not found once)")
        text = text.replace(old, new)
    config_file.write_text(text, encoding="utf-8")


def run_mkdocs_step(src_dir: Path, out_dir: Path, record: SiteRecord, build: dict | None) -> bool:
    """mkdocs's pages into the site (a full build empties it first); True when mkdocs ran."""
    if not record.incremental:
        clear_output(out_dir)
    try:
        return mkdocs_pages(src_dir, record, build)
    except MkdocsError as error:
        raise SiteBuildError(str(error)) from None


def write_theme_pages(
    db_path: Path, data: dict, groups: dict, common: dict, theme, record: SiteRecord, shared: str
) -> None:
    """The entry and listing pages whose keys are new (registry/site/reuse.py), straight into the
    built site, and the datasets' search index (mkdocs's own index keeps the documentation
    only). Only the entries whose pages are rendered, or whose search tokens are not kept from
    the last build, are read whole."""
    keys, own_keys = page_keys(db_path)
    cache = theme.out_dir.with_name(theme.out_dir.name + ".search-cache")
    index = DatasetIndex(listing_order(data["entries"]), keys, cache)
    stale = {
        entry_id
        for entry_id, key in keys.items()
        if record.stale(f"entries/{entry_id}.html", sha256((shared + key).encode()).hexdigest())
    }
    wanted = stale | index.missing()
    for chunk in entry_chunks(db_path, None if len(wanted) == len(keys) else wanted):
        for src, title, html in entry_pages([e for e in chunk if e["id"] in stale], common):
            theme.write(src, title, html)
        for entry in chunk:
            index.add(entry)
    listing = ListingKeys(shared, own_keys)

    def reused(path: str, page: dict) -> bool:
        return not record.stale(path, listing.key(page))

    for src, title, html in browse_pages(data["entries"], groups, common, reused):
        theme.write(src, title, html)
    index.write(record)


def check_no_clash(handwritten: set, titles: dict, data: dict, groups: dict, site_dir: Path) -> set:
    """The pages written straight into the site; refuses hand-written pages of the same name."""
    direct = {f"entries/{e['id']}.md" for e in data["entries"]}
    direct |= browse_paths(data["entries"], groups)
    clashes = sorted(handwritten & (set(titles) | direct))
    if clashes:
        raise SiteBuildError(
            f"hand-written pages in {site_dir}/docs clash with generated pages: "
            f"{', '.join(clashes)}"
        )
    return direct


def build_site(
    db_path: Path,
    out_dir: Path,
    src_dir: Path | None = None,
    site_dir: Path = Path("site"),
    exports_dir: Path | None = None,
    passthrough: bool = True,
    static_hosting: bool = False,
    site_url: str | None = None,
    reuse_unchanged: bool = False,
) -> dict:
    """Generate every page from the database and build the site into out_dir; returns timings.

    With `passthrough` (the default), the generated pages mkdocs builds skip
    Python-Markdown (see site/hooks/generated_pages.py); the output is the same either way.
    With `static_hosting`, the site is for a host without Datasette beside it (GitHub
    Pages): links to the catalog table, the overlap form and SQL are left out of the
    navigation, and the pages that mention them say they need the served registry.
    `site_url` is where the site is published (default: mkdocs.yml's, for `commons serve`).
    `reuse_unchanged` copies unchanged entry and facet pages (registry/site/reuse.py).
    """
    src_dir = src_dir or out_dir.parent / "site-src"
    check_replaceable(out_dir, "404.html", "built site")
    started = time.perf_counter()
    data = read_site_data(db_path)
    docs_dir = prepare_sources(site_dir, src_dir)
    configure_copy(src_dir / "mkdocs.yml", static_hosting, site_url)
    handwritten = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")}
    read_seconds = time.perf_counter() - started

    compiled = out_dir.with_name(out_dir.name + ".compiled")  # templates, beside the site
    with compiled_in(compiled):
        groups = facet_groups(data["entries"])
        common = common_context(data, groups, served=not static_hosting)
        titles = write_markdown_pages(nav_pages(data, groups, common, exports_dir), docs_dir)
        direct = check_no_clash(handwritten, titles, data, groups, site_dir)
        write_sidecar(titles, src_dir / "generated.json", passthrough)
        generated = time.perf_counter()
        record = SiteRecord(out_dir, reuse_unchanged)
        ran_mkdocs = run_mkdocs_step(src_dir, out_dir, record, data["build"])
        built = time.perf_counter()

        config_text = (src_dir / "mkdocs.yml").read_text(encoding="utf-8")
        shared = pages_digest(page_common(common), site_dir, config_text, titles)
        theme = ThemePages(src_dir / "mkdocs.yml", out_dir, titles, compiled)
        write_theme_pages(db_path, data, groups, common, theme, record, shared)
        record.finish()
    finished = time.perf_counter()
    return {
        "reused_pages": record.reused,
        "incremental": record.incremental,
        "ran_mkdocs": ran_mkdocs,
        "entries": len(data["entries"]),
        "pages": len(titles) + len(handwritten) + len(direct),
        "read_seconds": read_seconds,
        "generate_seconds": generated - started - read_seconds,
        "mkdocs_seconds": built - generated,
        "theme_pages_seconds": finished - built,
        "total_seconds": finished - started,
    }
