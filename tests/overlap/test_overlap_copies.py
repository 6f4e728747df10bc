"""An imported record whose name says its data is a curated entry's content (another upload of
"rus-Wikipedia-Dataset-1K") passes its match on to that curated entry (registry/overlap/
copies.py): the source is named in the top three with its licence, through the copy, and what
is passed on stays below "high". The catalog is the curated entries plus real imported OTDI
records (imports/otdi/, CDLA-Permissive-2.0); the offer is a real card of the spent held-out-7
file (tests/eval/overlap/, README.md there). Fails without copies.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_db import built_with_imports
from eval_scripts import load_script

from registry.overlap.check import check
from registry.overlap.evidence import DECLARED_CAP
from registry.overlap.index import open_index

ROOT = Path(__file__).resolve().parents[2]
# Another upload of the same card, and the same uploaders' other Wikipedia records.
SLICE = [
    "hambobo14-rus-wikipedia-dataset-1k",
    "hambobo14maker-rus-wikipedia-dataset-1k",
    "hambobo14maker-ru-fs-wikipedia-dataset",
    "ravinaik-wikipedia-kn",
]
CASE = "hf-hambobo14maker-rus-wikipedia-dataset-1k"  # same-data, expects "wikipedia"
OWN_LISTING = "hambobo14maker-rus-wikipedia-dataset-1k"

eval_overlap = load_script("eval_overlap")


@pytest.fixture(scope="module")
def with_copies(tmp_path_factory) -> Path:
    return built_with_imports(tmp_path_factory.mktemp("with-copies"), SLICE)


def test_another_upload_names_its_curated_source_in_the_top_three(with_copies):
    # held-out-7 hf-hambobo14maker-rus-wikipedia-dataset-1k: "Мини-датасет из 1000 статей
    # русской Википедии"; the catalog holds another upload, "rus-Wikipedia-Dataset-1K"
    case = next(c for c in eval_overlap.load_cases("held-out-7") if c["id"] == CASE)
    result = check(open_index(with_copies), case["offer"], exclude=frozenset({OWN_LISTING}))
    top = result["matches"][:3]
    copy_score = next(
        m["score"] for m in result["matches"] if m["id"] == "hambobo14-rus-wikipedia-dataset-1k"
    )
    wikipedia = next(m for m in top if m["id"] == "wikipedia")
    via = wikipedia["components"]["lineage"]["via"]
    assert via and via[0]["id"] == "hambobo14-rus-wikipedia-dataset-1k"
    assert wikipedia["score"] >= min(copy_score, DECLARED_CAP)
    assert wikipedia["licenses"], "the source is named with its licence"
    assert any("hambobo14-rus-wikipedia-dataset-1k" in why for why in wikipedia["why"])


def test_the_source_ranks_before_its_copy_and_below_high_on_its_word(with_copies):
    case = next(c for c in eval_overlap.load_cases("held-out-7") if c["id"] == CASE)
    matches = check(open_index(with_copies), case["offer"], exclude=frozenset({OWN_LISTING}))[
        "matches"
    ]
    ids = [m["id"] for m in matches]
    assert ids.index("wikipedia") < ids.index("hambobo14-rus-wikipedia-dataset-1k")
    wikipedia = matches[ids.index("wikipedia")]
    assert 0 < wikipedia["components"]["lineage"]["score"] <= DECLARED_CAP
