"""What reviewers and authors do: the list to review, the review page, files, reading reviews."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.auth.models import User
from course_engine.courses import services as courses
from course_engine.deliverables.metadata import anonymous_download
from course_engine.deliverables.services import latest_submitted
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.peer_review import anonymity, listing, reviews
from course_engine.peer_review.forms import ReviewForm
from course_engine.peer_review.permissions import (
    load_peer_reviewed,
    own_submission,
    reviewer_allocation,
    viewer_of,
)
from course_engine.peer_review.views import PREFIX, bp
from course_engine.permissions import can_facilitate, require_course_role
from course_engine.rendering import render_markdown
from course_engine.storage import download_response


@bp.get("/courses/<course_slug>/peer-review")
@login_required
def course_index(course_slug: str):
    """List what the user has to review in the course, and the peer-reviewed deliverables."""
    course = courses.get_course(course_slug)
    require_course_role(course.id)
    staff = can_facilitate(current_user, course.id)
    return render_template(
        "peer_review/course.html",
        course=course,
        staff=staff,
        rows=listing.to_review(course.id, viewer_of(current_user)),
        items=listing.peer_reviewed_items(course.id),
    )


@bp.get(PREFIX)
@login_required
def index(course_slug: str, item_slug: str):
    """Show one deliverable's reviews to write, and a link to the reviews of one's own work."""
    activity = load_peer_reviewed(course_slug, item_slug)
    deliverable = activity.record.deliverable
    rows = listing.to_review(activity.course.id, viewer_of(current_user))
    return render_template(
        "peer_review/index.html",
        course=activity.course,
        item=activity.item,
        settings=activity.record.settings,
        staff=activity.staff,
        rows=[row for row in rows if row.allocation.deliverable_id == deliverable.id],
        submission=own_submission(deliverable, current_user.id),
    )


def _review_page(
    course, item, deliverable, settings, allocation, submission, form, status=200, error=None
):
    """Render the review page; after a refused post, the form keeps every level and comment.

    error is the refusal: its message goes above the form, and next to the fields it names.
    """
    viewer = viewer_of(current_user)
    review = reviews.review_of(allocation.id)
    if request.method == "GET" and review is not None:
        form.comment.data = review.comment
    version = latest_submitted(submission.id)
    names = {
        f.id: anonymity.file_name(viewer, settings.anonymity, submission, i, f.display_name)
        for i, f in enumerate(version.files if version else [], start=1)
    }
    return render_template(
        "peer_review/review.html",
        course=course,
        item=item,
        deliverable=deliverable,
        settings=settings,
        allocation=allocation,
        author=anonymity.author_label(
            viewer,
            settings.anonymity,
            submission,
            db.session.get_one(User, submission.user_id).display_name,
        ),
        version=version,
        file_names=names,
        review=review,
        form=form,
        markdown=render_markdown,
        posted=request.form if request.method == "POST" else None,
        field_errors=error.fields if error else {},
        refusal=error.message if error else None,
    ), status


@bp.get(PREFIX + "/reviews/<int:allocation_id>")
@login_required
def review(course_slug: str, item_slug: str, allocation_id: int):
    """Show an allocated submission with the review form."""
    activity = load_peer_reviewed(course_slug, item_slug)
    course, item = activity.course, activity.item
    deliverable, settings = activity.record.deliverable, activity.record.settings
    allocation, submission = reviewer_allocation(deliverable, allocation_id, current_user.id)
    return _review_page(course, item, deliverable, settings, allocation, submission, ReviewForm())


@bp.post(PREFIX + "/reviews/<int:allocation_id>")
@login_required
def save_review(course_slug: str, item_slug: str, allocation_id: int):
    """Save the review as a draft, or submit it."""
    activity = load_peer_reviewed(course_slug, item_slug)
    course, item = activity.course, activity.item
    deliverable, settings = activity.record.deliverable, activity.record.settings
    allocation, submission = reviewer_allocation(deliverable, allocation_id, current_user.id)
    form = ReviewForm()
    if not form.validate():
        return _review_page(course, item, deliverable, settings, allocation, submission, form, 400)
    ids = [c["id"] for c in deliverable.rubric]
    try:
        reviews.save_review(
            deliverable, allocation, current_user.id,
            levels={cid: request.form.get(f"level-{cid}") for cid in ids},
            comment=form.comment.data or "",
            criterion_comments={cid: request.form.get(f"comment-{cid}", "") for cid in ids},
            submit=form.submit.data,
        )  # fmt: skip
        db.session.commit()
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        db.session.rollback()
        if "comment" in error.fields:
            form.comment.errors = [*form.comment.errors, error.fields["comment"]]
        return _review_page(
            course, item, deliverable, settings, allocation, submission, form,
            error.status_code, error,
        )  # fmt: skip
    flash("Review submitted. Thank you." if form.submit.data else "Draft saved.", "success")
    return redirect(url_for(".review", course_slug=course_slug, item_slug=item_slug,
                            allocation_id=allocation_id))  # fmt: skip


@bp.get(PREFIX + "/reviews/<int:allocation_id>/files/<int:file_id>")
@login_required
def review_file(course_slug: str, item_slug: str, allocation_id: int, file_id: int):
    """Send a file of an allocated submission; when the author is hidden, a copy without
    the author's name in its metadata, under a neutral name."""
    activity = load_peer_reviewed(course_slug, item_slug)
    deliverable, settings = activity.record.deliverable, activity.record.settings
    _, submission = reviewer_allocation(deliverable, allocation_id, current_user.id)
    version = latest_submitted(submission.id)
    files = list(version.files) if version else []
    index = next((i for i, f in enumerate(files, start=1) if f.id == file_id), None)
    if index is None:
        abort(404)
    file = files[index - 1]
    viewer = viewer_of(current_user)
    name = anonymity.file_name(viewer, settings.anonymity, submission, index, file.display_name)
    if anonymity.hides_author_from(viewer, settings.anonymity, submission):
        return anonymous_download(file.storage_name, name, file.content_type)
    return download_response(file.storage_name, name, file.content_type)


@bp.get(PREFIX + "/feedback")
@login_required
def feedback(course_slug: str, item_slug: str):
    """Show the author the reviews of their work, without names the settings hide."""
    activity = load_peer_reviewed(course_slug, item_slug)
    course, item = activity.course, activity.item
    deliverable, settings = activity.record.deliverable, activity.record.settings
    submission = own_submission(deliverable, current_user.id)
    shown = reviews.received(deliverable, submission, viewer_of(current_user)) if submission else []
    return render_template(
        "peer_review/feedback.html",
        course=course,
        item=item,
        deliverable=deliverable,
        settings=settings,
        submission=submission,
        shown=shown,
        may_revise=submission is not None and reviews.can_revise(settings, submission, shown),
    )


@bp.post(PREFIX + "/revise")
@login_required
def revise(course_slug: str, item_slug: str):
    """Reopen the author's submission so they can hand in a revised version."""
    deliverable = load_peer_reviewed(course_slug, item_slug).record.deliverable
    submission = own_submission(deliverable, current_user.id)
    if submission is None:
        abort(404)
    reviews.revise(deliverable, submission, viewer_of(current_user))
    db.session.commit()
    flash("You may now hand in a revised version.", "success")
    return redirect(url_for("deliverables.show", course_slug=course_slug, item_slug=item_slug))
