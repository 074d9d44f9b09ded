"""The quiz pages: learners' attempts, facilitators' reports and the admin question bank."""

from course_engine.quizzes.views import admin, learner, staff  # noqa: F401 - they add the routes
from course_engine.quizzes.views.blueprint import bp

__all__ = ["bp"]
