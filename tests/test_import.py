"""`commons import`: drafts from Croissant, Hugging Face cards, Data Packages and DCAT.

Each fixture under tests/fixtures/import/ follows its format's published
specification and examples. A draft must fail validation until its CHECK
fields are filled in, and pass once they are.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.errors import EntryErrors
from registry.entry.loader import load
from registry.importers.file import import_file
from registry.importers.licences import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "import"

KNOWN_ENTRY = """\
id: wikipedia
name: Wikipedia
summary: The free encyclopedia, all languages.
homepage: https://www.wikipedia.org/
access:
  kind: open
  urls: [https://dumps.wikimedia.org/]
publisher:
  name: Wikimedia Foundation
  type: nonprofit
modality: text
languages: [mul]
domains: [encyclopedic]
licenses:
  - expression: CC-BY-SA-4.0
copyright_basis: community-open-licence
evidence:
  - url: https://en.wikipedia.org/wiki/Wikipedia:Copyrights
verification: high
"""

# What a person writes under each CHECK comment, by key name.
ANSWERS = {
    "name": "Example Publisher",
    "type": "academic",
    "domains": "[science]",
    "copyright_basis": "open-licence",
    "verification": "high",
    "url": "https://example.org/licence-page",
    "urls": "[https://example.org/download]",
    "homepage": "https://example.org/home",
    "modality": "text",
    "summary": "A dataset used in tests.",
    "expression": "CC-BY-4.0",
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: imports never use the network."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    yield attempts
    assert not attempts


@pytest.fixture
def entries(tmp_path):
    folder = tmp_path / "entries"
    folder.mkdir()
    (folder / "wikipedia.yaml").write_text(KNOWN_ENTRY, encoding="utf-8")
    return folder


def run_import(source: Path, entries: Path, *extra):
    result = CliRunner().invoke(
        cli, ["import", str(source), "--out", str(entries), "--entries", str(entries), *extra]
    )
    return result


def fill(text: str) -> str:
    """Answer every CHECK the way a person would: type a value after the key below it."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("# CHECK:"):
            target = lines[number + 1]
            match = re.fullmatch(r"(\s*(?:- )?)([a-z_]+):\s*", target)
            assert match, f"a CHECK comment must sit above an empty key, found: {target!r}"
            lines[number + 1] = f"{match.group(1)}{match.group(2)}: {ANSWERS[match.group(2)]}"
    return "\n".join(lines) + "\n"


def validation_errors(folder: Path) -> list[str]:
    try:
        load([folder])
    except EntryErrors as errors:
        return [str(e) for e in errors.errors]
    return []


@pytest.mark.parametrize(
    ("fixture", "draft_id", "expected"),
    [
        (
            "croissant/metadata.json",
            "simple-pass",
            {
                "licence": "CC-BY-4.0",
                "modality": "image",
                "homepage": "https://www.robots.ox.ac.uk/~vgg/data/pass/",
                "publisher": "Visual Geometry Group, University of Oxford",
            },
        ),
        (
            "hf-card/README.md",
            "wiki-bilingual-qa",
            {
                "licence": "CC-BY-SA-4.0",
                "modality": "text",
                "languages": "[en, fr]",
                "derived_from": "[wikipedia]",
            },
        ),
        (
            "datapackage/datapackage.json",
            "gdp-world",
            {
                "licence": "PDDL-1.0",
                "modality_suggested": "tabular",
                "homepage": "https://datahub.io/core/gdp",
                "publisher": "Core Data Team",
            },
        ),
        (
            "dcat/dataset.jsonld",
            "air-quality-measurements-2024",
            {
                "licence": "CC-BY-4.0",
                "modality_suggested": "tabular",
                "languages": "[en]",
                "publisher": "National Environment Agency",
            },
        ),
    ],
)
def test_import_drafts_fail_until_filled_then_validate(fixture, draft_id, expected, entries):
    result = run_import(FIXTURES / fixture, entries)
    assert result.exit_code == 0, result.output
    draft = entries / f"{draft_id}.yaml"
    text = draft.read_text(encoding="utf-8")
    assert f"expression: {expected['licence']}" in text
    if "modality" in expected:
        assert f"modality: {expected['modality']}" in text
    if "modality_suggested" in expected:
        # CSV and Parquet hold text as often as tables: the format only suggests a modality.
        assert f"suggested: {expected['modality_suggested']}\nmodality:\n" in text
    if "homepage" in expected:
        assert f"homepage: {expected['homepage']}" in text
    if "languages" in expected:
        assert f"languages: {expected['languages']}" in text
    if "derived_from" in expected:
        assert f"derived_from: {expected['derived_from']}" in text
    if "publisher" in expected:
        assert f"name: {expected['publisher']}" in text
    # The CHECK list on stderr and the comments in the file name the same fields.
    assert "CHECK (" in result.stderr
    assert text.count("# CHECK:") == len(
        [line for line in result.stderr.splitlines() if line.startswith("  ")]
    )

    errors = validation_errors(entries)
    checked = {int(e.split(":")[1]) for e in errors if draft.name in e}
    assert errors and all(draft.name in e for e in errors)
    comment_lines = {n + 2 for n, line in enumerate(text.splitlines()) if "# CHECK:" in line}
    assert checked <= comment_lines, "every validation error is on a line marked CHECK"

    draft.write_text(fill(text), encoding="utf-8")
    assert validation_errors(entries) == []
    result = CliRunner().invoke(cli, ["validate", str(entries)])
    assert result.exit_code == 0, result.output


def test_unmapped_fields_are_listed(entries):
    result = run_import(FIXTURES / "croissant" / "metadata.json", entries)
    assert "not mapped" in result.stderr
    for field in ("citeAs", "conformsTo", "datePublished", "version"):
        assert field in result.stderr
    assert "yfcc100m" in result.stderr  # a source dataset not in the registry, listed for a person


def test_prefixed_croissant_and_deed_url(entries):
    result = run_import(FIXTURES / "croissant" / "prefixed.json", entries)
    assert result.exit_code == 0, result.output
    text = (entries / "prefixed-example-corpus.yaml").read_text(encoding="utf-8")
    assert "expression: CC-BY-SA-4.0" in text
    assert "url: https://creativecommons.org/licenses/by-sa/4.0/deed.en" in text
    assert "name: Example Foundation" in text
    assert "languages: [en, de]" in text


def test_remote_context_is_never_fetched(entries, no_network):
    result = run_import(FIXTURES / "dcat" / "remote-context.jsonld", entries)
    assert result.exit_code == 0, result.output
    assert "was not fetched" in result.stderr
    text = (entries / "remote-context-example.yaml").read_text(encoding="utf-8")
    assert "expression: CC0-1.0" in text
    assert no_network == []


def test_existing_draft_is_not_overwritten(entries):
    assert run_import(FIXTURES / "datapackage" / "datapackage.json", entries).exit_code == 0
    again = run_import(FIXTURES / "datapackage" / "datapackage.json", entries)
    assert again.exit_code == 1 and "already exists" in again.output
    assert (
        run_import(FIXTURES / "datapackage" / "datapackage.json", entries, "--force").exit_code == 0
    )


@pytest.mark.parametrize(
    ("fixture", "position", "message"),
    [
        ("trailing-comma.json", ":4:22:", "invalid JSON"),
        ("duplicate-key.json", ":4:3:", "duplicate key 'name'"),
        ("README-tags.md", ":2:10:", "anchors/aliases not allowed"),
        ("README-no-front-matter.md", ":1:1:", "no YAML front matter"),
        ("bidi.json", ":3:18:", "U+202E"),
        ("nan.json", ":1:41:", "NaN"),
    ],
)
def test_hostile_input_gives_positioned_errors(fixture, position, message, entries):
    source = FIXTURES / "hostile" / fixture
    fmt = "hf-card" if fixture.endswith(".md") else "datapackage"
    result = run_import(source, entries, "--format", fmt)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{fixture}{position}" in result.stderr, result.stderr
    assert message in result.stderr
    assert list(entries.glob("*.yaml")) == [entries / "wikipedia.yaml"]


def test_yaml_tags_in_a_card_are_refused_with_every_error(entries):
    result = run_import(FIXTURES / "hostile" / "README-tags.md", entries)
    assert "tags are not allowed" in result.stderr
    assert ":4:" in result.stderr  # the tag's line in the card, not in the front matter


def test_auto_detection(tmp_path):
    for fixture, fmt in [
        ("croissant/metadata.json", "croissant"),
        ("datapackage/datapackage.json", "datapackage"),
        ("dcat/dataset.jsonld", "dcat"),
        ("hf-card/README.md", "hf-card"),
    ]:
        from registry.importers.file import detect_format

        path = FIXTURES / fixture
        assert detect_format(str(path), path.read_bytes()) == fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cc-by-4.0", "CC-BY-4.0"),
        ("apache-2.0", "Apache-2.0"),
        ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0"),
        ("odc-by", "ODC-By-1.0"),
        ("ODC-PDDL-1.0", "PDDL-1.0"),
        ("mit", "MIT"),
        ("other", None),
        ("gpl-3.0", None),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/deed.en", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/3.0/legalcode", "CC-BY-NC-ND-3.0"),
        ("https://creativecommons.org/licenses/by/2.0/fr/", "LicenseRef-CC-BY-2.0-FR"),
        ("https://creativecommons.org/licenses/by/3.0/de/deed.de", "CC-BY-3.0-DE"),
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.fr", "CC0-1.0"),
        ("http://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        ("https://spdx.org/licenses/MIT.html", "MIT"),
        ("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://example.org/our-terms", None),
    ],
)
def test_licence_normalisation(value, expected):
    assert normalise(value).expression == expected


