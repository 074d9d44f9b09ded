"""Learners' progress on the course's required items, and whether they are behind.

A learner is *behind* when they have completed something but not handed in a
required deliverable whose due date (their own extension counted) has passed;
the dashboard says so in the same words (BEHIND_RULE). Handing in is what a
learner owes by the date: the item is complete only once a grade is released.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from course_engine.auth.models import User
from course_engine.courses.models import (
    CohortGroup,
    Course,
    Enrolment,
    Item,
    ItemProgress,
    Module,
    ProgressStatus,
    Track,
)
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.deliverables.services import deadlines
from course_engine.extensions import db
from course_engine.reports.filters import Filters, Status
from course_engine.roles import Role

BEHIND_RULE = (
    "Behind: has completed at least one required item, but not handed in a required "
    "deliverable whose due date (counting any extension they were given) has passed."
)


@dataclass
class ReportItem:
    id: int
    slug: str
    title: str
    kind: str
    required: bool
    module_id: int
    due: datetime | None = None


@dataclass
class LearnerRow:
    user_id: int
    name: str
    email: str
    country: str
    group: str | None
    done: int
    total: int
    last_activity: datetime | None
    overdue: int = 0
    status: Status = Status.ON_TRACK


def visible(query):
    return query.where(~Item.archived, ~Module.archived, ~Track.archived)


def outline(course: Course) -> tuple[list[tuple[int, str]], list[ReportItem]]:
    """Return the visible modules and items in outline order, with deliverables' due dates."""
    # Columns, not Item rows: lessons' bodies are large. The outer join reads the
    # deliverables' settings so that their own deadline rule dates them.
    query = visible(
        select(
            Item.id,
            Item.slug,
            Item.title,
            Item.kind,
            Item.required,
            Item.module_id,
            Module.title,
            Deliverable,
        )
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .outerjoin(Deliverable, Deliverable.item_id == Item.id)
        .where(Item.course_id == course.id)
        .order_by(Track.position, Module.position, Item.position)
    )
    modules: dict[int, str] = {}
    items = []
    for row in db.session.execute(query):
        item_id, slug, title, kind, required, module_id, module_title, deliverable = row
        modules.setdefault(module_id, module_title)
        due = deadlines(deliverable, course, None).due if deliverable else None
        items.append(ReportItem(item_id, slug, title, kind, required, module_id, due))
    return list(modules.items()), items


def _learners_filter(query, course_id: int, filters: Filters):
    query = query.where(Enrolment.course_id == course_id, Enrolment.role == Role.LEARNER)
    if filters.group_id:
        query = query.where(Enrolment.group_id == filters.group_id)
    return query


def join_learners(query, user_id_column, course_id: int, filters: Filters):
    """Keep the rows of the course's learners the filters pick, joined by their user id.

    A plain join rather than IN (subquery): without table statistics (just
    after a bulk load) PostgreSQL plans a join on indexes well, a semi-join
    on an aggregate badly.
    """
    query = query.join(Enrolment, Enrolment.user_id == user_id_column)
    if filters.country:
        query = query.join(User, User.id == user_id_column).where(User.country == filters.country)
    return _learners_filter(query, course_id, filters)


def counted(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def required_done():
    return and_(ItemProgress.status == ProgressStatus.DONE, Item.required)


def _progress(course_id: int) -> dict[int, tuple]:
    """Return {user id: (required items done, last activity)} in the course."""
    query = visible(
        select(
            ItemProgress.user_id,
            counted(required_done()),
            func.max(ItemProgress.updated_at),
        )
        .join(Item, Item.id == ItemProgress.item_id)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(ItemProgress.course_id == course_id)
    ).group_by(ItemProgress.user_id)
    return {user_id: tuple(values) for user_id, *values in db.session.execute(query)}


def learners(course_id: int, filters: Filters, overdue_ids: set[int], total: int):
    """Return the learners the filters pick, with their progress on required items.

    Each starts with every overdue item as overdue; deadline_changes takes off
    what they handed in and moves their own extensions.

    Two queries (the learners, and everyone's progress grouped by learner)
    joined here: a database without statistics yet would otherwise run the
    grouped query once per learner.
    """
    query = (
        select(User.id, User.display_name, User.email, User.country, CohortGroup.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(CohortGroup, CohortGroup.id == Enrolment.group_id)
        .order_by(User.display_name, User.id)
    )
    if filters.country:
        query = query.where(User.country == filters.country)
    people = db.session.execute(_learners_filter(query, course_id, filters)).all()
    progress = _progress(course_id)
    rows = []
    for user_id, name, email, country, group in people:
        done, last = progress.get(user_id, (0, None))
        row = LearnerRow(user_id, name, email, country, group, done, total, last)
        row.overdue = len(overdue_ids)
        rows.append(row)
    return rows


def deadline_changes(
    course: Course, required: dict[int, ReportItem], overdue_ids: set[int], now: datetime
):
    """Return {user id: change in their overdue count} from hand-ins and deadline extensions.

    A deliverable handed in is never overdue; an extension moves one learner's
    due date, either way. Reads the deliverables' submissions directly because
    no service answers this for a whole cohort in one query.
    """
    handed_in = Submission.submitted_count > 0
    query = (
        select(Submission, Deliverable)
        .join(Deliverable, Deliverable.id == Submission.deliverable_id)
        .where(
            Deliverable.course_id == course.id,
            or_(
                Submission.extended_due_at.is_not(None),
                and_(handed_in, Deliverable.item_id.in_(overdue_ids)),
            ),
        )
    )
    changes: dict[int, int] = {}
    for submission, deliverable in db.session.execute(query):
        item = required.get(deliverable.item_id)
        if item is None:
            continue
        was = item.id in overdue_ids
        due = deadlines(deliverable, course, submission).due
        now_overdue = not submission.submitted_count and due is not None and due < now
        changes[submission.user_id] = changes.get(submission.user_id, 0) + now_overdue - was
    return changes


def status_of(row: LearnerRow) -> Status:
    """Return a learner's progress status: complete, not started, behind or on track."""
    if row.total and row.done >= row.total:
        return Status.COMPLETE
    if row.done == 0:
        return Status.NOT_STARTED
    if row.overdue > 0:
        return Status.BEHIND
    return Status.ON_TRACK
