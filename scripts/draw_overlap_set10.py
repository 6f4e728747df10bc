"""Draw the tenth set of overlap evaluation cases (tests/eval/overlap/README.md, "Tenth set").

A new source, because the earlier sources are drawn out of positives: the dataset descriptions of
TensorFlow Datasets (TFDS, Apache-2.0) as its release TFDS_VERSION ships them on PyPI (the wheel
named WHEEL, sha256 WHEEL_SHA256). A TFDS dataset's description is either its folder's README.md
(`tensorflow_datasets/datasets/<name>/README.md`) or, in the older layout, the `_DESCRIPTION`
string of its builder module; the catalog at https://www.tensorflow.org/datasets/catalog/ shows it.
Rules, fixed before any description was read:
- a case's text is the description as prose (links kept as their words, code dropped, whitespace
  collapsed, cut at a sentence end near 900 characters, as in the earlier sets); a description of
  fewer than MIN_CHARACTERS characters is skipped;
- positive pool: the descriptions that name a source the curated catalog lists
  (`COMMONS_SOURCE_NAMES`, the earlier sets' list), ordered by sha256("<salt>:<address>");
- plain draw: the other eligible descriptions in the same order;
- a description is skipped when an earlier set quotes it: its text shares an opening of 80
  characters with an earlier case's text, or an OTDI record that lists it (`listed_as`, below) is
  an earlier case's source; and when a description drawn before has the same text.
A case's `source` is the dataset's TFDS catalog address, CATALOG + <name>. `listed_as` names the
OTDI addresses whose description holds the opening of the case's text (the same description copied
into a Hugging Face card), so that the evaluation leaves the case's own listing out.

Usage: python scripts/draw_overlap_set10.py --wheel FOLDER --otdi OTDI_FOLDER --out POOL.json
       [--snapshot tests/eval/overlap/sources/tfds-descriptions/descriptions.jsonl]
(FOLDER holds the unpacked wheel; the snapshot keeps every drawn description whole, with its path
in the wheel and the sha256 of that file, so that the quotes can be checked offline).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_overlap_cases import MARKDOWN_NOISE, all_otdi_cards, order, tidy, used_cases  # noqa: E402
from draw_overlap_set3 import COMMONS_SOURCE_NAMES  # noqa: E402
from draw_overlap_set9 import flat, share_an_opening  # noqa: E402
from overlap_cases import SETS  # noqa: E402

TFDS_VERSION = "4.9.10"
WHEEL = "tensorflow_datasets-4.9.10-py3-none-any.whl"
WHEEL_SHA256 = "7ec065f0a628e28152b487ba9cbe72fa36d3854705d9f3abd04c6cf5d7a91527"
CATALOG = "https://www.tensorflow.org/datasets/catalog/"
VIA = "tfds-descriptions"
MIN_CHARACTERS = 200
OPENING = 100
# Both pools are drawn whole (every description their rules allow), the positive pool first.
STAGES = (("positive-pool", None), ("plain-draw", None))
EARLIER_SETS = ("1", "2", "3", "4", "5", "6", "7", "8", "9")
RULES = {"positive-pool": lambda card: card["pool"], "plain-draw": lambda card: True}
BUILDER_BASE = re.compile(r"Builder$")


def snake_case(name: str) -> str:
    """A builder class's dataset name as TFDS derives it (`ImagenetResized`: `imagenet_resized`)."""
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def module_description(source: str) -> tuple[str, str] | None:
    """The dataset name and `_DESCRIPTION` string of an older-layout builder module, if any."""
    tree = ast.parse(source)
    description = name = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_DESCRIPTION" for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            description = value if isinstance(value, str) else description
        if isinstance(node, ast.ClassDef) and name is None:
            bases = [getattr(b, "attr", getattr(b, "id", "")) for b in node.bases]
            if any(BUILDER_BASE.search(base) for base in bases):
                name = snake_case(node.name)
                for item in node.body:
                    if isinstance(item, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "name" for t in item.targets
                    ):
                        if isinstance(item.value, ast.Constant) and isinstance(
                            item.value.value, str
                        ):
                            name = item.value.value
    return (name, description) if name and description else None


