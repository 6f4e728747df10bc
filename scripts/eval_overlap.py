"""Evaluate `commons overlap` on tests/eval/overlap-eval.yaml against a registry database.

Reports:
- recall@3: per positive case, the share of its `expect` entries found in the
  top three (out of at most three), averaged;
- hit@3: share of positive cases with at least one `expect` entry in the top three;
- precision of "high": among cases given a high verdict, the share whose top
  match is an `expect` or `related` entry (negatives given "high" count as wrong);
- false-alarm rate: share of negatives given a high verdict.

Usage: python scripts/eval_overlap.py --db dist/registry.db [--cases FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from registry.entry.strict_yaml import read
from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.offer import Offer, offer_from_text

CASES = Path(__file__).resolve().parent.parent / "tests" / "eval" / "overlap-eval.yaml"


def load_cases(path: Path = CASES) -> list[dict]:
    document = read(str(path), path.read_bytes())
    cases = []
    for raw in document.value["cases"]:
        offer = (
            Offer.model_validate(raw["offer"]) if "offer" in raw else offer_from_text(raw["text"])
        )
        cases.append(
            {
                "id": raw["id"],
                "offer": offer,
                "expect": list(raw.get("expect") or []),
                "related": list(raw.get("related") or []),
            }
        )
    return cases


def evaluate(db_path: Path, cases_path: Path = CASES) -> dict:
    index = open_index(db_path)
    known = {entry.id for entry in index.entries}
    rows = []
    for case in load_cases(cases_path):
        unknown = [i for i in case["expect"] + case["related"] if i not in known]
        if unknown:
            raise ValueError(
                f"case {case['id']}: flagged ids not in the catalog: {', '.join(unknown)}"
            )
        result = check(index, case["offer"], top=10)
        top3 = [m["id"] for m in result["matches"][:3]]
        expect = set(case["expect"])
        rows.append(
            {
                "id": case["id"],
                "negative": not expect,
                "verdict": result["verdict"]["level"],
                "top": [(m["id"], m["score"]) for m in result["matches"][:3]],
                "recall": len(expect & set(top3)) / min(3, len(expect)) if expect else None,
                "hit": bool(expect & set(top3)) if expect else None,
                "top_flagged": bool(result["matches"])
                and result["matches"][0]["id"] in expect | set(case["related"]),
            }
        )
    positives = [r for r in rows if not r["negative"]]
    negatives = [r for r in rows if r["negative"]]
    highs = [r for r in rows if r["verdict"] == "high"]
    return {
        "cases": len(rows),
        "positives": len(positives),
        "negatives": len(negatives),
        "recall_at_3": round(sum(r["recall"] for r in positives) / max(1, len(positives)), 3),
        "hit_at_3": round(sum(r["hit"] for r in positives) / max(1, len(positives)), 3),
        "high_verdicts": len(highs),
        "high_precision": round(sum(r["top_flagged"] for r in highs) / len(highs), 3)
        if highs
        else None,
        "false_alarm_rate": round(
            sum(r["verdict"] == "high" for r in negatives) / max(1, len(negatives)), 3
        ),
        "negative_verdicts": {r["id"]: r["verdict"] for r in negatives},
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("dist/registry.db"))
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--verbose", action="store_true", help="print every case")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.db, args.cases)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    if args.verbose:
        for r in report["rows"]:
            mark = "NEG" if r["negative"] else f"r={r['recall']:.2f}"
            print(
                f"{r['id']:<36} {r['verdict']:<6} {mark:<7} "
                + "  ".join(f"{i}:{s:.2f}" for i, s in r["top"])
            )
    print(
        f"cases {report['cases']} ({report['positives']} positive, {report['negatives']} negative)"
    )
    print(f"recall@3 {report['recall_at_3']:.3f}   hit@3 {report['hit_at_3']:.3f}")
    precision = "n/a" if report["high_precision"] is None else f"{report['high_precision']:.3f}"
    print(f"high verdicts {report['high_verdicts']}, precision {precision}")
    print(
        f"false alarms on negatives {report['false_alarm_rate']:.3f}  {report['negative_verdicts']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
