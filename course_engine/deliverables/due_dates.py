"""When a course's deliverables are due, for the course calendar."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from course_engine import dates
from course_engine.courses.models import Course, Item, Module, Track
from course_engine.deliverables.models import Deliverable
from course_engine.extensions import db


@dataclass(frozen=True)
class DueDate:
    """A deliverable's due date: a moment (naive UTC), or the whole of a day."""

    item: Item
    due: datetime
    # Due at the end of a day given without a time: a calendar shows the day, not a time.
    whole_day: bool


def days_after_start(starts_on: date | None, days: int | None) -> datetime | None:
    """Return the end of the day `days` after the course starts, or None."""
    # Without a start date, "N days after the start" is no date at all.
    if starts_on is None or days is None:
        return None
    return dates.end_of(starts_on + timedelta(days=days))


def due_dates(course: Course) -> list[DueDate]:
    """Return the due dates of the course's visible deliverables that have one, in one query."""
    rows = db.session.execute(
        select(Item, Deliverable.due_at, Deliverable.due_days)
        .join(Deliverable, Deliverable.item_id == Item.id)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(Item.course_id == course.id, ~Item.archived, ~Module.archived, ~Track.archived)
    )
    found = []
    for item, due_at, due_days in rows:
        if due_at is not None:
            found.append(DueDate(item, due_at, whole_day=dates.is_end_of_day(due_at)))
        elif (due := days_after_start(course.starts_on, due_days)) is not None:
            found.append(DueDate(item, due, whole_day=True))
    return found
