"""The learner's pages: the submission form, their files, and the feedback file."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.courses.activities import Activity
from course_engine.deliverables import blind, drafts, grading, services
from course_engine.deliverables.forms import SubmissionForm, files_help, submission_form
from course_engine.deliverables.models import Deliverable
from course_engine.deliverables.permissions import (
    can_see_submission,
    load_deliverable,
    visible_file,
)
from course_engine.deliverables.views import PREFIX, bp, uploads_of
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.peer_review.settings import hides_authors
from course_engine.rendering import render_markdown
from course_engine.storage import discard_on_error, download_response, get_storage

FIELD_REFUSED = "Something under “Your work” needs correcting; it is marked there."


@bp.get(PREFIX)
@login_required
def show(course_slug: str, item_slug: str):
    """Show a deliverable: instructions, the learner's draft, versions and released grade."""
    activity = load_deliverable(course_slug, item_slug)
    return _show_page(activity, submission_form(activity.record))


def _show_page(
    activity: Activity[Deliverable],
    form: SubmissionForm,
    status: int = 200,
    refusal: str | None = None,
    text_kept: bool = False,
):
    """Render the learner's page; after a refused post, the form keeps what was typed.

    refusal says why the post was refused, at the top where a phone shows it
    first; text_kept tells whether its text was saved as a draft all the same.
    """
    course, item, deliverable = activity.course, activity.item, activity.record
    submission = services.find_submission(deliverable.id, current_user.id)
    working = drafts.working_copy(submission.id) if submission else None
    if request.method == "GET":
        form.text.data = working.text if working else ""
    return render_template(
        "deliverables/show.html",
        course=course,
        item=item,
        deliverable=deliverable,
        staff=activity.staff,
        form=form,
        files_help=files_help(deliverable),
        refusal=refusal,
        text_kept=text_kept,
        submission=submission,
        working=working,
        versions=services.versions_of(submission.id) if submission else [],
        deadlines=services.deadlines(deliverable, course, submission),
        assessment=services.released_assessment(submission.id) if submission else None,
        objectives=services.objectives_text(course.id, current_user.id, item.slug),
        markdown=render_markdown,
        anonymous_review=hides_authors(deliverable),
    ), status


@bp.post(PREFIX)
@login_required
def save(course_slug: str, item_slug: str):
    """Save the learner's draft, and submit it if they asked to and confirmed it.

    A refused post shows the page again with everything typed kept, and its
    text saved as a draft where the rules allow, so no work is lost.
    """
    activity = load_deliverable(course_slug, item_slug)
    course, deliverable = activity.course, activity.record
    form = submission_form(deliverable)
    text = form.text.data if "text" in request.form else None
    if not form.validate():
        return _refused(activity, form, text, DomainError(FIELD_REFUSED))
    storage = get_storage()
    try:
        with discard_on_error(storage) as new_names:
            drafts.save_draft(
                deliverable, course, current_user.id, text=text,
                uploads=uploads_of(form.files.data), storage=storage, new_names=new_names,
            )  # fmt: skip
            if form.submit.data:
                version = drafts.submit(deliverable, course, current_user.id)
            db.session.commit()
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _refused(activity, form, text, error)
    flash(f"Version {version.number} submitted." if form.submit.data else "Draft saved.", "success")
    return redirect(url_for(".show", course_slug=course_slug, item_slug=item_slug))


def _refused(activity: Activity[Deliverable], form: SubmissionForm, text, error: DomainError):
    """Roll the post back, save its text alone as a draft if allowed, and show the form again."""
    db.session.rollback()
    text_kept = False
    if text and text.strip():
        try:
            drafts.save_draft(
                activity.record, activity.course, current_user.id, text=text, uploads=[],
                storage=get_storage(), new_names=[],
            )  # fmt: skip
            db.session.commit()
            text_kept = True
        except DomainError:
            db.session.rollback()
    for name, message in error.fields.items():
        form[name].errors = [*form[name].errors, message]
    return _show_page(activity, form, error.status_code, error.message, text_kept)


@bp.post(PREFIX + "/files/<int:file_id>/remove")
@login_required
def remove_file(course_slug: str, item_slug: str, file_id: int):
    """Take a file out of the learner's draft."""
    activity = load_deliverable(course_slug, item_slug)
    course, deliverable = activity.course, activity.record
    drafts.remove_file(deliverable, course, current_user.id, file_id, get_storage())
    db.session.commit()
    flash("File removed from your draft.", "success")
    return redirect(url_for(".show", course_slug=course_slug, item_slug=item_slug))


@bp.get(PREFIX + "/files/<int:file_id>")
@login_required
def download(course_slug: str, item_slug: str, file_id: int):
    """Send a submitted file, as an attachment, to its learner or the course's facilitators."""
    activity = load_deliverable(course_slug, item_slug)
    deliverable, staff = activity.record, activity.staff
    file = visible_file(deliverable.id, file_id, staff)
    name = blind.staff_download_name(deliverable, file) if staff else file.display_name
    return download_response(file.storage_name, name, file.content_type)


@bp.get(PREFIX + "/submissions/<int:submission_id>/feedback-file")
@login_required
def feedback_file(course_slug: str, item_slug: str, submission_id: int):
    """Send the feedback file to facilitators, and to the learner once released."""
    activity = load_deliverable(course_slug, item_slug)
    deliverable, staff = activity.record, activity.staff
    submission = grading.submission_in(deliverable, submission_id)
    if not can_see_submission(current_user, submission, staff):
        abort(404)
    assessment = (grading.assessment_of if staff else services.released_assessment)(submission.id)
    # The file's name and type are stored with it, so a file always has all three.
    if (
        assessment is None
        or not assessment.feedback_storage_name
        or assessment.feedback_file_name is None
        or assessment.feedback_content_type is None
    ):
        abort(404)
    return download_response(
        assessment.feedback_storage_name,
        assessment.feedback_file_name,
        assessment.feedback_content_type,
    )
