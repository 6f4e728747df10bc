"""Check that every real-description case quotes its source: excerpts only, no words added.

The sources are the snapshots named in tests/eval/overlap/README.md: the OTDI static catalog
(description excerpts of Hugging Face dataset cards), the Common Pile dataset cards copied in
danish-foundation-models/site, the Danish Dynaword datasheets, and the Common Pile source
READMEs of r-three/common-pile (second set; their code spans and blocks are not quoted), and the
`huggingface/datasets` repository's dataset cards (ninth set), kept in this repository as
tests/eval/overlap/sources/hf-datasets-cards/cards.jsonl (read as prose: front matter and code
dropped, links kept as their words), and the dataset descriptions of TensorFlow Datasets 4.9.10
(tenth set), kept as tests/eval/overlap/sources/tfds-descriptions/descriptions.jsonl (read as
prose likewise), and the task READMEs of the LM Evaluation Harness 0.4.13 (eleventh set), kept as
tests/eval/overlap/sources/lm-eval-task-readmes/readmes.jsonl (read as prose likewise), with the
same set's SEACrowd descriptions and TorchGeo docstrings kept beside them (a docstring read with
its reStructuredText links as their words). A case's
text may leave words out (marked " […] " between kept parts, " …" where the source itself stops)
but every kept part must appear in the source, after whitespace is collapsed and invisible
characters (zero-width, bidi controls, which the strict YAML reader refuses) are removed.

Usage: python scripts/check_overlap_excerpts.py --sources /path/to/sources
(folders otdi-catalog/, common-pile/danish-foundation-models-site/,
common-pile/r-three-common-pile/ and danish-dynaword/danish-foundation-models-datasheets/,
with the snapshots' original paths).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from pathlib import Path

from draw_overlap_cases import MARKDOWN_NOISE
from overlap_cases import FOLDER, SOURCED, read_split

HF = "https://huggingface.co/datasets/"
DFM = "https://github.com/danish-foundation-models/"
README_REPO = "https://github.com/r-three/common-pile/blob/"
CARD_REPOS = {
    DFM + "site/blob/": "common-pile/danish-foundation-models-site",
    DFM + "datasheets/blob/": "danish-dynaword/danish-foundation-models-datasheets",
    README_REPO: "common-pile/r-three-common-pile",
}
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
ELISION = " […] "
HF_CARDS = FOLDER / "sources" / "hf-datasets-cards" / "cards.jsonl"
TFDS_DESCRIPTIONS = FOLDER / "sources" / "tfds-descriptions" / "descriptions.jsonl"
LM_EVAL_READMES = FOLDER / "sources" / "lm-eval-task-readmes" / "readmes.jsonl"
SEACROWD = FOLDER / "sources" / "seacrowd-descriptions" / "descriptions.jsonl"
TORCHGEO = FOLDER / "sources" / "torchgeo-docstrings" / "docstrings.jsonl"
RST_LINK = re.compile(r"`([^`<]+?)\s*<[^>`]*>`_{1,2}")
RST_ROLE = re.compile(r":[a-z]+:`([^`]*)`")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", INVISIBLE.sub("", text)).strip()


def otdi_descriptions(folder: Path) -> dict[str, str]:
    """Dataset URL -> description, from every catalog file of the OTDI snapshot."""
    found = {}
    for path in sorted((folder / "docs/files/data/catalog").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        for row in json.loads(text[text.index("[") :].rstrip().rstrip(";")):
            found.setdefault(row["url"], row.get("description") or "")
    return found


@functools.cache
def snapshot_prose(path: Path, address_key: str) -> dict[str, str]:
    """Address -> the card's prose (front matter and Markdown noise dropped), from a snapshot of
    cards kept beside the cases, one JSON record a line (sources/*/PROVENANCE.md)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        body = FRONT_MATTER.sub("", record["card"])
        if path == TORCHGEO:  # reStructuredText: a link and a role read as their words
            body = RST_ROLE.sub(r"\1", RST_LINK.sub(r"\1", body))
        found[record[address_key]] = MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", body)
    return found


def source_text(case: dict, sources: Path, otdi: dict[str, str]) -> str | None:
    url = case["source"]
    if case.get("via") == "hf-datasets-cards":
        return snapshot_prose(HF_CARDS, "hub_address").get(url)
    if case.get("via") == "tfds-descriptions":
        return snapshot_prose(TFDS_DESCRIPTIONS, "catalog_address").get(url)
    if case.get("via") == "lm-eval-task-readmes":
        return snapshot_prose(LM_EVAL_READMES, "address").get(url)
    if case.get("via") == "seacrowd-descriptions":
        return snapshot_prose(SEACROWD, "address").get(url)
    if case.get("via") == "torchgeo-docstrings":
        return snapshot_prose(TORCHGEO, "address").get(url)
    if url.startswith(HF):
        return otdi.get(url)
    for prefix, folder in CARD_REPOS.items():
        if url.startswith(prefix):
            path = sources / folder / url[len(prefix) :].split("/", 1)[1]
            if path.is_file():
                card = path.read_text(encoding="utf-8")
                if prefix == README_REPO:  # the second set quotes READMEs without their code
                    return MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", card)
                return re.sub(r"<!--.*?-->", " ", card, flags=re.S)
    return None


def problems(sources: Path, cases_by_split: dict[str, list[dict]]) -> list[str]:
    """One line per case part that is not in its source (or whose source is missing)."""
    otdi = otdi_descriptions(sources / "otdi-catalog")
    found = []
    for split, cases in cases_by_split.items():
        for case in cases:
            source = source_text(case, sources, otdi)
            if source is None:
                found.append(f"{split}: {case['id']}: source not found under {sources}")
                continue
            source = normalise(source)
            for part in case["text"].split(ELISION):
                part = part.removesuffix(" …").strip()
                if normalise(part) not in source:
                    found.append(f"{split}: {case['id']}: not in the source: {part[:80]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder of the snapshots")
    args = parser.parse_args(argv)
    found = problems(args.sources, {split: read_split(split) for split in SOURCED})
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{'FAIL' if found else 'ok'}: {len(found)} case(s) not quoted from their source")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
