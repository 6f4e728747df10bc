"""Atom feeds (RFC 4287): new entries, entries whose classification changed, and changes in
the AI-use signals of the catalog's sources.

Timestamps come from the database (entry `created` dates, the build time,
rule-change dates), never from the clock, so the same database gives the same
feed bytes. Contributor text is escaped by the XML writer.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from registry.exports import versions
from registry.exports.source import Registry, json_list

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 100


def moment(value: str | None, fallback: str) -> datetime.datetime:
    """A date or datetime string (ISO 8601) as an aware UTC datetime; a date is midnight UTC, a
    time without an offset is UTC, and anything unreadable is the fallback (else 1970-01-01)."""
    for text in (value, fallback, "1970-01-01"):
        try:
            parsed = datetime.datetime.fromisoformat((text or "").strip())
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed.astimezone(datetime.UTC).replace(microsecond=0)
    raise AssertionError("unreachable: 1970-01-01 parses")


def timestamp(value: str | None, fallback: str) -> str:
    """An RFC 3339 timestamp in UTC (`Z`) from a date or datetime string."""
    return moment(value, fallback).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _feed(feed_id: str, title: str, self_url: str, site_url: str, updated: str) -> ET.Element:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "updated", updated)
    _sub(feed, "link", rel="self", href=self_url)
    _sub(feed, "link", rel="alternate", href=site_url)
    author = _sub(feed, "author")
    _sub(author, "name", "Commons Registry")
    _sub(feed, "generator", "commons export", version=versions.FEEDS)
    return feed


def _entry(
    feed,
    entry_id: str,
    title: str,
    updated: str,
    link: str,
    summary: str,
    category: str | None = None,
):
    item = _sub(feed, "entry")
    _sub(item, "id", entry_id)
    _sub(item, "title", title)
    _sub(item, "updated", updated)
    _sub(item, "link", rel="alternate", href=link)
    _sub(item, "summary", summary)
    if category:
        _sub(item, "category", term=category)


def _bytes(feed: ET.Element) -> bytes:
    ET.indent(feed)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )


def entry_url(site_url: str, entry_id: str) -> str:
    """The entry's page on the static site (mkdocs with use_directory_urls: false)."""
    return f"{site_url}entries/{entry_id}.html"


def new_entries(registry: Registry, site_url: str, feeds_url: str) -> bytes:
    """The most recently created entries, newest first."""
    built = timestamp(registry.build.built_at, "1970-01-01")
    categories = {row["entry_id"]: row.get("category") for row in registry.rows("classifications")}
    rows = sorted(
        registry.rows("entries"),
        key=lambda r: (timestamp(r.get("created"), built), r["id"]),
        reverse=True,
    )[:FEED_LIMIT]
    updated = max((timestamp(r.get("created"), built) for r in rows), default=built)
    feed = _feed(
        f"{feeds_url}new.atom",
        "Commons Registry: new entries",
        f"{feeds_url}new.atom",
        site_url,
        updated,
    )
    for row in rows:
        category = categories.get(row["id"])
        summary = row["summary"] + (f" Classified: {category}." if category else "")
        _entry(
            feed,
            entry_url(site_url, row["id"]),
            row["name"],
            timestamp(row.get("created"), built),
            entry_url(site_url, row["id"]),
            summary,
            category,
        )
    return _bytes(feed)


def reclassifications(current: Registry, previous: Registry | None) -> list[dict]:
    """Entries whose category or use verdicts differ from the previous database."""
    if previous is None:
        return []
    before = {row["entry_id"]: row for row in previous.rows("classifications")}
    names = {row["id"]: row["name"] for row in current.rows("entries")}
    changes = []
    watched = (
        "category",
        "training_commercial",
        "training_non_commercial",
        "retrieval_commercial",
        "retrieval_non_commercial",
        "evaluation_commercial",
        "evaluation_non_commercial",
        "enters_commons_on",
    )
    for row in current.rows("classifications"):
        old = before.get(row["entry_id"])
        if old is None:
            continue
        changed = [column for column in watched if old.get(column) != row.get(column)]
        if changed:
            changes.append(
                {
                    "entry_id": row["entry_id"],
                    "name": names.get(row["entry_id"], row["entry_id"]),
                    "before": old,
                    "after": row,
                    "changed": changed,
                }
            )
    return changes


