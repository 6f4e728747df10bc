"""Load test of the catalog's search and faceted pages: p95 with 8 clients, against a real server.

Three groups of pages, each loaded on its own by `--clients` clients (8 by default) for
`--seconds`, then each by one client:

- html-search: the ranked search page (`/-/search?q=`, where the header's search box
  lands) for the words of scripts/benchmarks/search_mix.py: the common words (matching half
  the rows or more) and the mix (rare to common, two-word searches);
- json-search: the same words through the catalog table's JSON (`catalog.json?_search=`)
  and the ranked search's JSON;
- json-faceted: the catalog's JSON with its 8 configured facets, unfiltered and filtered.

Budgets (issue 23): HTML search p95 < 200 ms with 8 clients; JSON faceted and search
p95 < 50 ms. The machine is shared: the load average is reported before and after each
group, and `--repeats` runs give the spread.

    python scripts/search_load.py --db /tmp/registry-100000.db --repeats 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.benchmarks.search_mix import choose  # noqa: E402
from scripts.error_load import run, started_server, summary  # noqa: E402

FACETED = [
    "/registry/catalog.json?_extra=facet_results&_size=20",
    "/registry/catalog.json?_extra=facet_results&category=commons-by-default&_size=20",
    "/registry/catalog.json?_extra=facet_results&modality=text&languages__arraycontains=en",
]


def groups(db: Path) -> dict[str, list[str]]:
    """The pages of each group, for the words chosen from `db`."""
    mix, worst = choose(db)
    words = [s.text for s in worst] + [s.text for s in mix]
    return {
        "html-search": [f"/-/search?{urlencode({'q': w})}" for w in words],
        "json-search": [f"/registry/catalog.json?{urlencode({'_search': w})}" for w in words]
        + [f"/registry/search.json?{urlencode({'q': w})}" for w in words],
        "json-faceted": FACETED,
    }


def measure(url: str, pages: list[str], clients: int, seconds: float) -> dict:
    load_before = os.getloadavg()
    results = asyncio.run(run(url, clients, seconds, 1_000_000_000, 0, pages))
    report = summary(results, seconds, load_before, os.getloadavg())
    return {
        "clients": clients,
        "requests": report["normal"]["count"],
        "p50_ms": report["normal"]["p50_ms"],
        "p95_ms": report["normal"]["p95_ms"],
        "max_ms": report["normal"]["max_ms"],
        "statuses": report["normal"]["statuses"],
        "load": [round(report["load_before"][0], 1), round(report["load_after"][0], 1)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=str(ROOT / "dist" / "registry.db"))
    parser.add_argument("--url", help="a running server on the same database")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    pages = groups(Path(args.db))
    rows = []
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(started_server(Path(args.db)))
        for repeat in range(args.repeats):
            for name, paths in pages.items():
                for clients in (args.clients, 1):
                    row = {"group": name, "repeat": repeat + 1}
                    row.update(measure(url, paths, clients, args.seconds))
                    print(json.dumps(row), flush=True)
                    rows.append(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
