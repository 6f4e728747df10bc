"""Threat T25 (Unicode spoofing) and non-finite numbers, through the real `commons` commands.

The golden corpus (tests/fixtures/bad/25-*, 26-*) holds the refused cases with their exact
messages; here: what is accepted, normalised or only warned about, and the exports.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest

from registry.entry.errors import EntryErrors
from registry.entry.loader import parse_entry
from registry.entry.strict_yaml import FORBIDDEN_CHARACTER

ROOT = Path(__file__).resolve().parent.parent
COMMONS = str(Path(sys.executable).with_name("commons"))
GOOD = (ROOT / "tests" / "fixtures" / "bad" / "17-bidi-override.yaml").read_text(encoding="utf-8")


def entry_file(folder: Path, entry_id: str, name: str) -> Path:
    text = GOOD.replace("id: 17-bidi-override", f"id: {entry_id}")
    text = text.replace("name: Data\u202eset", f"name: {name}")
    path = folder / f"{entry_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def validate(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COMMONS, "validate", *map(str, paths)], capture_output=True, text=True, cwd=ROOT
    )


def test_every_format_character_is_refused_anywhere_in_a_file():
    format_characters = {
        chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"
    }
    assert all(FORBIDDEN_CHARACTER.fullmatch(c) for c in format_characters)
    assert FORBIDDEN_CHARACTER.fullmatch("\u2028") and FORBIDDEN_CHARACTER.fullmatch("\u2029")
    assert not any(FORBIDDEN_CHARACTER.fullmatch(c) for c in "\t\n\r é日")


def test_text_is_stored_composed_so_nfc_and_nfd_twins_are_equal(tmp_path):
    composed = "Caf\u00e9 Archive"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    path = entry_file(tmp_path, "cafe-archive", decomposed)
    loaded = parse_entry(str(path), path.read_bytes())
    assert loaded.entry.name == composed and loaded.warnings == ()


def test_names_in_one_script_or_accented_latin_pass_without_warning(tmp_path):
    names = {
        "french-library": "Biblioth\u00e8que nationale de France",
        "greek-texts": "Ελληνικά κείμενα",
        "japanese-library": "国立国会図書館デジタル",
    }
    paths = [entry_file(tmp_path, entry_id, name) for entry_id, name in names.items()]
    result = validate(*paths)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "3 entries valid" in result.stdout


def test_a_name_mixing_scripts_across_words_is_a_warning_not_an_error(tmp_path):
    path = entry_file(
        tmp_path, "wikipedia-ru", "Wikipedia \u0420\u0443\u0441\u0441\u043a\u0438\u0439"
    )
    result = validate(path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{path}:2:7: warning: name: 'Wikipedia \u0420\u0443\u0441\u0441\u043a\u0438\u0439' mixes "
        "scripts (Cyrillic, Latin); check that every word is written in the script it looks like"
    ]
    assert "1 entries valid, 1 warning(s)" in result.stdout


def test_a_greek_omicron_inside_a_latin_word_is_refused_at_its_column(tmp_path):
    path = entry_file(tmp_path, "books", "G\u03bfogle Books")
    result = validate(path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:2:8: name: '\u03bf' (U+03BF GREEK SMALL LETTER OMICRON) in "
        "'G\u03bfogle' looks like 'o' (U+006F LATIN SMALL LETTER O); write each word in one script"
    )


def _with_size(built_registry: Path, path: Path, size: float) -> Path:
    """A copy of the session registry whose first entry has this size (the build refuses inf)."""
    shutil.copy(built_registry, path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "update entries set size_value = ? where id = (select min(id) from entries)", (size,)
        )
    return path


def test_the_json_export_never_writes_infinity(tmp_path, built_registry):
    db = _with_size(built_registry, tmp_path / "registry.db", float("inf"))
    out = tmp_path / "exports"
    result = subprocess.run(
        [COMMONS, "export", "--db", str(db), "--out", str(out), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot be written as JSON" in result.stderr and "commons build" in result.stderr
    assert not out.exists() or not any(out.rglob("*.json"))
    # A finite size is written as a plain JSON number.
    db = _with_size(built_registry, tmp_path / "finite.db", 1.5e12)
    subprocess.run(
        [COMMONS, "export", "--db", str(db), "--out", str(out), "--format", "json"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    text = (out / "entries.json").read_text(encoding="utf-8")
    assert "Infinity" not in text and "NaN" not in text
    assert json.loads(text)["entries"]


@pytest.mark.parametrize(
    "extra",
    [
        "publisher: Bibliothèque\n",
        "access: {kind: open, urls: [~, 3, [a], {b: c}, 'https://dаta.org/']}\n",
        "evidence: [~, x, {url: ~}, {url: [1]}]\n",
        "licenses: Ünïcode\nsignals: [{source: ~}, ~]\n",
        "homepage:\naliases: [~, 'é']\nderived_from: 'ä'\n",
    ],
)
def test_odd_shapes_beside_non_ascii_text_are_errors_never_a_crash(extra):
    text = "id: odd\nname: Caf\u00e9 Ünïcode\n" + extra
    with pytest.raises(EntryErrors) as raised:
        parse_entry("entries/odd.yaml", text.encode("utf-8"))
    assert raised.value.errors
