"""Where a ranked search page's time goes: the html-search pages of scripts/search_load.py, asked
of Datasette in process (the project's configuration, templates and plugins) under cProfile.

The SQL runs on the calling thread (`num_sql_threads` 0) so that the profile sees it; the served
process runs it on 3 threads, which changes where it waits, not what it does. Prints the CPU of
one request (process time over `--requests` requests, after a warm-up round) and the functions
that took the most of it, cumulative.

    python -m scripts.benchmarks.search_profile --db dist/registry.db --requests 400
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

import httpx2

from scripts.search_load import groups

ROOT = Path(__file__).resolve().parents[2]
PLAIN = {"accept-encoding": "identity"}
sys.path.insert(0, str(ROOT / "tests"))

from project_datasette import project_datasette  # noqa: E402


async def ask(app, pages: list[str], count: int) -> None:
    """`count` requests of the pages in turn, through one ASGI app (Datasette's own client builds
    its app again for each request, which the served process does not)."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://localhost") as client:
        for number in range(count):
            # As scripts/search_load.py asks: no compression.
            response = await client.get(pages[number % len(pages)], headers=PLAIN)
            if response.status_code != 200:
                raise SystemExit(f"{pages[number % len(pages)]}: {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "dist" / "registry.db")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--callees", help="also print what functions matching this called")
    args = parser.parse_args()
    pages = groups(args.db)["html-search"]
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(project_datasette(args.db, num_sql_threads=0)).app()
    loop.run_until_complete(ask(app, pages, 2 * len(pages)))  # warm-up
    for _ in range(3):
        cpu = time.process_time()
        loop.run_until_complete(ask(app, pages, args.requests))
        per = (time.process_time() - cpu) / args.requests * 1000
        print(f"{per:.2f} ms CPU a request ({args.requests} requests, unprofiled)")
    profile = cProfile.Profile()
    profile.enable()
    loop.run_until_complete(ask(app, pages, args.requests))
    profile.disable()
    stats = pstats.Stats(profile).sort_stats("cumulative")
    stats.print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.callees:
        stats.sort_stats("cumulative").print_callees(args.callees)


if __name__ == "__main__":
    main()
