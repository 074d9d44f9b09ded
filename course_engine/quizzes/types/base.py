"""What every question type provides, and the names questions store for their type."""

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from course_engine.errors import DomainError
from course_engine.quizzes.grading import AnswerLike, Marking

if TYPE_CHECKING:
    from course_engine.quizzes.questions import ParsedQuestion
    from course_engine.quizzes.services.pages import PageQuestion

# Posted form data: every value sent under each field name.
Form = Mapping[str, list[str]]
# How the YAML question format writes a type's body; `questions` reads each.
YamlBody = Literal["answers", "numbers", "truefalse", "pairs", "guidance"]


class QuestionType(enum.StrEnum):
    """The type of a question, as questions store it."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUEFALSE = "truefalse"
    SHORT = "short"
    NUMERICAL = "numerical"
    MATCHING = "matching"
    ESSAY = "essay"


@dataclass
class Choice:
    """One line of a question's response distribution: how many responses gave it."""

    label: str
    count: int
    correct: bool = False


class BaseQuestionType:
    """How questions of one type are written, answered, graded, reviewed and reported."""

    name: ClassVar[QuestionType]
    # The YAML keys a question takes beyond the common ones, and how its body reads.
    yaml_keys: ClassVar[frozenset[str]]
    yaml_body: ClassVar[YamlBody]
    # What a stored response is: an answer id, a list of them, text, or a mapping.
    response_shape: ClassVar[type]
    # The partials that show the question's inputs and, on review, its response.
    template: ClassVar[str]
    review_template: ClassVar[str]
    # A person grades it; automatic grading leaves its mark alone.
    graded_by_person: ClassVar[bool] = False
    always_shuffled: ClassVar[bool] = False
    shuffled_on_request: ClassVar[bool] = False

    def definition_problem(self, question: "ParsedQuestion") -> str | None:
        """Return why the question's answers cannot be graded, or None if they can."""
        if not any(answer.fraction > 0 for answer in question.answers):
            return "no correct answer"
        if not any(math.isclose(answer.fraction, 1) for answer in question.answers):
            return "no answer is worth 100%"
        return None

    def answer_rows(self, question: "ParsedQuestion") -> list[dict[str, object]]:
        """Return the answer rows to store for a parsed question, in order."""
        return [
            {
                "text": answer.text,
                "match": None,
                "fraction": answer.fraction,
                "feedback": answer.feedback,
                "value": answer.value,
                "tolerance": answer.tolerance,
            }
            for answer in question.answers
        ]

    def fits(self, response: object) -> bool:
        """Tell whether a stored response has this type's shape (a question's type can change)."""
        return isinstance(response, self.response_shape) and not isinstance(response, bool)

    def grade(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        """Return the marking of a response; an empty or misshapen response earns 0."""
        if response in (None, "", [], {}) or not self.fits(response):
            return Marking(0.0)
        return self.mark(answers, response)

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        """Return the marking of a response that fits this type and is not empty."""
        raise NotImplementedError

    def right_answers(self, answers: Sequence[AnswerLike]) -> list[str]:
        """Return the answers to show as right: those worth the most."""
        best = max((answer.fraction for answer in answers), default=0)
        return [a.text for a in answers if math.isclose(a.fraction, best) and best > 0]

    def read_response(self, row: "PageQuestion", form: Form) -> object:
        """Return the stored form of the posted response; raise DomainError if tampered."""
        raise NotImplementedError

    def distribution(self, answers: Sequence[AnswerLike], responses: list[object]) -> list[Choice]:
        """Return what the responses to a question were, for the statistics report."""
        return []


def posted(row: "PageQuestion", form: Form, suffix: str = "") -> list[str]:
    """Return the non-empty values posted for a question (or one of its parts)."""
    return [value for value in form.get(f"q{row.question.id}{suffix}", []) if value != ""]


def answer_id(value: str, allowed: set[int], row: "PageQuestion") -> int:
    """Return the answer id a posted value names; raise DomainError if it is not allowed."""
    try:
        chosen = int(value)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in allowed:
        raise DomainError(f"That is not one of the answers to question {row.number}.")
    return chosen


def one_value(values: list[str], row: "PageQuestion") -> str | None:
    """Return the single posted value, or None; raise DomainError if more were posted."""
    if len(values) > 1:
        raise DomainError(f"Question {row.number} takes one answer.")
    return values[0] if values else None
