"""Evaluate `commons overlap` on the evaluation cases against a registry database.

Cases are in tests/eval/overlap/ (README.md there): `--split tuning` (default), `held-out`,
`watched`, `tuning-2`, `held-out-2`, `tuning-3`, `held-out-3`, `held-out-4`, `held-out-5`,
`held-out-6`, `held-out-7`, `held-out-8`, `held-out-9`, `held-out-10` or `held-out-11`, or any case
file with `--cases FILE`.
A case whose own description the catalog imported (its `source`, or an address in its
`listed_as`, is a record's provenance) is scored with that record left out: see `own_listings`
and `own_records`.

Figures, for one split at a time:
- recall@3: per same-data case, the share of its `expect` entries found in the top three
  (out of at most three), averaged; hit@3: share with at least one in the top three;
- precision of "high": among cases given a high verdict, the share that are same-data
  cases whose top match is an `expect` or `related` entry (a negative given "high" is wrong);
- false-"high" rate: share of negatives (kinds related-not-same and unrelated) given "high";
- false-"medium" rate: share of negatives given "medium" or "high" whose top match is not
  one of their `related` entries (a top match of unrelated content at medium or above);
- same-data rated "high": share of same-data cases given "high" (what a stricter "high" costs
  the positives; the rest are "medium" or below);
- related@3: share of related-not-same cases with a `related` entry in the top three.
A negative's top match that is an imported record judged same-data or related after scoring
(judged-N.yaml, see overlap_judged.py) is a related top match; the false-"medium" rate by the
labels alone is given beside it.
The two negative rates are also given per kind.

A held-out split that has not been scored yet (HELD_OUT - SPENT in overlap_cases.py) prints
aggregate figures only: no per-case lines, ids or verdicts, in text or JSON. Run it once per
release of the matcher, never while tuning (README.md there). The spent held-out files
(held-out, held-out-2, held-out-3, held-out-4: scored once and studied since) print per-case
lines with --verbose like a tuning file; held-out-5 too, scored once at ba279bcd, held-out-6,
scored once at 1175c467, held-out-7, scored once at 2e74c9bf, held-out-8, scored once at
a6c1ff13, held-out-9, scored once at c9abc605, held-out-10, scored once at 45917f97, and
held-out-11, scored once at c0dd9d7e.

Usage: python scripts/eval_overlap.py --db dist/registry.db [--split NAME | --cases FILE]
       [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from registry.entry.errors import EntryErrors
from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.offer import offer_from_text
from registry.overlap.offer_file import offer_from_mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overlap_cases import HELD_OUT, KINDS, SPENT, SPLITS, read_split  # noqa: E402
from overlap_judged import judged_path, read_judged, related_by_judgement  # noqa: E402

NEGATIVE_KINDS = ("related-not-same", "unrelated")


def split_of(split: str, path: Path | None) -> str:
    """A case file given by path counts as the split it is (the held-out file stays held-out)."""
    if path is None:
        return split
    named = {p.resolve(): name for name, p in SPLITS.items()}
    return named.get(path.resolve(), "custom")


def load_cases(split: str = "tuning", path: Path | None = None) -> list[dict]:
    """The cases of one split (or of the file at `path`), each with its offer built."""
    cases = []
    for raw in read_split(split, path):
        offer = offer_from_mapping(raw["offer"]) if "offer" in raw else offer_from_text(raw["text"])
        cases.append(
            {
                "id": raw["id"],
                "kind": raw["kind"],
                "offer": offer,
                "expect": list(raw["expect"]),
                "related": list(raw.get("related") or []),
                "source": raw.get("source"),
                "listed_as": list(raw.get("listed_as") or []),
                "text": raw.get("text") or raw["offer"].get("description", ""),
            }
        )
    return cases


def own_listings(db_path: Path) -> dict[str, frozenset[str]]:
    """Record address → ids of the catalog records imported from it (entries.provenance_record).

    A case quotes a real description; when the catalog imported that very description, the case
    would find its own listing. The evaluation leaves it out: the labels judge the rest of the
    catalog, and a seller's own listing says nothing about how well the check finds others."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "select provenance_record, id from entries where provenance_record is not null"
        ).fetchall()
    finally:
        connection.close()
    found: dict[str, set[str]] = {}
    for record, entry_id in rows:
        found.setdefault(record, set()).add(entry_id)
    return {record: frozenset(ids) for record, ids in found.items()}


