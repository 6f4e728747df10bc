#!/usr/bin/env bash
# The test command: install everything the tests need (Python packages from the
# lock file, Debian chromium for the browser tests), then run the test suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k loader`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/install-system.sh
exec .venv/bin/python -m pytest "$@"
