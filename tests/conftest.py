import sys
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

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


@pytest.fixture(scope="session")
def built(tmp_path_factory, built_registry):
    """The site built once from the session registry: (site, build folder, database)."""
    from site_helpers import build

    tmp = tmp_path_factory.mktemp("site")
    db = built_registry
    exports = tmp / "exports"
    exports.mkdir()
    (exports / "catalog.csv").write_text("id,name\nalpha-archives,Alpha Archives\n")
    (exports / "badges").mkdir()
    for index in range(25):
        (exports / "badges" / f"entry-{index:02d}.svg").write_text("<svg></svg>")
    result = build(tmp, db, exports=exports)
    assert result.exit_code == 0, result.output
    return tmp / "site", tmp / "site-src", db


@pytest.fixture(scope="session")
def registry_db(built_registry) -> Path:
    """The session registry, as the Datasette tests call it."""
    return built_registry


@pytest_asyncio.fixture
async def ds(registry_db):
    """Datasette as `commons serve` configures it, serving the session registry."""
    from project_datasette import project_datasette

    return await project_datasette(registry_db)
