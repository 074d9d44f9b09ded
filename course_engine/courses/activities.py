"""What every activity page does first: find the item, check the viewer may reach it, load it.

Each domain keeps its own rules (who may act, what its record is) in its
permissions module and calls load_activity with them.
"""

from collections.abc import Callable, Set
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort
from flask_login import current_user

from course_engine.courses.models import Course, Item
from course_engine.courses.outline import find_item, is_hidden
from course_engine.permissions import can_facilitate, require_course_role
from course_engine.roles import ALL_ROLES, Role

RecordT = TypeVar("RecordT")
OtherRecordT = TypeVar("OtherRecordT")


@dataclass(frozen=True)
class Activity(Generic[RecordT]):
    """An activity item as the current user reaches it, with its domain's record."""

    course: Course
    item: Item
    role: Role
    # Runs the course (a facilitator or an admin): sees archived items and everyone's work.
    staff: bool
    record: RecordT

    def with_record(self, record: OtherRecordT) -> "Activity[OtherRecordT]":
        """Return the same activity with another record."""
        return Activity(self.course, self.item, self.role, self.staff, record)


def load_activity(
    course_slug: str,
    item_slug: str,
    kind: str,
    record: Callable[[Item], RecordT],
    roles: Set[Role] = ALL_ROLES,
) -> Activity[RecordT]:
    """Return the item of this kind if the current user may reach it with one of roles, else 404."""
    return activity_of(find_item(course_slug, item_slug), kind, record, roles)


def activity_of(
    item: Item,
    kind: str,
    record: Callable[[Item], RecordT],
    roles: Set[Role] = ALL_ROLES,
) -> Activity[RecordT]:
    """Check the current user may reach an item already loaded (place included), as load_activity.

    For pages that load the item together with their own record in one query.
    """
    if item.kind != kind:
        abort(404)
    role = require_course_role(item.course_id, roles)
    staff = can_facilitate(current_user, item.course_id)
    # Staff see archived items too; to everyone else they do not exist.
    if is_hidden(item) and not staff:
        abort(404)
    return Activity(item.module.track.course, item, role, staff, record(item))
