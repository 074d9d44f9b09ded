"""Quizzes: their settings, questions and answers, and learners' attempts."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.database import value_enum
from course_engine.extensions import Model
from course_engine.quizzes.types import QuestionType


class GradingMethod(enum.StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


class FeedbackTiming(enum.StrEnum):
    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    # Held only inside the transaction that won the submit and grades the attempt.
    SUBMITTED = "submitted"
    GRADED = "graded"
    NEEDS_GRADING = "needs_grading"


class QuestionSource(enum.StrEnum):
    PACK = "pack"
    BANK = "bank"


class Quiz(Model):
    """The quiz settings of one `quiz` item."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    # 0 means unlimited.
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=0)
    grading_method: Mapped[GradingMethod] = mapped_column(
        value_enum(GradingMethod, "quiz_grading_method"), default=GradingMethod.HIGHEST
    )
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    pass_percent: Mapped[float] = mapped_column(Float, default=60.0)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_answers: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback: Mapped[FeedbackTiming] = mapped_column(
        value_enum(FeedbackTiming, "quiz_feedback_timing"), default=FeedbackTiming.IMMEDIATELY
    )
    per_page: Mapped[int] = mapped_column(Integer, default=1)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime())
    closes_at: Mapped[datetime | None] = mapped_column(DateTime())


class Question(Model):
    """One question of a quiz; `key` is its stable import id, `retired` once it left the file."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    source: Mapped[QuestionSource] = mapped_column(
        value_enum(QuestionSource, "quiz_question_source"), default=QuestionSource.PACK
    )
    # Text under a CHECK constraint, not a PostgreSQL enum, whose values cannot be dropped.
    type: Mapped[QuestionType] = mapped_column(
        Enum(
            QuestionType,
            name="quiz_question_type",
            native_enum=False,
            create_constraint=True,
            length=20,
            validate_strings=True,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(200), default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    general_feedback_html: Mapped[str] = mapped_column(Text, default="")
    guidance_html: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Answer(Model):
    """A choice, accepted answer, numerical range or matching pair of a question.

    Rows are matched by position on re-import; rows beyond the new list are
    retired, so responses that point at them stay readable.
    """

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Matching pairs: `text` is the prompt and `match` what it matches.
    match: Mapped[str | None] = mapped_column(Text)
    fraction: Mapped[float] = mapped_column(Float, default=0.0)
    feedback: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float)
    tolerance: Mapped[float | None] = mapped_column(Float)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Attempt(Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        # At most one attempt in progress per learner, even when two starts race.
        Index(
            "uq_quiz_attempts_one_in_progress",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[AttemptState] = mapped_column(value_enum(AttemptState, "quiz_attempt_state"))
    started_at: Mapped[datetime] = mapped_column(DateTime())
    # When answers stop counting (before the grace period); None without a limit.
    deadline: Mapped[datetime | None] = mapped_column(DateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime())
    # Set when the server closed the attempt because its time ran out.
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)


class AttemptAnswer(Model):
    """One question within one attempt: its place, its shuffled choices and the response."""

    __tablename__ = "quiz_attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # Answer ids in the order shown, fixed when the attempt starts.
    answer_order: Mapped[list] = mapped_column(JSON, default=list)
    response: Mapped[object | None] = mapped_column(JSON(none_as_null=True))
    saved_at: Mapped[datetime | None] = mapped_column(DateTime())
    # Fraction of the question's points earned (0..1); None until graded.
    fraction: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(DateTime())
