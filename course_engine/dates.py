"""Dates and date-times in course packs, with one rule for a bare date.

A pack gives a moment as an ISO 8601 date-time or as a bare date. A date-time
with an offset is that instant; one without is read in the zone given (UTC
unless a domain has its own, as a live session does). A bare date is a whole
day: as the start of something (`opens`) it means 00:00 that day; as the end
of something (`closes`, `due`, `cutoff`) it means the last second of that
day, 23:59:59, so that something closing on 10 March is open all of 10 March.
Moments are returned as naive UTC, as the database stores them.
"""

from datetime import UTC, date, datetime, time, tzinfo

# The YAML types a pack may give a date or date-time as (PyYAML reads unquoted ones itself).
WHEN: tuple[type, ...] = (str, date, datetime)

START_OF_DAY = time(0, 0, 0)
END_OF_DAY = time(23, 59, 59)


def read(value: object) -> date | datetime:
    """Return a pack value as a date when it has no time, else as a datetime.

    Raise ValueError when it is neither an ISO 8601 date nor date-time.
    """
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date or date-time: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        return datetime.fromisoformat(value)


def to_utc(moment: datetime, zone: tzinfo = UTC) -> datetime:
    """Return a moment as naive UTC; a naive moment is read in zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def start_of(day: date, zone: tzinfo = UTC) -> datetime:
    """Return the first moment of a day in zone, as naive UTC."""
    return to_utc(datetime.combine(day, START_OF_DAY), zone)


def end_of(day: date, zone: tzinfo = UTC) -> datetime:
    """Return the last second of a day in zone, as naive UTC."""
    return to_utc(datetime.combine(day, END_OF_DAY), zone)


def is_end_of_day(moment: datetime) -> bool:
    """Tell whether a naive UTC moment is the end of a day, as a bare end date gives."""
    return moment.time() == END_OF_DAY


def parse_start(value: object, zone: tzinfo = UTC) -> datetime | None:
    """Return when something opens, or None for None: a bare date opens at 00:00 that day.

    Raise ValueError when the value is not an ISO 8601 date or date-time.
    """
    if value is None:
        return None
    when = read(value)
    return to_utc(when, zone) if isinstance(when, datetime) else start_of(when, zone)


def parse_end(value: object, zone: tzinfo = UTC) -> datetime | None:
    """Return when something closes or is due, or None for None: a bare date lasts all day.

    Raise ValueError when the value is not an ISO 8601 date or date-time.
    """
    if value is None:
        return None
    when = read(value)
    return to_utc(when, zone) if isinstance(when, datetime) else end_of(when, zone)


def parse_moment(value: object, zone: tzinfo = UTC) -> datetime:
    """Return a date-time as naive UTC; raise ValueError for a bare date or unreadable text."""
    when = read(value)
    if not isinstance(when, datetime):
        raise ValueError("a date without a time is not a moment")
    return to_utc(when, zone)
