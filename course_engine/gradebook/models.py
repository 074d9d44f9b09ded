"""One grade per learner per graded item, written by the domain that grades it."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.extensions import Model


class Grade(Model):
    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    # The gradebook category the item counts in (quizzes, deliverables, ...).
    category: Mapped[str] = mapped_column(String(40))
    # Learners see a grade only once it is released.
    released: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime())

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0


class CategoryWeight(Model):
    """A facilitator's weight for one gradebook category of a course; equal when unset."""

    __tablename__ = "category_weights"
    __table_args__ = (UniqueConstraint("course_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    weight: Mapped[float] = mapped_column(Float)
