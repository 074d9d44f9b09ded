"""Session pages, the course calendar and its private feed, attendance, and time zones."""

from collections.abc import Set

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.courses.activities import Activity, load_activity
from course_engine.courses.models import Course
from course_engine.courses.services import get_course
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.live_sessions import calendar, services
from course_engine.live_sessions.forms import (
    AttendanceForm,
    AttendanceUploadForm,
    RecordingForm,
    TimeZoneForm,
)
from course_engine.live_sessions.models import LiveSession
from course_engine.live_sessions.times import zone
from course_engine.permissions import require_course_role
from course_engine.roles import ALL_ROLES, STAFF, Role
from course_engine.urls import absolute_url, safe_next, site_host

bp = Blueprint("live_sessions", __name__, template_folder="templates")

SESSION = "/courses/<course_slug>/sessions/<item_slug>"


def _load_session(
    course_slug: str, item_slug: str, roles: Set[Role] = ALL_ROLES
) -> Activity[LiveSession]:
    """Return the session item if the current user may reach it with one of roles, else 404."""
    return load_activity(course_slug, item_slug, "live_session", services.session_of, roles)


def _zone_name(fallback: str) -> str:
    return services.preferred_zone(current_user.id) or fallback


@bp.get(SESSION)
@login_required
def show(course_slug: str, item_slug: str):
    """Show a session in the viewer's time zone, with its join and recording links."""
    activity = _load_session(course_slug, item_slug)
    item, session = activity.item, activity.record
    name = _zone_name(session.timezone)
    return render_template(
        "live_sessions/show.html",
        course=activity.course,
        item=item,
        session=session,
        zone_name=name,
        times=calendar.session_times(session, name),
        attended=services.attendance_of(session).get(current_user.id),
        staff=activity.staff,
    )


@bp.route(SESSION + "/recording", methods=["GET", "POST"])
@login_required
def recording(course_slug: str, item_slug: str):
    """Let a facilitator add, change or remove the link to the recording."""
    activity = _load_session(course_slug, item_slug, STAFF)
    item, session = activity.item, activity.record
    form = RecordingForm(data={"recording_url": session.recording_url})
    if form.validate_on_submit():
        services.set_recording(session, form.recording_url.data or "")
        db.session.commit()
        flash("The recording link is saved.", "success")
        return redirect(url_for(".show", course_slug=course_slug, item_slug=item_slug))
    code = 400 if form.errors else 200
    return render_template("live_sessions/recording.html", item=item, form=form), code


def _attendance_page(item, session, problems=(), code=200):
    return render_template(
        "live_sessions/attendance.html",
        course=item.module.track.course,
        item=item,
        learners=services.learners(item.course_id),
        marks=services.attendance_of(session),
        form=AttendanceForm(),
        upload=AttendanceUploadForm(),
        problems=problems,
    ), code


@bp.get(SESSION + "/attendance")
@login_required
def attendance(course_slug: str, item_slug: str):
    """List the course's learners with who attended."""
    activity = _load_session(course_slug, item_slug, STAFF)
    return _attendance_page(activity.item, activity.record)


@bp.post(SESSION + "/attendance")
@login_required
def record_attendance(course_slug: str, item_slug: str):
    """Save the ticked learners as attended and the others as absent."""
    activity = _load_session(course_slug, item_slug, STAFF)
    item, session = activity.item, activity.record
    ticked = set(request.form.getlist("attended"))
    try:
        marks = {int(value): True for value in ticked}
        marks = {u.id: u.id in marks for u in services.learners(item.course_id)} | marks
        services.record_attendance(session, item, marks, current_user.id)
    except (ValueError, DomainError) as error:
        message = getattr(error, "message", "Tick learners from the list.")
        return _attendance_page(item, session, [message], 400)
    db.session.commit()
    flash("Attendance is saved.", "success")
    return redirect(url_for(".attendance", course_slug=course_slug, item_slug=item_slug))


@bp.post(SESSION + "/attendance/upload")
@login_required
def upload_attendance(course_slug: str, item_slug: str):
    """Record attendance from an `email,attended` CSV file: all of it or none."""
    activity = _load_session(course_slug, item_slug, STAFF)
    item, session = activity.item, activity.record
    form = AttendanceUploadForm()
    if not form.validate_on_submit():
        return _attendance_page(item, session, ["Choose a CSV file to upload."], 400)
    try:
        marks = services.parse_attendance_csv(item.course_id, form.file.data.read())
        services.record_attendance(session, item, marks, current_user.id)
    except services.AttendanceCsvInvalid as error:
        return _attendance_page(item, session, [error.message, *error.problems], 400)
    db.session.commit()
    flash(f"Attendance is saved for {len(marks)} learner(s).", "success")
    return redirect(url_for(".attendance", course_slug=course_slug, item_slug=item_slug))


@bp.get("/courses/<course_slug>/calendar")
@login_required
def course_calendar(course_slug: str):
    """List the course's sessions and due dates in the viewer's time zone."""
    course = get_course(course_slug)
    require_course_role(course.id)
    found = calendar.entries(course)
    name = calendar.viewer_zone_name(services.preferred_zone(current_user.id), found)
    return render_template(
        "live_sessions/calendar.html",
        course=course,
        rows=calendar.in_zone(found, name),
        zone_name=name,
    )


@bp.get("/courses/<course_slug>/calendar/feed")
@login_required
def feed(course_slug: str):
    """Show the user's private calendar link for the course."""
    course = get_course(course_slug)
    require_course_role(course.id)
    found = services.feed_of(current_user.id, course.id)
    return render_template(
        "live_sessions/feed.html",
        course=course,
        feed_url=absolute_url("live_sessions.ics", token=found.token) if found else None,
    )


@bp.post("/courses/<course_slug>/calendar/feed")
@login_required
def new_feed(course_slug: str):
    """Make a new private calendar link; any old one stops working."""
    course = get_course(course_slug)
    require_course_role(course.id)
    services.new_feed_token(current_user.id, course.id)
    db.session.commit()
    flash("Your new calendar link is ready. Any earlier link no longer works.", "success")
    return redirect(url_for(".feed", course_slug=course_slug))


@bp.post("/courses/<course_slug>/calendar/feed/revoke")
@login_required
def revoke_feed(course_slug: str):
    """Turn the private calendar link off."""
    course = get_course(course_slug)
    require_course_role(course.id)
    services.revoke_feed(current_user.id, course.id)
    db.session.commit()
    flash("Your calendar link is turned off.", "success")
    return redirect(url_for(".feed", course_slug=course_slug))


@bp.get("/calendar/<token>.ics")
def ics(token: str):
    """Serve a private calendar feed to whoever holds its token."""
    found, _user = services.feed_by_token(token)
    course = db.session.get(Course, found.course_id)
    if course is None:
        raise NotFound("There is no such calendar.")
    body = calendar.ics(
        course,
        calendar.entries(course),
        lambda item: absolute_url("courses.item", course_slug=course.slug, item_slug=item.slug),
        site_host(),
    )
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/account/time-zone", methods=["GET", "POST"])
@login_required
def time_zone():
    """Let the user choose the time zone that times are shown in."""
    form = TimeZoneForm(
        data={
            "timezone": services.preferred_zone(current_user.id) or "",
            "next": request.args.get("next"),
        }
    )
    if form.validate_on_submit():
        services.set_preferred_zone(current_user.id, form.timezone.data)
        db.session.commit()
        flash("Your time zone is saved.", "success")
        return redirect(safe_next(form.next.data, url_for(".time_zone")))
    code = 400 if form.errors else 200
    return render_template("live_sessions/time_zone.html", form=form, zone=zone), code
