"""Rewrite the generated reference documents (JSON Schema, field and CLI references).

Usage: python scripts/generate_docs.py [--check]
With --check, exit 1 and name the stale files instead of writing.
"""

from __future__ import annotations

import sys

from registry.site.reference_docs import ROOT, documents


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in documents().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'stale' if check else 'rewritten'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
