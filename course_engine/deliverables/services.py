"""Learners' submissions: deadlines, finding submissions and their versions, released grades.

Drafts, files and submitting are in drafts.py.

The public API that other domains (peer review) build on:
`deliverable_for_item`, `submissions_of`, `versions_of`, `latest_submitted`,
`rubric_max`, and `grading.record_peer_score`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from course_engine.courses.models import Course, Item
from course_engine.deliverables.due_dates import days_after_start
from course_engine.deliverables.models import (
    Assessment,
    Deliverable,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from course_engine.errors import NotFound
from course_engine.extensions import db

OBJECTIVES_SLUG = "personal-objectives"
MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class Upload:
    """A file sent by a browser: its stream and the name it came with."""

    stream: BinaryIO
    filename: str


@dataclass(frozen=True)
class Deadlines:
    due: datetime | None
    cutoff: datetime | None


def deliverable_for_item(item: Item) -> Deliverable:
    """Return the deliverable of an item, or raise NotFound."""
    deliverable = db.session.scalar(select(Deliverable).where(Deliverable.item_id == item.id))
    if deliverable is None:
        raise NotFound("There is no such deliverable.")
    return deliverable


def deadlines(deliverable: Deliverable, course: Course, submission: Submission | None) -> Deadlines:
    """Return the learner's due date and cut-off, counting an extension they were granted."""
    due = deliverable.due_at or days_after_start(course.starts_on, deliverable.due_days)
    cutoff = deliverable.cutoff_at or days_after_start(course.starts_on, deliverable.cutoff_days)
    extended = submission.extended_due_at if submission else None
    if extended is not None:
        due = extended
        cutoff = max(cutoff, extended) if cutoff else None
    return Deadlines(due, cutoff)


def find_submission(deliverable_id: int, user_id: int) -> Submission | None:
    """Return the learner's submission to a deliverable, if they started one."""
    return db.session.scalar(
        select(Submission).where(
            Submission.deliverable_id == deliverable_id, Submission.user_id == user_id
        )
    )


def versions_of(submission_id: int) -> list[SubmissionVersion]:
    """Return a submission's versions, oldest first, with their files."""
    return list(
        db.session.scalars(
            select(SubmissionVersion)
            .options(selectinload(SubmissionVersion.files))
            .where(SubmissionVersion.submission_id == submission_id)
            .order_by(SubmissionVersion.number)
        )
    )


def latest_submitted(submission_id: int) -> SubmissionVersion | None:
    """Return the last submitted version of a submission."""
    return db.session.scalar(
        select(SubmissionVersion)
        .where(
            SubmissionVersion.submission_id == submission_id,
            SubmissionVersion.submitted_at.is_not(None),
        )
        .order_by(SubmissionVersion.number.desc())
        .limit(1)
    )


def submissions_of(deliverable_id: int, *, submitted_only: bool = True) -> list[Submission]:
    """Return a deliverable's submissions (by default only those submitted at least once)."""
    query = select(Submission).where(Submission.deliverable_id == deliverable_id)
    if submitted_only:
        query = query.where(Submission.submitted_count > 0)
    return list(db.session.scalars(query.order_by(Submission.id)))


def rubric_max(rubric: list) -> float:
    """Return the highest total a rubric can give."""
    return float(sum(max(level["points"] for level in c["levels"]) for c in rubric))


def released_assessment(submission_id: int) -> Assessment | None:
    """Return the grading of a submission if it was released to the learner."""
    from course_engine.deliverables.models import AssessmentState

    return db.session.scalar(
        select(Assessment).where(
            Assessment.submission_id == submission_id,
            Assessment.state == AssessmentState.RELEASED,
        )
    )


def objectives_text(course_id: int, user_id: int, item_slug: str) -> str | None:
    """Return the learner's latest submitted personal objectives, beside other deliverables."""
    if item_slug == OBJECTIVES_SLUG:
        return None
    return db.session.scalar(
        select(SubmissionVersion.text)
        .join(Submission, Submission.id == SubmissionVersion.submission_id)
        .join(Deliverable, Deliverable.id == Submission.deliverable_id)
        .join(Item, Item.id == Deliverable.item_id)
        .where(
            Item.course_id == course_id,
            Item.slug == OBJECTIVES_SLUG,
            Submission.user_id == user_id,
            SubmissionVersion.submitted_at.is_not(None),
        )
        .order_by(SubmissionVersion.number.desc())
        .limit(1)
    )


def stored_names() -> set[str]:
    """Return every stored file name that deliverables reference (for the storage check)."""
    names = set(db.session.scalars(select(SubmissionFile.storage_name).distinct()))
    names.update(
        db.session.scalars(
            select(Assessment.feedback_storage_name).where(
                Assessment.feedback_storage_name.is_not(None)
            )
        )
    )
    return names


def set_course_start(course: Course, starts_on: date | None) -> None:
    """Set the date the cohort starts, from which relative due dates count."""
    course.starts_on = starts_on
    db.session.flush()