def own_records(case: dict, own: dict[str, frozenset[str]]) -> frozenset[str]:
    """The catalog records of the case's own card: imported from its `source`, or from an address
    in `listed_as` (the same card under the Hub's newer name, as for the ninth set's cards)."""
    addresses = [case.get("source"), *case.get("listed_as", [])]
    return frozenset().union(*(own.get(address, frozenset()) for address in addresses))


def score_case(
    index, case: dict, own: frozenset[str] = frozenset(), judged: frozenset[str] = frozenset()
) -> dict:
    """One case's verdict, top three and whether the top match is an entry it flags.

    `judged`: imported records judged same-data or related for this case after scoring
    (overlap_judged.py): a top match among them is a related top match, not unrelated content."""
    result = check(index, case["offer"], top=10, exclude=own)
    matches = result["matches"]
    top3 = [m["id"] for m in matches[:3]]
    expect, related = set(case["expect"]), set(case["related"])
    top = matches[0]["id"] if matches else None
    return {
        "id": case["id"],
        "kind": case["kind"],
        "negative": not expect,
        "verdict": result["verdict"]["level"],
        "top": [(m["id"], m["score"]) for m in matches[:3]],
        "recall": len(expect & set(top3)) / min(3, len(expect)) if expect else None,
        "hit": bool(expect & set(top3)) if expect else None,
        "related_at_3": bool(related & set(top3)),
        "top_flagged": top in expect | related,
        "top_related": top in related or top in judged,
        "top_related_by_labels": top in related,
        "own_left_out": len(own),
    }


def _share(rows: list[dict], test) -> float | None:
    return round(sum(1 for r in rows if test(r)) / len(rows), 3) if rows else None


def _false_high(row: dict) -> bool:
    return row["verdict"] == "high"


def _false_medium(row: dict) -> bool:
    return row["verdict"] in ("medium", "high") and not row["top_related"]


def _false_medium_by_labels(row: dict) -> bool:
    """The false-"medium" test on the case labels alone, before any judged top match."""
    return row["verdict"] in ("medium", "high") and not row["top_related_by_labels"]


def summarise(rows: list[dict]) -> dict:
    """The aggregate figures of a list of scored cases."""
    positives = [r for r in rows if not r["negative"]]
    negatives = [r for r in rows if r["negative"]]
    highs = [r for r in rows if r["verdict"] == "high"]
    by_kind = {kind: [r for r in negatives if r["kind"] == kind] for kind in NEGATIVE_KINDS}
    return {
        "cases": len(rows),
        "by_kind": {kind: sum(1 for r in rows if r["kind"] == kind) for kind in KINDS},
        "recall_at_3": round(sum(r["recall"] for r in positives) / len(positives), 3)
        if positives
        else None,
        "hit_at_3": _share(positives, lambda r: r["hit"]),
        "high_verdicts": len(highs),
        "high_precision": _share(highs, lambda r: not r["negative"] and r["top_flagged"]),
        "same_data_high_rate": _share(positives, lambda r: r["verdict"] == "high"),
        "false_high_rate": _share(negatives, _false_high),
        "false_medium_rate": _share(negatives, _false_medium),
        "false_medium_rate_by_labels": _share(negatives, _false_medium_by_labels),
        "false_medium_judged_related": sum(
            1 for r in negatives if _false_medium_by_labels(r) and not _false_medium(r)
        ),
        "negatives_by_kind": {
            kind: {
                "cases": len(kind_rows),
                "false_high_rate": _share(kind_rows, _false_high),
                "false_medium_rate": _share(kind_rows, _false_medium),
            }
            for kind, kind_rows in by_kind.items()
        },
        "related_at_3": _share(by_kind["related-not-same"], lambda r: r["related_at_3"]),
        "own_listings_left_out": sum(1 for r in rows if r.get("own_left_out")),
        "verdicts": {
            level: sum(1 for r in rows if r["verdict"] == level)
            for level in ("high", "medium", "low", "none")
        },
    }


