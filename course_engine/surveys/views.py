"""Answering a survey, and its results and export for facilitators."""

from collections.abc import Set

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.courses.activities import Activity, load_activity
from course_engine.courses.progress import item_status
from course_engine.csv_export import csv_response
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.roles import ALL_ROLES, STAFF, Role
from course_engine.surveys import results as survey_results
from course_engine.surveys import services
from course_engine.surveys.forms import AnswerForm
from course_engine.surveys.models import Survey
from course_engine.surveys.types import QUESTION_TYPES, AnswerError

bp = Blueprint("surveys", __name__, template_folder="templates")

PREFIX = "q-"


def _load_survey(
    course_slug: str, item_slug: str, roles: Set[Role] = ALL_ROLES
) -> Activity[Survey]:
    """Return the survey item if the current user may reach it with one of roles, else 404."""
    return load_activity(course_slug, item_slug, "survey", services.survey_of, roles)


def _page(activity: Activity[Survey], answers=None, error: DomainError | None = None):
    item, survey = activity.item, activity.record
    # An answer a question cannot take is shown next to that question.
    errors = {error.question_key: error.message} if isinstance(error, AnswerError) else {}
    response, saved = services.response_of(survey, current_user.id)
    return render_template(
        "surveys/show.html",
        course=activity.course,
        item=item,
        survey=survey,
        questions=services.questions_of(survey),
        question_types=QUESTION_TYPES,
        answers=saved if answers is None else answers,
        errors=errors,
        response=response,
        closed=services.is_closed(survey),
        can_answer=activity.role == Role.LEARNER and not item.archived,
        staff=activity.staff,
        status=item_status(current_user.id, item.id),
        form=AnswerForm(),
    ), (error.status_code if error else 200)


@bp.get("/courses/<course_slug>/surveys/<item_slug>")
@login_required
def show(course_slug: str, item_slug: str):
    """Show the survey, with the learner's answers if they gave any."""
    return _page(_load_survey(course_slug, item_slug))


@bp.post("/courses/<course_slug>/surveys/<item_slug>")
@login_required
def answer(course_slug: str, item_slug: str):
    """Save the learner's answers: the first time, or as an edit of their one response."""
    activity = _load_survey(course_slug, item_slug, {Role.LEARNER})
    item = activity.item
    submitted = {
        name.removeprefix(PREFIX): request.form.getlist(name)
        for name in request.form
        if name.startswith(PREFIX)
    }
    try:
        services.submit_response(current_user.id, item, submitted)
    except DomainError as error:
        # An answer's own error shows next to its question; the top says only where to look.
        if isinstance(error, AnswerError):
            flash(
                "Your answers are not saved yet: one of them needs a change, marked below.",
                "danger",
            )
        else:
            flash(error.message, "danger")
        return _page(activity, submitted, error)
    db.session.commit()
    flash("Your answers are saved. You can change them until the survey closes.", "success")
    return redirect(url_for(".show", course_slug=course_slug, item_slug=item_slug))


@bp.get("/courses/<course_slug>/surveys/<item_slug>/results")
@login_required
def results(course_slug: str, item_slug: str):
    """Show the results as tables and charts, for everyone or one country."""
    activity = _load_survey(course_slug, item_slug, STAFF)
    item, survey = activity.item, activity.record
    found = survey_results.results(survey)
    country = request.args.get("country")
    if country not in found.countries:
        country = None
    return render_template(
        "surveys/results.html",
        course=activity.course,
        item=item,
        survey=survey,
        results=found,
        country=country,
        count_bars=survey_results.count_bars,
    )


@bp.get("/courses/<course_slug>/surveys/<item_slug>/results.csv")
@login_required
def export(course_slug: str, item_slug: str):
    """Download the responses as CSV."""
    activity = _load_survey(course_slug, item_slug, STAFF)
    return csv_response(
        survey_results.export_csv(activity.record), f"{activity.item.slug}-results.csv"
    )
