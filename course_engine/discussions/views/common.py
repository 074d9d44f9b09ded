"""What every discussions view starts with."""

from flask import current_app, render_template
from flask_login import current_user

from course_engine.courses.models import Course
from course_engine.courses.services import get_course
from course_engine.discussions.services.access import ForumReader, viewer_for
from course_engine.discussions.services.posting import DEFAULT_MAX_ATTACHMENT, Upload
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.permissions import can_facilitate, require_course_role


def course_viewer(course_slug: str) -> tuple[Course, ForumReader]:
    """Load the course and the signed-in member as a viewer, or answer 404."""
    course = get_course(course_slug)
    require_course_role(course.id)
    staff = can_facilitate(current_user, course.id)
    return course, viewer_for(current_user.id, course.id, staff=staff)


def upload_from(file_storage) -> Upload | None:
    """Read an optional uploaded file, at most one byte past the limit."""
    if not file_storage or not file_storage.filename:
        return None
    limit = current_app.config.get("DISCUSSION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_ATTACHMENT)
    return Upload(file_storage.filename, file_storage.read(limit + 1))


def render_error(template: str, error: DomainError, **context):
    """Undo the request's changes and show the form again with the rule that was broken."""
    db.session.rollback()
    return render_template(template, error=error.message, **context), error.status_code
