"""Who may see and act on peer review: the one place the views ask."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select

from course_engine.courses.activities import Activity
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.deliverables.permissions import load_deliverable
from course_engine.deliverables.services import find_submission
from course_engine.extensions import db
from course_engine.peer_review.anonymity import ReviewViewer
from course_engine.peer_review.models import Allocation
from course_engine.peer_review.settings import Settings, settings_of


@dataclass(frozen=True)
class PeerReviewed:
    """A deliverable that has peer review, with its settings."""

    deliverable: Deliverable
    settings: Settings


def load_peer_reviewed(
    course_slug: str, item_slug: str, *, staff: bool = False
) -> Activity[PeerReviewed]:
    """Return the peer-reviewed deliverable for the current user (staff only if staff), or 404."""
    activity = load_deliverable(course_slug, item_slug, staff=staff)
    deliverable = activity.record
    if deliverable.peer_review is None:
        abort(404)
    return activity.with_record(PeerReviewed(deliverable, settings_of(deliverable)))


def viewer_of(user) -> ReviewViewer:
    """Return the viewer that anonymity labels are computed for."""
    return ReviewViewer(user.id)


def reviewer_allocation(deliverable, allocation_id: int, user_id: int):
    """Return (allocation, submission) allocated to this reviewer, or answer 404.

    Someone else's allocation, another deliverable's, and (however it came
    about) one of the reviewer's own submissions all look like nothing.
    """
    row = db.session.execute(
        select(Allocation, Submission)
        .join(Submission, Submission.id == Allocation.submission_id)
        .where(
            Allocation.id == allocation_id,
            Allocation.deliverable_id == deliverable.id,
            Allocation.reviewer_id == user_id,
        )
    ).first()
    if row is None or row[1].user_id == user_id:
        abort(404)
    return row[0], row[1]


def own_submission(deliverable, user_id: int) -> Submission | None:
    """Return the user's own submission to the deliverable, if any."""
    return find_submission(deliverable.id, user_id)


def staff_submission(deliverable, submission_id: int) -> Submission:
    """Return a submission of this deliverable for its facilitators, or answer 404."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.deliverable_id != deliverable.id:
        abort(404)
    return submission
