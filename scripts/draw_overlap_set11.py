"""Draw the eleventh set of overlap evaluation cases (tests/eval/overlap/README.md, "Eleventh set").

A new source, because the earlier sources are drawn out of positives: the task READMEs of
EleutherAI's LM Evaluation Harness (MIT) as its release LM_EVAL_VERSION ships them on PyPI (the
wheel named WHEEL, sha256 WHEEL_SHA256), `lm_eval/tasks/<task>/README.md`. Each describes the data
a benchmark or corpus task reads, most of them with the paper's title and abstract.
Rules, fixed before any README was read:
- a case's text is the README's prose before its first heading about the harness rather than the
  data (citation, groups, tags, tasks, checklist, changelog, usage, metrics, variants, notes,
  evaluation, implementation, prompts), headings dropped, links kept as their words, code dropped,
  whitespace collapsed, cut at a sentence end near 900 characters, as in the earlier sets; a
  README whose text has fewer than MIN_CHARACTERS characters is skipped, and so is the tasks
  folder's own README (a list of every task, no dataset);
- positive pool: the READMEs whose text names a source the curated catalog lists
  (`COMMONS_SOURCE_NAMES`, the earlier sets' list), ordered by sha256("<salt>:<address>");
- plain draw: the other eligible READMEs in the same order;
- a README is skipped when an earlier set quotes it: its text shares an opening of 80 characters
  with an earlier case's text, or an OTDI record that holds its opening (`listed_as`) is an
  earlier case's source; and when a README drawn before has the same text.
A case's `source` is the README's address in the harness's repository at the release's tag.

Second source, because the first ran out of same-data cases (3 in its whole draw): the dataloaders
of SEACrowd (Apache-2.0) as its release SEACROWD_VERSION ships them on PyPI (SEACROWD_WHEEL,
sha256 SEACROWD_SHA256), each dataset's `_DESCRIPTION` string in
`seacrowd/sea_datasets/<name>/<name>.py`, many of them Southeast Asian slices of Wikipedia, Common
Voice, LibriVox, Tatoeba and web crawls. Rules, fixed before any of its descriptions was read:
- a case's text is the description as prose, tidied as above (no headings to cut); a description
  of fewer than MIN_CHARACTERS characters is skipped;
- its stage is its positive pool (the descriptions that name a source in `COMMONS_SOURCE_NAMES`),
  drawn whole after the READMEs' stages, in the order of sha256("<salt>:<address>");
- a description is skipped as a README is (an earlier set quotes it, or a card drawn before, a
  README included, has the same text).
Its `source` is the dataloader's folder in SEACrowd's repository, SEACROWD_REPOSITORY + <name>.

Third source, because the two gave 16 same-data cases: the dataset classes of TorchGeo (MIT) as
its release TORCHGEO_VERSION ships them on PyPI (TORCHGEO_WHEEL, sha256 TORCHGEO_SHA256), each
public class's docstring in `torchgeo/datasets/` (helper modules left out), many of them Sentinel
and Landsat imagery. Rules, fixed before any of its docstrings was read:
- a case's text is the docstring's part before its citation request, directives and argument
  list (`If you use`, `.. versionadded::`, `Args:` ...), reStructuredText links kept as their
  words, code dropped, tidied as above; one of fewer than MIN_CHARACTERS characters is skipped;
- its stage is its positive pool (the texts that name a source in `COMMONS_SOURCE_NAMES`), drawn
  whole after SEACrowd's, in the salt's order, skipped as the others are;
- its `source` is the class's place in TorchGeo's API documentation, TORCHGEO_DOCS + <Class>.

Usage: python scripts/draw_overlap_set11.py --wheel FOLDER --seacrowd FOLDER --otdi OTDI_FOLDER
       --out POOL.json [--snapshot tests/eval/overlap/sources/lm-eval-task-readmes/readmes.jsonl]
       [--seacrowd-snapshot tests/eval/overlap/sources/seacrowd-descriptions/descriptions.jsonl]
       [--torchgeo FOLDER --torchgeo-snapshot tests/eval/overlap/sources/torchgeo-docstrings/...]
(the FOLDERs hold the unpacked wheels; the snapshots keep every drawn card whole, with its path in
the wheel and its file's sha256, so that the quotes can be checked offline).
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
from check_overlap_excerpts import RST_LINK, RST_ROLE  # noqa: E402
from draw_overlap_cases import MARKDOWN_NOISE, all_otdi_cards, order, tidy, used_cases  # noqa: E402, F401
from draw_overlap_set3 import COMMONS_SOURCE_NAMES  # noqa: E402
from draw_overlap_set10 import STAGES, drawn_in_stages, listed_as, quoted_before  # noqa: E402, F401
from overlap_cases import SETS  # noqa: E402

LM_EVAL_VERSION = "0.4.13"
WHEEL = "lm_eval-0.4.13-py3-none-any.whl"
WHEEL_SHA256 = "5daaa1973bf874005f64f28d3834b875f6886f0d6475878e6a6c821994a5286a"
REPOSITORY = "https://github.com/EleutherAI/lm-evaluation-harness/blob/v0.4.13/"
VIA = "lm-eval-task-readmes"
MIN_CHARACTERS = 200
SEACROWD_VERSION = "0.2.2"
SEACROWD_WHEEL = "seacrowd-0.2.2-py3-none-any.whl"
SEACROWD_SHA256 = "4813f31edd8e7f53c80db07966eb03066bddabcecd978c01ea799200007ee761"
SEACROWD_REPOSITORY = (
    "https://github.com/SEACrowd/seacrowd-datahub/tree/master/seacrowd/sea_datasets/"
)
SEACROWD_VIA = "seacrowd-descriptions"
SEACROWD_STAGE = "seacrowd-positive-pool"
TORCHGEO_VERSION = "0.10.1"
TORCHGEO_WHEEL = "torchgeo-0.10.1-py3-none-any.whl"
TORCHGEO_SHA256 = "b002fee686a34dcdec019adf28ce7cf912b39c26f92896ce549209490f9ac753"
TORCHGEO_DOCS = "https://torchgeo.readthedocs.io/en/v0.10.1/api/datasets.html#torchgeo.datasets."
TORCHGEO_VIA = "torchgeo-docstrings"
TORCHGEO_STAGE = "torchgeo-positive-pool"
TORCHGEO_HELPERS = ("__init__", "errors", "geo", "mixins", "splits", "utils")
DOCSTRING_END = re.compile(
    r"^\s*(?:If you use|\.\. [a-z-]+::|Args:|Example|Raises:|Returns:)", re.M
)
EARLIER_SETS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
HARNESS_HEADING = re.compile(
    r"^#+\s*[^\n]*\b(citation|groups?|tags?|tasks|checklist|changelog|usage|metrics|variants?"
    r"|notes|evaluation|implementation|prompts?)\b",
    re.I | re.M,
)


def read_readmes(wheel: Path) -> dict[str, dict]:
    """The task folder (`lm_eval/tasks/<task>`) -> its README's path and text."""
    tasks = wheel / "lm_eval" / "tasks"
    return {
        str(path.parent.relative_to(wheel)): {"path": path, "card": path.read_text("utf-8")}
        for path in sorted(tasks.rglob("README.md"))
        if path.parent != tasks
    }


