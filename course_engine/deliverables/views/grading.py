"""The grading pages: the queue, one submission's grade, extensions and the start date."""

from collections.abc import Mapping

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.courses import services as courses
from course_engine.courses.models import Course, Item
from course_engine.deliverables import blind, grading, grading_queue, services
from course_engine.deliverables.forms import ExtensionForm, GradeForm, StartDateForm
from course_engine.deliverables.models import Assessment, Deliverable, Submission
from course_engine.deliverables.permissions import load_deliverable
from course_engine.deliverables.views import PREFIX, bp, uploads_of
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.gradebook import report as gradebook
from course_engine.inputs import id_arg
from course_engine.permissions import require_course_role
from course_engine.rendering import render_markdown
from course_engine.roles import STAFF
from course_engine.storage import discard_on_error, get_storage


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@bp.get(PREFIX + "/submissions")
@login_required
def queue(course_slug: str, item_slug: str):
    """List the learners' submissions, filtered by status, group and country."""
    activity = load_deliverable(course_slug, item_slug, staff=True)
    course, item, deliverable = activity.course, activity.item, activity.record
    filters: grading_queue.QueueFilters = {
        "status": request.args.get("status") or None,
        "group_id": id_arg(request.args, "group"),
        "country": request.args.get("country") or None,
    }
    return render_template(
        "deliverables/queue.html",
        course=course,
        item=item,
        deliverable=deliverable,
        queue=grading_queue.queue(deliverable, **filters),
        filters=filters,
        groups=gradebook.groups(course.id),
        countries=gradebook.countries(course.id),
        labels=grading_queue.QUEUE_LABELS,
    )


@bp.post(PREFIX + "/learners/<int:user_id>/open")
@login_required
def open_learner(course_slug: str, item_slug: str, user_id: int):
    """Open a learner's submission (creating it) to grant an extension or grade it."""
    deliverable = load_deliverable(course_slug, item_slug, staff=True).record
    submission = grading.open_for_learner(deliverable, user_id)
    db.session.commit()
    return redirect(url_for(".grade", course_slug=course_slug, item_slug=item_slug,
                            submission_id=submission.id))  # fmt: skip


@bp.get(PREFIX + "/submissions/<int:submission_id>")
@login_required
def grade(course_slug: str, item_slug: str, submission_id: int):
    """Show a submission with its files, the rubric and the feedback form."""
    activity = load_deliverable(course_slug, item_slug, staff=True)
    course, item, deliverable = activity.course, activity.item, activity.record
    submission = grading.submission_in(deliverable, submission_id)
    assessment = grading.assessment_of(submission.id)
    form = GradeForm(obj=assessment)
    return _grade_page(course, item, deliverable, submission, assessment, form)


def _grade_page(
    course: Course,
    item: Item,
    deliverable: Deliverable,
    submission: Submission,
    assessment: Assessment | None,
    form: GradeForm,
    status: int = 200,
    typed: Mapping[str, str] | None = None,
    extension: ExtensionForm | None = None,
):
    """Render the grading page; typed holds a refused form's entries, to show them again."""
    from course_engine.auth.models import User

    author = blind.staff_author(
        deliverable, submission, assessment, db.session.get_one(User, submission.user_id)
    )
    extension = extension or ExtensionForm(due=submission.extended_due_at)
    return render_template(
        "deliverables/grade.html",
        course=course,
        item=item,
        deliverable=deliverable,
        submission=submission,
        assessment=assessment,
        author=author,
        file_name=lambda file: blind.file_name(author, file),
        versions=list(reversed(services.versions_of(submission.id))),
        deadlines=services.deadlines(deliverable, course, submission),
        objectives=services.objectives_text(course.id, submission.user_id, item.slug),
        form=form,
        typed=typed,
        extension=extension,
        markdown=render_markdown,
    ), status


