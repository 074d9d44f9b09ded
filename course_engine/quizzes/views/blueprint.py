"""The quiz blueprint and what every quiz view does first: load and authorise."""

from flask import Blueprint, abort
from flask_login import current_user

from course_engine.courses import outline as courses
from course_engine.courses.models import Item
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.permissions import can_facilitate, remember_role, require_course_role
from course_engine.quizzes import services
from course_engine.quizzes.models import Attempt, Quiz
from course_engine.quizzes.permissions import can_answer, can_review
from course_engine.roles import ALL_ROLES, STAFF

bp = Blueprint("quizzes", __name__, template_folder="../templates")


def load_quiz(
    course_slug: str, item_slug: str, staff_only: bool = False
) -> tuple[Item, Quiz, bool]:
    """Return the quiz item, its quiz and whether the user runs the course; 404 otherwise."""
    item, quiz, staff, _attempt = _authorise(
        services.find_quiz(course_slug, item_slug, current_user.id), staff_only
    )
    return item, quiz, staff


def load_attempt(
    course_slug: str, item_slug: str, attempt_id: int, *, answering: bool = True
) -> tuple[Item, Quiz, bool, Attempt]:
    """Return load_quiz's three and an attempt of the quiz the user may answer (or review).

    404 otherwise. An attempt whose time ran out is submitted here, with what was saved in time.
    """
    item, quiz, staff, attempt = _authorise(
        services.find_quiz(course_slug, item_slug, current_user.id, attempt_id)
    )
    if attempt is None:
        abort(404)
    allowed = (
        can_answer(current_user, attempt) if answering else can_review(current_user, attempt, staff)
    )
    if not allowed:
        abort(404)
    if can_answer(current_user, attempt) and services.close_if_overdue(attempt):
        db.session.commit()
    return item, quiz, staff, attempt


def _authorise(
    visit: services.QuizVisit, staff_only: bool = False
) -> tuple[Item, Quiz, bool, Attempt | None]:
    item, quiz, role, attempt = visit
    remember_role(current_user, item.course_id, role)
    require_course_role(item.course_id, STAFF if staff_only else ALL_ROLES)
    staff = can_facilitate(current_user, item.course_id)
    if item.kind != "quiz" or (courses.is_hidden(item) and not staff):
        abort(404)
    if quiz is None:
        raise NotFound("This quiz has not been set up.")
    return item, quiz, staff, attempt
