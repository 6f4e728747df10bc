"""Observe the AI-use signals a site publishes for one URL.

Three guarded fetches through `registry.net.network`: the origin's robots.txt,
the URL itself (headers and, for HTML, the meta tags), and the origin's
`/.well-known/tdmrep.json`. Each signal found becomes an Observation; fetch
problems become warnings, never exceptions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from registry.entry.signals import aipref, ccsignals, robots, tdmrep
from registry.entry.signals.aipref import ALLOW, DISALLOW
from registry.net import network
from registry.signals.clean import visible
from registry.signals.crawlers import CRAWLERS
from registry.signals.view import Observation, Verdict, normalise

CONTENT_SIGNAL_USES = {"ai-train": "training", "search": "search", "ai-input": "retrieval"}
AIPREF_USES = {"train-ai": "training", "search": "search"}


@dataclass
class Report:
    url: str
    observations: list[Observation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    view: dict[str, Verdict] = field(default_factory=dict)
    complete: bool = True  # False when robots.txt or the page could not be read


def _now() -> str:
    return (
        datetime.datetime.now(datetime.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def observe(url: str, policy: network.Policy | None = None) -> Report:
    """Fetch and parse every signal for `url`; the report's view is normalised."""
    policy = policy or network.default_policy()
    report = Report(url)
    try:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    except ValueError:
        report.warnings.append(f"{url}: not a valid URL")
        report.complete = False
        return report
    path = _path(url)

    robots_url = origin + "/robots.txt"
    fetched = network.fetch(robots_url, policy=policy)
    if fetched.error or fetched.status is None:
        report.complete = False
        report.warnings.append(f"{robots_url}: {fetched.error}: {fetched.message}")
    elif fetched.status == 200:
        report.observations += from_robots(
            robots.parse(fetched.body), path, fetched.final_url, _now()
        )
    elif fetched.status >= 500:
        report.warnings.append(f"{robots_url}: HTTP {fetched.status}")

    page = network.fetch(url, policy=policy)
    header_tdm = meta_tdm = None
    if page.error or page.status is None:
        report.complete = False
        report.warnings.append(f"{url}: {page.error}: {page.message}")
    else:
        when = _now()
        if page.status >= 400:
            report.warnings.append(f"{url}: HTTP {page.status}")
        usage = page.header("content-usage")
        if usage is not None:
            report.observations += from_content_usage(
                usage, page.final_url, when, "Content-Usage header"
            )
        header_tdm = tdmrep.from_headers(page.headers)
        if "html" in (page.header("content-type") or "").lower():
            meta_tdm = tdmrep.from_html(page.body)

    file_url = origin + "/.well-known/tdmrep.json"
    file_tdm = None
    tdm_file = network.fetch(file_url, policy=policy)
    if tdm_file.status == 200 and not tdm_file.error:
        file_tdm = tdmrep.from_file(tdm_file.body, path)
    chosen = tdmrep.effective(meta_tdm, header_tdm, file_tdm)
    if chosen is not None:
        source = {"file": tdm_file.final_url, "header": page.final_url, "meta": page.final_url}[
            chosen.technique
        ]
        report.observations.append(from_tdmrep(chosen, source, _now()))

    report.view = normalise(report.observations)
    return sanitised(report)


def sanitised(report: Report) -> Report:
    """The report with every text a website supplied made visible (clean.visible)."""
    report.observations = [
        replace(o, value=visible(o.value).strip(), source=visible(o.source), note=visible(o.note))
        for o in report.observations
    ]
    report.warnings = [visible(warning) for warning in report.warnings]
    return report


def from_content_usage(value: str, source: str, when: str, where: str) -> list[Observation]:
    """An attach-05 statement (header or robots rule) and any CC-signal exceptions on it."""
    statement = aipref.parse(value)
    effects = {
        AIPREF_USES[c]: p for c, p in statement.preferences.items() if p in (ALLOW, DISALLOW)
    }
    note = where + (
        ""
        if statement.members is not None
        else "; does not parse as a structured-field dictionary, so every preference is unknown"
    )
    found = [Observation("ietf-aipref", value.strip(), source, when, effects, note)]
    for exception in ccsignals.exceptions(statement):
        use = AIPREF_USES.get(exception.label)
        found.append(
            Observation(
                "cc-signals",
                exception.value,
                source,
                when,
                {use: DISALLOW} if use else {},
                f"disallowed unless: {exception.condition}",
            )
        )
    return found


def from_robots(parsed: robots.Robots, path: str, source: str, when: str) -> list[Observation]:
    found: list[Observation] = []
    usage = parsed.content_usage(path)
    if usage is not None:
        for value in usage.values:
            found += from_content_usage(value, source, when, "robots.txt Content-Usage rule for *")
    signal = parsed.content_signal(path)
    if signal is not None and signal.values:
        effects = {CONTENT_SIGNAL_USES[name]: pref for name, pref in signal.preferences.items()}
        for value in signal.values:
            found.append(
                Observation(
                    "content-signals",
                    value,
                    source,
                    when,
                    effects,
                    "robots.txt Content-Signal for *",
                )
            )
    blocked = [c for c in CRAWLERS if parsed.names(c.token) and not parsed.can_fetch(c.token, path)]
    if blocked:
        effects = {use: DISALLOW for use in {c.use for c in blocked}}
        value = "Disallow for " + ", ".join(c.token for c in blocked)
        found.append(
            Observation("robots", value, source, when, effects, "AI crawlers disallowed by name")
        )
    if not parsed.can_fetch("*", path):
        found.append(
            Observation(
                "robots",
                "Disallow for *",
                source,
                when,
                {},
                "path not crawlable for any crawler, so Content-Usage and Content-Signal do "
                "not apply (attach-05 §3.1)",
            )
        )
    return found


def from_tdmrep(declaration: tdmrep.Declaration, source: str, when: str) -> Observation:
    pref = DISALLOW if declaration.reservation == tdmrep.RESERVED else ALLOW
    value = f"tdm-reservation={declaration.reservation}"
    if declaration.policy:
        value += f"; tdm-policy={declaration.policy}"
    where = {
        "meta": "HTML meta tag",
        "header": "HTTP header",
        "file": f"tdmrep.json rule {declaration.location}",
    }[declaration.technique]
    return Observation("tdmrep", value, source, when, {"training": pref, "retrieval": pref}, where)
