"""The facilitator dashboard of a course and its CSV exports."""

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from course_engine.courses.services import get_course
from course_engine.csv_export import csv_response
from course_engine.permissions import require_course_role
from course_engine.reports import charts, exports, services
from course_engine.reports.filters import STATUS_LABELS, paginate, parse_filters
from course_engine.reports.progress import BEHIND_RULE
from course_engine.roles import STAFF

bp = Blueprint("reports", __name__, template_folder="templates")


def _load(course_slug: str):
    """Return the course and the filters asked for, for the course's staff only (else 404)."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    groups = services.groups(course.id)
    filters = parse_filters(
        groups,
        group=request.args.get("group"),
        country=request.args.get("country"),
        status=request.args.get("status"),
    )
    return course, groups, filters


@bp.get("/courses/<course_slug>/reports")
@login_required
def dashboard(course_slug: str):
    """Show the course's progress, completion, quiz, grading and survey reports."""
    course, groups, filters = _load(course_slug)
    report = services.dashboard(course, filters)
    page = paginate(report.listed(filters.status), request.args.get("page"))
    return render_template(
        "reports/dashboard.html",
        course=course,
        report=report,
        page=page,
        filters=filters,
        groups=groups,
        countries=services.countries(course.id),
        labels=STATUS_LABELS,
        behind_rule=BEHIND_RULE,
        charts=charts,
    )


@bp.get("/courses/<course_slug>/reports/<section>.csv")
@login_required
def export(course_slug: str, section: str):
    """Stream one table of the dashboard as CSV."""
    if section not in exports.SECTIONS:
        abort(404)
    course, _, filters = _load(course_slug)
    report = services.dashboard(course, filters)
    return csv_response(exports.csv_lines(section, report, filters), f"{course.slug}-{section}.csv")
