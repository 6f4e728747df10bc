"""The ranked search page under load, two versions of the code turn about: each serves the same
database (`commons serve --no-build` run from its own source folder), and 8 clients ask for the
html-search pages of scripts/search_load.py for 10 s, each server in turn, the order swapped every
turn. Prints p50 / p95 and the Datasette process's CPU per request (from /proc), which the
machine's load changes much less than the wall times.

    git archive <commit> | tar -x -C /tmp/before
    python -m scripts.benchmarks.search_turns --before /tmp/before --after . --turns 4
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from scripts.error_load import _free_port, run, summary
from scripts.search_load import groups

ROOT = Path(__file__).resolve().parents[2]
CLI = "from registry.commands.cli import cli; cli()"


def started(code: Path, db: Path) -> tuple[subprocess.Popen, str, int]:
    """A server of the code in `code` (its own registry package first on the path): the
    supervising process, the URL and the Datasette process's id."""
    port = _free_port()
    command = [sys.executable, "-c", CLI, "serve", "--no-build", "--db", str(db), "--port"]
    process = subprocess.Popen(
        [*command, str(port)],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url + "/-/versions.json", timeout=1).read()
            break
        time.sleep(0.1)
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    return process, url, int(children.stdout.split()[0])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def turn(name: str, url: str, pid: int, pages: list[str], seconds: float) -> dict:
    load, spent = os.getloadavg()[0], cpu_seconds(pid)
    results = asyncio.run(run(url, 8, seconds, 1_000_000_000, 0, pages))
    spent = cpu_seconds(pid) - spent
    found = summary(results, seconds, (load,), os.getloadavg())["normal"]
    return {
        "server": name,
        "requests": found["count"],
        "p50_ms": found["p50_ms"],
        "p95_ms": found["p95_ms"],
        "statuses": found["statuses"],
        "cpu_ms_per_request": round(spent / max(1, found["count"]) * 1000, 2),
        "load": [round(load, 1), round(os.getloadavg()[0], 1)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="source folder of one version")
    parser.add_argument("--after", type=Path, default=ROOT, help="source folder of the other")
    parser.add_argument("--db", type=Path, default=ROOT / "dist" / "registry.db")
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    pages = groups(args.db)["html-search"]
    servers = {
        name: started(code.resolve(), args.db.resolve())
        for name, code in (("before", args.before), ("after", args.after))
    }
    try:
        for _, url, _ in servers.values():  # first requests open connections and read pages
            asyncio.run(run(url, 8, 3, 1_000_000_000, 0, pages))
        for number in range(args.turns):
            order = ("before", "after") if number % 2 == 0 else ("after", "before")
            for name in order:
                _, url, pid = servers[name]
                row = turn(name, url, pid, pages, args.seconds)
                print(json.dumps({"turn": number + 1, **row}), flush=True)
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
