"""Questions answered by choosing: one answer, true or false, or any number of answers."""

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from course_engine.errors import DomainError
from course_engine.quizzes.grading import AnswerLike, Marking, clamp
from course_engine.quizzes.types.base import (
    BaseQuestionType,
    Choice,
    Form,
    QuestionType,
    answer_id,
    posted,
)

if TYPE_CHECKING:
    from course_engine.quizzes.questions import ParsedQuestion
    from course_engine.quizzes.services.pages import PageQuestion


class _Choosing(BaseQuestionType):
    """What the choice types share: responses name answers, and reports count each answer."""

    review_template = "quizzes/questions/review/choices.html"

    def chosen_ids(self, row: "PageQuestion", form: Form) -> list[int]:
        allowed = {answer.id for answer in row.answers}
        return [answer_id(value, allowed, row) for value in posted(row, form)]

    def distribution(self, answers: Sequence[AnswerLike], responses: list[object]) -> list[Choice]:
        counts: Counter[int] = Counter()
        for response in responses:
            chosen = response if isinstance(response, list) else [response]
            counts.update(i for i in chosen if isinstance(i, int))
        return [Choice(a.text, counts[a.id], a.fraction > 0) for a in answers]


class _OneAnswer(_Choosing):
    """What single choice and true/false share: the response is one answer id."""

    response_shape = int
    template = "quizzes/questions/single.html"

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        chosen = next((answer for answer in answers if answer.id == response), None)
        return Marking(clamp(chosen.fraction), [chosen.feedback]) if chosen else Marking(0.0)

    def read_response(self, row: "PageQuestion", form: Form) -> int | None:
        chosen = self.chosen_ids(row, form)
        if len(chosen) > 1:
            raise DomainError(f"Question {row.number} takes one answer.")
        return chosen[0] if chosen else None


class SingleChoice(_OneAnswer):
    """One answer among several; exactly one is worth all the points."""

    name = QuestionType.SINGLE
    yaml_keys = frozenset({"answers"})
    yaml_body = "answers"
    shuffled_on_request = True

    def definition_problem(self, question: "ParsedQuestion") -> str | None:
        if not any(answer.fraction > 0 for answer in question.answers):
            return "no correct answer"
        full = sum(1 for answer in question.answers if math.isclose(answer.fraction, 1))
        if full != 1:
            return f"single questions need exactly one answer at 100%, not {full}"
        return None


class TrueFalse(_OneAnswer):
    """A statement the learner calls true or false; its two answers keep their order."""

    name = QuestionType.TRUEFALSE
    yaml_keys = frozenset({"answer", "feedback_true", "feedback_false"})
    yaml_body = "truefalse"


class MultipleChoice(_Choosing):
    """Any number of answers; the positive weights add up to all the points."""

    name = QuestionType.MULTIPLE
    yaml_keys = frozenset({"answers"})
    yaml_body = "answers"
    response_shape = list
    template = "quizzes/questions/multiple.html"
    shuffled_on_request = True

    def definition_problem(self, question: "ParsedQuestion") -> str | None:
        positive = [answer.fraction for answer in question.answers if answer.fraction > 0]
        if not positive:
            return "no correct answer"
        # Thirds written as 33.33 must still add up, so allow a little rounding.
        if not math.isclose(sum(positive), 1, abs_tol=0.001):
            return f"the positive weights add up to {sum(positive) * 100:g}%, not 100%"
        return None

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        by_id = {answer.id: answer for answer in answers}
        chosen = [by_id[i] for i in cast("list[int]", response) if i in by_id]
        total = sum(answer.fraction for answer in chosen)
        return Marking(clamp(total), [answer.feedback for answer in chosen])

    def right_answers(self, answers: Sequence[AnswerLike]) -> list[str]:
        return [answer.text for answer in answers if answer.fraction > 0]

    def read_response(self, row: "PageQuestion", form: Form) -> list[int]:
        return sorted(set(self.chosen_ids(row, form)))
