"""Deliverable pages: one blueprint, the learner's submission pages and the grading pages."""

from flask import Blueprint

from course_engine.deliverables.services import Upload

bp = Blueprint("deliverables", __name__, template_folder="../templates")
PREFIX = "/courses/<course_slug>/deliverables/<item_slug>"


def uploads_of(files) -> list[Upload]:
    """Return the files a browser sent in a file field, leaving out empty inputs."""
    return [Upload(f.stream, f.filename or "") for f in files or [] if f and f.filename]


from course_engine.deliverables.views import grading, learner  # noqa: E402, F401
