"""Builders of deliverable data for tests."""

import io

from course_engine.courses.services import find_item
from course_engine.deliverables import grading, services
from course_engine.deliverables.services import Upload
from course_engine.extensions import db
from course_engine.storage import get_storage

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def deliverable(course_slug="example-course", item_slug="service-sketch"):
    """Return (course, item, deliverable) of an imported deliverable item."""
    item = find_item(course_slug, item_slug)
    return item.module.track.course, item, services.deliverable_for_item(item)


def submit(user, *, text="My sketch", files=(("sketch.pdf", PDF),), item_slug="service-sketch"):
    """Save a draft with text and files for the user and submit it; commit."""
    course, _, deliv = deliverable(item_slug=item_slug)
    storage = get_storage()
    names: list[str] = []
    uploads = [Upload(io.BytesIO(data), name) for name, data in files]
    services.save_draft(
        deliv, course, user.id, text=text, uploads=uploads, storage=storage, new_names=names
    )
    version = services.submit(deliv, course, user.id)
    db.session.commit()
    return version


def graded(user, *, release=True, feedback_file=None):
    """Submit for the user, grade every criterion at its top level, and commit."""
    version = submit(user)
    _, _, deliv = deliverable()
    submission = version.submission
    levels = {c["id"]: str(c["levels"][-1]["points"]) for c in deliv.rubric}
    upload = Upload(io.BytesIO(feedback_file[1]), feedback_file[0]) if feedback_file else None
    grading.save_assessment(
        deliv, submission, user.id, lock_version=None, levels=levels, score=None,
        feedback="Good **work**", release=release, feedback_upload=upload,
        storage=get_storage(), new_names=[],
    )  # fmt: skip
    db.session.commit()
    return submission
