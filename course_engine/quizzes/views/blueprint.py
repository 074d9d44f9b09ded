"""The quiz blueprint and what every quiz view does first: load and authorise."""

from dataclasses import dataclass

from flask import Blueprint, abort
from flask_login import current_user

from course_engine.courses.activities import Activity, activity_of
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.permissions import remember_role
from course_engine.quizzes import services
from course_engine.quizzes.models import Attempt, Quiz
from course_engine.quizzes.permissions import can_answer, can_review
from course_engine.roles import ALL_ROLES, STAFF

bp = Blueprint("quizzes", __name__, template_folder="../templates")


@dataclass(frozen=True)
class QuizAttempt:
    """A quiz and one of its attempts."""

    quiz: Quiz
    attempt: Attempt


def load_quiz(course_slug: str, item_slug: str, staff_only: bool = False) -> Activity[Quiz]:
    """Return the quiz item with its quiz for the current user; 404 otherwise."""
    return _authorise(services.find_quiz(course_slug, item_slug, current_user.id), staff_only)


def load_attempt(
    course_slug: str, item_slug: str, attempt_id: int, *, answering: bool = True
) -> Activity[QuizAttempt]:
    """Return the quiz item with its quiz and an attempt the user may answer (or review).

    404 otherwise. An attempt whose time ran out is submitted here, with what was saved in time.
    """
    visit = services.find_quiz(course_slug, item_slug, current_user.id, attempt_id)
    activity = _authorise(visit)
    attempt = visit.attempt
    if attempt is None:
        abort(404)
    allowed = (
        can_answer(current_user, attempt)
        if answering
        else can_review(current_user, attempt, activity.staff)
    )
    if not allowed:
        abort(404)
    if can_answer(current_user, attempt) and services.close_if_overdue(attempt):
        db.session.commit()
    return Activity(
        course=activity.course,
        item=activity.item,
        role=activity.role,
        staff=activity.staff,
        record=QuizAttempt(activity.record, attempt),
    )


def _authorise(visit: services.QuizVisit, staff_only: bool = False) -> Activity[Quiz]:
    # The visit read the role with the item: remembered, the role check needs no query.
    remember_role(current_user, visit.item.course_id, visit.role)
    return activity_of(
        visit.item, "quiz", lambda _item: _set_up(visit.quiz), STAFF if staff_only else ALL_ROLES
    )


def _set_up(quiz: Quiz | None) -> Quiz:
    if quiz is None:
        raise NotFound("This quiz has not been set up.")
    return quiz
