"""Public-domain texts shipped as Debian packages, written out as documents of a corpus folder.

- The King James Bible (1611), Debian `bible-kjv-text`, read with its reader `bible` from
  `bible-kjv`: one document per chapter (1,189).
- Ambrose Bierce, The Devil's Dictionary (1881-1906), Debian `dict-devil`: one document per
  definition, read from the dictd files through their index.

Both are in Project Gutenberg (ebooks #10 and #972), so the project indexes them as content of
the `project-gutenberg` entry. `scripts/install-system.sh` installs both packages.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

DEVIL_DICT = Path("/usr/share/dictd/devil.dict.dz")
DEVIL_INDEX = Path("/usr/share/dictd/devil.index")
BIBLE = "bible"
CHAPTER = re.compile(r"^(\S.*\S) (\d+)$")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


class MissingPackage(RuntimeError):
    """A Debian package is not installed; the message names it and the script that installs it."""


def missing() -> list[str]:
    """The Debian packages of these texts that are not installed."""
    found = []
    if shutil.which(BIBLE) is None:
        found.append("bible-kjv")
    if not (DEVIL_DICT.is_file() and DEVIL_INDEX.is_file()):
        found.append("dict-devil")
    return found


def _require() -> None:
    absent = missing()
    if absent:
        raise MissingPackage(
            f"Debian package(s) {', '.join(absent)} not installed: run "
            "`bash scripts/install-system.sh`"
        )


def kjv_chapters() -> list[tuple[str, str]]:
    """(name, text) of every chapter, verse numbers kept as the reader prints them."""
    _require()
    output = subprocess.run(
        [BIBLE, "gen1:1-rev22:21"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    chapters: list[tuple[str, list[str]]] = []
    for line in output.splitlines():
        heading = CHAPTER.match(line)
        if heading and not line.startswith(" "):
            chapters.append((f"kjv/{heading.group(1)} {heading.group(2)}", []))
        elif chapters:
            chapters[-1][1].append(line)
    return [(name, "\n".join(lines).strip()) for name, lines in chapters]


def _number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + B64.index(char)
    return value


def devil_definitions() -> list[tuple[str, str]]:
    """(name, text) of every definition of The Devil's Dictionary."""
    _require()
    data = gzip.decompress(DEVIL_DICT.read_bytes())
    found = []
    for line in DEVIL_INDEX.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00-database"):
            continue
        start = _number(offset)
        text = data[start : start + _number(length)].decode("utf-8", "replace").strip()
        found.append((f"devil/{headword}", text))
    return found


def write_corpus(folder: Path) -> int:
    """Write both texts under `folder`, one file per document; how many documents."""
    documents = kjv_chapters() + devil_definitions()
    for number, (name, text) in enumerate(documents):
        stem = re.sub(r"[^\w/-]+", "_", name)
        path = folder / f"{stem}-{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return len(documents)
