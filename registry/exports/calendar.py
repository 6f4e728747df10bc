"""An iCalendar (RFC 5545) file of the dates on which entries enter the commons.

Written with the `icalendar` library. UIDs are stable (one per entry), and
DTSTAMP is the build time, so the same database gives the same bytes.
"""

from __future__ import annotations

import datetime
import re

import icalendar

from registry.exports.feeds import entry_url, timestamp
from registry.exports.source import Registry


def _build_time(registry: Registry) -> datetime.datetime:
    value = timestamp(registry.build.built_at, "1970-01-01")
    return datetime.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.UTC)


def render(registry: Registry, site_url: str) -> dict[str, bytes]:
    names = {row["id"]: row["name"] for row in registry.rows("entries")}
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Commons Registry//enters the commons//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Commons Registry: entering the commons")
    stamp = _build_time(registry)
    rows = [
        r
        for r in registry.rows("classifications")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", (r.get("enters_commons_on") or "")[:10])
        and r["entry_id"] in names
    ]
    for row in sorted(rows, key=lambda r: (r["enters_commons_on"], r["entry_id"])):
        day = datetime.date.fromisoformat(row["enters_commons_on"][:10])
        event = icalendar.Event()
        event.add("uid", f"{row['entry_id']}.enters-commons@commons-registry")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", f"{names[row['entry_id']]} enters the commons")
        held = row.get("holds_in") or "[]"
        where = "" if held in ("[]", "", None) else f" (in {held.strip('[]').replace(chr(34), '')})"
        event.add(
            "description",
            f"Under rules {row.get('rules_version') or 'unknown'}, {names[row['entry_id']]} "
            f"becomes commons-by-default on {day.isoformat()}{where}.",
        )
        event.add("url", entry_url(site_url, row["entry_id"]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return {"calendar/enters-commons.ics": calendar.to_ical()}
