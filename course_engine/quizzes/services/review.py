"""What the review page shows: each response, its marks and, when allowed, feedback."""

from dataclasses import dataclass, field
from datetime import datetime

from course_engine.quizzes.models import Attempt, FeedbackTiming, Quiz
from course_engine.quizzes.services.pages import PageQuestion, load_questions


def feedback_visible(quiz: Quiz, now: datetime, staff: bool = False) -> bool:
    """Tell whether feedback and right answers show now, per the quiz's setting."""
    if staff or quiz.feedback == FeedbackTiming.IMMEDIATELY:
        return True
    if quiz.feedback == FeedbackTiming.AFTER_CLOSE:
        return quiz.closes_at is not None and now >= quiz.closes_at
    return False


@dataclass
class ReviewQuestion:
    row: PageQuestion
    marks: float | None
    feedback: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> set[int]:
        response = self.row.slot.response
        if isinstance(response, list):
            return set(response)
        return {response} if isinstance(response, int) else set()


def review(attempt: Attempt, show_feedback: bool) -> list[ReviewQuestion]:
    """Return every question of the attempt with, if feedback shows, its marks and feedback.

    Marks per question are feedback too: they tell which answers were right.
    """
    rows = []
    for row in load_questions(attempt):
        question, slot = row.question, row.slot
        entry = ReviewQuestion(row, None)
        if show_feedback:
            if slot.fraction is not None:
                entry.marks = slot.fraction * question.points
            live = [a for a in row.prompts if not a.retired]
            marking = row.question_type.grade(live, slot.response)
            entry.feedback = [text for text in marking.feedback if text]
            entry.right = row.question_type.right_answers(live)
        rows.append(entry)
    return rows
