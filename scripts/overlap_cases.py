"""The case files of the overlap evaluation: reading, checking, and the one-time split.

The cases live in tests/eval/overlap/ (see its README.md):
- tuning.yaml and held-out.yaml: the first set of real dataset descriptions, split once by
  the rule below;
- tuning-2.yaml and held-out-2.yaml: the second set (descriptions the curated catalog was not
  written from, labelled against the full catalog), split by the same rule with its own salt;
- tuning-3.yaml and held-out-3.yaml: the third set (cards no earlier set quotes, drawn by
  draw_overlap_set3.py), split by the same rule with its own salt;
- held-out-4.yaml: the fourth set (drawn by the same script with a new salt), held-out only: it
  has no tuning half, so every case of it is in the held-out file;
- held-out-5.yaml: the fifth set, drawn and kept like the fourth with its own salt;
- held-out-6.yaml: the sixth set, drawn and kept like the fifth with its own salt;
- held-out-7.yaml and held-out-8.yaml: the seventh and eighth sets, drawn and kept likewise;
- held-out-9.yaml: the ninth set, held-out only, from a new source of cards (the dataset cards of
  the huggingface/datasets repository, drawn by draw_overlap_set9.py);
- held-out-10.yaml: the tenth set, held-out only, from another new source (the dataset
  descriptions of TensorFlow Datasets, drawn by draw_overlap_set10.py);
- held-out-11.yaml: the eleventh set, held-out only, from another new source (the task READMEs
  of the LM Evaluation Harness, drawn by draw_overlap_set11.py);
- watched.yaml: the older cases written while watching the matcher (tuning only).

Split rule, recorded so that anyone can check that no case moved: within each kind,
order the cases by sha256("<salt of the set>:<id>"); positions 0, 2, 4, ... go to the
held-out half, positions 1, 3, 5, ... to the tuning half.

Usage:
  python scripts/overlap_cases.py --check                    check every file and the splits
  python scripts/overlap_cases.py --write POOL.json --set 3  (once) write a set's two halves
  python scripts/overlap_cases.py --write POOL.json --set 4  (once) write held-out-4.yaml
  python scripts/overlap_cases.py --write POOL.json --set 5  (once) write held-out-5.yaml
  python scripts/overlap_cases.py --write POOL.json --set 6  (once) write held-out-6.yaml
  python scripts/overlap_cases.py --write POOL.json --set 8  (once) write held-out-8.yaml
  python scripts/overlap_cases.py --write POOL.json --set 9  (once) write held-out-9.yaml
  python scripts/overlap_cases.py --write POOL.json --set 10 (once) write held-out-10.yaml
  python scripts/overlap_cases.py --write POOL.json --set 11 (once) write held-out-11.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from registry.entry.errors import EntryError, EntryErrors
from registry.entry.strict_yaml import YamlErrors, YamlFile, read

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "eval" / "overlap"
SPLITS = {
    "tuning": FOLDER / "tuning.yaml",
    "held-out": FOLDER / "held-out.yaml",
    "watched": FOLDER / "watched.yaml",
    "tuning-2": FOLDER / "tuning-2.yaml",
    "held-out-2": FOLDER / "held-out-2.yaml",
    "tuning-3": FOLDER / "tuning-3.yaml",
    "held-out-3": FOLDER / "held-out-3.yaml",
    "held-out-4": FOLDER / "held-out-4.yaml",
    "held-out-5": FOLDER / "held-out-5.yaml",
    "held-out-6": FOLDER / "held-out-6.yaml",
    "held-out-7": FOLDER / "held-out-7.yaml",
    "held-out-8": FOLDER / "held-out-8.yaml",
    "held-out-9": FOLDER / "held-out-9.yaml",
    "held-out-10": FOLDER / "held-out-10.yaml",
    "held-out-11": FOLDER / "held-out-11.yaml",
}
SALT = "edc4f3c7fef6aa29"
# Each set of cases: its salt (drawn at random before any of its cases was scored), then its
# held-out and tuning halves (None: a held-out-only set).
SETS = {
    "1": (SALT, "held-out", "tuning"),
    "2": ("4edab91ff51efcda", "held-out-2", "tuning-2"),
    "3": ("082e459eb6d5ecc7", "held-out-3", "tuning-3"),
    "4": ("a9cc323a7f8ead00", "held-out-4", None),
    "5": ("9a2985fc31c1e9c7", "held-out-5", None),
    "6": ("c2f74631f7473b75", "held-out-6", None),
    "7": ("4179b6aff9618970", "held-out-7", None),
    "8": ("1c6d5c312d13e188", "held-out-8", None),
    "9": ("11878abb4d2cc3e6", "held-out-9", None),
    "10": ("530e00161c32e60a", "held-out-10", None),
    "11": ("d9050e7f43c7f393", "held-out-11", None),
}
HELD_OUT = frozenset(held_out for _, held_out, _ in SETS.values())
# Held-out files already scored once for a release and studied since (README.md there): they give
# no held-out figure any more, so their cases may be read like a tuning file's.
SPENT = frozenset({"held-out", *(f"held-out-{number}" for number in range(2, 12))})
KINDS = ("same-data", "related-not-same", "unrelated")
VIA = ("otdi-catalog", "common-pile-cards", "dynaword-datasheets", "common-pile-readmes")
VIA += ("hf-datasets-cards", "tfds-descriptions", "lm-eval-task-readmes", "seacrowd-descriptions")
VIA += ("torchgeo-docstrings",)
MAX_BYTES = 1024 * 1024
CASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = {"id", "kind", "expect"}
# `listed_as`: the Hub addresses under which the catalog may list the case's own card (a dataset the
# Hub has since moved under an owner); the evaluation leaves those records out too.
ALLOWED = REQUIRED | {"text", "offer", "related", "source", "via", "signals", "note", "listed_as"}
SOURCED = ("tuning", "held-out", "tuning-2", "held-out-2", "tuning-3", "held-out-3")
SOURCED += ("held-out-4", "held-out-5", "held-out-6", "held-out-7", "held-out-8", "held-out-9")
SOURCED += ("held-out-10", "held-out-11")

HEADERS = {
    "tuning": """\
