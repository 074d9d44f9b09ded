"""Deliverables, learners' submissions and their versions and files, and facilitators' grading."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course_engine.database import value_enum
from course_engine.extensions import Model


class SubmissionMode(enum.StrEnum):
    FILE = "file"
    TEXT = "text"
    BOTH = "both"


class Deliverable(Model):
    """The settings of one deliverable item, loaded from its pack."""

    __tablename__ = "deliverables"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    instructions_html: Mapped[str] = mapped_column(Text, default="")
    # The template's path inside its pack, served by courses.asset.
    template_path: Mapped[str | None] = mapped_column(String(400))
    due_at: Mapped[datetime | None] = mapped_column(DateTime())
    due_days: Mapped[int | None] = mapped_column(Integer)
    cutoff_at: Mapped[datetime | None] = mapped_column(DateTime())
    cutoff_days: Mapped[int | None] = mapped_column(Integer)
    submission_mode: Mapped[SubmissionMode] = mapped_column(
        value_enum(SubmissionMode, "submission_mode"), default=SubmissionMode.BOTH
    )
    file_types: Mapped[list] = mapped_column(JSON, default=list)
    max_files: Mapped[int] = mapped_column(Integer, default=3)
    max_size_mb: Mapped[float] = mapped_column(Float, default=20)
    category: Mapped[str] = mapped_column(String(40), default="deliverables")
    # [{id, title, levels: [{points, label, descriptor}]}], checked at import.
    rubric: Mapped[list] = mapped_column(JSON, default=list)
    # The pack's peer_review mapping, checked at import, read by the peer review domain.
    peer_review: Mapped[dict | None] = mapped_column(JSON)
    blind_marking: Mapped[bool] = mapped_column(Boolean, default=False)


class Submission(Model):
    """One learner's work on one deliverable, across all its versions."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("deliverable_id", "user_id"),
        UniqueConstraint("deliverable_id", "pseudonym"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        ForeignKey("deliverables.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Shown to graders instead of the name under blind marking ("Participant 4821").
    pseudonym: Mapped[int] = mapped_column(Integer)
    # How many versions were submitted; 0 while there is only a draft.
    submitted_count: Mapped[int] = mapped_column(Integer, default=0)
    last_submitted_at: Mapped[datetime | None] = mapped_column(DateTime())
    # A per-learner due date granted by a facilitator; it also moves the cut-off.
    extended_due_at: Mapped[datetime | None] = mapped_column(DateTime())
    # A facilitator granted one more submission whatever the dates.
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime())

    versions: Mapped[list["SubmissionVersion"]] = relationship(
        back_populates="submission", order_by="SubmissionVersion.number"
    )


class SubmissionVersion(Model):
    """A version of a submission: the open draft (not submitted yet) or a submitted one."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    # Counters kept on the row so limits hold under concurrent uploads (conditional UPDATE).
    file_count: Mapped[int] = mapped_column(Integer, default=0)
    total_bytes: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime())

    submission: Mapped[Submission] = relationship(back_populates="versions")
    files: Mapped[list["SubmissionFile"]] = relationship(order_by="SubmissionFile.id")

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class SubmissionFile(Model):
    """A file of a version; several versions may share one stored file."""

    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("submission_versions.id", ondelete="CASCADE"), index=True
    )
    storage_name: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime())


class AssessmentState(enum.StrEnum):
    DRAFT = "draft"
    RELEASED = "released"


class Assessment(Model):
    """A facilitator's grading of a submission: rubric levels, score and feedback."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The version that was graded.
    version_number: Mapped[int] = mapped_column(Integer)
    # {criterion id: points of the chosen level}
    levels: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float] = mapped_column(Float, default=0)
    max_score: Mapped[float] = mapped_column(Float, default=0)
    # The share of the grade from peer review, as a percent of max_score; set by peer review.
    peer_percent: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_html: Mapped[str] = mapped_column(Text, default="")
    feedback_storage_name: Mapped[str | None] = mapped_column(String(64))
    feedback_file_name: Mapped[str | None] = mapped_column(String(255))
    feedback_content_type: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[AssessmentState] = mapped_column(
        value_enum(AssessmentState, "assessment_state"), default=AssessmentState.DRAFT
    )
    released_at: Mapped[datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    # Optimistic locking: a save must name the version it was based on.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": lock_version}
