"""Link health of entries: which URLs are dead or moved, as data for reports.

Each distinct URL is checked once through `registry.net.network` (HEAD, then GET
when refused). Outcomes: ok, moved (permanent redirect), warning (rate limit,
timeout, redirect loop, 401/403/502/503/504: often a third party's passing
trouble or bot protection, not the entry's) and dead (other HTTP errors such
as 404 and 410, unknown hosts, refused connections, URLs the guard blocks).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from registry.entry.loader import LoadedEntry
from registry.net import network

OK, MOVED, WARNING, DEAD = "ok", "moved", "warning", "dead"
WARNING_ERRORS = {
    network.RATE_LIMITED,
    network.TIMEOUT,
    network.DEADLINE,
    network.TOO_MANY_REDIRECTS,
}
# Statuses that often mean bot protection or a passing outage rather than a dead link.
WARNING_STATUSES = {401, 403, 429, 502, 503, 504}


@dataclass(frozen=True)
class LinkUse:
    entry_id: str
    path: str
    field: str  # homepage, access.urls[0], evidence[1].url, licenses[0].url


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: str
    detail: str
    uses: tuple[LinkUse, ...]


def entry_links(loaded: LoadedEntry) -> list[tuple[str, LinkUse]]:
    entry = loaded.entry
    links = [(entry.homepage, "homepage")]
    links += (
        [(url, f"access.urls[{i}]") for i, url in enumerate(entry.access.urls or [])]
        if entry.access
        else []
    )
    links += [
        (item.url, f"evidence[{i}].url") for i, item in enumerate(entry.evidence or []) if item.url
    ]
    links += [
        (item.url, f"licenses[{i}].url")
        for i, item in enumerate(entry.licenses or [])
        if getattr(item, "url", None)
    ]
    return [(url, LinkUse(entry.id, loaded.path, field)) for url, field in links if url]


def classify(result: network.Result) -> tuple[str, str]:
    if result.error in WARNING_ERRORS:
        return WARNING, f"{result.error}: {result.message}"
    if result.error:
        return DEAD, f"{result.error}: {result.message}"
    if result.status is not None and 200 <= result.status < 400:
        if result.moved_permanently and result.final_url != result.url:
            return MOVED, f"moved permanently to {result.final_url}"
        return OK, f"HTTP {result.status}"
    if result.status in WARNING_STATUSES:
        return WARNING, f"HTTP {result.status} (may be bot protection or a passing outage)"
    return DEAD, f"HTTP {result.status}"


def check_links(
    entries: list[LoadedEntry],
    policy: network.Policy | None = None,
    progress=None,
    workers: int = 8,
) -> list[LinkResult]:
    """Check every distinct URL of `entries`; `progress(n)` is called as checks finish."""
    uses: dict[str, list[LinkUse]] = {}
    for loaded in entries:
        for url, use in entry_links(loaded):
            uses.setdefault(url, []).append(use)

    def one(url: str) -> LinkResult:
        outcome, detail = classify(network.check(url, policy))
        if progress:
            progress(1)
        return LinkResult(url, outcome, detail, tuple(uses[url]))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, sorted(uses)))