# Overlap evaluation, TUNING half: real dataset descriptions (excerpts of third-party
# dataset cards, each with its `source`), split from the held-out half by the rule in
# scripts/overlap_cases.py (salt {salt}). Read, study and tune on these freely.
# Where the cases come from, their licences and the labels' meaning: README.md here.
""",
    "tuning-2": """\
# Overlap evaluation, second set, TUNING half: real dataset descriptions (Common Pile source
# READMEs and Hugging Face cards listed by OTDI, each with its `source`), labelled against the
# full catalog and split from the held-out half by the rule in scripts/overlap_cases.py (salt
# {salt}). Read, study and tune on these freely. Sources and licences: README.md here.
""",
    "held-out-2": """\
# Overlap evaluation, second set, HELD-OUT half. Do not read these cases while working on the
# matcher: only scripts/eval_overlap.py reads them, prints aggregate figures only, and is run
# once per release of the matcher (see README.md here). Split from the tuning half by the rule
# in scripts/overlap_cases.py (salt {salt}). Sources and licences: README.md here.
""",
    "tuning-3": """\
# Overlap evaluation, third set, TUNING half: real dataset descriptions (Hugging Face cards
# listed by OTDI, Common Pile cards and Danish Dynaword / DFM datasheets no earlier set quotes,
# each with its `source`), labelled against the full catalog's curated entries and split from
# the held-out half by the rule in scripts/overlap_cases.py (salt {salt}). Read, study and
# tune on these freely. Sources and licences: README.md here.
""",
    "held-out-3": """\
# Overlap evaluation, third set, HELD-OUT half. Do not read these cases while working on the
# matcher: only scripts/eval_overlap.py reads them, prints aggregate figures only, and is run
# once per release of the matcher (see README.md here). Split from the tuning half by the rule
# in scripts/overlap_cases.py (salt {salt}). Sources and licences: README.md here.
""",
    "held-out-4": """\
# Overlap evaluation, fourth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Drawn by
# scripts/draw_overlap_set3.py with salt {salt}. Sources and licences: README.md here.
""",
    "held-out-5": """\
# Overlap evaluation, fifth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Drawn by
# scripts/draw_overlap_set3.py with salt {salt}. Sources and licences: README.md here.
""",
    "held-out-6": """\
# Overlap evaluation, sixth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Drawn by
# scripts/draw_overlap_set3.py with salt {salt}. Sources and licences: README.md here.
""",
    "held-out-7": """\
# Overlap evaluation, seventh set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Drawn by
# scripts/draw_overlap_set3.py with salt {salt}. Sources and licences: README.md here.
""",
    "held-out-8": """\
# Overlap evaluation, eighth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Drawn by
# scripts/draw_overlap_set3.py with salt {salt}. Sources and licences: README.md here.
""",
    "held-out-9": """\
# Overlap evaluation, ninth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Dataset cards of the
# huggingface/datasets repository, drawn by scripts/draw_overlap_set9.py with salt {salt}.
# Sources and licences: README.md here and sources/hf-datasets-cards/PROVENANCE.md.
""",
    "held-out-10": """\
