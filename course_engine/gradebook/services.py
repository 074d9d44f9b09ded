"""Recording and reading grades; each grading domain calls record_grade."""

from sqlalchemy import select

from course_engine.courses.models import Item
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.gradebook.models import Grade


def record_grade(
    user_id: int, item: Item, score: float, max_score: float, *, category: str, released: bool
) -> Grade:
    """Create or update the learner's grade for an item. Flush only."""
    grade = db.session.scalar(
        select(Grade).where(Grade.user_id == user_id, Grade.item_id == item.id)
    )
    if grade is None:
        grade = Grade(user_id=user_id, item_id=item.id, course_id=item.course_id)
        db.session.add(grade)
    grade.score = score
    grade.max_score = max_score
    grade.category = category
    grade.released = released
    grade.updated_at = utcnow()
    db.session.flush()
    return grade


def grades_of(user_id: int, course_id: int, *, released_only: bool) -> list[Grade]:
    """Return one learner's grades in a course."""
    query = select(Grade).where(Grade.user_id == user_id, Grade.course_id == course_id)
    if released_only:
        query = query.where(Grade.released)
    return list(db.session.scalars(query))
