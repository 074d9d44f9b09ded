"""Marking attempts: automatic grading, essays graded by people, the learner's quiz grade."""

from datetime import datetime

from sqlalchemy import select

from course_engine.courses.models import Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.database import utcnow
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.gradebook.services import record_grade
from course_engine.quizzes.models import (
    Answer,
    Attempt,
    AttemptAnswer,
    AttemptState,
    GradingMethod,
    Question,
    Quiz,
)
from course_engine.quizzes.services.pages import gather_slots, slots_query
from course_engine.quizzes.types import QuestionType, get_type

CATEGORY = "quizzes"
FINISHED = (AttemptState.GRADED, AttemptState.NEEDS_GRADING)


def _slots(attempt_ids: list[int]) -> list[tuple[AttemptAnswer, Question, list[Answer]]]:
    """Return every question slot of the attempts with its question and answers, in one query."""
    return gather_slots(db.session.execute(slots_query(AttemptAnswer.attempt_id.in_(attempt_ids))))


def _live(answers: list[Answer]) -> list[Answer]:
    return [answer for answer in answers if not answer.retired]


def _mark(attempts: list[Attempt]) -> None:
    """Grade the attempts' automatic questions and set their score and state."""
    by_attempt: dict[int, list] = {attempt.id: [] for attempt in attempts}
    for slot, question, answers in _slots(list(by_attempt)):
        question_type = get_type(question.type)
        # Questions a person grades keep the grade they gave; nothing grades them otherwise.
        if not question_type.graded_by_person:
            slot.fraction = question_type.grade(_live(answers), slot.response).fraction
        by_attempt[slot.attempt_id].append((slot, question))
    for attempt in attempts:
        slots = by_attempt[attempt.id]
        attempt.max_score = sum(question.points for _, question in slots)
        attempt.score = sum((slot.fraction or 0.0) * question.points for slot, question in slots)
        ungraded = any(slot.fraction is None for slot, _ in slots)
        attempt.state = AttemptState.NEEDS_GRADING if ungraded else AttemptState.GRADED
    db.session.flush()


def grade_attempt(attempt: Attempt) -> None:
    """Grade a submitted attempt and update the learner's quiz grade."""
    _mark([attempt])
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    # A first attempt is the learner's only one (no other can start while it is in
    # progress), so the query for their attempts can be spared.
    update_quiz_grade(quiz, attempt.user_id, [attempt] if attempt.number == 1 else None)


def attempt_percent(attempt: Attempt) -> float:
    """Return an attempt's score as a percentage."""
    return 100 * (attempt.score or 0.0) / attempt.max_score if attempt.max_score else 0.0


def quiz_percent(method: GradingMethod, attempts: list[Attempt]) -> float | None:
    """Return the grade, in percent, that the grading method makes of fully graded attempts."""
    graded = sorted((a for a in attempts if a.state == AttemptState.GRADED), key=lambda a: a.number)
    if not graded:
        return None
    percents = [attempt_percent(a) for a in graded]
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    if method == GradingMethod.AVERAGE:
        return sum(percents) / len(percents)
    return max(percents)


def update_quiz_grade(
    quiz: Quiz, user_id: int, attempts: list[Attempt] | None = None
) -> float | None:
    """Record the learner's quiz grade in the gradebook and complete the item on a pass.

    attempts are all the learner's attempts at the quiz, loaded here when not given.
    """
    if attempts is None:
        attempts = list(
            db.session.scalars(
                select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
            )
        )
    percent = quiz_percent(quiz.grading_method, attempts)
    if percent is None:
        return None
    item = db.session.get_one(Item, quiz.item_id)
    record_grade(user_id, item, round(percent, 2), 100.0, category=CATEGORY, released=True)
    if percent + 1e-9 >= quiz.pass_percent and not item.archived:
        set_status(user_id, item, ProgressStatus.DONE)
    return percent


def regrade_quiz(quiz: Quiz) -> int:
    """Grade every submitted attempt again (after a question was fixed); return how many."""
    attempts = list(
        db.session.scalars(
            select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.state.in_(FINISHED))
        )
    )
    if attempts:
        _mark(attempts)
    for user_id in sorted({attempt.user_id for attempt in attempts}):
        update_quiz_grade(quiz, user_id)
    return len(attempts)


def essay_queue(quiz: Quiz) -> list[tuple[AttemptAnswer, Attempt, Question]]:
    """Return the essay answers of submitted attempts still waiting for a grade, oldest first."""
    return [
        (slot, attempt, question)
        for slot, attempt, question in db.session.execute(
            select(AttemptAnswer, Attempt, Question)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .join(Question, Question.id == AttemptAnswer.question_id)
            .where(
                Attempt.quiz_id == quiz.id,
                Attempt.state.in_(FINISHED),
                Question.type == QuestionType.ESSAY,
                AttemptAnswer.fraction.is_(None),
            )
            .order_by(Attempt.submitted_at, AttemptAnswer.position)
        )
    ]


def essay_answer(quiz: Quiz, answer_id: int) -> tuple[AttemptAnswer, Attempt, Question]:
    """Return an essay answer of a submitted attempt at this quiz, or raise NotFound."""
    row = db.session.execute(
        select(AttemptAnswer, Attempt, Question)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(
            AttemptAnswer.id == answer_id,
            Attempt.quiz_id == quiz.id,
            Attempt.state.in_(FINISHED),
            Question.type == QuestionType.ESSAY,
        )
    ).first()
    if row is None:
        raise NotFound("There is no such essay answer.")
    slot, attempt, question = row
    return slot, attempt, question


def grade_essay(
    quiz: Quiz,
    answer_id: int,
    marks: float,
    comment: str,
    grader_id: int,
    now: datetime | None = None,
) -> AttemptAnswer:
    """Give an essay answer its marks, then grade its attempt again."""
    slot, attempt, question = essay_answer(quiz, answer_id)
    if not 0 <= marks <= question.points:
        raise DomainError(f"Marks must be between 0 and {question.points:g}.")
    if attempt.state not in FINISHED:
        raise Conflict("This attempt is not submitted.")
    slot.fraction = marks / question.points if question.points else 1.0
    slot.comment = comment.strip()
    slot.graded_by_id = grader_id
    slot.graded_at = now or utcnow()
    grade_attempt(attempt)
    return slot
