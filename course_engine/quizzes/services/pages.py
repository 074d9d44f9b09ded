"""The questions of an attempt, page by page, and reading what the learner posted."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.quizzes.grading import parse_number
from course_engine.quizzes.models import Answer, Attempt, AttemptAnswer, Question

MAX_SHORT = 500
MAX_ESSAY = 20_000


@dataclass
class PageQuestion:
    """One question on an attempt page, with its answers in the attempt's order."""

    slot: AttemptAnswer
    question: Question
    answers: list[Answer] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.slot.position + 1

    @property
    def match_options(self) -> list[Answer]:
        """Return one answer per distinct match text, in the attempt's order."""
        seen, options = set(), []
        for answer in self.answers:
            if answer.match not in seen:
                seen.add(answer.match)
                options.append(answer)
        return options

    @property
    def prompts(self) -> list[Answer]:
        return sorted(self.answers, key=lambda answer: answer.position)


def page_count(attempt: Attempt, per_page: int) -> int:
    """Return the number of pages of an attempt."""
    total = db.session.scalar(select(func.count()).where(AttemptAnswer.attempt_id == attempt.id))
    return max(1, math.ceil(total / per_page))


def load_questions(
    attempt: Attempt, first: int = 0, count: int | None = None
) -> list[PageQuestion]:
    """Return the attempt's questions at positions first.. (all by default), in two queries."""
    query = (
        select(AttemptAnswer, Question)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position >= first)
        .order_by(AttemptAnswer.position)
    )
    if count is not None:
        query = query.where(AttemptAnswer.position < first + count)
    rows = [PageQuestion(slot, question) for slot, question in db.session.execute(query)]
    wanted = {answer_id for row in rows for answer_id in row.slot.answer_order}
    answers = (
        {a.id: a for a in db.session.scalars(select(Answer).where(Answer.id.in_(wanted)))}
        if wanted
        else {}
    )
    for row in rows:
        row.answers = [answers[i] for i in row.slot.answer_order if i in answers]
    return rows


def load_page(attempt: Attempt, per_page: int, page: int) -> list[PageQuestion]:
    """Return the questions of one page (1-based), or raise NotFound."""
    rows = load_questions(attempt, (page - 1) * per_page, per_page) if page >= 1 else []
    if not rows:
        raise NotFound("There is no such page in this attempt.")
    return rows


def read_response(row: PageQuestion, form: Mapping[str, list[str]]):
    """Return the stored form of one question's posted response; raise DomainError if tampered."""
    name = f"q{row.question.id}"
    values = [value for value in form.get(name, []) if value != ""]
    kind = row.question.type
    allowed = {answer.id for answer in row.answers}
    if kind in ("single", "truefalse", "multiple"):
        chosen = [_answer_id(value, allowed, row) for value in values]
        if kind == "multiple":
            return sorted(set(chosen))
        if len(chosen) > 1:
            raise DomainError(f"Question {row.number} takes one answer.")
        return chosen[0] if chosen else None
    if kind == "matching":
        options = {answer.id for answer in row.match_options}
        response = {}
        for prompt in row.prompts:
            picked = [v for v in form.get(f"{name}-{prompt.id}", []) if v != ""]
            if len(picked) > 1:
                raise DomainError(f"Question {row.number} takes one match per item.")
            if picked:
                response[str(prompt.id)] = _answer_id(picked[0], options, row)
        return response
    if len(values) > 1:
        raise DomainError(f"Question {row.number} takes one answer.")
    text = values[0].strip() if values else ""
    limit = MAX_ESSAY if kind == "essay" else MAX_SHORT
    if len(text) > limit:
        raise DomainError(f"The answer to question {row.number} is longer than {limit} characters.")
    if kind == "numerical" and text and parse_number(text) is None:
        raise DomainError(f"Question {row.number} needs a number, such as 42 or 2.5.")
    return text or None


def _answer_id(value: str, allowed: set[int], row: PageQuestion) -> int:
    try:
        answer_id = int(value)
    except ValueError:
        answer_id = None
    if answer_id not in allowed:
        raise DomainError(f"That is not one of the answers to question {row.number}.")
    return answer_id
