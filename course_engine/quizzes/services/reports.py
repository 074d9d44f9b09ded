"""What facilitators read: attempts per learner, per-question statistics and the CSV export."""

import math
from dataclasses import dataclass, field

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment
from course_engine.csv_export import Cell, csv_line
from course_engine.extensions import db
from course_engine.quizzes.models import Answer, Attempt, AttemptAnswer, Question, Quiz
from course_engine.quizzes.services.marking import FINISHED, attempt_percent, quiz_percent
from course_engine.quizzes.types import Choice, get_type
from course_engine.roles import Role

# At least 3:1 contrast on white, as WCAG asks of graphics.
FACILITY_COLOUR = "#0a58ca"


@dataclass
class LearnerAttempts:
    user: User
    attempts: list[Attempt] = field(default_factory=list)
    grade: float | None = None


def results(quiz: Quiz) -> list[LearnerAttempts]:
    """Return every learner of the course, and anyone else who attempted, with their attempts."""
    learners = {
        user.id: LearnerAttempts(user)
        for user in db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == quiz.course_id, Enrolment.role == Role.LEARNER)
        )
    }
    rows = db.session.execute(
        select(Attempt, User)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id == quiz.id)
        .order_by(Attempt.number)
    )
    for attempt, user in rows:
        learners.setdefault(user.id, LearnerAttempts(user)).attempts.append(attempt)
    for entry in learners.values():
        entry.grade = quiz_percent(quiz.grading_method, entry.attempts)
    return sorted(learners.values(), key=lambda e: (e.user.display_name.casefold(), e.user.id))


@dataclass
class QuestionStats:
    question: Question
    responses: int = 0
    facility: float | None = None
    discrimination: float | None = None
    distribution: list[Choice] = field(default_factory=list)


def facility_bars(stats: list[QuestionStats]) -> list[tuple]:
    """Return the chart bars of the statistics: each question's facility, none if unanswered."""
    return [
        (
            f"Q{number} {stat.question.name}",
            stat.facility,
            "" if stat.facility is None else f"{stat.facility:.0f}%",
            FACILITY_COLOUR,
        )
        for number, stat in enumerate(stats, start=1)
    ]


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def statistics(quiz: Quiz) -> list[QuestionStats]:
    """Return per-question statistics over every submitted attempt, in four queries.

    Facility is the mean mark in percent; discrimination is the correlation
    (in percent) between the mark for the question and the rest of the attempt.
    """
    questions = list(
        db.session.scalars(
            select(Question).where(Question.quiz_id == quiz.id).order_by(Question.position)
        )
    )
    answers: dict[int, list[Answer]] = {}
    for answer in db.session.scalars(
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.quiz_id == quiz.id)
        .order_by(Answer.position)
    ):
        answers.setdefault(answer.question_id, []).append(answer)
    rows = db.session.execute(
        select(AttemptAnswer, Attempt.score)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state.in_(FINISHED))
    ).all()
    by_question: dict[int, list[tuple[AttemptAnswer, float]]] = {}
    for slot, score in rows:
        by_question.setdefault(slot.question_id, []).append((slot, score or 0.0))
    stats = []
    for question in questions:
        slots = by_question.get(question.id, [])
        if not slots and question.retired:
            continue
        stats.append(_question_stats(question, answers.get(question.id, []), slots))
    return stats


def _question_stats(question: Question, answers: list[Answer], slots) -> QuestionStats:
    stats = QuestionStats(question, responses=len(slots))
    marked = [(slot.fraction, score) for slot, score in slots if slot.fraction is not None]
    if marked:
        stats.facility = 100 * sum(f for f, _ in marked) / len(marked)
        marks = [f * question.points for f, _ in marked]
        rest = [score - mark for (_, score), mark in zip(marked, marks, strict=True)]
        correlation = _correlation(marks, rest)
        stats.discrimination = None if correlation is None else 100 * correlation
    stats.distribution = get_type(question.type).distribution(
        answers, [slot.response for slot, _ in slots]
    )
    return stats


def export_csv(quiz: Quiz) -> str:
    """Return one CSV row per attempt: who, when, state, score and marks per question."""
    questions = list(
        db.session.scalars(
            select(Question).where(Question.quiz_id == quiz.id).order_by(Question.position)
        )
    )
    marks: dict[tuple[int, int], float | None] = {
        (slot.attempt_id, slot.question_id): slot.fraction
        for slot in db.session.scalars(
            select(AttemptAnswer)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .where(Attempt.quiz_id == quiz.id)
        )
    }
    lines = []
    header = ["name", "email", "country", "attempt", "state", "started", "submitted"]
    header += ["score", "max_score", "percent"] + [q.key for q in questions]
    lines.append(csv_line(header))
    for entry in results(quiz):
        for attempt in entry.attempts:
            row: list[Cell] = [
                entry.user.display_name,
                entry.user.email,
                entry.user.country,
                attempt.number,
                attempt.state.value,
                attempt.started_at.isoformat(timespec="seconds"),
                attempt.submitted_at.isoformat(timespec="seconds") if attempt.submitted_at else "",
                _number(attempt.score),
                _number(attempt.max_score),
                _number(attempt_percent(attempt)) if attempt.state in FINISHED else "",
            ]
            for question in questions:
                fraction = marks.get((attempt.id, question.id))
                row.append("" if fraction is None else _number(fraction * question.points))
            lines.append(csv_line(row))
    return "".join(lines)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")
