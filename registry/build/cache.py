"""The build cache's folder and key: everything a cached entry's rows depend on besides its bytes.

That is the entry and database schema versions, the rules version and the rule files' bytes
(a repository's own rules may change without a new version), the as-of date and a fingerprint
of the code that parses and classifies. The cache itself
is the build's working database (registry/build/work.py), where each entry's
rows are found by file name and the sha256 of the file's bytes; delete
`.cache/` at any time, the build redoes the work.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import classifier
import registry

DEFAULT_CACHE = Path(".cache") / "build"
_CODE_PACKAGES = (Path(registry.__file__).parent, Path(classifier.__file__).parent)


_PINNED: list[str] = []


def pin_code() -> None:
    """Take the code's fingerprint once, now: a resident build process (resident.py) runs the
    code it imported for as long as it runs, and its cache must be keyed to that code, not to
    files edited on disk since (whose rows it does not compute)."""
    _PINNED[:] = [code_fingerprint()]


def code_fingerprint() -> str:
    """sha256 over the Python sources and rule data of the registry and classifier packages."""
    if _PINNED:
        return _PINNED[0]
    digest = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for path in sorted(package.rglob("*")):
            if (
                path.suffix in (".py", ".yaml", ".json")
                and path.is_file()
                and "__pycache__" not in path.parts
            ):
                digest.update(str(path.relative_to(package.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: object) -> str:
    text = "\x1f".join(str(part) for part in parts) + "\x1f" + code_fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()[:32]
