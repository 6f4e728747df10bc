"""sqlite-utils for the build, imported with pandas hidden from it.

sqlite-utils imports pandas when it is installed, only to map pandas' column types, which the
build never writes; pandas costs about 0.3 s of every build's start. The build's first import
of sqlite-utils is this one (registry/build/db.py, which the pipeline imports before any other
user of it; tests/test_build_warm.py holds that a build imports no pandas). Once sqlite-utils is
imported, pandas imports as usual for whoever needs it.
"""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "pandas" not in sys.modules:
    sys.modules["pandas"] = None  # `import pandas` raises ImportError while this is set
    try:
        import sqlite_utils
    finally:
        del sys.modules["pandas"]
else:
    import sqlite_utils

__all__ = ["sqlite_utils"]
