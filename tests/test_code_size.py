"""Small modules and short functions: none over 400 lines, none over 60 (at 100 columns).

Read from the source with `ast`, for every Python file of the project outside
registry/build/ (its size is kept by the build's own work). A function's size
runs from its first decorator to its last line, nested functions included. An
exception is allowed only with a reason in ALLOWED, and a reason that no
longer applies fails too, so the list stays true.
"""

from __future__ import annotations

import ast
import functools
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SKIPPED = {".git", ".venv", ".cache", "dist", "node_modules", "test-artifacts", "__pycache__"}
OWN_LIMITS = ("registry/build/",)

# "path" for a module, "path::qualified.name" for a function → why it may be longer.
CLICK = "declarative click options and --help text; the body itself is short"
BUILD = "the build's benchmark, rewritten with the build on branch `build-simple`"
ALLOWED: dict[str, str] = {
    "registry/commands/build.py::build_command": CLICK,
    "registry/commands/classify.py::classify_command": CLICK,
    "registry/commands/export.py::export_command": CLICK,
    "registry/commands/import_file.py::import_command": CLICK,
    "registry/commands/overlap.py::overlap_command": CLICK,
    "registry/commands/serve.py::serve_command": CLICK,
    "registry/commands/site.py::site_command": CLICK,
    "scripts/benchmarks/build.py": BUILD,
    "scripts/benchmarks/build.py::build_rows": BUILD,
    "scripts/benchmarks/build.py::datasette_rows": BUILD,
    "scripts/benchmarks/pairs.py::pairs_rows": BUILD + " (the overlap pairs step of the build)",
    "tests/build_fixtures.py::small_corpus": "one literal list of six entries, read top to bottom",
    "tests/overlap/catalog_db.py::add_entry": "one row for every table an entry fills, written out",
    "tests/test_governance_cycle.py::test_a_full_cycle_from_proposal_to_release": (
        "one governance cycle, proposal to release, step by step on a throwaway repository"
    ),
    "tests/test_import.py::test_import_drafts_fail_until_filled_then_validate": (
        "one contributor's walk: import, fail validation, fill in the CHECK fields, pass"
    ),
}


def python_files() -> list[Path]:
    """The project's Python files, not descending into SKIPPED folders (.venv alone holds
    thousands)."""
    found = []
    for folder, folders, files in os.walk(ROOT):
        folders[:] = [name for name in folders if name not in SKIPPED]
        found += [Path(folder, name) for name in files if name.endswith(".py")]
    return [
        path
        for path in sorted(found)
        if not path.relative_to(ROOT).as_posix().startswith(OWN_LIMITS)
    ]


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function, methods and nested functions included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield name, node
            yield from _functions(node, f"{name}.")
        else:
            yield from _functions(node, prefix)


@functools.cache
def oversized() -> dict[str, int]:
    """Every module and function over its limit → its length in lines (measured once a run)."""
    found = {}
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            found[relative] = lines
        for name, node in _functions(ast.parse(source, relative)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - start + 1
            if length > MAX_FUNCTION_LINES:
                found[f"{relative}::{name}"] = length
    return found


def test_no_module_or_function_over_its_limit_without_a_reason():
    found = oversized()
    unexplained = {key: length for key, length in found.items() if key not in ALLOWED}
    assert unexplained == {}, (
        f"split these (modules > {MAX_MODULE_LINES} lines, functions > {MAX_FUNCTION_LINES}), "
        "or add them to ALLOWED with a reason"
    )


def test_every_allowed_exception_is_still_needed_and_explained():
    found = oversized()
    assert [key for key in ALLOWED if key not in found] == [], "no longer over: remove from ALLOWED"
    assert [key for key, reason in ALLOWED.items() if len(reason.split()) < 4] == []


def test_the_size_check_sees_long_functions_and_modules(tmp_path):
    """The measure itself: a 61-line nested function is found by its qualified name."""
    body = "\n".join(f"        x{i} = {i}" for i in range(59))
    source = f"class A:\n    @staticmethod\n    def f():\n{body}\n"
    tree = ast.parse(source)
    (name, node), *_ = list(_functions(tree))
    assert name == "A.f" and node.end_lineno - node.decorator_list[0].lineno + 1 == 61
