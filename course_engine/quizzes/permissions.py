"""Who may see and answer quiz attempts: the one place that decides it for every view."""

from course_engine.quizzes.models import Attempt


def can_answer(user, attempt: Attempt) -> bool:
    """Tell whether the user may answer and submit the attempt: only its owner may."""
    return getattr(user, "is_authenticated", False) and attempt.user_id == user.id


def can_review(user, attempt: Attempt, staff: bool) -> bool:
    """Tell whether the user may read the attempt: its owner, or the course's facilitators."""
    return staff or can_answer(user, attempt)
