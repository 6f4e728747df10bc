import fcntl
import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

# The slowest test files, slowest first (their summed test time in a whole run, two workers,
# 2026-12-04, suite_timeline): they are handed out first, so that with a file per worker
# (`--dist loadfile --no-loadscope-reorder`, scripts/test.sh) no worker is left running one of
# them alone at the end of the suite.
SLOWEST_FILES = (
    "test_served_crawl.py",
    "test_site_browser.py",
    "overlap/test_overlap_content.py",
    "overlap/test_overlap_imports.py",
    "overlap/test_overlap_eval.py",
    "test_build_faults.py",
    "test_build_resident.py",
    "test_build_watch_command.py",  # split from test_build_resident.py (its watch command tests)
    "test_serve.py",
    "overlap/test_overlap_pair_delta.py",
    "test_site.py",
    "test_page_keys.py",
    "test_build_warm.py",
    "overlap/test_overlap_evidence_subject.py",
    "test_governance_browser.py",
    "test_site_reuse.py",
    "test_serve_stop.py",
    "overlap/test_overlap_saved_index.py",
    "overlap/test_overlap_made.py",
    "test_exports.py",
    "test_governance_cycle.py",
    "test_snapshot.py",
    "test_serve_hardening.py",
    "test_search.py",
    "test_datasette.py",
    "overlap/test_overlap_browser.py",
)


def pytest_collection_modifyitems(config, items):
    """Run the slowest files first; the rest keep their order."""
    tests = Path(__file__).parent
    missing = [name for name in SLOWEST_FILES if not (tests / name).is_file()]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py SLOWEST_FILES names no file: {missing}")
    rank = {str(tests / name): index for index, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(str(item.path), len(rank)))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    """Before pytest deletes the earlier runs' temporary folders (seconds of unlinks, after the
    last test), move them aside for a background `rm` (stale_temp.py). Once a run: not in the
    xdist workers, whose folders are inside the run's own, and not with --basetemp."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    basetemp = getattr(factory, "_basetemp", None)
    if os.environ.get("PYTEST_XDIST_WORKER") or basetemp is None or session.config.option.basetemp:
        return
    if session.config.getini("tmp_path_retention_policy") == "none":
        return
    from stale_temp import delete_in_background

    delete_in_background(basetemp.parent, int(session.config.getini("tmp_path_retention_count")))


# 2026-01-01: the build dates, and the as-of date of every classification, of the session registry.
EPOCH = "1767225600"


@pytest.fixture(scope="session")
def built_registry(tmp_path_factory) -> Path:
    """One registry.db made by the real build from build_fixtures.registry_corpus(), shared by the
    Datasette, site and export tests. Read it; copy it before changing anything."""
    from build_fixtures import registry_corpus, write_corpus

    from registry.build.pipeline import build

    folder = tmp_path_factory.mktemp("registry")
    write_corpus(folder / "entries", registry_corpus())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(folder / "entries", folder / "registry.db", cache_dir=None, progress=False)
    return folder / "registry.db"


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """The folder `name` in the temporary folder every pytest-xdist worker of this run shares,
    made by `make(folder)` once a run: by the first worker that needs it, under a file lock (the
    others wait for it). A folder whose `make` failed is made again by the next one."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # pytest-N/, the parent of each worker's popen-gwN/
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def project_catalog(tmp_path_factory) -> Path:
    """The registry built by `commons build --no-imports --no-cache` from the project's curated
    entries (the real catalog, without the records imported from other catalogs): built once a
    run (shared_once). Read it; copy it before changing anything."""
    from click.testing import CliRunner

    from registry.commands.cli import cli

    def make(folder: Path) -> None:
        entries = Path(__file__).resolve().parent.parent / "entries"
        args = ["build", "--entries", str(entries), "--no-imports", "--no-cache"]
        result = CliRunner().invoke(cli, [*args, "--out", str(folder / "registry.db")])
        assert result.exit_code == 0, result.output

    return shared_once(tmp_path_factory, "project-catalog", make) / "registry.db"


@pytest.fixture(scope="session")
def released_repository(tmp_path_factory) -> Path:
    """governance_repo.released_repo: a repository after a governance release, with its registry
    and site built, made once a run (shared_once) for the governance browser and Datasette tests.
    Read it; copy it before changing anything."""
    from governance_repo import released_repo

    def make(folder: Path) -> None:
        released_repo(folder / "repo", Path(__file__).resolve().parent.parent / "site")

    return shared_once(tmp_path_factory, "released-repository", make) / "repo"


@pytest.fixture(scope="session")
def built(tmp_path_factory, built_registry):
    """The site built from the session registry: (site, build folder, database), made once a run
    (shared_once; the build is reproducible, so every worker's session registry gives these
    bytes). Read it; copy it before changing anything."""
    from site_helpers import build

    def make(tmp: Path) -> None:
        exports = tmp / "exports"
        exports.mkdir()
        (exports / "catalog.csv").write_text("id,name\nalpha-archives,Alpha Archives\n")
        (exports / "badges").mkdir()
        for index in range(25):
            (exports / "badges" / f"entry-{index:02d}.svg").write_text("<svg></svg>")
        result = build(tmp, built_registry, exports=exports)
        assert result.exit_code == 0, result.output

    tmp = shared_once(tmp_path_factory, "site", make)
    return tmp / "site", tmp / "site-src", built_registry


@pytest.fixture(scope="session")
def served_files(tmp_path_factory, built_registry) -> tuple[Path, Path]:
    """(site, exports) for `commons serve`, built from the session registry by the real
    `commons export` and `commons site` (served.build_served_files), made once a run
    (shared_once). Read them; copy them before changing anything."""
    from served import build_served_files

    def make(folder: Path) -> None:
        build_served_files(folder, built_registry)

    folder = shared_once(tmp_path_factory, "served-files", make)
    return folder / "site", folder / "exports"


@pytest.fixture(scope="session")
def registry_db(built_registry) -> Path:
    """The session registry, as the Datasette tests call it."""
    return built_registry


@pytest_asyncio.fixture
async def ds(registry_db):
    """Datasette as `commons serve` configures it, serving the session registry."""
    from project_datasette import project_datasette

    return await project_datasette(registry_db)
