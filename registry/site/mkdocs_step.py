"""The hand-written pages and the nav pages: a real `mkdocs build --strict` of the build folder,
run only when something it reads changed.

mkdocs builds into a folder of its own beside the output (it empties the folder it builds
into), and its files are moved into the site only where their bytes changed. Its inputs are the
build folder (mkdocs.yml, the hand-written and generated Markdown, the theme, the hooks and the
titles sidecar), the versions of mkdocs, Markdown and Jinja, and the build date the sitemap
carries; when their digest is the last build's, mkdocs is not run and its files stay as they
are. The home page's build line (the database's build time and commit) is not among them: it is
written into the built home page afterwards (`BUILT`), so a new database alone does not make
mkdocs run.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import sys
import traceback
from pathlib import Path

import jinja2
import markdown
import mkdocs
from markupsafe import Markup
from mkdocs.utils import get_build_date

from registry.site.reuse import SiteRecord, digest, tree_digest

# The home page's build line, as home.html.j2 leaves it (empty) and as built_line fills it.
BUILT = re.compile(r'<p class="hint" id="built">.*?</p>', re.S)
HOME = "index.html"


class MkdocsError(Exception):
    """mkdocs failed; the message has its output."""


def built_line(build: dict | None) -> str:
    """The home page's line saying when the database was built, and from which commit."""
    if not build:
        return ""
    commit = build.get("source_commit")
    source = Markup(" from commit <code>{}</code>").format(commit[:12]) if commit else ""
    return Markup('<p class="hint" id="built">Built {}{}.</p>').format(build["built_at"], source)


def _stamped(html: bytes, line: str) -> bytes:
    """The home page with its build line filled in (a page without one, unchanged)."""
    text = html.decode("utf-8")
    return BUILT.sub(lambda _: line, text, count=1).encode("utf-8") if line else html


def run_mkdocs(config_file: Path, out_dir: Path) -> None:
    """Run a real `mkdocs build --strict --clean` (what its command line runs, in this process:
    no interpreter start and mkdocs import a build, as `mkdocs serve` rebuilds); warnings fail the
    build. Its log is kept for the error, not printed; no bytecode is written beside the build
    folder's hooks (their digest is the build's input)."""
    from mkdocs import config as mkdocs_config
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    logger, log = logging.getLogger("mkdocs"), io.StringIO()
    handler = logging.StreamHandler(log)
    saved = logger.level, logger.propagate, sys.dont_write_bytecode
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate, sys.dont_write_bytecode = False, True
    try:
        cfg = mkdocs_config.load_config(
            config_file=str(config_file), site_dir=str(out_dir.resolve()), strict=True
        )
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg, dirty=False)
        finally:
            cfg.plugins.on_shutdown()
    except Exception as error:  # a theme's or a hook's error too, as the command's exit was
        ending = str(error) if isinstance(error, MkDocsException) else traceback.format_exc()
        output = f"{log.getvalue()}{ending}".strip()
        raise MkdocsError(f"mkdocs build --strict failed:\n{output[-4000:]}") from error
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate, sys.dont_write_bytecode = saved[1:]


def mkdocs_pages(src_dir: Path, record: SiteRecord, build: dict | None = None) -> bool:
    """Bring mkdocs's files in the site up to date with the build folder `src_dir`, the home
    page's build line with `build` (the database's `builds` row); True when mkdocs ran."""
    versions = [mkdocs.__version__, markdown.__version__, jinja2.__version__]
    inputs = digest(tree_digest(src_dir), versions, get_build_date())
    last = record.old["mkdocs"]
    line = built_line(build)
    if last.get("inputs") == inputs:
        record.keep(path for path in last["files"] if path != HOME)
        if HOME in last["files"]:
            record.put(HOME, _stamped((record.out_dir / HOME).read_bytes(), line))
        record.new["mkdocs"] = last
        return False
    staging = record.out_dir.with_name(record.out_dir.name + ".mkdocs")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        run_mkdocs(src_dir / "mkdocs.yml", staging)
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        if HOME in files:
            (staging / HOME).write_bytes(_stamped((staging / HOME).read_bytes(), line))
        for path in files:
            record.put_file(path, staging / path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record.new["mkdocs"] = {"inputs": inputs, "files": files}
    return True
