"""The registry of question types: one small class per type, looked up by the stored name.

A question's type decides how its definition is checked, how a response is
read from the form, graded and reviewed, and how reports count responses.
"""

from course_engine.quizzes.types.base import BaseQuestionType, Choice, QuestionType
from course_engine.quizzes.types.choices import MultipleChoice, SingleChoice, TrueFalse
from course_engine.quizzes.types.matching import Matching
from course_engine.quizzes.types.texts import Essay, Numerical, ShortAnswer

QUESTION_TYPES: dict[QuestionType, BaseQuestionType] = {
    question_type.name: question_type
    for question_type in (
        SingleChoice(),
        MultipleChoice(),
        TrueFalse(),
        ShortAnswer(),
        Numerical(),
        Matching(),
        Essay(),
    )
}


class UnknownQuestionType(ValueError):
    """A question type name that no class handles."""

    def __init__(self, name: object) -> None:
        known = ", ".join(QUESTION_TYPES)
        super().__init__(f"unknown question type {name!r}; the types are {known}")
        self.name = name


def get_type(name: str) -> BaseQuestionType:
    """Return the class that handles questions of this type; raise UnknownQuestionType."""
    try:
        return QUESTION_TYPES[QuestionType(name)]
    except ValueError:
        raise UnknownQuestionType(name) from None


__all__ = [
    "QUESTION_TYPES",
    "BaseQuestionType",
    "Choice",
    "QuestionType",
    "UnknownQuestionType",
    "get_type",
]
