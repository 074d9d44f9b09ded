"""Reading session times from packs, and showing times in a viewer's zone."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from course_engine import dates


def zone(name: str) -> ZoneInfo | None:
    """Return the IANA zone with this name, or None if there is none."""
    if not isinstance(name, str) or not name or name != name.strip():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_names() -> list[str]:
    """Return every IANA zone name, sorted."""
    return sorted(available_timezones())


def session_start(value: object, timezone: str) -> datetime:
    """Return a `start` as naive UTC: with an offset as given, without one in `timezone`.

    Raises ValueError for a bare date, text that is not an ISO 8601 date-time,
    or an unknown zone.
    """
    place = zone(timezone)
    if place is None:
        raise ValueError("unknown time zone")
    return dates.parse_moment(value, place)


def is_https(url) -> bool:
    """Tell whether url is an absolute https link."""
    if not isinstance(url, str) or any(c.isspace() or not c.isprintable() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)
