"""`commons import-signals`: a third-party tracker's stored robots.txt copies as observations.

For every source domain of the catalog's entries that the tracker watched (the
same host, or the host with or without `www.`), each stored copy becomes one
observation dated when the tracker fetched it (trackers.yaml), with the
tracker, its snapshot, the file and its SHA-256. The copy is read with this
project's parsers, never with the tracker's own flags; a copy that is not a
robots.txt (an HTML error or challenge page, an empty body, a block page) is
recorded as rejected, with the reason. Re-running adds nothing twice.

A subdomain or parent domain of a watched host is not the same site: robots.txt
applies to its own host only (RFC 9309 s.2.3), so such near matches are
reported, not imported.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from registry.entry.signals import robots
from registry.signals.history import append, signal_record
from registry.signals.observe import from_robots
from registry.signals.robots_body import why_unreadable

TRACKERS = Path(__file__).with_name("trackers.yaml")
CASE_SENSITIVE = ("ietf-aipref", "cc-signals")


class ImportProblem(Exception):
    """The folder is not the tracker's layout, or the tracker is unknown: says what to do."""


@dataclass(frozen=True)
class Tracker:
    name: str
    repository: str
    url: str
    snapshot: str
    licence: str
    lower_cased: bool
    copies: str
    fetched: dict[str, str]  # "YYYY-MM" → "YYYY-MM-DD"


@dataclass
class ImportReport:
    tracker: Tracker
    matched: dict[str, str] = field(default_factory=dict)  # catalog source → tracker host
    added: dict[str, int] = field(default_factory=dict)  # catalog source → new observations
    rejected: dict[str, int] = field(default_factory=dict)
    near: dict[str, str] = field(default_factory=dict)  # source → watched host it is not
    months: list[str] = field(default_factory=list)
    flag_only_months: list[str] = field(default_factory=list)


@cache
def trackers() -> dict[str, Tracker]:
    data = yaml.safe_load(TRACKERS.read_text(encoding="utf-8"))
    return {
        name: Tracker(
            name=name,
            fetched={str(k): str(v) for k, v in spec.pop("fetched").items()},
            **{k: (v if k == "lower_cased" else str(v)) for k, v in spec.items()},
        )
        for name, spec in data.items()
    }


def find_tracker_folder(path: Path, tracker: Tracker) -> Path:
    """The tracker's folder: `path` itself, or its sub-folder named after the tracker."""
    for candidate in (path, path / tracker.name):
        if (candidate / "_data" / "websites.json").is_file():
            return candidate
    raise ImportProblem(
        f"{path}: not a copy of {tracker.repository} (no _data/websites.json here or in "
        f"{tracker.name}/); point PATH at the folder holding its YYYY/ folders"
    )


def watched_hosts(folder: Path) -> set[str]:
    """Every host the tracker kept a robots.txt copy of."""
    return {p.name.removesuffix(".robots.txt") for p in folder.glob("*/*-robots.txt/*.robots.txt")}


def copy_months(folder: Path) -> list[str]:
    return sorted(
        p.name.removesuffix("-robots.txt")
        for p in folder.glob("*/*-robots.txt")
        if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}-robots\.txt", p.name)
    )


def match_sources(sources: list[str], hosts: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Catalog source → watched host (same host, with or without www.), and the near matches
    (a subdomain or parent of a watched host) that are reported but not imported."""
    matched, near = {}, {}
    for source in sorted(set(sources)):
        bare = source.removeprefix("www.")
        for host in (source, bare, f"www.{bare}"):
            if host in hosts:
                matched[source] = host
                break
        else:
            related = sorted(
                h
                for h in hosts
                if source.endswith("." + h.removeprefix("www.")) or h.endswith("." + bare)
            )
            if related:
                near[source] = related[0]
    return matched, near


def omitted(folder: Path) -> dict[str, str]:
    """Copies the snapshot left out (`_omitted_files.csv`): path → reason."""
    listing = folder / "_omitted_files.csv"
    if not listing.is_file():
        return {}
    with listing.open(encoding="utf-8", newline="") as handle:
        return {row["path"]: row.get("reason") or "left out" for row in csv.DictReader(handle)}


def record(tracker: Tracker, month: str, host: str, rel: str, data: bytes | None, why: str = ""):
    """One observation of `host` from the copy at `rel` (None: the snapshot left it out)."""
    url = f"https://{host}/robots.txt"
    raw = {
        "observed": tracker.fetched[month],
        "url": url,
        "by": "import-signals",
        "tracker": tracker.repository,
        "snapshot": tracker.snapshot,
        "file": rel,
        "lower_cased": "true" if tracker.lower_cased else None,
    }
    if data is None:
        raw["rejected"] = f"the snapshot left this copy out: {why}"
        return raw
    raw["sha256"] = hashlib.sha256(data).hexdigest()
    unreadable = why_unreadable(data)
    if unreadable:
        raw["rejected"] = unreadable
        return raw
    found = from_robots(robots.parse(data), "/", url, raw["observed"])
    raw["signals"] = [_signal(o, url, tracker.lower_cased) for o in found]
    return raw


def _signal(found, url: str, lower_cased: bool) -> dict:
    note = ""
    if lower_cased and found.vocabulary in CASE_SENSITIVE:
        note = (
            "read from a lower-cased copy: had the site written a key in capitals, the draft "
            "would read the statement as unknown"
        )
    elif lower_cased and found.vocabulary == "rsl":
        note = "the URL was lower-cased by the tracker and may differ in case from the site's"
    return signal_record(found, url, note)


def import_tracker(
    path: Path, sources: list[str], observations: Path, tracker: Tracker
) -> ImportReport:
    """Import every copy of every watched catalog source into `observations`."""
    folder = find_tracker_folder(Path(path), tracker)
    report = ImportReport(tracker)
    report.months = copy_months(folder)
    unknown = [month for month in report.months if month not in tracker.fetched]
    if unknown:
        raise ImportProblem(
            f"{folder}: no fetch date known for {', '.join(unknown)}; add each month's commit "
            f"date from {tracker.repository}'s history to {TRACKERS.name}"
        )
    report.flag_only_months = sorted(
        p.stem
        for p in folder.glob("*/*.json")
        if re.fullmatch(r"\d{4}-\d{2}", p.stem) and p.stem not in report.months
    )
    report.matched, report.near = match_sources(sources, watched_hosts(folder))
    left_out = omitted(folder)
    for source, host in report.matched.items():
        records = []
        for month in report.months:
            rel = tracker.copies.format(year=month[:4], month=month, host=host)
            file = folder / rel
            if file.is_file():
                records.append(record(tracker, month, host, rel, file.read_bytes()))
            elif rel in left_out:
                records.append(record(tracker, month, host, rel, None, left_out[rel]))
        report.rejected[source] = sum(1 for r in records if r.get("rejected"))
        report.added[source] = append(observations, source, records, url=f"https://{host}/")
    return report
