"""A course's calendar: sessions and due dates, on a page and as an iCalendar feed."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from icalendar import Calendar, Event, Timezone
from sqlalchemy import select

from course_engine.courses.models import Course, Item, Module, Track
from course_engine.database import utcnow
from course_engine.deliverables.due_dates import due_dates
from course_engine.extensions import db
from course_engine.live_sessions.models import LiveSession
from course_engine.live_sessions.times import zone


@dataclass
class Entry:
    """One dated thing in a course: a session (with start and end) or a due date."""

    kind: Literal["session", "due"]
    item: Item
    start: datetime | None = None  # aware
    end: datetime | None = None
    day: date | None = None  # for due dates without a time
    session: LiveSession | None = None

    def sort_key(self, place) -> tuple:
        if self.start is not None:
            moment = self.start.astimezone(place)
            return (moment.date(), moment.time())
        return (self.day, time.max)


def _visible_items(course_id: int):
    return (
        select(Item)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(Item.course_id == course_id, ~Item.archived, ~Module.archived, ~Track.archived)
    )


def entries(course: Course) -> list[Entry]:
    """Return the course's sessions and deliverable due dates, in two queries."""
    found = []
    sessions = db.session.execute(
        _visible_items(course.id)
        .add_columns(LiveSession)
        .join(LiveSession, LiveSession.item_id == Item.id)
    )
    for item, session in sessions:
        start = session.starts_at.replace(tzinfo=UTC)
        end = start + timedelta(minutes=session.duration_minutes)
        found.append(Entry("session", item, start=start, end=end, session=session))
    for due in due_dates(course):
        if due.whole_day:
            found.append(Entry("due", due.item, day=due.due.date()))
        else:
            found.append(Entry("due", due.item, start=due.due.replace(tzinfo=UTC)))
    return found


def session_times(session: LiveSession, name: str) -> tuple[datetime, datetime]:
    """Return the session's start and end in the named zone."""
    start = session.starts_at.replace(tzinfo=UTC).astimezone(zone(name))
    return start, start + timedelta(minutes=session.duration_minutes)


def viewer_zone_name(preferred: str | None, found: list[Entry]) -> str:
    """Return the zone to show a calendar in: the viewer's, else the first session's, else UTC."""
    if preferred and zone(preferred):
        return preferred
    for entry in found:
        if entry.session is not None:
            return entry.session.timezone
    return "UTC"


def in_zone(found: list[Entry], name: str) -> list[tuple[Entry, datetime | None, datetime | None]]:
    """Return entries in date order with their start and end in the zone."""
    place = zone(name)
    rows = []
    for entry in sorted(found, key=lambda e: e.sort_key(place)):
        start = entry.start.astimezone(place) if entry.start else None
        end = entry.end.astimezone(place) if entry.end else None
        rows.append((entry, start, end))
    return rows


def ics(course: Course, found: list[Entry], url_for_item, host: str) -> bytes:
    """Return the entries as an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", "-//Course engine//Course calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course.title)
    stamp = utcnow().replace(tzinfo=UTC)
    for entry in found:
        event = Event()
        event.add("uid", f"{entry.kind}-{entry.item.id}@{host}")
        event.add("dtstamp", stamp)
        link = url_for_item(entry.item)
        if entry.session is not None:
            event.add("summary", entry.item.title)
            event.add("dtstart", entry.start)
            event.add("dtend", entry.end)
            description = f"{link}"
            if entry.session.join_url:
                event.add("location", entry.session.join_url)
                description = f"Join: {entry.session.join_url}\n{link}"
            event.add("description", description)
        else:
            event.add("summary", f"Due: {entry.item.title}")
            if entry.start is not None:
                # A moment, not a span: RFC 5545 wants DTEND after DTSTART, so there is none.
                event.add("dtstart", entry.start)
            elif entry.day is not None:
                event.add("dtstart", entry.day)
                event.add("dtend", entry.day + timedelta(days=1))
            event.add("description", link)
        event.add("url", link)
        calendar.add_component(event)
    if not found:
        # RFC 5545 wants at least one component; the times here are all in UTC.
        calendar.add_component(Timezone.from_tzid("UTC"))
    return calendar.to_ical()