def data_part(card: str) -> str:
    """The README before its first heading about the harness (citation, tasks, checklist...)."""
    found = HARNESS_HEADING.search(card)
    return card[: found.start()] if found else card


def text_of(card: str) -> str:
    """A case's text: the README's part about its data, as prose, tidied as in the earlier sets."""
    return tidy(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", data_part(card)))


def case_id(folder: str) -> str:
    words = re.findall(r"[a-z0-9]+", folder.removeprefix("lm_eval/tasks/").lower())
    return "lmeval-" + "-".join(words)


def eligible_cards(readmes, otdi, earlier, seen_texts: set[str] | None = None) -> dict:
    """The READMEs the draw may take, by address, with their text, listings and pool mark."""
    cards = {
        REPOSITORY + folder + "/README.md": (case_id(folder), text_of(found["card"]), VIA)
        for folder, found in sorted(readmes.items())
    }
    return eligible(cards, otdi, earlier, set() if seen_texts is None else seen_texts)


def eligible(cards: dict[str, tuple], otdi, earlier, seen_texts: set[str]) -> dict[str, dict]:
    """Address -> case for each card (id, text, via) long enough and quoted by no earlier set,
    in address order; a text already seen is skipped, and each text taken is added to seen."""
    used_sources = {c.get("source") for c in earlier}
    found = {}
    for address, (identifier, text, via) in sorted(cards.items()):
        if len(text) < MIN_CHARACTERS or address in used_sources or text in seen_texts:
            continue
        listings = listed_as(text, otdi)
        if used_sources & set(listings) or quoted_before(text, earlier):
            continue
        seen_texts.add(text)
        found[address] = {"id": identifier, "source": address, "via": via, "text": text}
        found[address] |= {"listed_as": listings, "pool": bool(COMMONS_SOURCE_NAMES.search(text))}
    return found


def read_seacrowd(wheel: Path) -> dict[str, dict]:
    """Dataset folder name -> its dataloader module's path and `_DESCRIPTION` string."""
    found = {}
    for path in sorted((wheel / "seacrowd" / "sea_datasets").glob("*/*.py")):
        if path.stem != path.parent.name:
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "_DESCRIPTION" for t in node.targets
            ):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                if isinstance(value, str):
                    found[path.stem] = {"path": path, "card": value}
    return found