def evaluate(
    db_path: Path,
    split: str = "tuning",
    cases_path: Path | None = None,
    judged_file: Path | None = None,
) -> dict:
    """Score every case of a split; the report keeps per-case rows for non-held-out use.

    `judged_file`: judged top matches to count (default: the split's judged-N.yaml, if any)."""
    split = split_of(split, cases_path)
    index = open_index(db_path)
    known = set(index.position)
    cases = load_cases(split, cases_path)
    unknown = sorted({i for c in cases for i in c["expect"] + c["related"] if i not in known})
    if unknown:
        raise ValueError(f"flagged ids not in the catalog: {', '.join(unknown)}")
    own = own_listings(db_path)
    judged = _judgements(judged_file or judged_path(split), {c["id"] for c in cases})
    rows = [
        score_case(
            index,
            case,
            own_records(case, own),
            frozenset(related_by_judgement(judged, case["id"])),
        )
        for case in cases
    ]
    return {"split": split, **summarise(rows), "rows": rows}


def _judgements(path: Path | None, case_ids: set[str]) -> dict[str, dict[str, str]]:
    """The judged top matches in `path` (a split's judged-N.yaml), if it was judged yet."""
    return read_judged(path, case_ids) if path is not None and path.exists() else {}


def unspent(split: str) -> bool:
    """A held-out file not yet scored for a release: only its aggregate figures may be seen."""
    return split in HELD_OUT and split not in SPENT


def public_report(report: dict) -> dict:
    """What may be shown: everything, except per-case rows of a held-out file not yet spent."""
    if unspent(report["split"]):
        return {k: v for k, v in report.items() if k != "rows"}
    return report


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def print_report(report: dict, verbose: bool) -> None:
    if verbose:
        for r in report["rows"]:
            mark = r["kind"] if r["negative"] else f"r={r['recall']:.2f}"
            tops = "  ".join(f"{i}:{s:.2f}" for i, s in r["top"])
            print(f"{r['id']:<48} {r['verdict']:<6} {mark:<16} {tops}")
    kinds = ", ".join(f"{n} {kind}" for kind, n in report["by_kind"].items())
    print(f"{report['split']}: {report['cases']} cases ({kinds})")
    print(f"recall@3 {_figure(report['recall_at_3'])}   hit@3 {_figure(report['hit_at_3'])}")
    print(f"high verdicts {report['high_verdicts']}, precision {_figure(report['high_precision'])}")
    print(f"same-data cases rated high: {_figure(report['same_data_high_rate'])}")
    print(
        f"on negatives: false-high rate {_figure(report['false_high_rate'])}, "
        f"false-medium rate {_figure(report['false_medium_rate'])}"
    )
    if report["false_medium_judged_related"]:
        print(
            f"  by the labels alone {_figure(report['false_medium_rate_by_labels'])}; "
            f"{report['false_medium_judged_related']} top matches judged related after scoring"
        )
    for kind, figures in report["negatives_by_kind"].items():
        print(
            f"  {kind} ({figures['cases']}): false-high {_figure(figures['false_high_rate'])}, "
            f"false-medium {_figure(figures['false_medium_rate'])}"
        )
    print(
        f"related-not-same with a related entry in the top three: {_figure(report['related_at_3'])}"
    )
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in report["verdicts"].items()))
    print(f"cases whose own catalog listing was left out: {report['own_listings_left_out']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("dist/registry.db"))
    parser.add_argument("--split", choices=sorted(SPLITS), default="tuning")
    parser.add_argument("--cases", type=Path, help="score this case file instead of a split")
    parser.add_argument(
        "--verbose", action="store_true", help="print every case (not an unspent held-out file)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if unspent(split_of(args.split, args.cases)) and args.verbose:
        parser.error("the held-out half prints aggregate figures only; --verbose is for tuning")
    try:
        report = evaluate(args.db, args.split, args.cases)
    except (EntryErrors, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    report = public_report(report)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
