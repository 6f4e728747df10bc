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

Usage: python scripts/draw_overlap_set11.py --wheel FOLDER --otdi OTDI_FOLDER --out POOL.json
       [--snapshot tests/eval/overlap/sources/lm-eval-task-readmes/readmes.jsonl]
(FOLDER holds the unpacked wheel; the snapshot keeps every drawn README whole, with its path in
the wheel and its sha256, so that the quotes can be checked offline).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
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


def eligible_cards(readmes, otdi, earlier) -> dict[str, dict]:
    used_sources = {c.get("source") for c in earlier}
    seen_texts: set[str] = set()
    eligible = {}
    for folder, found in sorted(readmes.items()):
        text, address = text_of(found["card"]), REPOSITORY + folder + "/README.md"
        if len(text) < MIN_CHARACTERS or address in used_sources or text in seen_texts:
            continue
        listings = listed_as(text, otdi)
        if used_sources & set(listings) or quoted_before(text, earlier):
            continue
        seen_texts.add(text)
        eligible[address] = {"id": case_id(folder), "source": address, "via": VIA, "text": text}
        pool = bool(COMMONS_SOURCE_NAMES.search(text))
        eligible[address] |= {"listed_as": listings, "pool": pool}
    return eligible


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="the unpacked lm-eval wheel")
    parser.add_argument("--otdi", type=Path, required=True, help="the OTDI snapshot's folder")
    parser.add_argument("--out", type=Path, required=True, help="the drawn pool, as JSON")
    parser.add_argument("--snapshot", type=Path, help="also write the drawn READMEs (JSONL)")
    args = parser.parse_args(argv)
    readmes = read_readmes(args.wheel)
    earlier = used_cases(EARLIER_SETS)
    drawn = draw(readmes, all_otdi_cards(args.otdi), earlier, SETS["11"][0])
    args.out.write_text(json.dumps(drawn, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.snapshot:
        lines = snapshot_lines(drawn, readmes, args.wheel)
        args.snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
