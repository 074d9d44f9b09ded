"""Who reviews which submission (allocations), and the reviews they write."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course_engine.database import value_enum
from course_engine.extensions import Model


class AllocationState(enum.StrEnum):
    ASSIGNED = "assigned"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    EXPIRED = "expired"


# An allocation in one of these states still owes or holds a review.
ACTIVE_STATES = (AllocationState.ASSIGNED, AllocationState.DRAFT, AllocationState.SUBMITTED)
OPEN_STATES = (AllocationState.ASSIGNED, AllocationState.DRAFT)


class Allocation(Model):
    """One reviewer asked to review one submission, within a window."""

    __tablename__ = "peer_allocations"
    __table_args__ = (
        UniqueConstraint("submission_id", "reviewer_id"),
        # "Reviewer 2" stays the same label for the author whatever else changes.
        UniqueConstraint("submission_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        ForeignKey("deliverables.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[AllocationState] = mapped_column(
        value_enum(AllocationState, "allocation_state"),
        default=AllocationState.ASSIGNED,
    )
    due_at: Mapped[datetime] = mapped_column(DateTime())
    # None when the allocation was made by the automatic job.
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    expired_at: Mapped[datetime | None] = mapped_column(DateTime())

    review: Mapped["Review | None"] = relationship(
        back_populates="allocation", cascade="all, delete-orphan", passive_deletes=True
    )


class Review(Model):
    """A reviewer's comments and rubric levels on one allocated submission.

    Comments anchored to a rubric criterion are kept with the review as
    {criterion id: Markdown} (and their rendering): they are always read and
    written with the review, one per criterion, and never queried alone.
    """

    __tablename__ = "peer_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(
        ForeignKey("peer_allocations.id", ondelete="CASCADE"), unique=True
    )
    # The submitted version the reviewer saw.
    version_number: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_html: Mapped[str] = mapped_column(Text, default="")
    criterion_comments: Mapped[dict] = mapped_column(JSON, default=dict)
    criterion_comments_html: Mapped[dict] = mapped_column(JSON, default=dict)
    # {criterion id: points of the chosen level}
    levels: Mapped[dict] = mapped_column(JSON, default=dict)
    score_percent: Mapped[float | None] = mapped_column(Float)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())

    allocation: Mapped[Allocation] = relationship(back_populates="review")
