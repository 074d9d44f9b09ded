"""Facilitators manage the course's peer groups: one by one, or from a CSV file."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from course_engine.courses.services import get_course
from course_engine.discussions.forms import AssignGroupForm, GroupCsvForm
from course_engine.discussions.services import groups
from course_engine.discussions.views import bp
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.permissions import require_course_role
from course_engine.roles import STAFF


def _page(course, status=200, error=None, problems=()):
    roster, names = groups.roster(course.id)
    return render_template(
        "discussions/groups.html",
        course=course,
        roster=roster,
        group_names=names,
        assign_form=AssignGroupForm(),
        csv_form=GroupCsvForm(),
        error=error,
        problems=problems,
    ), status


@bp.get("/courses/<course_slug>/groups")
@login_required
def group_list(course_slug: str):
    """Show learners with their peer groups."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    return _page(course)


@bp.post("/courses/<course_slug>/groups/assign")
@login_required
def assign_group(course_slug: str):
    """Put one learner in a group, or in none."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    form = AssignGroupForm()
    if not form.validate_on_submit() or form.user_id.data is None:
        return _page(
            course, 400, error="Choose a learner and a group name of 80 characters at most."
        )
    try:
        groups.assign(current_user.id, course.id, form.user_id.data, form.group.data or "")
    except NotFound:
        raise
    except DomainError as error:
        db.session.rollback()
        return _page(course, error.status_code, error=error.message)
    db.session.commit()
    flash("Group saved.", "success")
    return redirect(url_for(".group_list", course_slug=course.slug))


@bp.post("/courses/<course_slug>/groups/upload")
@login_required
def upload_groups(course_slug: str):
    """Set groups from a CSV file of email,group lines, all or nothing."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    form = GroupCsvForm()
    if not form.validate_on_submit() or not form.file.data:
        return _page(course, 400, error="Choose a CSV file to upload.")
    try:
        count = groups.import_csv(current_user.id, course.id, form.file.data.read(1024 * 1024))
    except groups.GroupCsvInvalid as error:
        db.session.rollback()
        return _page(course, 400, error=error.message, problems=error.problems)
    db.session.commit()
    flash(f"Groups set for {count} learner(s).", "success")
    return redirect(url_for(".group_list", course_slug=course.slug))
