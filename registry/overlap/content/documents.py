"""A seller's sample files as documents, read strictly: a bad file is named with what is wrong.

A file is a document, unless it is JSON Lines (each line's "text" is one) or plain text with
form feeds or lines of "---" between documents. Bytes must be UTF-8 text: a binary file, a
file over MAX_FILE_BYTES or bytes of another encoding stop the check with the file, line and
column, and nothing is compared until every file reads (`read_samples` reports them all).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FILES = 100_000
SEPARATOR = re.compile(r"\f|^-{3,}\s*$", re.MULTILINE)
BINARY_SNIFF = 8192


class SampleErrors(ValueError):
    """Every problem found in the sample files, each as `path:line:col: message`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Document:
    """One document of a sample: where it is, and its text."""

    source: str
    text: str


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file, or ValueError saying where it is not text."""
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}:1:1: the file is {len(data) / 2**20:.0f} MiB, over the "
            f"{MAX_FILE_BYTES // 2**20} MiB a sample file may be; split it into smaller files"
        )
    nul = data.find(b"\0", 0, BINARY_SNIFF)
    if nul >= 0:
        line, col = _position(data, nul)
        raise ValueError(
            f"{path}:{line}:{col}: a binary file (NUL byte), not text; give the text of your "
            "documents (.txt, .md, .jsonl)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = _position(data, error.start)
        raise ValueError(
            f"{path}:{line}:{col}: byte 0x{data[error.start]:02x} is not UTF-8; convert the file "
            "(e.g. `iconv -f latin1 -t utf-8`)"
        ) from None


def split(path: str, text: str) -> list[Document]:
    """The documents of one file's text."""
    if path.endswith(".jsonl"):
        return _jsonl(path, text)
    parts = [p.strip() for p in SEPARATOR.split(text)]
    if len(parts) == 1:
        return [Document(path, parts[0])] if parts[0] else []
    return [Document(f"{path}#{n}", p) for n, p in enumerate(parts, 1) if p]


def _jsonl(path: str, text: str) -> list[Document]:
    documents = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{n}:{error.colno}: not JSON ({error.msg})") from None
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            raise ValueError(f'{path}:{n}:1: each line needs a "text" string')
        documents.append(Document(f"{path}:{n}", value["text"]))
    return documents


def files_of(paths: list[Path]) -> list[Path]:
    """Files given, folders walked (sorted), hidden files skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            ]
        else:
            found.append(path)
    return found


def read_samples(paths: list[Path]) -> list[Document]:
    """Every document of the sample files; SampleErrors lists every file that cannot be read."""
    files = files_of(paths)
    if len(files) > MAX_FILES:
        raise SampleErrors([f"{len(files):,} files: give at most {MAX_FILES:,} sample files"])
    documents, errors = [], []
    for file in files:
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            documents += split(str(file), decode(str(file), data))
        except OSError as error:
            errors.append(f"{file}:1:1: cannot read ({error.strerror})")
        except ValueError as error:
            errors.append(str(error))
    if errors:
        raise SampleErrors(errors)
    if not documents:
        raise SampleErrors(["the sample files hold no text"])
    return documents
