"""Course people pages for facilitators and admins, and the learner's "Join a course" page."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from course_engine.admin import people as services
from course_engine.admin.blueprint import bp
from course_engine.admin.forms import EnrolForm, EnrolmentKeyForm, GroupForm, JoinForm, RoleForm
from course_engine.courses.models import Course
from course_engine.courses.services import get_course
from course_engine.errors import DomainError
from course_engine.extensions import db, limiter
from course_engine.inputs import field_errors
from course_engine.permissions import require_course_role
from course_engine.roles import STAFF, Role


def _managed_course(course_slug: str) -> Course:
    """Return the course if the current user runs it, else answer 404."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    return course


def _done(course: Course, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.people", course_slug=course.slug))


@bp.get("/courses/<course_slug>/people")
@login_required
def people(course_slug: str):
    """List the course's people with their role and group, and the forms to change them."""
    course = _managed_course(course_slug)
    return render_template(
        "admin/people.html",
        course=course,
        people=services.people(course.id),
        groups=services.group_names(course.id),
        has_key=services.has_key(course.id),
        enrol_form=EnrolForm(),
        key_form=EnrolmentKeyForm(),
        role_form=RoleForm(),
        group_form=GroupForm(),
    )


@bp.post("/courses/<course_slug>/people/enrol")
@login_required
def enrol(course_slug: str):
    """Enrol someone by email, or pass the request to an admin."""
    course = _managed_course(course_slug)
    form = EnrolForm()
    if not form.validate_on_submit():
        raise DomainError("Give an email and a role.")
    outcome = services.enrol_by_email(
        current_user, course, form.email.data or "", Role(form.role.data)
    )
    role = form.role.data.replace("_", " ")
    if not outcome.enrolled:
        return _done(course, services.ENROL_REQUESTED.format(email=outcome.email, role=role))
    return _done(course, f"{outcome.email} is enrolled as {role}.")


@bp.post("/courses/<course_slug>/people/<int:user_id>/role")
@login_required
def change_role(course_slug: str, user_id: int):
    """Change an enrolled person's role; their sessions end."""
    course = _managed_course(course_slug)
    user = services.enrolled_user(course.id, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        raise DomainError("Choose one of the roles.")
    services.change_role(current_user, course, user, Role(form.role.data))
    return _done(course, f"{user.email} is now {form.role.data.replace('_', ' ')}.")


@bp.post("/courses/<course_slug>/people/<int:user_id>/group")
@login_required
def set_group(course_slug: str, user_id: int):
    """Put an enrolled person in a cohort group, or in none."""
    course = _managed_course(course_slug)
    user = services.enrolled_user(course.id, user_id)
    form = GroupForm()
    if not form.validate_on_submit():
        raise DomainError("A group name has at most 80 characters.")
    services.change_group(current_user, course, user, form.group.data or "")
    return _done(course, f"{user.email}'s group is saved.")


@bp.post("/courses/<course_slug>/people/<int:user_id>/remove")
@login_required
def remove(course_slug: str, user_id: int):
    """Remove a person from the course; their work is kept."""
    course = _managed_course(course_slug)
    user = services.enrolled_user(course.id, user_id)
    services.unenrol(current_user, course, user)
    return _done(course, f"{user.email} is no longer enrolled.")


@bp.post("/courses/<course_slug>/people/key")
@login_required
def set_key(course_slug: str):
    """Open the course to self-enrolment with a key."""
    course = _managed_course(course_slug)
    form = EnrolmentKeyForm()
    if not form.validate_on_submit():
        raise DomainError(
            f"The enrolment key must have at least {services.MIN_KEY_LENGTH} characters."
        )
    services.set_key(current_user, course, form.key.data or "")
    return _done(course, "The enrolment key is set. Share it with the course code.")


@bp.post("/courses/<course_slug>/people/key/clear")
@login_required
def clear_key(course_slug: str):
    """Close the course to self-enrolment."""
    course = _managed_course(course_slug)
    services.clear_key(current_user, course)
    return _done(course, "Self-enrolment is closed.")


def _join_key() -> str:
    return f"join:{current_user.id}"


def _failed_join(response) -> bool:
    return response.status_code != 302


@bp.route("/join", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", key_func=_join_key, methods=["POST"], deduct_when=_failed_join)
@limiter.limit("30 per 15 minutes", methods=["POST"], deduct_when=_failed_join)
def join():
    """Join a course with its code and enrolment key."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            course = services.join_with_key(
                current_user, form.course.data or "", form.key.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            field_errors(form.key).append(error.message)
        else:
            db.session.commit()
            login_user(current_user)  # the new role comes with a new session
            flash(f"Welcome to {course.title}.", "success")
            return redirect(url_for("courses.outline", course_slug=course.slug))
    return render_template("admin/join.html", form=form), 400 if form.errors else 200
