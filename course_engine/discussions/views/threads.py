"""A thread page, replies, editing, withdrawing and reporting posts, and attachments."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from course_engine.discussions import storage
from course_engine.discussions.forms import EditForm, ReplyForm, ReportForm
from course_engine.discussions.models import Attachment, Post
from course_engine.discussions.services import (
    access,
    forums,
    moderation,
    posting,
    reading,
    subscriptions,
)
from course_engine.discussions.views import bp
from course_engine.discussions.views.common import (
    course_viewer,
    render_error,
    upload_from,
)
from course_engine.downloads import file_response, is_embeddable_image
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.inputs import id_arg, page_arg


def _thread_context(course, viewer, thread, forum, page: int, form: ReplyForm | None = None):
    form = form or ReplyForm()
    reply_to = id_arg(request.args, "reply_to")
    if reply_to and not form.parent_id.data:
        form.parent_id.data = str(reply_to)
    move_targets = forums.move_targets(course.id, forum.id) if viewer.staff else []
    return {
        "course": course,
        "viewer": viewer,
        "thread": thread,
        "forum": forum,
        "page": reading.posts(viewer, thread, page),
        "form": form,
        "move_targets": move_targets,
        "can_reply": access.can_reply(viewer, forum, thread)
        and (viewer.staff or not thread.locked),
        "subscribed": subscriptions.thread_subscribed(viewer.user_id, thread.id),
        "reply_to": reply_to,
        "can_still_edit": posting.can_still_edit,
    }


@bp.get("/courses/<course_slug>/discussions/threads/<int:thread_id>")
@login_required
def thread(course_slug: str, thread_id: int):
    """Show a page of a thread and mark it read."""
    course, viewer = course_viewer(course_slug)
    thread, forum = access.load_thread(viewer, thread_id)
    context = _thread_context(course, viewer, thread, forum, page_arg(request.args))
    subscriptions.mark_read(viewer.user_id, thread.id, thread.last_post_id)
    db.session.commit()
    return render_template("discussions/thread.html", **context)


@bp.post("/courses/<course_slug>/discussions/threads/<int:thread_id>/reply")
@login_required
def reply(course_slug: str, thread_id: int):
    """Reply to a thread, or to a post in it."""
    course, viewer = course_viewer(course_slug)
    thread, forum = access.load_thread(viewer, thread_id)
    form = ReplyForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        parent_text = form.parent_id.data or ""
        parent_id = int(parent_text) if parent_text.isdigit() else None
        upload = upload_from(form.attachment.data)
        post = posting.reply(viewer, forum, thread, form.body.data or "", parent_id, upload)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        db.session.rollback()
        context = _thread_context(course, viewer, thread, forum, page_arg(request.args), form)
        return render_error("discussions/thread.html", error, **context)
    db.session.commit()
    flash("Your reply is posted.", "success")
    return redirect(_post_url(course.slug, post))


def _post_url(course_slug: str, post: Post) -> str:
    page = reading.page_of(post)
    return url_for(
        ".thread", course_slug=course_slug, thread_id=post.thread_id, page=page,
        _anchor=f"post-{post.id}",
    )  # fmt: skip


@bp.post("/courses/<course_slug>/discussions/threads/<int:thread_id>/subscription")
@login_required
def thread_subscription(course_slug: str, thread_id: int):
    """Follow a thread by email, or stop following it."""
    course, viewer = course_viewer(course_slug)
    thread, _forum = access.load_thread(viewer, thread_id)
    subscriptions.subscribe_thread(viewer.user_id, thread.id, request.form.get("subscribe") == "1")
    db.session.commit()
    return redirect(url_for(".thread", course_slug=course.slug, thread_id=thread.id))


@bp.route("/courses/<course_slug>/discussions/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(course_slug: str, post_id: int):
    """Change one's own post within the edit window."""
    course, viewer = course_viewer(course_slug)
    post, thread, _forum = access.load_post(viewer, post_id)
    if post.author_id != viewer.user_id:
        raise NotFound("There is no such post of yours.")
    form = EditForm(body=post.body)
    context = {"course": course, "thread": thread, "post": post, "form": form}
    if request.method == "GET":
        return render_template("discussions/edit_post.html", **context)
    try:
        if not form.validate_on_submit():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        posting.edit_post(viewer, post, form.body.data or "")
    except DomainError as error:
        return render_error("discussions/edit_post.html", error, **context)
    db.session.commit()
    flash("Your changes to the post are saved.", "success")
    return redirect(_post_url(course.slug, post))


@bp.route(
    "/courses/<course_slug>/discussions/posts/<int:post_id>/withdraw", methods=["GET", "POST"]
)
@login_required
def withdraw_post(course_slug: str, post_id: int):
    """Ask the author to confirm, then withdraw their own post (it cannot be undone)."""
    course, viewer = course_viewer(course_slug)
    post, thread, _forum = access.load_post(viewer, post_id)
    if request.method == "GET":
        if post.author_id != viewer.user_id:
            raise NotFound("There is no such post of yours.")
        return render_template("discussions/withdraw.html", course=course, thread=thread, post=post)
    posting.withdraw_post(viewer, post)
    db.session.commit()
    flash("Your post is withdrawn.", "success")
    return redirect(_post_url(course.slug, post))


@bp.route("/courses/<course_slug>/discussions/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(course_slug: str, post_id: int):
    """Report a post to the course's facilitators."""
    course, viewer = course_viewer(course_slug)
    post, thread, _forum = access.load_post(viewer, post_id)
    form = ReportForm()
    context = {"course": course, "thread": thread, "post": post, "form": form}
    if not form.validate_on_submit():
        return render_template("discussions/report.html", **context), 400 if form.errors else 200
    try:
        moderation.report_post(viewer, post, form.reason.data or "")
    except DomainError as error:
        return render_error("discussions/report.html", error, **context)
    db.session.commit()
    flash("Thank you: the facilitators have your report and will look at the post.", "success")
    return redirect(_post_url(course.slug, post))


@bp.get("/courses/<course_slug>/discussions/attachments/<int:attachment_id>")
@login_required
def attachment(course_slug: str, attachment_id: int):
    """Stream an attachment with its recorded type, never sniffed, never as a page."""
    _course, viewer = course_viewer(course_slug)
    found = db.session.get(Attachment, attachment_id)
    if found is None:
        raise NotFound("There is no such file.")
    post, _thread, _forum = access.load_post(viewer, found.post_id)
    if not access.can_see_post_text(viewer, post):
        raise NotFound("There is no such file.")
    content = storage.read(found.stored_name)
    if content is None:
        raise NotFound("The file is missing.")
    response = file_response(
        content,
        found.original_name,
        found.content_type,
        inline=is_embeddable_image(found.content_type),
        max_age=3600,
    )
    response.set_etag(found.stored_name)
    return response.make_conditional(request)
