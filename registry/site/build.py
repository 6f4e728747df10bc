"""Build the static site: generate pages from registry.db, then run `mkdocs build --strict`.

The hand-written project in `site/` (mkdocs.yml, docs, theme, hooks) is copied
into a build folder (never committed), the generated pages are written next to
the hand-written ones, and a real mkdocs process renders the lot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from registry.site.data import read_site_data
from registry.site.generate import generate_pages, search_text, write_sidecar


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


def run_mkdocs(config_file: Path, out_dir: Path) -> None:
    """Run a real `mkdocs build --strict`; warnings fail the build."""
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--clean",
        "-f",
        str(config_file),
        "-d",
        str(out_dir.resolve()),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    )
    if result.returncode != 0:
        raise SiteBuildError(
            f"mkdocs build --strict failed:\n{(result.stderr or result.stdout).strip()[-4000:]}"
        )


def build_site(
    db_path: Path,
    out_dir: Path,
    src_dir: Path | None = None,
    site_dir: Path = Path("site"),
    exports_dir: Path | None = None,
    passthrough: bool = True,
) -> dict:
    """Generate every page from the database and build the site into out_dir; returns timings.

    With `passthrough` (the default), generated raw HTML pages skip Python-Markdown
    (see site/hooks/generated_pages.py); the output is the same either way.
    """
    src_dir = src_dir or out_dir.parent / "site-src"
    check_replaceable(out_dir, "404.html", "built site")
    started = time.perf_counter()
    data = read_site_data(db_path)
    docs_dir = prepare_sources(site_dir, src_dir)
    handwritten = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")}
    read_seconds = time.perf_counter() - started

    titles = generate_pages(data, docs_dir, exports_dir)
    clashes = sorted(handwritten & set(titles))
    if clashes:
        raise SiteBuildError(
            f"hand-written pages in {site_dir}/docs clash with generated pages: "
            f"{', '.join(clashes)}"
        )
    search = {f"entries/{entry['id']}.html": search_text(entry) for entry in data["entries"]}
    write_sidecar(titles, search, src_dir / "generated.json", passthrough)
    generated = time.perf_counter()

    run_mkdocs(src_dir / "mkdocs.yml", out_dir)
    finished = time.perf_counter()
    return {
        "entries": len(data["entries"]),
        "pages": len(titles) + len(handwritten),
        "read_seconds": read_seconds,
        "generate_seconds": generated - started - read_seconds,
        "mkdocs_seconds": finished - generated,
        "total_seconds": finished - started,
    }
