"""Load test: normal pages beside error-producing requests, against a real server on loopback.

A bounded number of clients (16 by default) each keep one HTTP/1.1
connection open and send requests for a fixed time, back to back or one per
`--interval` seconds; one request in five (by default) is an error: a 404,
invalid SQL, a bad search or sort, a path that once answered 500.
The client is plain asyncio streams, so it costs little CPU beside the
server on a small machine. The report gives the latency percentiles of the
normal pages and of the errors separately, every status seen, and the load
average before and after, since other work on the machine moves the figures.

Usage:
    python scripts/error_load.py                       # starts `commons serve` on a free port
    python scripts/error_load.py --url http://127.0.0.1:8001 --seconds 60 --clients 16
    python scripts/error_load.py --interval 0.5        # each client at most 2 requests a second
    python scripts/error_load.py --error-every 0       # the same pages without errors: the floor
    python scripts/error_load.py --json                # one JSON object instead of text
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

# Pages a program or a researcher asks for again and again: the JSON API, search, entry pages.
NORMAL = [
    "/registry/catalog.json?_size=10",
    "/registry/catalog.json?_search=archive",
    "/registry/catalog.json?category=commons-by-default&_size=20",
    "/registry/-/query.json?sql=select+id,+name+from+catalog+where+modality+=+%27audio%27",
    "/entry/wikipedia",
    "/entry/common-crawl",
    "/-/versions.json",
]
# Datasette's HTML table pages render every cell through the plugins: ~80 ms each when idle.
HTML = ["/", "/registry/catalog", "/registry/catalog?category=commons-by-default"]
ERRORS = [
    "/entry/no-such-entry",
    "/no/such/page",
    "/registry/no_such_table",
    "/registry/-/query?sql=selec+1",
    "/registry/-/query.json?sql=select+*+from+no_such_table",
    "/registry/catalog.json?_where=no_such_function(1)",
    "/registry/catalog?_sort=no_such_column",
    "/registry/-/query.json?sql=select+*+from+catalog_fts+where+catalog_fts+match+%27NEAR(%27",
    "/-/static-plugins/x/y",
    "/registry//example.com",
]


TURNS = {True: itertools.count(), False: itertools.count()}


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _request(reader, writer, host: str, path: str) -> tuple[int, bool]:
    """(status, whether the server closes the connection) of one GET."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name.lower() == "connection" and "close" in value.lower():
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status, close


async def _client(
    number: int,
    url: str,
    deadline: float,
    error_every: int,
    interval: float,
    normal: list[str],
    results: list,
    start_delay: float,
):
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    count = number  # clients start at different points of the rotation
    await asyncio.sleep(start_delay)
    try:
        while time.perf_counter() < deadline:
            is_error = count % error_every == error_every - 1
            pool = ERRORS if is_error else normal
            # One rotation per kind, shared by all clients, so every path is asked for in turn.
            path = pool[next(TURNS[pool is ERRORS]) % len(pool)]
            count += 1
            started = time.perf_counter()
            try:
                status, close = await _request(reader, writer, parts.netloc, path)
            except (ConnectionError, asyncio.IncompleteReadError):
                status, close = 0, True
            if close:  # a 500 from uvicorn closes the connection: open the next one
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            took = time.perf_counter() - started
            results.append(("error" if is_error else "normal", path, status, took))
            if interval > took:
                await asyncio.sleep(interval - took)
    finally:
        writer.close()


async def run(
    url: str, clients: int, seconds: float, error_every: int, interval: float, normal: list[str]
) -> list:
    results: list = []
    deadline = time.perf_counter() + seconds
    await asyncio.gather(
        *(
            _client(
                number,
                url,
                deadline,
                error_every,
                interval,
                normal,
                results,
                # Paced clients start spread over one interval, so requests do not come in bursts.
                interval * number / clients,
            )
            for number in range(clients)
        )
    )
    return results


def summary(results: list, seconds: float, load_before, load_after) -> dict:
    report = {"seconds": seconds, "requests": len(results), "load_before": load_before}
    report["per_second"] = round(len(results) / seconds, 1)
    report["load_after"] = load_after
    for kind in ("normal", "error"):
        times = [t * 1000 for k, _, _, t in results if k == kind]
        statuses: dict[str, int] = {}
        for k, _, status, _ in results:
            if k == kind:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        report[kind] = {
            "count": len(times),
            "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(percentile(times, 0.5) or 0, 1),
            "p95_ms": round(percentile(times, 0.95) or 0, 1),
            "p99_ms": round(percentile(times, 0.99) or 0, 1),
            "max_ms": round(max(times, default=0), 1),
            "statuses": statuses,
        }
    slowest: dict[str, float] = {}
    for _, path, _, t in results:
        slowest[path] = max(slowest.get(path, 0), t * 1000)
    report["slowest_ms_by_path"] = {p: round(t, 1) for p, t in sorted(slowest.items())}
    return report


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def started_server(db: Path):
    """`commons serve --no-build` on a free port, stopped afterwards."""
    port = _free_port()
    commons = Path(sys.executable).with_name("commons")
    process = subprocess.Popen(
        [str(commons), "serve", "--no-build", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/-/versions.json", timeout=1).read()
                break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server; without it, `commons serve` is started")
    parser.add_argument("--db", default=str(ROOT / "dist" / "registry.db"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--error-every", type=int, default=5, help="one error request in N (0: no errors)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0,
        help="seconds from one request's start to the next, per client (0: back to back)",
    )
    parser.add_argument(
        "--html", action="store_true", help="count the HTML table pages among the normal pages"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(started_server(Path(args.db)))
        load_before = os.getloadavg()
        every = args.error_every or 1_000_000_000
        normal = NORMAL + HTML if args.html else NORMAL
        results = asyncio.run(run(url, args.clients, args.seconds, every, args.interval, normal))
        report = summary(results, args.seconds, load_before, os.getloadavg())
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