# Overlap evaluation, tenth set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Dataset descriptions
# of TensorFlow Datasets 4.9.10, drawn by scripts/draw_overlap_set10.py with salt {salt}.
# Sources and licences: README.md here and sources/tfds-descriptions/PROVENANCE.md.
""",
    "held-out-11": """\
# Overlap evaluation, eleventh set, HELD-OUT only (no tuning half). Do not read these cases while
# working on the matcher: only scripts/eval_overlap.py reads them, prints aggregate figures
# only, and is run once per release of the matcher (see README.md here). Task READMEs of the LM
# Evaluation Harness 0.4.13, drawn by scripts/draw_overlap_set11.py with salt {salt}.
# Sources and licences: README.md here and sources/lm-eval-task-readmes/PROVENANCE.md.
""",
    "held-out": """\
# Overlap evaluation, HELD-OUT half. Do not read these cases while working on the matcher:
# only scripts/eval_overlap.py reads them, prints aggregate figures only, and is run once
# per release of the matcher (see README.md here). Split from the tuning half by the rule
# in scripts/overlap_cases.py (salt {salt}). The texts are excerpts of third-party
# dataset cards, each with its `source`; licences in README.md.
""",
}


def read_list(path: Path, key: str) -> tuple[YamlFile, list]:
    """A strictly read evaluation file and its one top-level list (`cases:`, `judgements:`)."""
    try:
        document = read(str(path), path.read_bytes(), max_bytes=MAX_BYTES)
    except YamlErrors as problems:
        raise EntryErrors(problems.errors) from None
    items = document.value.get(key) if isinstance(document.value, dict) else None
    if not isinstance(items, list):
        raise EntryErrors([EntryError(str(path), 1, 1, f"expected a top-level `{key}:` list")])
    return document, items


def read_split(split: str, path: Path | None = None) -> list[dict]:
    """The raw cases of one file, checked; raises EntryErrors listing every problem."""
    document, cases = read_list(path or SPLITS[split], "cases")
    problems = []
    seen: set[str] = set()
    for index, case in enumerate(cases):
        problems += _case_problems(document, index, case, seen, sourced=split in SOURCED)
    if problems:
        raise EntryErrors(problems)
    return cases


def _case_problems(document: YamlFile, index: int, case, seen: set, sourced: bool) -> list:
    def error(key: str | None, message: str, at_key: bool = False) -> EntryError:
        where = ("cases", index)
        if at_key:
            return EntryError(document.path, *document.key_position(where, key), message)
        return EntryError(
            document.path, *document.position(where + ((key,) if key else ())), message
        )

    if not isinstance(case, dict):
        return [error(None, "each case must be a mapping with id, kind, text and expect")]
    problems = [
        error(key, f"unknown key '{key}'; allowed: {', '.join(sorted(ALLOWED))}", at_key=True)
        for key in sorted(set(case) - ALLOWED)
    ]
    problems += [error(None, f"missing '{key}'") for key in sorted(REQUIRED - set(case))]
    if ("text" in case) == ("offer" in case):
        problems.append(error(None, "give exactly one of 'text' and 'offer'"))
    case_id = case.get("id")
    if not isinstance(case_id, str) or not CASE_ID.match(case_id):
        problems.append(error("id", "id must be lower-case words joined by '-'"))
    elif case_id in seen:
        problems.append(error("id", f"duplicate id '{case_id}'"))
    else:
        seen.add(case_id)
    if "text" in case and not (isinstance(case["text"], str) and case["text"].strip()):
        problems.append(error("text", "text must be the description, a non-empty string"))
    lists_ok = "kind" in case and "expect" in case
    for key in ("expect", "related", "signals", "listed_as"):
        value = case.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(error(key, f"'{key}' must be a list of strings"))
            lists_ok = False
    if lists_ok:
        problems += _label_problems(case, error)
    if sourced:
        problems += _source_problems(case, error)
    return problems


def _label_problems(case: dict, error) -> list:
    """The kind and the flagged ids must agree: only same-data cases expect entries."""
    kind, expect, related = case["kind"], case["expect"], case.get("related", [])
    if kind not in KINDS:
        return [error("kind", f"kind must be one of {', '.join(KINDS)}")]
    if kind == "same-data" and not expect:
        return [error("expect", "a same-data case names the entries it duplicates in 'expect'")]
    if kind != "same-data" and expect:
        return [error("expect", f"a {kind} case is a negative: its 'expect' must be []")]
    if kind == "related-not-same" and not related:
        return [error("kind", "a related-not-same case names the related entries in 'related'")]
    if kind == "unrelated" and related:
        return [error("related", "an unrelated case flags no entry: 'related' must be empty")]
    if set(expect) & set(related):
        return [error("related", "an id is in both 'expect' and 'related'")]
    return []


def _source_problems(case: dict, error) -> list:
    problems = []
    if not str(case.get("source", "")).startswith("https://"):
        problems.append(error("source", "a real-description case records its https source"))
    if case.get("via") not in VIA:
        problems.append(error("via", f"via must be one of {', '.join(VIA)}"))
    if "text" not in case:
        problems.append(error(None, "a real-description case quotes its description in 'text'"))
    text = str(case.get("text", "")).lower()
    for signal in case.get("signals", []):
        if isinstance(signal, str) and signal.lower() not in text:
            problems.append(error("signals", f"signal '{signal}' is not words of the text"))
    return problems


def order_key(case_id: str, salt: str = SALT) -> str:
    return hashlib.sha256(f"{salt}:{case_id}".encode()).hexdigest()


def assign(cases: list[dict], case_set: str = "1") -> dict[str, str]:
    """Case id -> the name of its half ('held-out' or 'tuning' in the first set), by the rule;
    a set without a tuning half puts every case in its held-out file."""
    salt, held_out, tuning = SETS[case_set]
    tuning = tuning or held_out
    halves = {}
    for kind in KINDS:
        ids = sorted(
            (c["id"] for c in cases if c["kind"] == kind), key=lambda i: order_key(i, salt)
        )
        for position, case_id in enumerate(ids):
            halves[case_id] = held_out if position % 2 == 0 else tuning
    return halves


def split_problems() -> list[str]:
    """Every case of each set's two halves sits where the rule puts it."""
    problems = []
    for case_set, (_, held_out, tuning) in SETS.items():
        found = {name: read_split(name) for name in (tuning, held_out) if name}
        rule = assign([case for cases in found.values() for case in cases], case_set)
        problems += [
            f"{case['id']} is in {name}.yaml but the split rule puts it in {rule[case['id']]}.yaml"
            for name, cases in found.items()
            for case in cases
            if rule[case["id"]] != name
        ]
        if tuning:
            shared = {c["id"] for c in found[tuning]} & {c["id"] for c in found[held_out]}
            problems += [f"{case_id} is in both halves" for case_id in sorted(shared)]
    return problems


