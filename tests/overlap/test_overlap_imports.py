"""The check on a catalog with imported records: uploader-written cards must not turn a shared
template or a generic repository name into "high overlap".

The catalog here is the curated entries plus a slice of real imported OTDI records (files of
`imports/otdi/`, CDLA-Permissive-2.0, card excerpts quoted from Hugging Face): the Kratos-AI
customer-support audio cards (one template, different recordings), cards named "Dataset" and
"dataset_218", and the Norwegian Parliamentary Speech Corpus cards.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from catalog_db import built_with_imports
from eval_scripts import load_script

from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.offer import offer_from_text

ROOT = Path(__file__).resolve().parents[2]
SLICE = [
    "kratos-ai-airline-customersupport-englishaudio",
    "kratos-ai-banking-customersupport-english-audio",
    "kratos-ai-e-commerce-customersupport-english-audio",
    "kratos-ai-banking-customersupport-hinglish-audio",
    "dfrevytus-dataset",
    "arrmlet-dataset-218",
    "nbailab-npsc",
    "nbailab-npsc-orto",
]
AIRLINE = "hf-kratos-ai-airline-customersupport-englishaudio"  # a case of tuning.yaml


eval_overlap = load_script("eval_overlap")


@pytest.fixture(scope="module")
def with_imports(tmp_path_factory) -> Path:
    """Curated entries plus the slice of real imported records, built the way `commons build`
    reads a checkout (imports/<source>/ beside entries/)."""
    return built_with_imports(tmp_path_factory.mktemp("with-imports"), SLICE)


def _case(case_id: str) -> dict:
    return next(c for c in eval_overlap.load_cases("tuning") if c["id"] == case_id)


def test_curated_entries_score_as_without_the_imports(with_imports, project_catalog):
    """Imported cards do not change how rare a word is for the curated entries."""
    mixed, curated = open_index(with_imports), open_index(project_catalog)
    assert len(mixed.entries) == len(curated.entries) + len(SLICE)
    text = _case(AIRLINE)["offer"].text + " Stack Overflow questions, Norwegian parliament"
    rows = [mixed.position[e.id] for e in curated.entries]
    assert np.allclose(mixed.text.query(text)[rows], curated.text.query(text), atol=1e-6)


def test_generic_upload_names_name_no_dataset(with_imports):
    index = open_index(with_imports)
    named = index.names.named_in("A dataset of our own store receipts (dataset_218 format)")
    assert "dfrevytus-dataset" not in named and "arrmlet-dataset-218" not in named
    assert "dolma" in index.names.named_in("a slice of Dolma, refined")


def test_a_card_template_alone_gives_at_most_medium_and_says_why(with_imports):
    """Kratos-AI's cards share one template; a seller's other recording is not their data."""
    case = _case(AIRLINE)
    own = frozenset({"kratos-ai-airline-customersupport-englishaudio"})
    result = check(open_index(with_imports), case["offer"], exclude=own)
    siblings = [m for m in result["matches"] if m["id"].startswith("kratos-ai-")]
    assert siblings and not own & {m["id"] for m in result["matches"]}
    assert all(m["level"] != "high" and m["components"]["declared_only"] for m in siblings)
    assert result["verdict"]["level"] != "high", result["verdict"]


def test_an_imported_card_copied_word_for_word_is_still_not_high(with_imports):
    """Even its own card, word for word, is only the uploader's words: medium at most."""
    result = check(open_index(with_imports), _case(AIRLINE)["offer"])
    top = result["matches"][0]
    assert top["id"] == "kratos-ai-airline-customersupport-englishaudio"
    assert top["components"]["declared_only"] is True
    assert result["verdict"]["level"] == "medium"
    assert "not checked by the registry" in result["verdict"]["sentence"]


def test_curated_evidence_still_says_high_beside_imports(with_imports):
    offer = offer_from_text("Ten years of Stack Overflow questions and answers")
    result = check(open_index(with_imports), offer)
    assert result["verdict"]["level"] == "high"
    assert result["matches"][0]["id"] == "stack-exchange-data-dump"


def test_evaluation_leaves_out_the_cases_own_listing(with_imports, tmp_path):
    case_file = tmp_path / "cases.yaml"
    lines = (ROOT / "tests/eval/overlap/tuning.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {AIRLINE}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id:"))
    case_file.write_text("cases:\n" + "\n".join(lines[start:end]) + "\n", encoding="utf-8")
    report = eval_overlap.evaluate(with_imports, cases_path=case_file)
    assert report["own_listings_left_out"] == 1
    tops = [entry_id for entry_id, _ in report["rows"][0]["top"]]
    assert "kratos-ai-airline-customersupport-englishaudio" not in tops
    assert tops and report["false_high_rate"] == 0.0


def test_watched_figures_hold_beside_imported_records(with_imports):
    """The watched regression figures (test_overlap_eval.py) on the catalog with imports."""
    report = eval_overlap.evaluate(with_imports, "watched")
    assert report["recall_at_3"] >= 0.9
    assert report["false_high_rate"] <= 0.10
    assert report["high_precision"] is not None and report["high_precision"] >= 0.9


NPSC = "hf-nbailab-npsc"  # an unrelated case of tuning.yaml: no curated entry holds the corpus


def test_a_judged_related_import_is_not_a_false_medium(with_imports, tmp_path):
    """The labels name curated entries only; the NPSC card's top match here is the imported
    orthographic NPSC record. Counted by the labels it is a false "medium"; judged after scoring
    (overlap_judged.py) it is a related top match, and the rate by the labels stays beside it."""
    judged_module = load_script("overlap_judged")
    report = eval_overlap.evaluate(with_imports, "tuning")
    row = next(r for r in report["rows"] if r["id"] == NPSC)
    assert row["top"][0][0] == "nbailab-npsc-orto" and row["verdict"] in ("medium", "high")
    cases = {c["id"]: c for c in eval_overlap.load_cases("tuning")}
    items = judged_module.sheet_items(
        report["rows"], cases, judged_module.imported_records(with_imports)
    )
    assert [(i["case"], i["match"]["id"]) for i in items] == [(NPSC, "nbailab-npsc-orto")]
    sheet = judged_module.render_sheet("tuning", items)
    assert "Norwegian Parliament Speech Corpus" in sheet
    assert row["verdict"] not in sheet.lower() and "score" not in sheet.lower()

    judged = tmp_path / "judged.yaml"
    judged.write_text(
        "judgements:\n"
        f"  - case: {NPSC}\n    match: nbailab-npsc-orto\n    judgement: same-data\n"
        '    why: "both the Norwegian Parliament Speech Corpus"\n',
        encoding="utf-8",
    )
    rejudged = eval_overlap.evaluate(with_imports, "tuning", judged_file=judged)
    assert rejudged["false_medium_judged_related"] == 1
    assert rejudged["false_medium_rate_by_labels"] == report["false_medium_rate"]
    negatives = sum(1 for r in report["rows"] if r["negative"])
    assert round(report["false_medium_rate"] - 1 / negatives, 3) == rejudged["false_medium_rate"]
    assert rejudged["false_high_rate"] == report["false_high_rate"]
