"""The package's shape: no import cycle, the classifier over the entry model only, a light CLI.

The graph is read from the source (every import statement, also those inside
functions and under TYPE_CHECKING), so a cycle hidden by a deferred import
still fails here.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("registry", "classifier")
# The only part of `registry` the classifier may import: the entry model.
ENTRY_MODEL = "registry.entry"
# What `commons --help` must not load: each costs tens to hundreds of milliseconds.
HEAVY = (
    "numpy",
    "scipy",
    "datasketch",
    "datasette",
    "mkdocs",
    "frictionless",
    "pydantic",
    "sqlite_utils",
    "yaml",
    "jinja2",
    "requests",
    "classifier.engine",
    "registry.entry.schema",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that `name` imports anywhere in its source."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from package import module` imports the module; any other name, the package.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Each project module → the project modules it imports (read once a run; do not change)."""
    modules = source_modules()
    return {name: frozenset(imported(name, path, set(modules))) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_every_module():
    graph = import_graph()
    assert {"registry.build.pipeline", "registry.entry.loader", "classifier.engine"} <= set(graph)
    assert "registry.entry.loader" in graph["registry.build.pipeline"]
    # A deferred import counts: the command imports the build inside its function.
    assert "registry.build.pipeline" in graph["registry.commands.build"]


def test_cycles_are_found_when_there_are_some():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_classifier_imports_only_the_entry_model_from_registry():
    graph = import_graph()
    outside = {
        f"{name} -> {target}"
        for name, targets in graph.items()
        if name.startswith("classifier")
        for target in targets
        if target.startswith("registry")
        and target != ENTRY_MODEL
        and not target.startswith(ENTRY_MODEL + ".")
    }
    assert outside == set()


def test_the_entry_model_imports_nothing_else_of_the_project():
    graph = import_graph()
    outside = {
        f"{name} -> {target}"
        for name, targets in graph.items()
        if name == ENTRY_MODEL or name.startswith(ENTRY_MODEL + ".")
        for target in targets
        if target != ENTRY_MODEL and not target.startswith(ENTRY_MODEL + ".")
    }
    assert outside == set()


@functools.cache
def modules_loaded_by_the_command_line() -> frozenset[str]:
    """The modules a fresh interpreter holds once it has imported the `commons` group (one
    process for every module asked about)."""
    code = "import sys; from registry.commands.cli import cli; print(*sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return frozenset(result.stdout.split())


@pytest.mark.parametrize("heavy", HEAVY)
def test_the_command_line_loads_no_heavy_module_before_a_command_runs(heavy):
    loaded = modules_loaded_by_the_command_line()
    assert "registry.commands.cli" in loaded
    assert heavy not in loaded


def _imports_of_a_tests_package(source: str) -> list[int]:
    """Lines that import through a package named `tests`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        if any(name == "tests" or name.startswith("tests.") for name in names):
            lines.append(node.lineno)
    return lines


def test_a_tests_package_import_is_found():
    assert _imports_of_a_tests_package("import os\nfrom tests import x\nimport tests.y\n") == [2, 3]


def test_test_modules_import_their_helpers_by_module_name():
    """A dependency (yaml-to-sqlite) installs a top-level `tests` package, which then
    shadows this folder: helpers are imported by module name, the folder is on sys.path."""
    tests = Path(__file__).resolve().parent
    found = {
        f"{path.name}:{line}": line
        for path in sorted(tests.rglob("*.py"))
        for line in _imports_of_a_tests_package(path.read_text(encoding="utf-8"))
    }
    assert not found, f"import helpers as `import name`, not through `tests.`: {sorted(found)}"


def test_the_site_build_does_not_load_the_database_writer():
    """`commons site` reads the database with sqlite3; sqlite-utils, with the pandas it imports,
    was 0.44 s of each one-entry rebuild's start (through registry.read.page_digests)."""
    code = (
        "import sys, registry.commands.cli, registry.commands.site, registry.site.build; "
        "print(sorted(m for m in ('sqlite_utils', 'pandas', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
