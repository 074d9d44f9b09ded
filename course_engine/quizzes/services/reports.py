"""What facilitators read: attempts per learner, per-question statistics and the CSV export."""

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment
from course_engine.extensions import db
from course_engine.quizzes.grading import normalise_text
from course_engine.quizzes.models import Answer, Attempt, AttemptAnswer, Question, Quiz
from course_engine.quizzes.services.marking import FINISHED, attempt_percent, quiz_percent
from course_engine.roles import Role

# Spreadsheets run cells that start with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOP_RESPONSES = 5


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
class Choice:
    label: str
    count: int
    correct: bool = False


@dataclass
class QuestionStats:
    question: Question
    responses: int = 0
    facility: float | None = None
    discrimination: float | None = None
    distribution: list[Choice] = field(default_factory=list)


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
    stats.distribution = _distribution(question, answers, [slot.response for slot, _ in slots])
    return stats


def _distribution(question: Question, answers: list[Answer], responses: list) -> list[Choice]:
    if question.type in ("single", "truefalse", "multiple"):
        counts: Counter = Counter()
        for response in responses:
            chosen = response if isinstance(response, list) else [response]
            counts.update(i for i in chosen if isinstance(i, int))
        return [Choice(a.text, counts[a.id], a.fraction > 0) for a in answers]
    if question.type in ("short", "numerical"):
        counts = Counter(normalise_text(r) for r in responses if isinstance(r, str) and r.strip())
        blank = sum(1 for r in responses if not (isinstance(r, str) and r.strip()))
        top = [Choice(text, count) for text, count in counts.most_common(TOP_RESPONSES)]
        others = sum(counts.values()) - sum(choice.count for choice in top)
        return (
            top
            + ([Choice("(other answers)", others)] if others else [])
            + ([Choice("(no answer)", blank)] if blank else [])
        )
    if question.type == "matching":
        by_id = {a.id: a for a in answers}
        rows = []
        for prompt in answers:
            right = sum(
                1
                for response in responses
                if isinstance(response, dict)
                and (choice := by_id.get(response.get(str(prompt.id)))) is not None
                and choice.match == prompt.match
            )
            rows.append(Choice(f"{prompt.text} → {prompt.match}", right, True))
        return rows
    return []


def csv_cell(value) -> str:
    """Return a value as CSV text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["name", "email", "country", "attempt", "state", "started", "submitted"]
    header += ["score", "max_score", "percent"] + [q.key for q in questions]
    writer.writerow(csv_cell(cell) for cell in header)
    for entry in results(quiz):
        for attempt in entry.attempts:
            row = [
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
            writer.writerow(csv_cell(cell) for cell in row)
    return out.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")
