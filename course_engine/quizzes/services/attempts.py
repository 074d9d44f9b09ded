"""A learner's attempts: start or resume, save page by page, submit once."""

import random
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from course_engine.courses.models import Enrolment, Item
from course_engine.courses.outline import ITEM_PLACE_LOADED, item_lookup
from course_engine.database import utcnow
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.quizzes.models import (
    Answer,
    Attempt,
    AttemptAnswer,
    AttemptState,
    Question,
    Quiz,
)
from course_engine.quizzes.services.marking import grade_attempt
from course_engine.quizzes.services.pages import PageQuestion, read_response
from course_engine.quizzes.types import get_type
from course_engine.roles import Role

# Answers that arrive this long after the deadline still count (slow networks).
GRACE = timedelta(seconds=30)


class NotAllowed(DomainError):
    """The learner may see the quiz but not do this now."""

    status_code = 403


def quiz_for_item(item: Item) -> Quiz:
    """Return the quiz of an item, or raise NotFound."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.item_id == item.id))
    if quiz is None:
        raise NotFound("This quiz has not been set up.")
    return quiz


class QuizVisit(NamedTuple):
    """A quiz item as one user opens it, with its quiz (None if not set up), their role
    and, when one was asked for, the attempt of that quiz with that id (None if none)."""

    item: Item
    quiz: Quiz | None
    role: Role | None
    attempt: Attempt | None = None


# Every quiz page starts here: one query, built once, instead of one each for the
# item, the quiz, the role and the attempt, since each query is a round trip to the database.
_FIND_QUIZ = (
    item_lookup(Item, Quiz, Enrolment.role, with_enrolment=True)
    .outerjoin(Quiz, Quiz.item_id == Item.id)
    .options(ITEM_PLACE_LOADED)
)
_FIND_QUIZ_ATTEMPT = _FIND_QUIZ.add_columns(Attempt).outerjoin(
    Attempt, and_(Attempt.id == bindparam("attempt_id"), Attempt.quiz_id == Quiz.id)
)


def find_quiz(
    course_slug: str, item_slug: str, user_id: int, attempt_id: int | None = None
) -> QuizVisit:
    """Return the item, its quiz, the user's enrolment role and the attempt asked for.

    Raise NotFound when the course has no such item.
    """
    parameters = {"course_slug": course_slug, "item_slug": item_slug, "user_id": user_id}
    if attempt_id is None:
        row = db.session.execute(_FIND_QUIZ, parameters).first()
    else:
        row = db.session.execute(
            _FIND_QUIZ_ATTEMPT, {**parameters, "attempt_id": attempt_id}
        ).first()
    if row is None:
        raise NotFound("There is no such item in this course.")
    return QuizVisit(*row)


def _when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y at %H:%M UTC")


def availability_problem(quiz: Quiz, now: datetime) -> str | None:
    """Return why the quiz cannot be attempted now, or None."""
    if quiz.opens_at and now < quiz.opens_at:
        return f"This quiz opens on {_when(quiz.opens_at)}."
    if quiz.closes_at and now >= quiz.closes_at:
        return f"This quiz closed on {_when(quiz.closes_at)}."
    return None


def attempts_of(quiz_id: int, user_id: int) -> list[Attempt]:
    """Return a learner's attempts at a quiz, first to last."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz_id, Attempt.user_id == user_id)
            .order_by(Attempt.number)
        )
    )


def _in_progress(quiz_id: int, user_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.quiz_id == quiz_id,
            Attempt.user_id == user_id,
            Attempt.state == AttemptState.IN_PROGRESS,
        )
    )


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """Return how many attempts remain, None when unlimited."""
    return None if not quiz.attempts_allowed else max(0, quiz.attempts_allowed - used)


