"""Facilitators' moderation of threads and posts, and the reports queue."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from course_engine.discussions import storage
from course_engine.discussions.services import access, moderation
from course_engine.discussions.views import bp
from course_engine.discussions.views.common import course_viewer
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.inputs import id_arg

DONE_MESSAGES = {
    "pin": "Thread pinned.",
    "unpin": "Thread unpinned.",
    "lock": "Thread locked.",
    "unlock": "Thread unlocked.",
    "move": "Thread moved.",
    "delete": "Thread deleted.",
    "hide": "Post hidden from learners.",
    "restore": "Post restored.",
}


def _staff_viewer(course_slug: str):
    course, viewer = course_viewer(course_slug)
    if not viewer.staff:
        raise NotFound("There is nothing here, or you do not have access to it.")
    return course, viewer


@bp.post("/courses/<course_slug>/discussions/threads/<int:thread_id>/moderate")
@login_required
def moderate_thread(course_slug: str, thread_id: int):
    """Pin, lock, move or delete a thread."""
    course, viewer = _staff_viewer(course_slug)
    thread, forum = access.load_thread(viewer, thread_id)
    action = request.form.get("action", "")
    files = moderation.moderate_thread(viewer, thread, action, id_arg(request.form, "forum_id"))
    db.session.commit()
    for name in files:
        storage.delete(name)
    flash(DONE_MESSAGES[action], "success")
    if action == "delete":
        return redirect(url_for(".forum", course_slug=course.slug, forum_id=forum.id))
    return redirect(url_for(".thread", course_slug=course.slug, thread_id=thread.id))


@bp.post("/courses/<course_slug>/discussions/posts/<int:post_id>/moderate")
@login_required
def moderate_post(course_slug: str, post_id: int):
    """Hide a post from learners, or restore it."""
    course, viewer = _staff_viewer(course_slug)
    post, thread, _forum = access.load_post(viewer, post_id)
    action = request.form.get("action", "")
    moderation.moderate_post(viewer, post, action)
    db.session.commit()
    flash(DONE_MESSAGES[action], "success")
    return redirect(
        url_for(".thread", course_slug=course.slug, thread_id=thread.id, _anchor=f"post-{post.id}")
    )


@bp.get("/courses/<course_slug>/discussions/reports")
@login_required
def reports(course_slug: str):
    """List the posts reported in the course that nobody has dealt with yet."""
    course, viewer = _staff_viewer(course_slug)
    return render_template(
        "discussions/reports.html", course=course, reports=moderation.open_reports(viewer)
    )


@bp.post("/courses/<course_slug>/discussions/reports/<int:report_id>/resolve")
@login_required
def resolve_report(course_slug: str, report_id: int):
    """Mark a report as dealt with."""
    course, viewer = _staff_viewer(course_slug)
    moderation.resolve_report(viewer, report_id)
    db.session.commit()
    flash("Report resolved.", "success")
    return redirect(url_for(".reports", course_slug=course.slug))
