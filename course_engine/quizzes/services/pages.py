"""The questions of an attempt, page by page, and reading what the learner posted."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, func, select

from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.quizzes.models import Answer, Attempt, AttemptAnswer, Question
from course_engine.quizzes.types import BaseQuestionType, get_type


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
    def question_type(self) -> BaseQuestionType:
        return get_type(self.question.type)

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


class AttemptPage(NamedTuple):
    """One page of an attempt's questions and how many pages the attempt has."""

    rows: list[PageQuestion]
    pages: int


def slots_query(*criteria) -> Select:
    """Select attempt slots meeting criteria, each with its question and that question's
    answers, one row per answer: any number of questions is one query."""
    return (
        select(AttemptAnswer, Question, Answer)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .outerjoin(Answer, Answer.question_id == Question.id)
        .where(*criteria)
        .order_by(AttemptAnswer.attempt_id, AttemptAnswer.position, Answer.position)
    )


def gather_slots(result) -> list[tuple[AttemptAnswer, Question, list[Answer]]]:
    """Group slots_query rows (extra columns ignored) into slots with their question's answers."""
    slots: dict[int, tuple[AttemptAnswer, Question, list[Answer]]] = {}
    for slot, question, answer, *_extra in result:
        if slot.id not in slots:
            slots[slot.id] = (slot, question, [])
        if answer is not None:
            slots[slot.id][2].append(answer)
    return list(slots.values())


def _page_questions(result) -> list[PageQuestion]:
    """Return slots_query rows as questions with the answers in the attempt's order."""
    rows = []
    for slot, question, answers in gather_slots(result):
        by_id = {answer.id: answer for answer in answers}
        order = [by_id[i] for i in slot.answer_order if i in by_id]
        rows.append(PageQuestion(slot, question, order))
    return rows


def _positions(attempt_id: int, first: int, count: int | None) -> list:
    criteria = [AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.position >= first]
    if count is not None:
        criteria.append(AttemptAnswer.position < first + count)
    return criteria


def load_questions(
    attempt: Attempt, first: int = 0, count: int | None = None
) -> list[PageQuestion]:
    """Return the attempt's questions at positions first.. (all by default), in one query."""
    return _page_questions(db.session.execute(slots_query(*_positions(attempt.id, first, count))))


def load_page(attempt: Attempt, per_page: int, page: int) -> AttemptPage:
    """Return the questions of one page (1-based) and the page count, or raise NotFound."""
    if page < 1:
        raise NotFound("There is no such page in this attempt.")
    slots = (
        select(func.count())
        .where(AttemptAnswer.attempt_id == attempt.id)
        .correlate(None)
        .scalar_subquery()
    )
    result = db.session.execute(
        slots_query(*_positions(attempt.id, (page - 1) * per_page, per_page)).add_columns(slots)
    ).all()
    if not result:
        raise NotFound("There is no such page in this attempt.")
    return AttemptPage(_page_questions(result), max(1, math.ceil(result[0][-1] / per_page)))


def read_response(row: PageQuestion, form: Mapping[str, list[str]]) -> object:
    """Return the stored form of one question's posted response; raise DomainError if tampered."""
    return row.question_type.read_response(row, form)
