"""Dependencies are declared where they are used, and each lock holds what its group needs.

Every third-party module imported by the run-time code (registry/, classifier/)
must come from a package pinned in requirements.lock; the tests' imports from
requirements-test.lock; the benchmarks' (and the peer tools they run) from
requirements-bench.lock. A package only the tests use must stay out of the
run-time lock: `frictionless` pulled in `rich`, which made Datasette print
every error page with local variables.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"registry", "classifier", "scripts", "tests"}


def pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {_normal(name) for name in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported(places: list[str]) -> set[str]:
    """Top-level names of the absolute imports in every .py file at or under `places`."""
    names = set()
    for place in places:
        paths = [ROOT / place] if place.endswith(".py") else (ROOT / place).rglob("*.py")
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


def third_party(names: set[str]) -> dict[str, set[str]]:
    """Module name → the distributions that provide it, for modules outside the standard library."""
    local = {path.stem for folder in ("tests", "scripts") for path in (ROOT / folder).rglob("*.py")}
    local |= FIRST_PARTY
    provided = packages_distributions()
    return {
        name: {_normal(d) for d in provided.get(name, [name])}
        for name in names
        if name not in sys.stdlib_module_names and name not in local and name != "__future__"
    }


@pytest.mark.parametrize(
    ("places", "lock"),
    [
        (["registry", "classifier"], "requirements.lock"),
        (["tests"], "requirements-test.lock"),
        (
            ["scripts/bench.py", "scripts/benchmarks", "scripts/error_load.py"],
            "requirements-bench.lock",
        ),
    ],
)
def test_every_import_comes_from_its_groups_lock(places, lock):
    locked = pinned(lock)
    used = third_party(imported(places))
    assert {name: dists for name, dists in used.items() if not dists & locked} == {}


def test_test_and_benchmark_tools_stay_out_of_the_run_time_lock():
    run_time = pinned("requirements.lock")
    for package in ("frictionless", "rich", "typer", "pytest", "playwright", "yaml-to-sqlite"):
        assert package not in run_time
    assert "icalendar" in run_time  # the ICS export writes calendars with it
    assert "yaml-to-sqlite" in pinned("requirements-bench.lock")
    assert "frictionless" in pinned("requirements-test.lock")


@pytest.mark.parametrize("lock", ["requirements-test.lock", "requirements-bench.lock"])
def test_group_locks_keep_the_run_time_pins(lock):
    def versions(name: str) -> dict[str, str]:
        text = (ROOT / name).read_text(encoding="utf-8")
        return {
            _normal(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE)
        }

    run_time, group = versions("requirements.lock"), versions(lock)
    assert {n: v for n, v in run_time.items() if group.get(n) != v} == {}
    header = (ROOT / lock).read_text(encoding="utf-8").splitlines()[1]
    assert "uv pip compile" in header and "-c requirements.lock" in header
