"""Forum index, a forum's threads, starting a thread, forum subscriptions and search."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from course_engine.courses.activities import load_activity
from course_engine.courses.models import Item
from course_engine.discussions.forms import SearchForm, ThreadForm
from course_engine.discussions.services import access, forums, posting, reading, subscriptions
from course_engine.discussions.services.access import can_start_thread
from course_engine.discussions.views import bp
from course_engine.discussions.views.common import (
    course_viewer,
    render_error,
    upload_from,
)
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.inputs import page_arg


@bp.get("/courses/<course_slug>/discussions/")
@login_required
def index(course_slug: str):
    """List the course's forums with unread counts."""
    course, viewer = course_viewer(course_slug)
    forums.ensure_course_forums(course.id)
    db.session.commit()
    return render_template(
        "discussions/index.html", course=course, viewer=viewer, forums=forums.overview(viewer)
    )


@bp.get("/courses/<course_slug>/discussions/items/<item_slug>")
@login_required
def item_forum(course_slug: str, item_slug: str):
    """Open the forum of a discussion item."""
    activity = load_activity(
        course_slug, item_slug, "discussion", lambda item: forums.forum_for_item(item.id)
    )
    return redirect(
        url_for(".forum", course_slug=activity.course.slug, forum_id=activity.record.id)
    )


@bp.get("/courses/<course_slug>/discussions/forums/<int:forum_id>")
@login_required
def forum(course_slug: str, forum_id: int):
    """Show a forum's prompt and a page of its threads, by last activity."""
    course, viewer = course_viewer(course_slug)
    forum = access.load_forum(viewer, forum_id)
    return render_template(
        "discussions/forum.html",
        course=course,
        viewer=viewer,
        forum=forum,
        item=db.session.get(Item, forum.item_id) if forum.item_id else None,
        page=reading.threads(viewer, forum, page_arg(request.args)),
        can_start=can_start_thread(viewer, forum),
        subscribed=subscriptions.forum_subscribed(viewer.user_id, forum),
    )


@bp.route("/courses/<course_slug>/discussions/forums/<int:forum_id>/new", methods=["GET", "POST"])
@login_required
def new_thread(course_slug: str, forum_id: int):
    """Start a thread in a forum."""
    course, viewer = course_viewer(course_slug)
    forum = access.load_forum(viewer, forum_id)
    if not can_start_thread(viewer, forum):
        raise NotFound("You cannot start a thread in this forum.")
    form = ThreadForm()
    context = {"course": course, "forum": forum, "form": form}
    if not form.validate_on_submit():
        return render_template(
            "discussions/new_thread.html", **context
        ), 400 if form.errors else 200
    try:
        upload = upload_from(form.attachment.data)
        thread = posting.start_thread(
            viewer, forum, form.title.data or "", form.body.data or "", upload
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return render_error("discussions/new_thread.html", error, **context)
    db.session.commit()
    flash("Your thread is started.", "success")
    return redirect(url_for(".thread", course_slug=course.slug, thread_id=thread.id))


@bp.post("/courses/<course_slug>/discussions/forums/<int:forum_id>/subscription")
@login_required
def forum_subscription(course_slug: str, forum_id: int):
    """Subscribe to or unsubscribe from a forum's email."""
    course, viewer = course_viewer(course_slug)
    forum = access.load_forum(viewer, forum_id)
    subscriptions.subscribe_forum(viewer.user_id, forum.id, request.form.get("subscribe") == "1")
    db.session.commit()
    return redirect(url_for(".forum", course_slug=course.slug, forum_id=forum.id))


@bp.get("/courses/<course_slug>/discussions/search")
@login_required
def search(course_slug: str):
    """Search the posts of the course the user may read."""
    course, viewer = course_viewer(course_slug)
    form = SearchForm(request.args)
    query = form.q.data or "" if form.validate() else ""
    hits = reading.search(viewer, query) if query else []
    return render_template(
        "discussions/search.html", course=course, form=form, query=query, hits=hits
    )
