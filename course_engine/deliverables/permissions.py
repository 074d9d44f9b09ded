"""Who may see and act on deliverables: the one place the views ask."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from course_engine.courses import outline as courses
from course_engine.deliverables.models import Submission, SubmissionFile, SubmissionVersion
from course_engine.deliverables.services import deliverable_for_item
from course_engine.extensions import db
from course_engine.permissions import can_facilitate, require_course_role
from course_engine.roles import ALL_ROLES, STAFF


def load(course_slug: str, item_slug: str, *, staff: bool = False):
    """Return (course, item, deliverable, is_staff) for the current user, or answer 404."""
    item = courses.find_item(course_slug, item_slug)
    if item.kind != "deliverable":
        abort(404)
    require_course_role(item.course_id, STAFF if staff else ALL_ROLES)
    is_staff = can_facilitate(current_user, item.course_id)
    if courses.is_hidden(item) and not is_staff:
        abort(404)
    return item.module.track.course, item, deliverable_for_item(item), is_staff


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
