"""Draw the second set of overlap evaluation cases from the source snapshots (once).

The second set (tests/eval/overlap/README.md, "Second set") quotes descriptions the catalog's
curated text was not written from: the Common Pile's source READMEs (the code repository's
own account of each source) and Hugging Face dataset cards listed by OTDI, drawn in an order
fixed by the salt before any was read or scored. This script prints the drawn texts as JSON
for labelling; labels are added by hand and the pool is split by `overlap_cases.py --write-set 2`.

Usage: python scripts/draw_overlap_cases.py --sources /work/shared/sources --otdi 60 > pool.json
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


def order(key: str) -> str:
    return hashlib.sha256(f"{SALT}:{key}".encode()).hexdigest()


def tidy(text: str) -> str:
    """Whitespace collapsed, control and invisible characters removed, cut at a sentence end
    near CUT."""
    text = " ".join(INVISIBLE.sub("", text).split())
    if len(text) <= CUT:
        return text
    end = max(text.rfind(". ", 0, CUT), text.rfind(".) ", 0, CUT))
    return text[: end + 1] if end > CUT // 2 else text[: text.rfind(" ", 0, CUT)] + " …"


def used_sources() -> set[str]:
    """Sources already quoted by a case of the first set (read without printing any case)."""
    first = ("watched", *SETS["1"][1:])
    return {c.get("source") for name in first for c in read_split(name) if c.get("source")}


def otdi_cards(folder: Path, count: int, used: set[str]) -> list[dict]:
    cards: dict[str, str] = {}
    for path in sorted((folder / "docs/files/data/catalog").rglob("*.js")):
        raw = path.read_text(encoding="utf-8")
        for row in json.loads(raw[raw.index("[") :].rstrip().rstrip(";")):
            text = SEE_MORE.sub(" …", row.get("description") or "").strip()
            if row["url"] not in cards and len(text) >= MIN_CHARACTERS:
                cards[row["url"]] = text
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
    parser.add_argument("--otdi", type=int, default=60, help="how many OTDI cards to draw")
    parser.add_argument("--readme-commit", required=True, help="r-three/common-pile commit")
    args = parser.parse_args(argv)
    used = used_sources()
    pool = readmes(args.sources / "common-pile/r-three-common-pile", args.readme_commit)
    pool += otdi_cards(args.sources / "otdi-catalog", args.otdi, used)
    print(json.dumps(pool, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
