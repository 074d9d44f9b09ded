"""Who may see and act on deliverables: the one place the views ask."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from course_engine.courses.activities import Activity, load_activity
from course_engine.deliverables.models import (
    Deliverable,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from course_engine.deliverables.services import deliverable_for_item
from course_engine.extensions import db
from course_engine.roles import ALL_ROLES, STAFF


def load_deliverable(
    course_slug: str, item_slug: str, *, staff: bool = False
) -> Activity[Deliverable]:
    """Return the deliverable item for the current user (staff only if staff), or answer 404."""
    return load_activity(
        course_slug, item_slug, "deliverable", deliverable_for_item, STAFF if staff else ALL_ROLES
    )


def can_see_submission(user, submission: Submission, is_staff: bool) -> bool:
    """Tell whether the user may see a submission: its learner, or the course's facilitators."""
    return is_staff or submission.user_id == user.id


def visible_file(deliverable_id: int, file_id: int, is_staff: bool) -> SubmissionFile:
    """Return a file of this deliverable the current user may download, or answer 404."""
    row = db.session.execute(
        select(SubmissionFile, Submission)
        .join(SubmissionVersion, SubmissionVersion.id == SubmissionFile.version_id)
        .join(Submission, Submission.id == SubmissionVersion.submission_id)
        .where(SubmissionFile.id == file_id, Submission.deliverable_id == deliverable_id)
    ).first()
    if row is None or not can_see_submission(current_user, row[1], is_staff):
        abort(404)
    return row[0]