def reclassified(
    current: Registry, previous: Registry | None, site_url: str, feeds_url: str
) -> bytes:
    """Reclassified entries (against --previous) and rule changes (from rule_changes)."""
    built = timestamp(current.build.built_at, "1970-01-01")
    rules_version = current.build.rules_version or "unknown"
    feed = _feed(
        f"{feeds_url}reclassified.atom",
        "Commons Registry: reclassified entries and rule changes",
        f"{feeds_url}reclassified.atom",
        site_url,
        built,
    )
    for change in reclassifications(current, previous):
        before, after = change["before"], change["after"]
        parts = [
            f"{c}: {before.get(c) or 'none'} → {after.get(c) or 'none'}" for c in change["changed"]
        ]
        title = (
            f"{change['name']}: {before.get('category')} → {after.get('category')}"
            if "category" in change["changed"]
            else f"{change['name']}: use verdicts changed"
        )
        summary = (
            f"Under rules {after.get('rules_version') or rules_version}: " + "; ".join(parts) + "."
        )
        link = entry_url(site_url, change["entry_id"])
        _entry(
            feed,
            f"{link}#rules-{after.get('rules_version') or rules_version}",
            title,
            built,
            link,
            summary,
            after.get("category"),
        )
    for rule in sorted(
        current.rows("rule_changes"),
        key=lambda r: (r.get("date") or "", r["version"]),
        reverse=True,
    )[:FEED_LIMIT]:
        link = f"{site_url}rules.html#{rule['version']}"
        _entry(
            feed,
            f"{site_url}rules.html?version={rule['version']}",
            f"Rules version {rule['version']}",
            timestamp(rule.get("date"), built),
            link,
            rule.get("summary") or f"Rules version {rule['version']}.",
            "rule-change",
        )
    return _bytes(feed)


def signal_changes(registry: Registry, site_url: str, feeds_url: str) -> bytes:
    """Each time a source's observed signals changed (observations whose `change` is
    "changed", or a first observation that found signals), newest first, with the
    entries that name the source."""
    built = timestamp(registry.build.built_at, "1970-01-01")
    names = {row["id"]: row["name"] for row in registry.rows("entries")}
    users: dict[str, list[str]] = {}
    for row in registry.rows("source_domains"):
        users.setdefault(row["host"], []).append(names.get(row["entry_id"], row["entry_id"]))
    before: dict[str, list[str]] = {}
    items = []
    for row in registry.rows("observations"):
        said = json_list(row.get("signals"))
        if row.get("rejected"):
            continue
        previous = before.get(row["source"])
        before[row["source"]] = said
        if row.get("change") == "changed" or (row.get("change") == "first" and said):
            items.append((row, previous or [], said))
    items.sort(key=lambda item: (item[0]["observed"], item[0]["source"]), reverse=True)
    feed = _feed(
        f"{feeds_url}signals.atom",
        "Commons Registry: changes in the AI-use signals of sources",
        f"{feeds_url}signals.atom",
        f"{site_url}signals.html",
        max((timestamp(i[0]["observed"], built) for i in items), default=built),
    )
    for row, previous, said in items[:FEED_LIMIT]:
        added = [s for s in said if s not in previous]
        removed = [s for s in previous if s not in said]
        parts = [f"now: {'; '.join(added)}" if added else "", f"no longer: {'; '.join(removed)}"]
        restricts = json_list(row.get("restricts"))
        where = (
            f"{row['tracker']}@{(row.get('snapshot') or '')[:7]} {row['file']}"
            if row.get("by") == "import-signals"
            else f"{row['url']} (commons refresh-signals)"
        )
        summary = (
            "; ".join(p for p in parts if p and not p.endswith(": "))
            + (
                f". Under the rules its signals restrict {', '.join(restricts)}"
                if restricts
                else ""
            )
            + f". Observed {row['observed']} from {where}. Entries naming it: "
            + (", ".join(sorted(users.get(row["source"], []))) or "none")
            + "."
        )
        _entry(
            feed,
            f"{site_url}signals.html#{row['source']}/{row['observed']}/{row['position']}",
            f"{row['source']}: "
            + ("signals first observed" if row.get("change") == "first" else "signals changed")
            + f" on {row['observed']}",
            timestamp(row["observed"], built),
            f"{site_url}signals.html#{row['source']}",
            summary,
            "signal-change",
        )
    return _bytes(feed)


def render(
    registry: Registry, previous: Registry | None, site_url: str, base_url: str
) -> dict[str, bytes]:
    feeds_url = f"{base_url}feeds/"
    return {
        "feeds/new.atom": new_entries(registry, site_url, feeds_url),
        "feeds/reclassified.atom": reclassified(registry, previous, site_url, feeds_url),
        "feeds/signals.atom": signal_changes(registry, site_url, feeds_url),
    }
