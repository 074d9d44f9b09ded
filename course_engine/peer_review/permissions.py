"""Who may see and act on peer review: the one place the views ask."""

from flask import abort
from sqlalchemy import select

from course_engine.deliverables import permissions as deliverables
from course_engine.deliverables.models import Submission
from course_engine.deliverables.services import find_submission
from course_engine.extensions import db
from course_engine.peer_review.anonymity import Viewer
from course_engine.peer_review.models import Allocation
from course_engine.peer_review.settings import Settings, settings_of


def load(course_slug: str, item_slug: str, *, staff: bool = False):
    """Return (course, item, deliverable, settings, is_staff) for the current user, or 404."""
    course, item, deliverable, is_staff = deliverables.load(course_slug, item_slug, staff=staff)
    if deliverable.peer_review is None:
        abort(404)
    settings: Settings = settings_of(deliverable)
    return course, item, deliverable, settings, is_staff


def viewer_of(user) -> Viewer:
    """Return the viewer that anonymity labels are computed for."""
    return Viewer(user.id)


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
