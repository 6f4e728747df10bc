"""Observe the AI-use signals a site publishes for one URL.

Guarded fetches through `registry.net.network`: the origin's robots.txt, the
RSL licences its `License:` lines name, the URL itself (headers and, for HTML,
the meta tags), and the origin's `/.well-known/tdmrep.json`. Each signal found
becomes an Observation; fetch problems become warnings, never exceptions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from registry.entry.signals import aipref, ccsignals, robots, rsl, tdmrep
from registry.entry.signals.aipref import ALLOW, DISALLOW
from registry.net import network
from registry.signals.clean import visible
from registry.signals.crawlers import CRAWLERS
from registry.signals.robots_body import why_unreadable
from registry.signals.view import Observation, Verdict, normalise

CONTENT_SIGNAL_USES = {"ai-train": "training", "search": "search", "ai-input": "retrieval"}
# Content-Signal use=: how much a bot may keep (content_signals.py).
USE_EFFECTS = {
    "immediate": {"training": DISALLOW, "retrieval": DISALLOW},
    "reference": {"training": DISALLOW},
    "full": {"training": ALLOW, "retrieval": ALLOW},
}
# vocab-08 §4.2 AI Use (input to a generative model) is the registry's retrieval.
AIPREF_USES = {"train-ai": "training", "ai-use": "retrieval", "search": "search"}
RSL_USES = {
    "ai-train": "training",
    "ai-input": "retrieval",
    "ai-index": "retrieval",
    "search": "search",
}
RSL_REFUSALS = ("prohibited", "not-permitted", "paid")
MAX_LICENCES = 2  # RSL License lines followed per robots.txt


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
    licences = _robots(report, origin + "/robots.txt", path, policy)
    for licence in licences[:MAX_LICENCES]:
        _rsl(report, licence, url, policy)
    header_tdm, meta_tdm, page_url = _page(report, url, policy)
    file_url = origin + "/.well-known/tdmrep.json"
    file_tdm = None
    tdm_file = network.fetch(file_url, policy=policy)
    if tdm_file.status == 200 and not tdm_file.error:
        file_tdm = tdmrep.from_file(tdm_file.body, path)
    chosen = tdmrep.effective(meta_tdm, header_tdm, file_tdm)
    if chosen is not None:
        source = tdm_file.final_url if chosen.technique == "file" else page_url
        report.observations.append(from_tdmrep(chosen, source, _now()))
    report.view = normalise(report.observations)
    return sanitised(report)


def _robots(report: Report, robots_url: str, path: str, policy) -> list[str]:
    """Read robots.txt into the report; returns its RSL License URLs."""
    fetched = network.fetch(robots_url, policy=policy)
    if fetched.error or fetched.status is None:
        report.complete = False
        report.warnings.append(f"{robots_url}: {fetched.error}: {fetched.message}")
        return []
    if fetched.status >= 500:
        report.warnings.append(f"{robots_url}: HTTP {fetched.status}")
    if fetched.status != 200:
        return []
    unreadable = why_unreadable(fetched.body)
    if unreadable and fetched.body.strip():
        report.warnings.append(f"{robots_url}: {unreadable}; no robots.txt rules read")
        return []
    parsed = robots.parse(fetched.body)
    report.observations += from_robots(parsed, path, fetched.final_url, _now())
    return parsed.licenses


def _rsl(report: Report, licence_url: str, page: str, policy) -> None:
    """Fetch an RSL licence named by robots.txt and keep its terms for `page`."""
    if not licence_url.lower().startswith(("http://", "https://")):
        report.warnings.append(f"RSL License {licence_url}: not an absolute http(s) URL")
        return
    fetched = network.fetch(licence_url, policy=policy)
    if fetched.error or fetched.status != 200:
        why = f"{fetched.error}: {fetched.message}" if fetched.error else f"HTTP {fetched.status}"
        report.warnings.append(f"RSL License {licence_url}: {why}")
        return
    try:
        content = rsl.content_for(rsl.parse_document(fetched.body), page)
    except rsl.RslError as error:
        report.warnings.append(f"RSL License {licence_url}: {error}")
        return
    if content is None:
        report.warnings.append(f"RSL License {licence_url}: no <content> names {page}")
        return
    found = rsl.terms(content)
    effects: dict[str, str] = {}
    for usage, term in found.items():
        use = RSL_USES[usage]
        said = DISALLOW if term.status in RSL_REFUSALS else ALLOW
        effects[use] = DISALLOW if effects.get(use) == DISALLOW else said
    note = f"RSL licence terms for {content.url}" + (
        f"; payment {', '.join(content.licences[0].amounts)}"
        if content.licences and content.licences[0].amounts
        else ""
    )
    report.observations.append(
        Observation("rsl", rsl.statement(found), fetched.final_url, _now(), effects, note)
    )


def _page(report: Report, url: str, policy):
    """The page's Content-Usage header and TDMRep header or meta tags."""
    page = network.fetch(url, policy=policy)
    if page.error or page.status is None:
        report.complete = False
        report.warnings.append(f"{url}: {page.error}: {page.message}")
        return None, None, url
    if page.status >= 400:
        report.warnings.append(f"{url}: HTTP {page.status}")
    usage = page.header("content-usage")
    if usage is not None:
        report.observations += from_content_usage(
            usage, page.final_url, _now(), "Content-Usage header"
        )
    meta = None
    if "html" in (page.header("content-type") or "").lower():
        meta = tdmrep.from_html(page.body)
    return tdmrep.from_headers(page.headers), meta, page.final_url


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
    if signal.values:
        effects = {CONTENT_SIGNAL_USES[name]: pref for name, pref in signal.preferences.items()}
        effects.update(USE_EFFECTS.get(signal.use, {}))
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
                "crawlers without a group of their own (User-agent: *) may not fetch this path, so "
                "Content-Usage rules for * do not apply to it",
            )
        )
    for url in parsed.licenses:
        found.append(
            Observation("rsl", f"License: {url}", source, when, {}, "robots.txt License line")
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
