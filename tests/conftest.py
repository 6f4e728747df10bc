import sys
from pathlib import Path

import pytest

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
