"""Licence knowledge with recorded provenance: the SPDX list, the okfn Open
Definition list and the okfn→SPDX id map (see classifier/data/PROVENANCE.md).
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources

import yaml

DATA = resources.files("classifier") / "data"


@lru_cache(maxsize=1)
def spdx() -> dict:
    """The SPDX licence list document (source, version, licences by id)."""
    return json.loads((DATA / "spdx-licenses.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _spdx_by_lower() -> dict[str, dict]:
    return {key.lower(): {"id": key, **value} for key, value in spdx()["licenses"].items()}


def spdx_licence(licence_id: str) -> dict | None:
    """SPDX facts for an id (case-insensitive), or None when it is not an SPDX licence id."""
    return _spdx_by_lower().get(licence_id.lower())


@lru_cache(maxsize=1)
def okfn_rows() -> list[dict]:
    """Rows of the okfn licence list (okfn/licenses@98a3a6f licenses.csv)."""
    with (DATA / "okfn-licenses.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def okfn_id_map() -> dict[str, str | None]:
    """okfn id → SPDX id (None: no SPDX equivalent, the okfn id is used as is)."""
    data = yaml.load(
        (DATA / "okfn-id-map.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    return data["map"]


def spdx_id_for_okfn(okfn_id: str) -> str:
    """The id under which the classifier knows an okfn licence."""
    mapping = okfn_id_map()
    if okfn_id in mapping:
        return mapping[okfn_id] or okfn_id
    known = spdx_licence(okfn_id)
    return known["id"] if known else okfn_id


@lru_cache(maxsize=1)
def license_ref_ids() -> tuple[str, ...]:
    """The allowlisted LicenseRef- ids (classifier/data/license-refs.yaml)."""
    data = yaml.load(
        (DATA / "license-refs.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    return tuple(ref["id"] for ref in data["refs"])
