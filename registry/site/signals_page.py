"""The page "Which commons sources have opted out of AI training, and since when?".

Read from the registry database like every page: each source's observation history
(registry/read/observations.py) and each entry's classification. A source has opted
out of training when the observation in force at the build date carries a signal the
rules read as restricting training; "since" is when that unbroken run began. The
share of the catalog by category counts entries whose sources publish a restricting
signal (it lowered their result) and entries whose sources only block AI crawlers
(shown as notes, not lowering).
"""

from __future__ import annotations

from collections import defaultdict

from registry.site.render import CATEGORY_LABELS, render


def nav_page(data: dict, common: dict) -> tuple[str, str, str]:
    """(source path, title, HTML) of the page, for the site's nav pages."""
    html = render(
        "signals.html.j2",
        page=page_data(data),
        entries=data["entries"],
        as_of=((data.get("build") or {}).get("built_at") or "")[:10],
        feeds_url="../exports/feeds/signals.atom",
        root="",
        **common,
    )
    return "signals.md", "AI-use signals of the sources", html


def page_data(data: dict) -> dict:
    """Sources by what they restrict, the share of each category that carries a restriction,
    and every source's history, for signals.html.j2. `data` is read_site_data's: the entry
    listing and `signals` (registry.read.observations.signal_listing)."""
    signals = data["signals"]
    histories, hosts = signals["histories"], signals["hosts"]
    users: dict[str, list[dict]] = defaultdict(list)
    for entry in data["entries"]:
        for host in hosts.get(entry["id"], []):
            users[host].append(entry)
    sources = []
    for source in sorted(histories):
        history = histories[source]
        now = history["now"] or {}
        blocks = [s for s in now.get("signals", []) if s["vocabulary"] == "robots"]
        sources.append(
            {
                "history": history,
                "entries": sorted(users.get(source, []), key=lambda e: e["name"]),
                "restricts": now.get("restricts", []),
                "training_since": now.get("training_since"),
                "crawler_blocks": [
                    "every crawler it does not name (User-agent: *)"
                    if s["value"] == "Disallow for *"
                    else s["value"].removeprefix("Disallow for ")
                    for s in blocks
                ],
            }
        )
    return {
        "training": sorted(
            (s for s in sources if s["training_since"]),
            key=lambda s: (s["training_since"], s["history"]["source"]),
        ),
        "other": [s for s in sources if s["restricts"] and not s["training_since"]],
        "blocks_only": [s for s in sources if s["crawler_blocks"] and not s["restricts"]],
        "sources": sources,
        "shares": category_shares(data["entries"], signals),
        "observed_entries": sum(
            1 for e in data["entries"] if any(h in histories for h in hosts.get(e["id"], []))
        ),
    }


def _restriction(entry: dict, signals: dict) -> str | None:
    """ "lowered" when a signal rule lowered the entry, "blocks" when its sources only block AI
    crawlers (by name or all crawlers), else None."""
    if entry["id"] in signals["capped"]:
        return "lowered"
    for host in signals["hosts"].get(entry["id"], []):
        now = (signals["histories"].get(host) or {}).get("now") or {}
        if any(s["vocabulary"] == "robots" for s in now.get("signals", [])):
            return "blocks"
    return None


def category_shares(entries: list[dict], signals: dict) -> list[dict]:
    """Per category: entries, how many carry a restricting signal or only crawler blocks."""
    rows = []
    for category, label in CATEGORY_LABELS.items():
        members = [e for e in entries if e["classification"]["category"] == category]
        if not members:
            continue
        kinds = [_restriction(e, signals) for e in members]
        lowered, blocks = kinds.count("lowered"), kinds.count("blocks")
        rows.append(
            {
                "category": category,
                "label": label,
                "entries": len(members),
                "lowered": lowered,
                "blocks": blocks,
                "any": lowered + blocks,
                "share": round(100 * (lowered + blocks) / len(members)),
            }
        )
    return rows
