"""The grading queue: every learner of a deliverable with their submission and grading state."""

import enum
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import and_, select

from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Enrolment
from course_engine.deliverables.blind import StaffAuthor, staff_author
from course_engine.deliverables.models import (
    Assessment,
    AssessmentState,
    Deliverable,
    Submission,
    SubmissionVersion,
)
from course_engine.extensions import db
from course_engine.roles import Role


class QueueStatus(enum.StrEnum):
    NOT_SUBMITTED = "not_submitted"
    TO_GRADE = "to_grade"
    DRAFT = "draft"
    RELEASED = "released"


QUEUE_LABELS = {
    QueueStatus.NOT_SUBMITTED: "Not submitted",
    QueueStatus.TO_GRADE: "To grade",
    QueueStatus.DRAFT: "Graded, not released",
    QueueStatus.RELEASED: "Released",
}


def queue_status(submission: Submission | None, assessment: Assessment | None) -> QueueStatus:
    """Return where a learner's submission stands in grading."""
    if submission is None or submission.submitted_count == 0:
        return QueueStatus.NOT_SUBMITTED
    # An assessment without a grader holds only the peer score: nobody has graded yet.
    if (
        assessment is None
        or assessment.grader_id is None
        or assessment.version_number < submission.submitted_count
    ):
        return QueueStatus.TO_GRADE
    if assessment.state == AssessmentState.RELEASED:
        return QueueStatus.RELEASED
    return QueueStatus.DRAFT


@dataclass
class QueueRow:
    user_id: int
    author: StaffAuthor
    submission: Submission | None
    assessment: Assessment | None
    late: bool

    @property
    def status(self) -> QueueStatus:
        return queue_status(self.submission, self.assessment)


class QueueFilters(TypedDict):
    """The filters a grading queue is asked for; None leaves a filter off."""

    status: str | None
    group_id: int | None
    country: str | None


@dataclass(frozen=True)
class GradingQueue:
    """The learners listed for grading, and how many more blind marking only counts."""

    rows: list[QueueRow]
    unlisted: int = 0


def queue(
    deliverable: Deliverable,
    *,
    status: str | None = None,
    group_id: int | None = None,
    country: str | None = None,
) -> GradingQueue:
    """Return every learner of the course with their submission and grading, in one query.

    Under blind marking the group and country filters are ignored (they would
    tie pseudonyms to groups and countries), and learners without a
    submission are only counted.
    """
    if deliverable.blind_marking:
        group_id = country = None
    query = (
        select(User, CohortGroup.name, Submission, Assessment, SubmissionVersion.late)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(CohortGroup, CohortGroup.id == Enrolment.group_id)
        .outerjoin(
            Submission,
            and_(Submission.user_id == User.id, Submission.deliverable_id == deliverable.id),
        )
        .outerjoin(Assessment, Assessment.submission_id == Submission.id)
        .outerjoin(
            SubmissionVersion,
            and_(
                SubmissionVersion.submission_id == Submission.id,
                SubmissionVersion.number == Submission.submitted_count,
            ),
        )
        .where(Enrolment.course_id == deliverable.course_id, Enrolment.role == Role.LEARNER)
        .order_by(User.display_name, User.id)
    )
    if group_id:
        query = query.where(Enrolment.group_id == group_id)
    if country:
        query = query.where(User.country == country)
    rows, unlisted = [], 0
    for user, group, submission, assessment, late in db.session.execute(query):
        if status and queue_status(submission, assessment) != status:
            continue
        author = staff_author(deliverable, submission, assessment, user, group)
        if author is None:
            unlisted += 1
        else:
            rows.append(QueueRow(user.id, author, submission, assessment, bool(late)))
    if deliverable.blind_marking:
        rows.sort(key=lambda row: row.author.label)
    return GradingQueue(rows, unlisted)
