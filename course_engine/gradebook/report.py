"""The course gradebook: learners by graded items, weighted totals, and the CSV export.

Every function here runs a fixed number of queries whatever the number of
learners and items.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Enrolment, Item, Module, Track
from course_engine.csv_export import csv_line
from course_engine.extensions import db
from course_engine.gradebook.models import CategoryWeight, Grade
from course_engine.gradebook.services import grades_of
from course_engine.roles import Role

GRADED_KINDS = {"quiz": "quizzes", "deliverable": "deliverables"}
PAGE_SIZE = 50


class Points(Protocol):
    """What a course total reads of a grade: a Grade, or a plain row of its columns."""

    @property
    def score(self) -> float: ...
    @property
    def max_score(self) -> float: ...
    @property
    def category(self) -> str: ...


@dataclass
class LearnerRow:
    user_id: int
    name: str
    email: str
    country: str
    group: str | None
    grades: dict[int, Grade] = field(default_factory=dict)
    total: float | None = None


def graded_items(course_id: int, session: Session | None = None) -> list[Item]:
    """Return the course's graded items (quizzes and deliverables) in outline order."""
    return list(
        (session or db.session).scalars(
            select(Item)
            .join(Module, Module.id == Item.module_id)
            .join(Track, Track.id == Module.track_id)
            .where(
                Item.course_id == course_id,
                Item.kind.in_(GRADED_KINDS),
                ~Item.archived,
                ~Module.archived,
                ~Track.archived,
            )
            .order_by(Track.position, Module.position, Item.position)
        )
    )


def categories(course_id: int, items: list[Item], session: Session | None = None) -> list[str]:
    """Return the course's gradebook categories: those of its grades and of its item kinds."""
    found = set(
        (session or db.session).scalars(select(Grade.category).where(Grade.course_id == course_id))
    )
    found.update(GRADED_KINDS[item.kind] for item in items)
    return sorted(found)


def weights(course_id: int, names: list[str], session: Session | None = None) -> dict[str, float]:
    """Return each category's weight: the facilitators' setting, else equal weights."""
    stored = dict(
        (session or db.session)
        .execute(
            select(CategoryWeight.category, CategoryWeight.weight).where(
                CategoryWeight.course_id == course_id
            )
        )
        .all()
    )
    return {name: stored.get(name, 1.0) for name in names}


def set_weights(course_id: int, values: dict[str, float]) -> None:
    """Store the facilitators' category weights. Flush only."""
    existing = {
        row.category: row
        for row in db.session.scalars(
            select(CategoryWeight).where(CategoryWeight.course_id == course_id)
        )
    }
    for category, weight in values.items():
        row = existing.get(category)
        if row is None:
            db.session.add(CategoryWeight(course_id=course_id, category=category, weight=weight))
        else:
            row.weight = weight
    db.session.flush()


def course_total(grades: Iterable[Points], category_weights: dict[str, float]) -> float | None:
    """Return the weighted course total in percent.

    Each category scores the sum of its points over the sum of its maximums;
    categories where the learner has no grade yet are left out and the other
    weights share their place. None when the learner has no grade at all.
    """
    sums: dict[str, list[float]] = {}
    for grade in grades:
        score, maximum = sums.setdefault(grade.category, [0.0, 0.0])
        sums[grade.category] = [score + grade.score, maximum + grade.max_score]
    weighted = total_weight = 0.0
    for category, (score, maximum) in sums.items():
        weight = category_weights.get(category, 1.0)
        if maximum and weight:
            weighted += weight * score / maximum
            total_weight += weight
    return round(100 * weighted / total_weight, 1) if total_weight else None


