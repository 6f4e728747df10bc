#!/usr/bin/env bash
# The main job: install, build the registry database and the static site from
# entries/, then serve both on 127.0.0.1 (Datasette at /, the site at /site/).
# Extra arguments go to `commons serve`, e.g. `bash scripts/serve.sh --port 8002`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/commons build --out dist/registry.db
.venv/bin/commons export --db dist/registry.db --out dist/exports
.venv/bin/commons site --db dist/registry.db --out dist/site --exports dist/exports
exec .venv/bin/commons serve --db dist/registry.db --site dist/site --no-build "$@"
