"""Draw the second and third sets of overlap evaluation cases from the source snapshots (once).

The second set (tests/eval/overlap/README.md, "Second set") quotes descriptions the catalog's
curated text was not written from: the Common Pile's source READMEs (the code repository's
own account of each source) and Hugging Face dataset cards listed by OTDI, drawn in an order
fixed by the salt before any was read or scored. The third set ("Third set" there, drawn by
draw_overlap_set3.py) quotes cards no earlier set quotes. This script prints the drawn texts
as JSON for labelling; labels are added by hand and the pool is split by
`overlap_cases.py --write POOL --set N`.

Usage: python scripts/draw_overlap_cases.py --sources /work/shared/sources --otdi 60
         --readme-commit c3c1a1322be0a8af6c63c926d000e9bdc634a828 > pool.json      (set 2)
       python scripts/draw_overlap_cases.py --set 3 --sources /work/shared/sources > pool.json
       python scripts/draw_overlap_cases.py --set 4 --sources /work/shared/sources > pool.json
       python scripts/draw_overlap_cases.py --set 5 --sources /work/shared/sources > pool.json
       python scripts/draw_overlap_cases.py --set 6 --sources /work/shared/sources > pool.json
       python scripts/draw_overlap_cases.py --set 7 --sources /work/shared/sources > pool.json
       python scripts/draw_overlap_cases.py --set 8 --sources /work/shared/sources > pool.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overlap_cases import SETS, read_split  # noqa: E402

SALT = SETS["2"][0]  # the second set's salt: the draw and the split share it
MIN_CHARACTERS = 200
CUT = 900
README_REPOSITORY = "https://github.com/r-three/common-pile/blob/{commit}/{path}"
SEE_MORE = re.compile(r"\s*(?:…|\.\.\.)?\s*See the full description on the dataset page: \S+\s*$")
MARKDOWN_NOISE = re.compile(r"```.*?```|`[^`]*`|^#+\s*|\[([^\]]*)\]\([^)]*\)", re.S | re.M)
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def order(key: str, salt: str = SALT) -> str:
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def tidy(text: str) -> str:
    """Whitespace collapsed, control and invisible characters removed, cut at a sentence end
    near CUT."""
    text = " ".join(INVISIBLE.sub("", text).split())
    if len(text) <= CUT:
        return text
    end = max(text.rfind(". ", 0, CUT), text.rfind(".) ", 0, CUT))
    return text[: end + 1] if end > CUT // 2 else text[: text.rfind(" ", 0, CUT)] + " …"


def used_cases(sets: tuple[str, ...] = ("1",)) -> list[dict]:
    """The cases of the given earlier sets and the watched file (read without printing any)."""
    names = ("watched", *(half for name in sets for half in SETS[name][1:] if half))
    return [case for name in names for case in read_split(name)]


def used_sources() -> set[str]:
    """Sources already quoted by a case of the first set."""
    return {c.get("source") for c in used_cases() if c.get("source")}


def all_otdi_cards(folder: Path) -> dict[str, str]:
    """Dataset address -> description (without the closing link line), first listing wins."""
    cards: dict[str, str] = {}
    for path in sorted((folder / "docs/files/data/catalog").rglob("*.js")):
        raw = path.read_text(encoding="utf-8")
        for row in json.loads(raw[raw.index("[") :].rstrip().rstrip(";")):
            text = SEE_MORE.sub(" …", row.get("description") or "").strip()
            if row["url"] not in cards and len(text) >= MIN_CHARACTERS:
                cards[row["url"]] = text
    return cards


def otdi_cards(folder: Path, count: int, used: set[str]) -> list[dict]:
    cards = all_otdi_cards(folder)
    drawn = sorted((url for url in cards if url not in used), key=order)[:count]
    return [{"source": url, "via": "otdi-catalog", "text": tidy(cards[url])} for url in drawn]


def readmes(folder: Path, commit: str) -> list[dict]:
    found = []
    for path in sorted((folder / "sources").rglob("README.md")):
        prose = MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", path.read_text(encoding="utf-8"))
        relative = path.relative_to(folder).as_posix()
        found.append(
            {
                "source": README_REPOSITORY.format(commit=commit, path=relative),
                "via": "common-pile-readmes",
                "text": tidy(prose),
            }
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument(
        "--set", choices=("2", "3", "4", "5", "6", "7", "8"), default="2", help="the set to draw"
    )
    parser.add_argument("--otdi", type=int, default=60, help="how many OTDI cards to draw")
    parser.add_argument("--readme-commit", help="r-three/common-pile commit (set 2)")
    args = parser.parse_args(argv)
    if args.set in ("3", "4", "5", "6", "7", "8"):
        from draw_overlap_set3 import draw

        print(json.dumps(draw(args.sources, args.set), indent=1, ensure_ascii=False))
        return 0
    if not args.readme_commit:
        parser.error("the second set needs --readme-commit")
    used = used_sources()
    pool = readmes(args.sources / "common-pile/r-three-common-pile", args.readme_commit)
    pool += otdi_cards(args.sources / "otdi-catalog", args.otdi, used)
    print(json.dumps(pool, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
