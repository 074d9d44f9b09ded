"""Recording and reading grades; each grading domain calls record_grade."""

from sqlalchemy import select

from course_engine.courses.models import Item
from course_engine.database import dialect_insert, utcnow
from course_engine.extensions import db
from course_engine.gradebook.models import Grade


def record_grade(
    user_id: int, item: Item, score: float, max_score: float, *, category: str, released: bool
) -> Grade:
    """Create or update the learner's grade for an item, in one statement (an upsert)."""
    values = {
        "score": score,
        "max_score": max_score,
        "category": category,
        "released": released,
        "updated_at": utcnow(),
    }
    statement = (
        dialect_insert(Grade)
        .values(user_id=user_id, item_id=item.id, course_id=item.course_id, **values)
        .on_conflict_do_update(index_elements=["user_id", "item_id"], set_=values)
        .returning(Grade)
    )
    return db.session.scalars(statement, execution_options={"populate_existing": True}).one()


def grades_of(user_id: int, course_id: int, *, released_only: bool) -> list[Grade]:
    """Return one learner's grades in a course."""
    query = select(Grade).where(Grade.user_id == user_id, Grade.course_id == course_id)
    if released_only:
        query = query.where(Grade.released)
    return list(db.session.scalars(query))
