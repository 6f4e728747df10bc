"""Agreement with the Data Provenance Initiative's licence classes (classifier/data/
dpi-license-classes.json) on every licence it names that has an SPDX id, judged on text
content: DPI `All` means commercial training is allowed (perhaps with conditions), `NC`
means only non-commercial training is. The differences are deliberate and argued in the
rules changelog 2026.3."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import yaml
from classifier_fixtures import classify_licences

DATA = resources.files("classifier") / "data"
CLASSES = json.loads((DATA / "dpi-license-classes.json").read_text(encoding="utf-8"))
MAP = yaml.safe_load((DATA / "dpi-id-map.yaml").read_text(encoding="utf-8"))["map"]
OPEN = ("allowed", "conditional")

# DPI classes these as usable for any purpose; the registry treats a trained model as an
# adaptation, which NoDerivatives forbids (ruleset.yaml use profile `no-derivatives`).
DIFFERENCES = {"CC BY-ND 4.0", "CC BY-NC-ND 3.0", "CC BY-NC-ND 4.0"}
ROWS = sorted(name for name in MAP if name in CLASSES)


def test_the_snapshot_and_the_map_cover_the_software_licences():
    assert len(CLASSES) == 66
    assert len(ROWS) == 39
    for name in ("MIT License", "Apache License 2.0", "GNU General Public License v3.0", "C-UDA"):
        assert CLASSES[name][0] == "All"


@pytest.mark.parametrize("name", ROWS)
def test_agrees_with_dpi_on_text(name):
    result = classify_licences(MAP[name])
    training = result.uses["training"]
    dpi = CLASSES[name][0]
    agrees = (dpi == "All" and training.commercial in OPEN) or (
        dpi == "NC" and training.commercial == "restricted" and training.non_commercial in OPEN
    )
    if name in DIFFERENCES:
        assert not agrees, f"{name} now agrees with DPI: remove it from DIFFERENCES"
    else:
        assert agrees, (name, MAP[name], dpi, training, [r.rule for r in result.reasons])


def test_agreement_count():
    agree = [n for n in ROWS if n not in DIFFERENCES]
    assert len(agree) == 36
