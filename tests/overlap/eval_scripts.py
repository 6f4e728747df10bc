"""The evaluation scripts (scripts/*.py are not a package), loaded once for the tests."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_script(name: str):
    """scripts/<name>.py as a module, registered so that its own imports of siblings work."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def otdi_snapshot(folder: Path, descriptions: list[str]) -> Path:
    """A small OTDI catalog snapshot in `folder`: card u/d<i> has descriptions[i], padded past
    the draw's minimum length; returns the snapshot's root for the draw scripts."""
    padding = " padding" * 30
    rows = [
        {"url": f"https://huggingface.co/datasets/u/d{i}", "description": text + padding}
        for i, text in enumerate(descriptions)
    ]
    domain = folder / "otdi-catalog" / "docs/files/data/catalog/domain"
    domain.mkdir(parents=True)
    (domain / "web.js").write_text(f"const data = \n{json.dumps(rows)}\n;", encoding="utf-8")
    return folder / "otdi-catalog"