def start_attempt(quiz: Quiz, user_id: int, now: datetime | None = None) -> Attempt:
    """Return the learner's attempt in progress, or start a new one.

    Two starts at once make one attempt: the unique attempt number makes
    the loser fail, and it then returns the winner's attempt.
    """
    now = now or utcnow()
    attempts = attempts_of(quiz.id, user_id)
    current = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    if current is not None and not close_if_overdue(current, now):
        return current
    if problem := availability_problem(quiz, now):
        raise NotAllowed(problem)
    if attempts_left(quiz, len(attempts)) == 0:
        raise NotAllowed(f"You have used all {quiz.attempts_allowed} attempt(s) this quiz allows.")
    answer_ids = _live_questions(quiz.id)
    if not answer_ids:
        raise NotAllowed("This quiz has no questions yet.")
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user_id,
        number=len(attempts) + 1,
        state=AttemptState.IN_PROGRESS,
        started_at=now,
        deadline=_deadline(quiz, now),
        max_score=sum(q.points for q in answer_ids),
    )
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request started this attempt number first; that work is
        # all this transaction held, so give it up and use the winner's.
        db.session.rollback()
        winner = _in_progress(quiz.id, user_id)
        if winner is None:
            raise Conflict("An attempt was started at the same moment. Please try again.") from None
        return winner
    _lay_out(attempt, quiz, answer_ids)
    return attempt


def _live_questions(quiz_id: int) -> dict[Question, list[int]]:
    """Return the quiz's questions in order, each with its answers' ids in order, in one query."""
    answer_ids: dict[Question, list[int]] = {}
    for question, answer_id in db.session.execute(
        select(Question, Answer.id)
        .outerjoin(Answer, and_(Answer.question_id == Question.id, ~Answer.retired))
        .where(Question.quiz_id == quiz_id, ~Question.retired)
        .order_by(Question.position, Answer.position)
    ):
        answers = answer_ids.setdefault(question, [])
        if answer_id is not None:
            answers.append(answer_id)
    return answer_ids


def _deadline(quiz: Quiz, now: datetime) -> datetime | None:
    limits = [quiz.closes_at] if quiz.closes_at else []
    if quiz.time_limit_minutes:
        limits.append(now + timedelta(minutes=quiz.time_limit_minutes))
    return min(limits) if limits else None


def _lay_out(attempt: Attempt, quiz: Quiz, answer_ids: dict[Question, list[int]]) -> None:
    """Fix the attempt's question order and answer orders, from a seed of its own."""
    rng = random.Random(secrets.randbits(64))
    questions = list(answer_ids)
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    for position, question in enumerate(questions):
        order = answer_ids[question]
        question_type = get_type(question.type)
        if question_type.always_shuffled or (
            quiz.shuffle_answers and question_type.shuffled_on_request
        ):
            rng.shuffle(order)
        db.session.add(
            AttemptAnswer(
                attempt_id=attempt.id,
                question_id=question.id,
                position=position,
                answer_order=order,
            )
        )
    db.session.flush()


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """Tell whether answers sent now come too late to count."""
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit an attempt whose time ran out, with the answers saved in time; tell if it did."""
    now = now or utcnow()
    if attempt.state != AttemptState.IN_PROGRESS or not is_overdue(attempt, now):
        return False
    return submit_attempt(attempt, now, auto=True)


def submit_attempt(attempt: Attempt, now: datetime | None = None, *, auto: bool = False) -> bool:
    """Submit and grade an attempt; return False if it was already submitted.

    The conditional UPDATE lets exactly one of several concurrent submits win.
    """
    now = now or utcnow()
    if not auto and is_overdue(attempt, now):
        return close_if_overdue(attempt, now)
    won = db.session.scalars(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.SUBMITTED, submitted_at=now, auto_submitted=auto)
        .returning(Attempt),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).first()
    if won is None:
        db.session.refresh(attempt)
        return False
    grade_attempt(attempt)
    return True


def finished_message(attempt: Attempt) -> str:
    """Say why an attempt takes no more answers."""
    if attempt.auto_submitted:
        return (
            "The time for this attempt ran out, so it was submitted with the answers saved "
            "in time. Answers sent after the limit were not counted."
        )
    return "This attempt has already been submitted; its answers can no longer change."


def save_page(
    attempt: Attempt, rows: list[PageQuestion], form: Mapping[str, list[str]], now=None
) -> None:
    """Store the responses to one page's questions; refuse the whole page if any is invalid."""
    now = now or utcnow()
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(finished_message(attempt))
    if is_overdue(attempt, now):
        raise Conflict(finished_message(attempt) if attempt.auto_submitted else _late_message())
    responses = [(row, read_response(row, form)) for row in rows]
    for row, response in responses:
        row.slot.response = response
        row.slot.saved_at = now
    db.session.flush()


def _late_message() -> str:
    return "The time for this attempt ran out; answers sent after the limit were not counted."