def read_descriptions(wheel: Path) -> dict[str, dict]:
    """Dataset name -> its description and where it was read; a README wins over a module."""
    found: dict[str, dict] = {}
    package = wheel / "tensorflow_datasets"
    for path in sorted((package / "datasets").glob("*/README.md")):
        found[path.parent.name] = {"path": path, "card": path.read_text(encoding="utf-8")}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).parts
        if relative[0] in ("datasets", "core", "testing", "scripts") or path.stem.endswith("_test"):
            continue
        parsed = module_description(path.read_text(encoding="utf-8"))
        if parsed and parsed[0] not in found:
            found[parsed[0]] = {"path": path, "card": parsed[1]}
    return found


def text_of(card: str) -> str:
    """A case's text: the description's prose, tidied as in the earlier sets."""
    return tidy(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", card))


def listed_as(text: str, otdi: dict[str, str]) -> list[str]:
    """OTDI addresses whose description holds the opening of this text (the description copied)."""
    opening = flat(text)[:OPENING]
    if len(opening) < 40:
        return []
    return sorted(
        url
        for url, description in otdi.items()
        if opening in flat(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", description))
    )


def quoted_before(text: str, earlier: list[dict]) -> list[str]:
    """Earlier cases whose text and this one share an opening of 80 characters."""
    return [c["id"] for c in earlier if share_an_opening(text, c.get("text"))]


def eligible_cards(descriptions, otdi, earlier) -> dict[str, dict]:
    used_sources = {c.get("source") for c in earlier}
    seen_texts: set[str] = set()
    eligible = {}
    for name, found in sorted(descriptions.items()):
        text, address = text_of(found["card"]), CATALOG + name
        if len(text) < MIN_CHARACTERS or address in used_sources or text in seen_texts:
            continue
        listings = listed_as(text, otdi)
        if used_sources & set(listings) or quoted_before(text, earlier):
            continue
        seen_texts.add(text)
        case_id = "tfds-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))
        eligible[address] = {"id": case_id, "source": address, "via": VIA, "text": text}
        pool = bool(COMMONS_SOURCE_NAMES.search(text))
        eligible[address] |= {"listed_as": listings, "pool": pool}
    return eligible


def draw(descriptions, otdi, earlier, salt: str) -> list[dict]:
    """The descriptions of each stage in turn, in the salt's order, that fit its rule."""
    return drawn_in_stages(eligible_cards(descriptions, otdi, earlier), salt)


def drawn_in_stages(eligible: dict[str, dict], salt: str) -> list[dict]:
    """The eligible cards of each stage of STAGES in turn, in the salt's order, that fit its rule
    and no earlier stage took (the `pool` mark is dropped, `drawn_by` names the stage)."""
    taken: list[dict] = []
    for rule, count in STAGES:
        chosen = [
            address
            for address in sorted(eligible, key=lambda a: order(a, salt))
            if address not in {c["source"] for c in taken} and RULES[rule](eligible[address])
        ][:count]
        taken += [
            {k: v for k, v in eligible[a].items() if k != "pool"} | {"drawn_by": rule}
            for a in chosen
        ]
    return taken


def snapshot_lines(drawn: list[dict], descriptions: dict, wheel: Path) -> list[str]:
    """One JSON line per drawn description: where it was read in the wheel and its whole text."""
    lines = []
    for case in drawn:
        name = case["source"].removeprefix(CATALOG)
        path = descriptions[name]["path"]
        record = {"name": name, "catalog_address": case["source"], "package": "tensorflow-datasets"}
        record |= {"version": TFDS_VERSION, "wheel": WHEEL, "wheel_sha256": WHEEL_SHA256}
        record |= {"path": str(path.relative_to(wheel))}
        record |= {"file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        record |= {"layout": "readme" if path.name == "README.md" else "module-description"}
        lines.append(json.dumps(record | {"card": descriptions[name]["card"]}, ensure_ascii=False))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="the unpacked TFDS wheel")
    parser.add_argument("--otdi", type=Path, required=True, help="the OTDI snapshot's folder")
    parser.add_argument("--out", type=Path, required=True, help="the drawn pool, as JSON")
    parser.add_argument("--snapshot", type=Path, help="also write the drawn descriptions (JSONL)")
    args = parser.parse_args(argv)
    descriptions = read_descriptions(args.wheel)
    earlier = used_cases(EARLIER_SETS)
    drawn = draw(descriptions, all_otdi_cards(args.otdi), earlier, SETS["10"][0])
    args.out.write_text(json.dumps(drawn, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.snapshot:
        lines = snapshot_lines(drawn, descriptions, args.wheel)
        args.snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
