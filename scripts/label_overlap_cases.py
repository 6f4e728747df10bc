"""Join a drawn pool of overlap cases with the labels a person wrote for it (once per set).

The labels file has one line per drawn card, in the pool's order: its position, then
- `S EXPECT... | | NOTE` for same-data (the entries it duplicates),
- `R RELATED... | NOTE` for related-not-same,
- `U` for unrelated (words after it are a note), or
- `B REASON` for a borderline card, left out before the split and counted.
A same-data case's `related` list is completed from the expected entries' own relations, by the
rule in tests/eval/overlap/README.md ("What the labels mean"): the collections an expected entry
is `included_in`, the sources it is `derived_from`, the entries of its modality derived from it,
and, for an entry with at most three `source_domains`, the entries of its modality sharing one.
The matcher is not run: labels come from the text and the curated entries only.

Usage: python scripts/label_overlap_cases.py POOL.json LABELS.txt > LABELLED.json
(then `python scripts/overlap_cases.py --write LABELLED.json --set N`).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import yaml

ENTRIES = Path(__file__).resolve().parent.parent / "entries"
KIND = {"S": "same-data", "R": "related-not-same", "U": "unrelated"}


def read_entries(folder: Path = ENTRIES) -> dict[str, dict]:
    entries = {}
    for path in sorted(folder.glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries[entry["id"]] = entry
    return entries


def completed_related(expect: list[str], entries: dict[str, dict]) -> list[str]:
    """The entries also right to flag for a same-data case, from the expected ones' relations."""
    found: list[str] = []
    for wanted in expect:
        entry = entries[wanted]
        found += entry.get("included_in", []) + entry.get("derived_from", [])
        domains = set(entry.get("source_domains", []))
        for other in entries.values():
            if other["id"] == wanted or other.get("modality") != entry.get("modality"):
                continue
            shared = len(domains) <= 3 and domains & set(other.get("source_domains", []))
            if wanted in other.get("derived_from", []) or shared:
                found.append(other["id"])
    return [e for e in dict.fromkeys(found) if e not in expect]


def parse_line(line: str, entries: dict[str, dict]) -> tuple[int, dict | str]:
    """(position, labels) for a kept case, (position, reason) for a borderline one."""
    position, code, *rest = line.split(" ", 2)
    rest = rest[0] if rest else ""
    if code == "B":
        return int(position), rest
    if code == "U":  # an unrelated case names no entry; its words, if any, are a note
        return int(position), {"kind": KIND[code], "expect": [], "related": []} | (
            {"note": rest} if rest else {}
        )
    fields = [part.strip() for part in rest.split("|")] if rest else []
    ids = fields[0].split() if fields else []
    unknown = [i for i in ids if i not in entries]
    if unknown:
        raise ValueError(f"line {position}: no curated entry {', '.join(unknown)}")
    labels = {"kind": KIND[code], "expect": [], "related": []}
    if code == "S":
        labels["expect"] = ids
        labels["related"] = completed_related(ids, entries)
    elif code == "R":
        labels["related"] = ids
    note = fields[-1] if len(fields) >= 2 else ""
    if note:
        labels["note"] = note
    return int(position), labels


def label(pool: list[dict], lines: list[str], entries: dict[str, dict]) -> tuple[list, dict]:
    """The kept cases with their labels, and the borderline cards by position."""
    parsed = dict(parse_line(line, entries) for line in lines if line.strip())
    if sorted(parsed) != list(range(len(pool))):
        raise ValueError("the labels must name every drawn card once, by its position")
    kept = [
        {k: v for k, v in card.items() if k != "drawn_by"} | parsed[i]
        for i, card in enumerate(pool)
        if isinstance(parsed[i], dict)
    ]
    left_out = {i: reason for i, reason in parsed.items() if isinstance(reason, str)}
    return kept, left_out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", type=Path)
    parser.add_argument("labels", type=Path)
    args = parser.parse_args(argv)
    pool = json.loads(args.pool.read_text(encoding="utf-8"))
    lines = args.labels.read_text(encoding="utf-8").splitlines()
    try:
        kept, left_out = label(pool, lines, read_entries())
    except ValueError as problem:
        print(f"{args.labels}: {problem}", file=sys.stderr)
        return 1
    print(json.dumps(kept, indent=1, ensure_ascii=False))
    counts = collections.Counter(
        (pool[i].get("drawn_by", pool[i]["via"]), "left out" if i in left_out else c["kind"])
        for i, c in zip(sorted(set(range(len(pool))) - set(left_out)), kept, strict=True)
    )
    counts.update((pool[i].get("drawn_by", pool[i]["via"]), "left out") for i in left_out)
    for (drawn_by, kind), count in sorted(counts.items()):
        print(f"{drawn_by}\t{kind}\t{count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
