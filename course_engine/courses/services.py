"""Course rules: finding a course, enrolment, cohort groups and the dashboard."""

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

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
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.roles import Role

# Checked on almost every page; built once.
_ENROLMENT_ROLE = select(Enrolment.role).where(
    Enrolment.user_id == bindparam("user_id"), Enrolment.course_id == bindparam("course_id")
)


def enrolment_role(user_id: int, course_id: int) -> Role | None:
    """Return the user's enrolment role in the course."""
    return db.session.scalar(_ENROLMENT_ROLE, {"user_id": user_id, "course_id": course_id})


def get_course(slug: str) -> Course:
    """Return the course with this id, or raise NotFound."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound("There is no such course.")
    return course


def enrol(user_id: int, course_id: int, role: Role) -> Enrolment:
    """Enrol the user in the course with the role, or change the role they have."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    if enrolment is None:
        enrolment = Enrolment(user_id=user_id, course_id=course_id, role=role)
        db.session.add(enrolment)
    else:
        enrolment.role = role
    db.session.flush()
    return enrolment


def set_group(user_id: int, course_id: int, group_name: str | None) -> CohortGroup | None:
    """Put an enrolled user in the course's group of that name (created if new), or in none."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    if enrolment is None:
        raise NotFound("The user is not enrolled in this course.")
    group = None
    if group_name:
        group = db.session.scalar(
            select(CohortGroup).where(
                CohortGroup.course_id == course_id, CohortGroup.name == group_name
            )
        )
        if group is None:
            group = CohortGroup(course_id=course_id, name=group_name)
            db.session.add(group)
            db.session.flush()
    enrolment.group_id = group.id if group else None
    db.session.flush()
    return group


@dataclass
class CourseCard:
    course: Course
    role: Role
    total: int = 0
    done: int = 0
    resume_slug: str | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def dashboard_cards(user_id: int) -> list[CourseCard]:
    """Return the user's courses with their progress, in a fixed number of queries."""
    rows = db.session.execute(
        select(Course, Enrolment.role, Item.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .outerjoin(Item, Item.id == Enrolment.last_item_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Course.title)
    ).all()
    cards = {course.id: CourseCard(course, role, resume_slug=slug) for course, role, slug in rows}
    if not cards:
        return []
    totals = db.session.execute(
        select(Item.course_id, func.count())
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(
            Item.course_id.in_(cards),
            Item.required,
            ~Item.archived,
            ~Module.archived,
            ~Track.archived,
        )
        .group_by(Item.course_id)
    ).all()
    for course_id, total in totals:
        cards[course_id].total = total
    done = db.session.execute(
        select(ItemProgress.course_id, func.count())
        .join(Item, Item.id == ItemProgress.item_id)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(
            ItemProgress.user_id == user_id,
            ItemProgress.status == ProgressStatus.DONE,
            Item.required,
            ~Item.archived,
            ~Module.archived,
            ~Track.archived,
        )
        .group_by(ItemProgress.course_id)
    ).all()
    for course_id, count in done:
        cards[course_id].done = count
    return list(cards.values())