def test_hf_other_licence_uses_license_name(tmp_path):
    card = (FIXTURES / "hf-card" / "README.md").read_text(encoding="utf-8")
    card = card.replace(
        "license: cc-by-sa-4.0",
        "license: other\nlicense_name: odbl\nlicense_link: https://opendatacommons.org/licenses/odbl/1-0/",
    )
    path = tmp_path / "README.md"
    path.write_text(card, encoding="utf-8")
    draft = import_file(str(path), path.read_bytes())
    assert draft.values["licenses"][0]["expression"] == "ODbL-1.0"
    card = card.replace("license_name: odbl", "license_name: our-own-terms").replace(
        "https://opendatacommons.org/licenses/odbl/1-0/", "LICENSE.md"
    )
    path.write_text(card, encoding="utf-8")
    draft = import_file(str(path), path.read_bytes())
    assert draft.values["licenses"][0]["expression"] is None
    assert "our-own-terms" in draft.checks[("licenses", 0, "expression")]


def test_one_oversized_front_matter_key_is_refused_clearly(tmp_path, entries):
    """A list longer than 64 KiB is read item by item; one item over 64 KiB is refused."""
    card = (FIXTURES / "hf-card" / "README.md").read_text(encoding="utf-8")
    padding = "".join(f"  - name: feature_{i}\n    dtype: string\n" for i in range(3000))
    card = card.replace("  features:\n", "  features:\n" + padding, 1)
    path = tmp_path / "README.md"
    path.write_text(card, encoding="utf-8")
    result = run_import(path, entries)
    assert (
        result.exit_code == 1
        and re.search(r"README.md:\d+:1: `dataset_info` is [\d,]+ bytes", result.stderr)
        and "64 KiB of one key" in result.stderr
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"name": "deep", "resources": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "nested too deeply",
        ),
        (
            b'{"name": "big", "resources": [], "description": "' + b"x" * (5 * 1024 * 1024) + b'"}',
            "the importer reads at most",
        ),
        (b'{"name": "latin1", "title": "caf\xe9", "resources": []}', "not UTF-8"),
        (b"[1, 2, 3]", "expected a JSON object"),
    ],
    ids=["deep-nesting", "oversized", "not-utf8", "not-an-object"],
)
def test_hostile_json_is_refused_without_a_traceback(content, message, tmp_path, entries):
    path = tmp_path / "datapackage.json"
    path.write_bytes(content)
    result = run_import(path, entries, "--format", "datapackage")
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert "datapackage.json:1:" in result.stderr


def test_a_dataset_already_in_the_registry_is_pointed_out(tmp_path, entries):
    card = (
        (FIXTURES / "hf-card" / "README.md")
        .read_text(encoding="utf-8")
        .replace("https://example.org/wiki-bilingual-qa", "https://www.wikipedia.org/")
    )
    path = tmp_path / "README.md"
    path.write_text(card, encoding="utf-8")
    result = run_import(path, entries)
    assert result.exit_code == 0, result.output
    assert "may already be in the registry as 'wikipedia'" in result.stderr
