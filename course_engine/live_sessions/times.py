"""Reading session times from packs, and showing times in a viewer's zone."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


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


def session_start(value, timezone: str) -> datetime:
    """Return a `start` as naive UTC: with an offset as given, without one in `timezone`.

    Raises ValueError for a bare date or text that is not an ISO 8601 date-time.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value.strip() else None
    if not isinstance(value, datetime):
        raise ValueError("not a date-time")
    if value.tzinfo is None:
        place = zone(timezone)
        if place is None:
            raise ValueError("unknown time zone")
        value = value.replace(tzinfo=place)
    return value.astimezone(UTC).replace(tzinfo=None)


def is_https(url) -> bool:
    """Tell whether url is an absolute https link."""
    if not isinstance(url, str) or any(c.isspace() or not c.isprintable() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def due_of(spec: dict, starts_on: date | None) -> datetime | date | None:
    """Return a deliverable's due moment (aware) or day, from `due` or `due_days`."""
    due = spec.get("due")
    if isinstance(due, str) and due:
        try:
            if "T" in due or " " in due:
                moment = datetime.fromisoformat(due)
                return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return date.fromisoformat(due)
        except ValueError:
            return None
    days = spec.get("due_days")
    if isinstance(days, int) and not isinstance(days, bool) and starts_on is not None:
        return starts_on + timedelta(days=days)
    return None
