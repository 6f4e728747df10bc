"""`commons refresh-signals`: look at each source again and append what changed.

A source is a host the chosen entries name in `source_domains`; it is looked at
where its history says (`url`, default https://<source>/). A look whose result
equals the latest observation appends nothing and only moves `checked`; a
different result is appended as a new observation. A source whose robots.txt or
page cannot be read keeps its history as it is, with a warning. Entry files are
never rewritten.
"""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from registry.entry.observations import History
from registry.signals.history import append, found, signal_record
from registry.signals.observe import Report, observe


@dataclass
class RefreshReport:
    looked: int = 0
    appended: list[str] = field(default_factory=list)  # sources with a new observation
    unchanged: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def live_record(report: Report, page: str, day: datetime.date) -> dict:
    """The observation file's record of one look at `page`."""
    return {
        "observed": day.isoformat(),
        "url": page,
        "by": "refresh-signals",
        "signals": [signal_record(o, page) for o in report.observations],
    }


def latest_record(history: History, source: str) -> dict | None:
    """The latest observation of `source` as a record comparable with `live_record`'s."""
    known = history.sources.get(source)
    if not known or not known.observations:
        return None
    last = known.observations[-1]
    return {
        "url": last.url,
        "rejected": last.rejected,
        "signals": [
            {"vocabulary": s.vocabulary, "value": s.value, "source": s.source} for s in last.signals
        ],
    }


def refresh(
    sources: list[str], history: History, folder: Path, policy, day: datetime.date | None = None
) -> RefreshReport:
    """Look at every source (four at a time) and append to its history what changed."""
    day = day or datetime.datetime.now(datetime.UTC).date()
    pages = {
        source: history.sources[source].page if source in history.sources else f"https://{source}/"
        for source in dict.fromkeys(sources)
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda page: observe(page, policy), pages.values()))
    result = RefreshReport(looked=len(pages))
    for (source, page), report in zip(pages.items(), reports, strict=True):
        result.warnings += [f"{source}: {warning}" for warning in report.warnings]
        if not report.complete:
            result.unread.append(source)
            continue
        record = live_record(report, page, day)
        last = latest_record(history, source)
        if last is not None and found(last) == found(record):
            append(folder, source, [], checked=day)
            result.unchanged.append(source)
        else:
            append(folder, source, [record], checked=day)
            result.appended.append(source)
    return result
