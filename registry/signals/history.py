"""Writing the observation history: `observations/<source>.yaml`, appended to, never rewritten.

Both writers (`commons refresh-signals`, `commons import-signals`) go through
`append`: it reads the file strictly (a hand-edited file with an error stops the
write, with the error at its line and column), adds the new observations in
date order, skips one already recorded, and writes the canonical text back only
when something changed, so re-running a writer changes nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from registry.entry.canonical import dumps
from registry.entry.observations import ORDER, parse_history
from registry.entry.strict_yaml import read
from registry.signals.clean import visible
from registry.signals.report import MAX_VALUE
from registry.signals.view import Observation


def signal_record(found: Observation, url: str, note: str = "") -> dict:
    """A signal as an observation file keeps it: made visible, cut to MAX_VALUE characters,
    its source left out when it is the observation's url."""
    value = visible(found.value).strip()
    if len(value) > MAX_VALUE:
        value = value[: MAX_VALUE - 3] + "..."
    note = "; ".join(part for part in (visible(found.note) if found.note else "", note) if part)
    return {
        "vocabulary": found.vocabulary,
        "value": value,
        "source": visible(found.source) if found.source != url else None,
        "note": note or None,
    }


def observation_key(record: dict) -> tuple:
    """What makes two records the same observation: an imported file is imported once; a live
    look is the same when it was made the same day and found the same signals."""
    if record.get("by") == "import-signals":
        return ("import", record.get("tracker"), record.get("snapshot"), record.get("file"))
    return ("live", record.get("observed"), record.get("url"), found(record))


def found(record: dict) -> tuple:
    """The signals of a record as comparable tuples (a signal's source defaults to the url)."""
    if record.get("rejected"):
        return ("rejected",)
    return tuple(
        sorted(
            (s["vocabulary"], s["value"], s.get("source") or record.get("url"))
            for s in record.get("signals") or []
        )
    )


def read_raw(path: Path) -> dict | None:
    """The file's data as strings (None when there is no file yet), validated first."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    name = f"{path.parent.name}/{path.name}"
    parse_history(name, data)  # raises EntryErrors, positioned
    return read(name, data).value


def append(
    folder: Path,
    source: str,
    records: list[dict],
    url: str | None = None,
    checked: datetime.date | None = None,
) -> int:
    """Add `records` (raw dicts, strings only) to the history of `source`; returns how many were
    new. `url` is set when the file has none; `checked` records the last look."""
    path = Path(folder) / f"{source}.yaml"
    raw = read_raw(path) or {"source": source}
    if url and url != f"https://{source}/" and not raw.get("url"):
        raw["url"] = url
    existing = list(raw.get("observations") or [])
    known = {observation_key(record) for record in existing}
    new = [record for record in records if observation_key(record) not in known]
    # Stable: a record keeps its place among those of the same date, new ones after old ones.
    raw["observations"] = sorted(existing + new, key=lambda record: record["observed"])
    if checked is not None and (raw.get("checked") or "") < checked.isoformat():
        raw["checked"] = checked.isoformat()
    text = dumps(raw, ORDER)
    parse_history(f"{path.parent.name}/{path.name}", text.encode("utf-8"))  # never write a bad file
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(new)
