"""Draw the ninth set of overlap evaluation cases (tests/eval/overlap/README.md, "Ninth set").

A new source of cards, because the OTDI positive pool is used up (README.md there, "Eighth set"):
the dataset cards of the `huggingface/datasets` repository (Apache-2.0), `datasets/<name>/README.md`
at HF_COMMIT, the last commit before the cards left the repository for the Hugging Face Hub.
Rules, fixed before any card was read:
- a case's text is the card's "Dataset Summary" section (links kept as their words, code dropped,
  whitespace collapsed, cut at a sentence end near 900 characters, as in the earlier sets);
  a card whose summary has fewer than MIN_CHARACTERS characters is skipped;
- positive pool: the cards whose summary or "Source Data" section names a source the curated
  catalog lists (`COMMONS_SOURCE_NAMES`), ordered by sha256("<salt>:<address>");
- plain draw: the other eligible cards in the same order, not drawn before;
- a card is skipped when an earlier set quotes it: its address, its Hub listing (`listed_as`,
  below) or its text is an earlier case's.
A case's `source` is the dataset's Hub address, https://huggingface.co/datasets/<name>; the Hub has
since moved many of these datasets under an owner (`pg19` is now `deepmind/pg19`), and the catalog
imports the OTDI record of that address. `listed_as` names the OTDI addresses `<owner>/<name>`
whose description opens with the card's own words (the same card listed again), so that the
evaluation leaves the case's own listing out (scripts/eval_overlap.py, `own_listings`).

Usage: python scripts/draw_overlap_set9.py --cards FOLDER --otdi OTDI_FOLDER --out POOL.json
       [--snapshot tests/eval/overlap/sources/hf-datasets-cards/cards.jsonl]
(FOLDER holds <name>.md for every card at HF_COMMIT, as `git show` gives them; the snapshot keeps
every drawn card whole, with its path, commit and git blob id, so that the quotes can be checked
offline: scripts/check_overlap_excerpts.py).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_overlap_cases import MARKDOWN_NOISE, all_otdi_cards, order, tidy, used_cases  # noqa: E402
from draw_overlap_set3 import COMMONS_SOURCE_NAMES  # noqa: E402
from overlap_cases import SETS  # noqa: E402

HF_REPOSITORY = "https://github.com/huggingface/datasets"
HF_COMMIT = "d7dfbc83d68e87ba002c5eb2555f7a932e59038a"
HF_COMMIT_DATE = "2022-10-03T12:32:27-04:00"
HUB = "https://huggingface.co/datasets/"
VIA = "hf-datasets-cards"
MIN_CHARACTERS = 200
# How many opening characters of an OTDI description must be words of the card to call the OTDI
# record the same card listed again.
OPENING = 100
# The ninth set's draws: the whole positive pool (124 cards no earlier set quotes), then the
# plain draw; both sizes were set before any card was read (README.md there, "Ninth set").
STAGES = (("positive-pool", 124), ("plain-draw", 160), ("plain-draw", 40), ("whole-card-pool", 27))
EARLIER_SETS = ("1", "2", "3", "4", "5", "6", "7", "8")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
RULES = {
    "positive-pool": lambda card: card["pool"],
    "plain-draw": lambda card: True,
    "whole-card-pool": lambda card: card["anywhere"],
}


def prose(card: str) -> str:
    """The card's markdown as words: front matter and code dropped, links kept as their words."""
    body = FRONT_MATTER.sub("", card)
    return MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", body)


def section(card: str, title: str) -> str:
    """The text under the card's heading `title`, up to the next heading of any level."""
    match = re.search(rf"^#+ *{re.escape(title)} *$(.*?)(?=^#|\Z)", card, re.M | re.S)
    return match.group(1) if match else ""


def summary(card: str) -> str:
    """A case's text: the card's "Dataset Summary" prose, tidied as in the earlier sets."""
    text = MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", section(card, "Dataset Summary"))
    return tidy(text)


def names_a_source(card: str) -> bool:
    """The positive pool's rule: the summary or the Source Data section names a commons source."""
    source_data = section(card, "Source Data") + section(
        card, "Initial Data Collection and Normalization"
    )
    words = MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", source_data)
    return bool(COMMONS_SOURCE_NAMES.search(summary(card) + " " + words))


def names_a_source_anywhere(card: str) -> bool:
    """The last stage's rule: the card's prose before its citation, addresses left out, names a
    commons source (the positive pool reads the summary and Source Data sections only)."""
    body = re.split(r"^ *Citation Information", prose(card), flags=re.M)[0]
    return bool(COMMONS_SOURCE_NAMES.search(re.sub(r"https?://\S+", "", body)))