@bp.post(PREFIX + "/submissions/<int:submission_id>")
@login_required
def save_grade(course_slug: str, item_slug: str, submission_id: int):
    """Save the rubric levels and feedback as a draft, or release them.

    A refused save (a stale version, a missing level) shows the page again with
    the grader's entries kept, so that no typed feedback is lost.
    """
    activity = load_deliverable(course_slug, item_slug, staff=True)
    course, item, deliverable = activity.course, activity.item, activity.record
    submission = grading.submission_in(deliverable, submission_id)
    form = GradeForm()
    if not form.validate():
        assessment = grading.assessment_of(submission.id)
        return _grade_page(
            course, item, deliverable, submission, assessment, form, 400, typed=request.form
        )
    levels = {c["id"]: request.form.get(f"criterion-{c['id']}") for c in deliverable.rubric}
    score = request.form.get("score", type=float)
    upload = uploads_of([form.feedback_file.data])
    storage = get_storage()
    try:
        with discard_on_error(storage) as new_names:
            grading.save_assessment(
                deliverable, submission, current_user.id, lock_version=_int(form.lock_version.data),
                levels=levels, score=score, feedback=form.feedback.data or "",
                release=form.release.data, feedback_upload=upload[0] if upload else None,
                storage=storage, new_names=new_names,
            )  # fmt: skip
            db.session.commit()
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "danger")
        assessment = grading.assessment_of(submission.id)
        return _grade_page(
            course, item, deliverable, submission, assessment, form, error.status_code,
            typed=request.form,
        )  # fmt: skip
    flash("Grade released." if form.release.data else "Draft grade saved.", "success")
    return redirect(request.url)


@bp.post(PREFIX + "/submissions/<int:submission_id>/release")
@login_required
def release(course_slug: str, item_slug: str, submission_id: int):
    """Release one learner's grade and feedback."""
    deliverable = load_deliverable(course_slug, item_slug, staff=True).record
    submission = grading.submission_in(deliverable, submission_id)
    grading.release(deliverable, submission, _int(request.form.get("lock_version")))
    db.session.commit()
    flash("Grade released.", "success")
    return redirect(url_for(".grade", course_slug=course_slug, item_slug=item_slug,
                            submission_id=submission_id))  # fmt: skip


@bp.post(PREFIX + "/release-all")
@login_required
def release_all(course_slug: str, item_slug: str):
    """Release every complete graded draft of the deliverable."""
    deliverable = load_deliverable(course_slug, item_slug, staff=True).record
    count = grading.release_all(deliverable)
    db.session.commit()
    flash(f"{count} grade(s) released.", "success")
    return redirect(url_for(".queue", course_slug=course_slug, item_slug=item_slug))


@bp.post(PREFIX + "/submissions/<int:submission_id>/extension")
@login_required
def extension(course_slug: str, item_slug: str, submission_id: int):
    """Give one learner their own due date (empty takes it back)."""
    activity = load_deliverable(course_slug, item_slug, staff=True)
    course, item, deliverable = activity.course, activity.item, activity.record
    submission = grading.submission_in(deliverable, submission_id)
    form = ExtensionForm()
    if not form.validate():
        form.due.errors = ["Give the due date as a date and time."]
        assessment = grading.assessment_of(submission.id)
        grade_form = GradeForm(obj=assessment)
        return _grade_page(
            course, item, deliverable, submission, assessment, grade_form, 400, extension=form
        )
    grading.grant_extension(submission, form.due.data)
    db.session.commit()
    flash("Due date set." if form.due.data else "Extension removed.", "success")
    return redirect(url_for(".grade", course_slug=course_slug, item_slug=item_slug,
                            submission_id=submission_id))  # fmt: skip


@bp.post(PREFIX + "/submissions/<int:submission_id>/attempt")
@login_required
def attempt(course_slug: str, item_slug: str, submission_id: int):
    """Let one learner submit another version whatever the dates."""
    deliverable = load_deliverable(course_slug, item_slug, staff=True).record
    grading.grant_attempt(grading.submission_in(deliverable, submission_id))
    db.session.commit()
    flash("The learner may submit one more version.", "success")
    return redirect(url_for(".grade", course_slug=course_slug, item_slug=item_slug,
                            submission_id=submission_id))  # fmt: skip


@bp.route("/courses/<course_slug>/start-date", methods=["GET", "POST"])
@login_required
def start_date(course_slug: str):
    """Set the date the cohort starts, from which relative due dates count."""
    course = courses.get_course(course_slug)
    require_course_role(course.id, STAFF)
    form = StartDateForm(obj=course)
    if form.validate_on_submit():
        services.set_course_start(course, form.starts_on.data)
        db.session.commit()
        flash("Start date saved.", "success")
        return redirect(url_for("courses.outline", course_slug=course.slug))
    return render_template("deliverables/start_date.html", course=course, form=form)
