"""Importers on real files as their publishers wrote them (tests/fixtures/import/real/SOURCE.md).

A DCAT-US `data.json` lists many datasets without `@type`; a Hugging Face card carries a
front matter over 64 KiB and hidden characters in sample text. Each must import, and
what is only a guess must come out marked `# CHECK:`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.errors import EntryErrors
from registry.entry.loader import load
from registry.importers.file import detect_format, import_drafts
from registry.importers.front_matter import blocks

REAL = Path(__file__).parent / "fixtures" / "import" / "real"
CFTC = REAL / "cftc-data.json"
OSCAR = REAL / "oscar-README.md"


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def test_dcat_us_catalog_is_detected_and_lists_its_datasets_when_none_is_chosen(tmp_path):
    assert detect_format(str(CFTC), CFTC.read_bytes()) == "dcat-us"
    result = run(str(CFTC), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "cftc-data.json:1:1: this DCAT-US catalog lists 7 datasets" in result.stderr
    assert "cftc-dc3 (Cotton On Call)" in result.stderr and "--dataset" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dcat_us_one_chosen_dataset(tmp_path):
    result = run(str(CFTC), "--out", str(tmp_path), "--dataset", "cftc-dc3")
    assert result.exit_code == 0, result.output
    (draft,) = tmp_path.iterdir()
    text = draft.read_text(encoding="utf-8")
    assert draft.name == "cotton-on-call.yaml"
    assert "name: Cotton On Call" in text
    assert "name: U.S. Commodity Futures Trading Commission" in text
    assert "- https://www.cftc.gov/MarketReports/CottonOnCall/index.htm" in text
    # The catalog names no licence: a person must read it, never a guess.
    assert re.search(r"# CHECK: SPDX id of the licence.*\n\s+- expression:\n", text)
    # Chosen by title works too, and an unknown choice is a clear error.
    by_title = import_drafts(str(CFTC), CFTC.read_bytes(), dataset="Weekly Swaps Report")
    assert [d.id for d in by_title] == ["weekly-swaps-report"]
    with pytest.raises(EntryErrors, match="no dataset with identifier or title 'nope'"):
        import_drafts(str(CFTC), CFTC.read_bytes(), dataset="nope")


def test_dcat_us_all_datasets(tmp_path):
    result = run(str(CFTC), "--out", str(tmp_path), "--dataset", "*")
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.yaml"))) == 7
    # Every draft still fails validation until a person fills its CHECK fields.
    with pytest.raises(EntryErrors):
        load([tmp_path])


def test_hf_card_with_front_matter_over_64_kib_and_hidden_characters_in_its_body(tmp_path):
    text = OSCAR.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    assert len(front.encode("utf-8")) > 64 * 1024
    assert re.search("[\u200c-\u200f]", text.split("\n---\n", 1)[1])
    result = run(str(OSCAR), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert re.search(
        r"hidden characters .* skipped \(not imported\), on 12 line\(s\)", result.stderr
    )
    draft = (tmp_path / "oscar.yaml").read_text(encoding="utf-8")
    assert "modality: text" in draft
    assert "homepage: https://oscar-corpus.com" in draft
    # The template's `[More Information Needed](...CONTRIBUTING.md...)` is no access URL.
    assert "CONTRIBUTING.md" not in draft
    # Size from dataset_info, read item by item: the largest config's examples.
    assert re.search(r"size:\n  value: \d{6,}\n  unit: records", draft)
    # Unused keys are listed, not read.
    assert "not mapped" in result.stderr and "configs" in result.stderr


def test_hf_card_first_sentence_with_markdown_is_only_a_suggested_summary(tmp_path):
    assert run(str(OSCAR), "--out", str(tmp_path)).exit_code == 0
    draft = (tmp_path / "oscar.yaml").read_text(encoding="utf-8")
    assert re.search(r"# CHECK: one plain-text sentence .*suggested: OSCAR or \*\*O\*\*pen", draft)
    assert re.search(r"\nsummary:\n", draft)


def test_front_matter_blocks_follow_top_level_keys():
    front = OSCAR.read_text(encoding="utf-8").split("\n---\n", 1)[0].split("\n", 1)[1]
    keys = [key for key, _, _ in blocks(front)]
    assert keys[:2] == ["pretty_name", "annotations_creators"]
    assert "dataset_info" in keys and len(keys) == len(set(keys))


POD_V1_0 = REAL / "pod-v1.0-catalog-sample.json"
ARM = REAL / "arm-data.json"


def test_dcat_us_v1_0_catalog_as_a_top_level_array(tmp_path):
    """Project Open Data v1.0: the catalog is the array of datasets itself."""
    assert detect_format(str(POD_V1_0), POD_V1_0.read_bytes()) == "dcat-us"
    result = run(str(POD_V1_0), "--out", str(tmp_path))
    assert result.exit_code == 1 and list(tmp_path.iterdir()) == []
    assert "pod-v1.0-catalog-sample.json:1:1: this DCAT-US catalog lists 3 datasets" in (
        result.stderr
    )
    assert "gov-doe-nces-1121 (Public Elementary/Secondary Listing)" in result.stderr
    result = run(str(POD_V1_0), "--out", str(tmp_path), "--dataset", "gov-doe-nces-1121")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "public-elementary-secondary-listing.yaml").read_text(encoding="utf-8")
    # v1.0 terms: the publisher is a plain name; accessURL and webService sit on the dataset.
    assert "  name: US Department of Education\n" in text
    assert (
        "  urls:\n"
        "    - https://data.example_agency.gov/views/ykv5-fn9t/rows.csv?accessType=DOWNLOAD\n"
        "    - http://data.example_agency.gov/api/views/ykv5-fn9t/rows.json\n"
    ) in text
    # "Public Domain" is free text, not a licence id: a person must choose, never a guess.
    assert "# CHECK: SPDX id of the licence (licence 'Public Domain' is not an SPDX id" in text
    every = import_drafts(str(POD_V1_0), POD_V1_0.read_bytes(), dataset="*")
    assert [d.id for d in every] == [
        "data-catalog",
        "public-elementary-secondary-listing",
        "public-elementary-secondary-other-listing",
    ]
    other = every[2].values["access"]["urls"]
    assert len(other) == 4 and other[-1].endswith("/api/views/ykv5-fn9s/rows.json")


def test_dcat_us_catalog_naming_its_schema_at_resources_data_gov_with_typed_datasets(tmp_path):
    """ARM's data.json: typed datasets and a resources.data.gov schema were 'cannot tell the
    format'."""
    assert detect_format(str(ARM), ARM.read_bytes()) == "dcat-us"
    result = run(str(ARM), "--out", str(tmp_path), "--dataset", "avhrr12")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "avhrr-albedo-and-brightness-temp-noaa-12-satellite.yaml").read_text()
    assert "  name: Atmospheric Radiation Measurement Data Center\n" in text
    assert "- http://www.archive.arm.gov/discovery/#v/results/s/s::avhrr12\n" in text
    assert "url: https://project-open-data.cio.gov/unknown-license" in text
    assert "# CHECK: SPDX id of the licence" in text