def _learners(course_id: int, group_id: int | None, country: str | None):
    query = (
        select(User.id, User.display_name, User.email, User.country, CohortGroup.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(CohortGroup, CohortGroup.id == Enrolment.group_id)
        .where(Enrolment.course_id == course_id, Enrolment.role == Role.LEARNER)
    )
    if group_id:
        query = query.where(Enrolment.group_id == group_id)
    if country:
        query = query.where(User.country == country)
    return query


def page(
    course_id: int,
    *,
    group_id: int | None = None,
    country: str | None = None,
    item_ids: list[int],
    number: int = 1,
    size: int = PAGE_SIZE,
) -> tuple[list[LearnerRow], int]:
    """Return one page of learners with their grades and totals, and the number of learners."""
    learners = _learners(course_id, group_id, country)
    count = db.session.scalar(select(func.count()).select_from(learners.subquery())) or 0
    rows = [
        LearnerRow(*row)
        for row in db.session.execute(
            learners.order_by(User.display_name, User.id)
            .limit(size)
            .offset((max(number, 1) - 1) * size)
        )
    ]
    by_user = {row.user_id: row for row in rows}
    if by_user:
        query = select(Grade).where(
            Grade.course_id == course_id, Grade.user_id.in_(by_user), Grade.item_id.in_(item_ids)
        )
        for grade in db.session.scalars(query):
            by_user[grade.user_id].grades[grade.item_id] = grade
    return rows, count


def add_totals(rows: list[LearnerRow], category_weights: dict[str, float]) -> None:
    """Fill in each row's weighted course total."""
    for row in rows:
        row.total = course_total(list(row.grades.values()), category_weights)


def own_grades(user_id: int, course_id: int, items: list[Item]) -> dict[int, Grade]:
    """Return a learner's released grades on the course's graded items, by item id."""
    wanted = {item.id for item in items}
    return {
        grade.item_id: grade
        for grade in grades_of(user_id, course_id, released_only=True)
        if grade.item_id in wanted
    }


def groups(course_id: int) -> list[tuple[int, str]]:
    """Return the course's cohort groups as (id, name)."""
    query = select(CohortGroup.id, CohortGroup.name).where(CohortGroup.course_id == course_id)
    return [
        (group_id, name) for group_id, name in db.session.execute(query.order_by(CohortGroup.name))
    ]


def countries(course_id: int) -> list[str]:
    """Return the countries of the course's learners."""
    return list(
        db.session.scalars(
            select(User.country)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == course_id, User.country != "")
            .distinct()
            .order_by(User.country)
        )
    )


def csv_lines(
    session: Session, course_id: int, *, group_id: int | None = None, country: str | None = None
) -> Iterator[str]:
    """Yield the gradebook as CSV lines through `session`, reading grades in batches.

    Five queries in all, whatever the number of learners and items.
    """
    items = graded_items(course_id, session)
    category_weights = weights(course_id, categories(course_id, items, session), session)
    yield csv_line(
        ["Name", "Email", "Country", "Group"]
        + [item.title for item in items]
        + ["Course total (%)"]
    )
    learners = _learners(course_id, group_id, country).order_by(User.id)
    # Plain rows, not Grade objects: an export of every grade builds tens of thousands.
    grades = session.execute(
        select(Grade.user_id, Grade.item_id, Grade.score, Grade.max_score, Grade.category)
        .where(Grade.course_id == course_id, Grade.item_id.in_([item.id for item in items]))
        .order_by(Grade.user_id)
        .execution_options(yield_per=1000)
    )
    pending = next(grades, None)
    for learner in session.execute(learners).all():
        row = LearnerRow(*learner)
        points: dict[int, Points] = {}
        while pending is not None and pending.user_id <= row.user_id:
            if pending.user_id == row.user_id:
                points[pending.item_id] = pending
            pending = next(grades, None)
        cells = [row.name, row.email, row.country, row.group or ""]
        for item in items:
            grade = points.get(item.id)
            cells.append(f"{grade.score:g}/{grade.max_score:g}" if grade else "")
        total = course_total(points.values(), category_weights)
        yield csv_line([*cells, "" if total is None else f"{total:g}"])
