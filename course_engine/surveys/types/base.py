"""What every survey question type provides, and what a question file says of a question."""

from dataclasses import dataclass, field
from typing import ClassVar

from course_engine.errors import DomainError
from course_engine.packs.source import Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.surveys.models import QuestionType, SurveyAnswer, SurveyQuestion


@dataclass
class QuestionSpec:
    """A question as its survey file defines it."""

    key: str
    type: QuestionType
    text: str
    options: list[str] = field(default_factory=list)
    max_choices: int | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    min_label: str = ""
    max_label: str = ""


class AnswerError(DomainError):
    """An answer the question cannot take; the survey page shows it next to the question."""

    def __init__(self, question: SurveyQuestion, reason: str) -> None:
        super().__init__(f"Question {question.position + 1}: {reason}")
        self.question_key = question.key


class BaseSurveyQuestionType:
    """How survey questions of one type are written, answered, stored and counted."""

    name: ClassVar[QuestionType]
    # The question keys this type takes beyond id, type and text.
    keys: ClassVar[frozenset[str]] = frozenset()
    # The partials that show the question's inputs, and its results to facilitators.
    template: ClassVar[str]
    results_template: ClassVar[str]
    # One response may give the question several answers, one row each.
    several_answers: ClassVar[bool] = False

    def read_keys(
        self, question: LineDict, spec: QuestionSpec, path: str, problems: Problems
    ) -> None:
        """Set the spec's fields of this type from the file's question, reporting each problem."""

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        """Return the answers to store for the posted values, none empty; raise AnswerError."""
        raise NotImplementedError

    def stored_value(self, answer: SurveyAnswer) -> str | int | None:
        """Return a stored answer as the survey page shows it again."""
        return answer.choice

    def labels(self, question: SurveyQuestion) -> list[str]:
        """Return the answers the results count, in the order they are offered."""
        return []

    def mean(self, counts: dict[str, int]) -> float | None:
        """Return the average answer, for types whose answers are numbers."""
        return None