def test_a_top_level_array_that_is_no_catalog_is_a_clear_error(tmp_path):
    for name, text in (("list.json", '[{"title": "x", "id": 1}]'), ("empty.json", "[]")):
        path = tmp_path / name
        path.write_text(text)
        result = run(str(path), "--out", str(tmp_path / "out"))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"{name}:1:1: a JSON array at the top level is read only as a DCAT-US v1.0" in (
            result.stderr
        )
        assert not (tmp_path / "out").exists()


SQUAD = REAL / "squad-v2-croissant.json"
PASS = REAL / "pass-croissant.json"
GDP_2013 = REAL / "gdp-datapackage-2013.json"


def draft_text(path: Path, tmp_path: Path) -> tuple[str, str]:
    """The draft `commons import` writes for a real file, and what it says on stderr."""
    result = run(str(path), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    (draft,) = tmp_path.glob("*.yaml")
    return draft.read_text(encoding="utf-8"), result.stderr


def test_hugging_face_croissant_licence_url_person_creator_and_parquet(tmp_path):
    """Hugging Face's Croissant: a choosealicense.com licence URL is read; a Person creator and
    the Parquet format are only suggestions; the card's headings stay out of the summary."""
    text, _ = draft_text(SQUAD, tmp_path)
    assert "  - expression: CC-BY-SA-4.0\n" in text
    assert "    url: https://choosealicense.com/licenses/cc-by-sa-4.0/\n" in text
    assert re.search(
        r"# CHECK: the publishing organisation .*first creator is a person.*suggested: "
        r"Pranav R\n  name:\n",
        text,
    )
    assert re.search(r"# CHECK: main kind of content .*suggested: tabular\nmodality:\n", text)
    assert re.search(
        r"# CHECK: one plain-text sentence .*headings, left out of the suggestion: "
        r"'Dataset Card for SQuAD 2.0', 'Dataset Summary'\); suggested: Stanford Question "
        r"Answering Dataset \(SQuAD\) is a reading comprehension dataset, .* or the question "
        r"might be unanswerable\.\nsummary:\n",
        text,
    )


def test_every_access_url_is_kept(tmp_path):
    """PASS lists 11 files; all 11 are access URLs (the importer once kept 10)."""
    text, _ = draft_text(PASS, tmp_path)
    urls = re.findall(r"^    - (https://zenodo\.org/record/6615455/files/\S+)$", text, re.M)
    assert len(urls) == 11 and urls[-1].endswith("PASS.9.tar")


def test_data_package_before_v1_names_its_licence_by_open_definition_id(tmp_path):
    text, _ = draft_text(GDP_2013, tmp_path)
    assert "  - expression: PDDL-1.0\n    scope: all\n" in text
    assert "    url: http://opendatacommons.org/licenses/pddl/\n" in text
    # "e.g." in the second sentence does not matter; the summary is the first one.
    assert "summary: Country, regional and world GDP in current US Dollars ($).\n" in text


def test_summary_goes_past_i_e_and_markdown_is_only_suggested(tmp_path):
    text, _ = draft_text(REAL / "dynaword-ft.md", tmp_path / "ft")
    assert (
        "summary: All records have a transcript produced by commercial Automatic Speech "
        "Recognition (ASR) followed by postediting by linguists employed by Folketinget for "
        "intelligibility, i.e., edit out dysfluencies, restarts, repairs, and mistakes.\n"
    ) in text
    text, _ = draft_text(REAL / "dynaword-spont.md", tmp_path / "spont")
    assert re.search(
        r"# CHECK: one plain-text sentence .*has Markdown or HTML.*suggested: The conversational "
        r"corpus included originates from .*\[Interacting Minds Centre\].*\nsummary:\n",
        text,
    )