def quoted_before(case: dict, earlier: list[dict]) -> list[str]:
    """Earlier cases that quote this card: one of its Hub listings is their source, or their text
    and the card's summary share an opening of 80 characters."""
    return [
        c["id"]
        for c in earlier
        if c.get("source") in case["listed_as"] or share_an_opening(case["text"], c.get("text"))
    ]


def share_an_opening(text: str, other: str | None) -> bool:
    """Either text's first 80 characters (whitespace collapsed) are words of the other."""
    if not other:
        return False
    text, other = flat(text), flat(other)
    return text[:80] in other or other[:80] in text


@functools.cache
def flat(text: str) -> str:
    """Whitespace collapsed (cached: the earlier sets' texts are compared with every card)."""
    return " ".join(text.split())


def listed_as(name: str, card: str, otdi: dict[str, str], wide: bool = True) -> list[str]:
    """OTDI addresses <owner>/<name> that list this card again: the OTDI description opens with
    words of the card, or (`wide`) holds the opening of the card's summary (the Hub card's title
    and headings differ from the repository's). The draw skipped cards by the first test only; the
    wide one was added after the draw, and the drawn cards it finds quoted by an earlier set are
    left out (README.md, "Ninth set")."""
    words, opening_of_summary = flat(prose(card)), summary(card)[:OPENING]
    found = []
    for url, description in otdi.items():
        owner_name = url.removeprefix(HUB).split("/")
        if len(owner_name) != 2 or owner_name[1].lower() != name.lower():
            continue
        listed = flat(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", description))
        if len(listed[:OPENING]) >= 40 and listed[:OPENING] in words:
            found.append(url)
        elif wide and len(opening_of_summary) >= 40 and opening_of_summary in listed:
            found.append(url)
    return sorted(found)


def draw(cards: dict[str, str], otdi: dict[str, str], earlier: list[dict], salt: str) -> list[dict]:
    """The cards of each stage in turn: the next ones in the salt's order that fit its rule."""
    used_sources = {c.get("source") for c in earlier}
    used_texts = {c.get("text") for c in earlier}
    eligible = {}
    for name, card in cards.items():
        text, address = summary(card), HUB + name
        if len(text) < MIN_CHARACTERS or text in used_texts or address in used_sources:
            continue
        if used_sources & set(listed_as(name, card, otdi, wide=False)):
            continue
        listings = listed_as(name, card, otdi)
        eligible[address] = {"id": "hf-card-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))}
        eligible[address] |= {"source": address, "via": VIA, "text": text}
        eligible[address] |= {"listed_as": listings, "pool": names_a_source(card)}
        eligible[address] |= {"anywhere": names_a_source_anywhere(card)}
    taken: list[dict] = []
    for rule, count in STAGES:
        chosen = [
            address
            for address in sorted(eligible, key=lambda a: order(a, salt))
            if address not in {c["source"] for c in taken} and RULES[rule](eligible[address])
        ][:count]
        taken += [
            {k: v for k, v in eligible[a].items() if k not in ("pool", "anywhere")}
            | {"drawn_by": rule}
            for a in chosen
        ]
    return taken


def git_blob_id(text: str) -> str:
    """The git object id of a file with this text, to check a card against the repository."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def snapshot_lines(drawn: list[dict], cards: dict[str, str]) -> list[str]:
    """One JSON line per drawn card: where it was read, its git blob id and its whole text."""
    lines = []
    for case in drawn:
        name = case["source"].removeprefix(HUB)
        record = {"name": name, "hub_address": case["source"], "repository": HF_REPOSITORY}
        record |= {"commit": HF_COMMIT, "commit_date": HF_COMMIT_DATE}
        record |= {"path": f"datasets/{name}/README.md", "blob": git_blob_id(cards[name])}
        lines.append(json.dumps(record | {"card": cards[name]}, ensure_ascii=False))
    return lines


def read_cards(folder: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=Path, required=True, help="folder of <name>.md cards")
    parser.add_argument("--otdi", type=Path, required=True, help="the OTDI snapshot's folder")
    parser.add_argument("--out", type=Path, required=True, help="the drawn pool, as JSON")
    parser.add_argument("--snapshot", type=Path, help="also write the drawn cards here (JSONL)")
    args = parser.parse_args(argv)
    cards = read_cards(args.cards)
    drawn = draw(cards, all_otdi_cards(args.otdi), used_cases(EARLIER_SETS), SETS["9"][0])
    args.out.write_text(json.dumps(drawn, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.snapshot:
        args.snapshot.write_text("\n".join(snapshot_lines(drawn, cards)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
