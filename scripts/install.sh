#!/usr/bin/env bash
# Create .venv/ and install the pinned dependencies (with hashes), then the project itself.
#   bash scripts/install.sh          run time only: requirements.lock (what `commons` needs)
#   bash scripts/install.sh test     run time and the tests: requirements-test.lock
#   bash scripts/install.sh bench    run time and the benchmarks: requirements-bench.lock
# Re-running is cheap: nothing is reinstalled while the lock file is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    "") lock=requirements.lock ;;
    test | bench) lock="requirements-$1.lock" ;;
    *) echo "usage: bash scripts/install.sh [test|bench]" >&2; exit 2 ;;
esac

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.${lock}.sha256"
wanted=$(sha256sum "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    # The run-time lock first, then the group's (which holds the same pins and its own packages).
    .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
    if [ "$lock" != requirements.lock ]; then
        .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
    fi
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
        || .venv/bin/python -m pip install --quiet --no-deps -e .
    echo "$wanted" > "$stamp"
fi