def seacrowd_text(description: str) -> str:
    """A SEACrowd case's text: its description as prose, tidied as the READMEs are."""
    return tidy(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", description))


def seacrowd_draw(descriptions, otdi, earlier, salt: str, seen_texts: set[str]) -> list[dict]:
    """The SEACrowd stage: every eligible description that names a commons source, in the salt's
    order, after the READMEs (whose texts are in `seen_texts`)."""
    cards = {
        SEACROWD_REPOSITORY + name: (
            "seacrowd-" + "-".join(re.findall(r"[a-z0-9]+", name)),
            seacrowd_text(found["card"]),
            SEACROWD_VIA,
        )
        for name, found in descriptions.items()
    }
    return pool_draw(cards, otdi, earlier, salt, seen_texts, SEACROWD_STAGE)


def draw(readmes, otdi, earlier, salt: str) -> list[dict]:
    """The READMEs of each stage in turn (the tenth set's stages), in the salt's order, that fit
    its rule."""
    return drawn_in_stages(eligible_cards(readmes, otdi, earlier), salt)


def snapshot_lines(drawn: list[dict], readmes: dict, wheel: Path) -> list[str]:
    """One JSON line per drawn README: where it was read in the wheel and its whole text."""
    lines = []
    for case in drawn:
        folder = case["source"].removeprefix(REPOSITORY).removesuffix("/README.md")
        path = readmes[folder]["path"]
        record = {"task": folder.removeprefix("lm_eval/tasks/"), "address": case["source"]}
        record |= {"package": "lm-eval", "version": LM_EVAL_VERSION}
        record |= {"wheel": WHEEL, "wheel_sha256": WHEEL_SHA256}
        record |= {"path": str(path.relative_to(wheel))}
        record |= {"file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        lines.append(json.dumps(record | {"card": readmes[folder]["card"]}, ensure_ascii=False))
    return lines


def read_torchgeo(wheel: Path) -> dict[str, dict]:
    """Public dataset class name -> its module's path and the class's docstring."""
    found = {}
    for path in sorted((wheel / "torchgeo" / "datasets").rglob("*.py")):
        if path.stem in TORCHGEO_HELPERS:
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            docstring = isinstance(node, ast.ClassDef) and ast.get_docstring(node, clean=True)
            if docstring and not node.name.startswith("_") and node.name not in found:
                found[node.name] = {"path": path, "card": docstring}
    return found


def torchgeo_text(docstring: str) -> str:
    """A TorchGeo case's text: the docstring before its citation request and directives."""
    end = DOCSTRING_END.search(docstring)
    part = docstring[: end.start()] if end else docstring
    part = RST_ROLE.sub(r"\1", RST_LINK.sub(r"\1", part))
    return tidy(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", part))


def pool_draw(cards: dict[str, tuple], otdi, earlier, salt, seen_texts, stage) -> list[dict]:
    """A later source's stage: every eligible card that names a commons source, in the salt's
    order, after the stages before it (whose texts are in `seen_texts`)."""
    found = eligible(cards, otdi, earlier, seen_texts)
    pool = sorted((a for a in found if found[a]["pool"]), key=lambda a: order(a, salt))
    return [{k: v for k, v in found[a].items() if k != "pool"} | {"drawn_by": stage} for a in pool]


def torchgeo_draw(classes, otdi, earlier, salt: str, seen_texts: set[str]) -> list[dict]:
    cards = {
        TORCHGEO_DOCS + name: (
            "torchgeo-" + "-".join(re.findall(r"[a-z0-9]+", snake(name))),
            torchgeo_text(found["card"]),
            TORCHGEO_VIA,
        )
        for name, found in classes.items()
    }
    return pool_draw(cards, otdi, earlier, salt, seen_texts, TORCHGEO_STAGE)


def snake(name: str) -> str:
    """`SSL4EOLBenchmark` -> `ssl4eol_benchmark`, for a case id."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def torchgeo_snapshot_lines(drawn: list[dict], classes: dict, wheel: Path) -> list[str]:
    """One JSON line per drawn TorchGeo class: its module in the wheel and the docstring."""
    lines = []
    for case in drawn:
        name = case["source"].removeprefix(TORCHGEO_DOCS)
        path = classes[name]["path"]
        record = {"name": name, "address": case["source"], "package": "torchgeo"}
        record |= {"version": TORCHGEO_VERSION, "wheel": TORCHGEO_WHEEL}
        record |= {"wheel_sha256": TORCHGEO_SHA256, "path": str(path.relative_to(wheel))}
        record |= {"file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        lines.append(json.dumps(record | {"card": classes[name]["card"]}, ensure_ascii=False))
    return lines


def seacrowd_snapshot_lines(drawn: list[dict], descriptions: dict, wheel: Path) -> list[str]:
    """One JSON line per drawn SEACrowd description: its module in the wheel and the string."""
    lines = []
    for case in drawn:
        name = case["source"].removeprefix(SEACROWD_REPOSITORY)
        path = descriptions[name]["path"]
        record = {"name": name, "address": case["source"], "package": "seacrowd"}
        record |= {"version": SEACROWD_VERSION, "wheel": SEACROWD_WHEEL}
        record |= {"wheel_sha256": SEACROWD_SHA256, "path": str(path.relative_to(wheel))}
        record |= {"file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        lines.append(json.dumps(record | {"card": descriptions[name]["card"]}, ensure_ascii=False))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="the unpacked lm-eval wheel")
    parser.add_argument("--otdi", type=Path, required=True, help="the OTDI snapshot's folder")
    parser.add_argument("--out", type=Path, required=True, help="the drawn pool, as JSON")
    parser.add_argument("--snapshot", type=Path, help="also write the drawn READMEs (JSONL)")
    parser.add_argument("--seacrowd", type=Path, help="the unpacked SEACrowd wheel")
    parser.add_argument("--seacrowd-snapshot", type=Path, help="its drawn descriptions (JSONL)")
    parser.add_argument("--torchgeo", type=Path, help="the unpacked TorchGeo wheel")
    parser.add_argument("--torchgeo-snapshot", type=Path, help="its drawn docstrings (JSONL)")
    args = parser.parse_args(argv)
    readmes, salt = read_readmes(args.wheel), SETS["11"][0]
    earlier, otdi = used_cases(EARLIER_SETS), all_otdi_cards(args.otdi)
    drawn = draw(readmes, otdi, earlier, salt)
    second: list[dict] = []
    if args.seacrowd:
        descriptions = read_seacrowd(args.seacrowd)
        seen = {case["text"] for case in drawn}
        second = seacrowd_draw(descriptions, otdi, earlier, salt, seen)
    third: list[dict] = []
    if args.torchgeo:
        classes = read_torchgeo(args.torchgeo)
        seen = {case["text"] for case in drawn + second}
        third = torchgeo_draw(classes, otdi, earlier, salt, seen)
    everything = json.dumps(drawn + second + third, indent=1, ensure_ascii=False)
    args.out.write_text(everything, encoding="utf-8")
    if args.snapshot:
        lines = snapshot_lines(drawn, readmes, args.wheel)
        args.snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.seacrowd_snapshot:
        lines = seacrowd_snapshot_lines(second, descriptions, args.seacrowd)
        args.seacrowd_snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.torchgeo_snapshot:
        lines = torchgeo_snapshot_lines(third, classes, args.torchgeo)
        args.torchgeo_snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
