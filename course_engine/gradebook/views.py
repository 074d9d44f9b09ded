"""Gradebook pages: the course's grades for facilitators, a learner's own grades, the export."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from course_engine.courses.services import get_course
from course_engine.csv_export import csv_response
from course_engine.extensions import db
from course_engine.gradebook import report
from course_engine.gradebook.forms import weights_form
from course_engine.inputs import id_arg, page_arg
from course_engine.permissions import require_course_role
from course_engine.roles import STAFF

bp = Blueprint("gradebook", __name__, template_folder="templates")


def _filters() -> dict:
    return {
        "group_id": id_arg(request.args, "group"),
        "country": request.args.get("country") or None,
    }


@bp.get("/courses/<course_slug>/gradebook")
@login_required
def index(course_slug: str):
    """Show learners by graded items with their weighted course totals, one page at a time."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    items = report.graded_items(course.id)
    category_weights = report.weights(course.id, report.categories(course.id, items))
    number = page_arg(request.args)
    rows, count = report.page(
        course.id, item_ids=[item.id for item in items], number=number, **_filters()
    )
    report.add_totals(rows, category_weights)
    return render_template(
        "gradebook/index.html",
        course=course,
        items=items,
        rows=rows,
        count=count,
        number=max(number, 1),
        pages=max(1, -(-count // report.PAGE_SIZE)),
        weights=category_weights,
        filters=_filters(),
        groups=report.groups(course.id),
        countries=report.countries(course.id),
    )


def _streamed(generate, *args, **kwargs):
    # The export reads through its own session, opened on the first chunk and
    # closed with the response: the request's contexts are gone by then.
    engine = db.engine

    def run():
        with Session(engine) as session:
            yield from generate(session, *args, **kwargs)

    return run()


@bp.get("/courses/<course_slug>/gradebook.csv")
@login_required
def export(course_slug: str):
    """Stream the whole gradebook as CSV."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    return csv_response(
        _streamed(report.csv_lines, course.id, **_filters()), f"{course.slug}-grades.csv"
    )


@bp.route("/courses/<course_slug>/gradebook/weights", methods=["GET", "POST"])
@login_required
def weights(course_slug: str):
    """Set how much each category counts in the course total."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    names = report.categories(course.id, report.graded_items(course.id))
    form = weights_form(names, report.weights(course.id, names))
    if form.validate_on_submit():
        values = {name: float(form[f"weight_{i}"].data) for i, name in enumerate(names)}
        report.set_weights(course.id, values)
        db.session.commit()
        flash("Category weights saved.", "success")
        return redirect(url_for(".index", course_slug=course.slug))
    status = 400 if form.errors else 200
    return render_template("gradebook/weights.html", course=course, form=form), status


@bp.get("/courses/<course_slug>/grades")
@login_required
def mine(course_slug: str):
    """Show the signed-in learner their released grades and course total."""
    course = get_course(course_slug)
    require_course_role(course.id)
    items = report.graded_items(course.id)
    grades = report.own_grades(current_user.id, course.id, items)
    category_weights = report.weights(course.id, report.categories(course.id, items))
    return render_template(
        "gradebook/mine.html",
        course=course,
        items=items,
        grades=grades,
        total=report.course_total(list(grades.values()), category_weights),
    )