def salt_of(split: str) -> str:
    return next(salt for salt, *halves in SETS.values() if split in halves)


def render(split: str, cases: list[dict]) -> str:
    """A case file, cases grouped by kind then id, descriptions folded at 96 columns."""
    lines = [HEADERS[split].format(salt=salt_of(split)).rstrip("\n"), "cases:"]
    rank = {kind: i for i, kind in enumerate(KINDS)}
    for case in sorted(cases, key=lambda c: (rank[c["kind"]], c["id"])):
        lines += [f"  - id: {case['id']}", f"    kind: {case['kind']}"]
        lines += [f"    source: {case['source']}", f"    via: {case['via']}"]
        lines += ["    text: >-"] + [f"      {line}" for line in _fold(case["text"], 90)]
        for key in ("expect", "related", "signals", "listed_as"):
            if key in ("expect", "related") or case.get(key):
                lines.append(f"    {key}: [{', '.join(case.get(key, []))}]")
        if case.get("note"):
            lines.append(f"    note: {json.dumps(case['note'], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _fold(text: str, width: int) -> list[str]:
    """Break at single spaces only, so that YAML's folding gives the text back exactly."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + [current]


def write(pool: Path, case_set: str = "1") -> None:
    cases = json.loads(pool.read_text(encoding="utf-8"))
    halves = assign(cases, case_set)
    for split in filter(None, SETS[case_set][1:]):
        chosen = [c for c in cases if halves[c["id"]] == split]
        SPLITS[split].write_text(render(split, chosen), encoding="utf-8")
        back = {c["id"]: c["text"] for c in read_split(split)}
        assert all(back[c["id"]] == c["text"] for c in chosen), "folding changed a text"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="check all case files and the split")
    action.add_argument("--write", type=Path, metavar="POOL", help="write both halves (once)")
    parser.add_argument("--set", choices=sorted(SETS), default="1", help="the set --write makes")
    args = parser.parse_args(argv)
    try:
        if args.write:
            write(args.write, args.set)
        for split in SPLITS:
            read_split(split)
        problems = split_problems()
    except EntryErrors as errors:
        print(errors, file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
