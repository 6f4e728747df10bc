"""Datasette as `commons serve` configures it (datasette.yml, metadata.yml, the project's templates
and plugins), in process."""

from __future__ import annotations

from pathlib import Path

import yaml
from datasette.app import Datasette

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "datasette.yml").read_text(encoding="utf-8"))
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))


async def project_datasette(db: Path) -> Datasette:
    """A started Datasette serving `db` immutable, with the project's configuration."""
    datasette = Datasette(
        immutables=[str(db)],
        config=CONFIG,
        metadata=METADATA,
        template_dir=str(ROOT / "registry" / "datasette" / "templates"),
        plugins_dir=str(ROOT / "registry" / "datasette" / "plugins"),
    )
    await datasette.invoke_startup()
    return datasette
