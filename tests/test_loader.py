"""The strict loader: golden bad inputs, good inputs, and what may never happen."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.commands.cli import cli
from registry.entry.errors import EntryErrors
from registry.entry.loader import load, parse_entry

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good"


def relative(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


@pytest.fixture(autouse=True)
def run_from_repository_root(monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)


def test_validate_bad_corpus_prints_every_expected_message():
    result = CliRunner().invoke(cli, ["validate", "tests/fixtures/bad"])
    assert result.exit_code == 1
    printed = [line for line in result.stderr.splitlines() if line.startswith("tests/")]
    expected = [
        line
        for sidecar in sorted(BAD.glob("*.expected"))
        for line in sidecar.read_text().splitlines()
    ]
    assert printed == sorted(expected)
    assert "Traceback" not in result.output
    assert result.stderr.strip().endswith(
        f"Error: {len(expected)} error(s) in {len({e.split(':')[0] for e in expected})} file(s)"
    )


@pytest.mark.parametrize("case", sorted(p.stem for p in BAD.glob("*.yaml")))
def test_each_bad_case_has_its_sidecar(case):
    if case == "20-soil-data":
        pytest.skip("valid on its own: the partner of 20-soil_data")
    assert (BAD / f"{case}.expected").exists()


def test_good_corpus_loads_with_strings_kept_as_strings():
    entries = {item.entry.id: item.entry for item in load([GOOD])}
    assert entries["02-norway-stays-a-string"].jurisdictions == ["NO"]
    assert entries["04-version-like-name"].name == "1.10"
    assert str(entries["05-iso-date"].evidence[0].checked) == "2021-03-04"
    assert entries["06-octal-like-name"].name == "0755"
    assert entries["15-bom-and-crlf"].summary == "A small example dataset used to check the loader."


def test_alias_bomb_is_rejected_in_under_a_second():
    data = (BAD / "09-billion-laughs.yaml").read_bytes()
    started = time.perf_counter()
    with pytest.raises(EntryErrors) as raised:
        parse_entry("entries/bomb.yaml", data)
    assert time.perf_counter() - started < 1.0
    assert "anchors/aliases not allowed" in str(raised.value)


def test_python_tag_never_runs(tmp_path):
    marker = tmp_path / "ran"
    text = f"id: x\nname: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(EntryErrors, match="tags are not allowed"):
        parse_entry("entries/x.yaml", text.encode())
    assert not marker.exists()


def test_errors_of_all_files_are_reported_together(tmp_path):
    for name in ("a-one", "b-two"):
        (tmp_path / f"{name}.yaml").write_text(f"id: {name}\nnme: typo\n")
    with pytest.raises(EntryErrors) as raised:
        load([tmp_path])
    files = {error.path.rsplit("/", 1)[-1] for error in raised.value.errors}
    assert files == {"a-one.yaml", "b-two.yaml"}
    assert any("unknown key 'nme' (did you mean 'name'?)" in str(e) for e in raised.value.errors)


def test_dangling_lineage_reference_is_an_error(tmp_path):
    text = (GOOD / "05-iso-date.yaml").read_text().replace(
        "05-iso-date", "solo"
    ) + "derived_from: [missing-source]\n"
    (tmp_path / "solo.yaml").write_text(text)
    with pytest.raises(EntryErrors, match="derived_from: unknown entry 'missing-source'"):
        load([tmp_path])


def test_a_reference_to_an_invalid_entry_is_not_reported_as_unknown(tmp_path):
    """The invalid file's own errors say what is wrong; its referrers are not blamed too."""
    base = (GOOD / "05-iso-date.yaml").read_text()
    (tmp_path / "source.yaml").write_text(
        base.replace("05-iso-date", "source").replace(
            "verification: ", "verification: sometimes # "
        )
    )
    (tmp_path / "derived.yaml").write_text(
        base.replace("05-iso-date", "derived") + "derived_from: [source]\n"
    )
    with pytest.raises(EntryErrors) as raised:
        load([tmp_path])
    paths = {os.path.basename(error.path) for error in raised.value.errors}
    assert paths == {"source.yaml"}, [str(e) for e in raised.value.errors]


def test_alias_colliding_with_an_id_is_an_error(tmp_path):
    base = (GOOD / "05-iso-date.yaml").read_text()
    (tmp_path / "first.yaml").write_text(base.replace("05-iso-date", "first"))
    (tmp_path / "second.yaml").write_text(
        base.replace("05-iso-date", "second") + "aliases: [first]\n"
    )
    with pytest.raises(EntryErrors, match="alias 'first' collides with"):
        load([tmp_path])


def test_non_http_urls_are_rejected():
    text = (
        (GOOD / "05-iso-date.yaml")
        .read_text()
        .replace("05-iso-date", "x")
        .replace("homepage: https://data.example.org/", "homepage: javascript:alert(1)")
    )
    with pytest.raises(EntryErrors, match="homepage: scheme must be http or https"):
        parse_entry("entries/x.yaml", text.encode())


def _url_accepted_by_parts(value: str) -> bool:
    """The URL rule spelt out step by step: http(s) scheme, a host without `@`, no whitespace
    anywhere."""
    scheme, sep, rest = value.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return (
        bool(sep)
        and scheme.lower() in ("http", "https")
        and bool(host)
        and "@" not in host
        and not any(c.isspace() for c in value)
    )


URLISH = st.text(alphabet=st.sampled_from(list("hHtTpPsSſ:/?#@ \t\u00a0\u2028ax.-")), max_size=30)


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        URLISH,
        URLISH.map(lambda rest: "https://" + rest),
        URLISH.map(lambda rest: "HTTP://" + rest),
    )
)
def test_url_check_accepts_exactly_the_rule(value):
    from registry.entry.schema import _http_url

    try:
        accepted = _http_url(value) == value
    except ValueError:
        accepted = False
    assert accepted == _url_accepted_by_parts(value)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_entry_errors(data):
    try:
        parse_entry("entries/fuzz.yaml", data)
    except EntryErrors as errors:
        assert errors.errors and all(
            str(error).startswith("entries/fuzz.yaml:") for error in errors.errors
        )


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?%@`0\\u")), max_size=400)


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_yaml_shaped_text_only_raises_entry_errors(text):
    try:
        parse_entry("entries/fuzz.yaml", text.encode())
    except EntryErrors:
        pass


def test_escapes_are_checked_in_double_quoted_scalars_and_only_written_there():
    """Only a double-quoted scalar turns escapes into characters: a hidden character written as
    an escape is refused wherever that scalar sits; a backslash anywhere else is the file's own
    text, kept as it is."""
    from registry.entry.strict_yaml import YamlErrors, read

    text = (
        'id: x\nname: "a\\u200bb"\nkeywords: [plain, "c\\x07d"]\n'
        'publisher:\n  name: "e\\u202ef"\n'
        "plain: a\\u200bb\nquoted: 'a\\x07b'\nblock: |\n  a\\0b\n"
    )
    with pytest.raises(YamlErrors) as refused:
        read("x.yaml", text.encode())
    assert [(e.line, e.col) for e in refused.value.errors] == [(2, 7), (3, 19), (5, 9)]
    clean = "\n".join(line for line in text.split("\n") if '"' not in line and "  name" not in line)
    value = read("x.yaml", clean.encode()).value
    assert (value["plain"], value["quoted"], value["block"]) == ("a\\u200bb", "a\\x07b", "a\\0b\n")
