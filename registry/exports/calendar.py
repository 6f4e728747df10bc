"""An iCalendar (RFC 5545) file of the dates on which entries enter the commons.

Written with the `icalendar` library. UIDs are stable (one per entry), and
DTSTAMP is the build time, so the same database gives the same bytes.
"""

from __future__ import annotations

import datetime

import icalendar

from registry.exports import versions
from registry.exports.feeds import entry_url, moment
from registry.exports.source import Registry, json_list


def _day(value: str | None) -> datetime.date | None:
    """The date an entry enters the commons, or None when there is none (or it is not a date)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _build_time(registry: Registry) -> datetime.datetime:
    return moment(registry.build.built_at, "1970-01-01")


def render(registry: Registry, site_url: str) -> dict[str, bytes]:
    names = {row["id"]: row["name"] for row in registry.rows("entries")}
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Commons Registry//enters the commons//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Commons Registry: entering the commons")
    calendar.add("x-commons-schema-version", versions.FEEDS)
    stamp = _build_time(registry)
    days = {
        row["entry_id"]: (day, row)
        for row in registry.rows("classifications")
        if row["entry_id"] in names and (day := _day(row.get("enters_commons_on")))
    }
    for entry_id in sorted(days, key=lambda entry_id: (days[entry_id][0], entry_id)):
        day, row = days[entry_id]
        event = icalendar.Event()
        event.add("uid", f"{row['entry_id']}.enters-commons@commons-registry")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", f"{names[row['entry_id']]} enters the commons")
        held = json_list(row.get("holds_in"))
        where = f" (in {', '.join(map(str, held))})" if held else ""
        event.add(
            "description",
            f"Under rules {row.get('rules_version') or 'unknown'}, {names[row['entry_id']]} "
            f"becomes commons-by-default on {day.isoformat()}{where}.",
        )
        event.add("url", entry_url(site_url, row["entry_id"]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return {"calendar/enters-commons.ics": calendar.to_ical()}
