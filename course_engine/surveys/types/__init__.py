"""The registry of survey question types: one small class per type, looked up by the stored name.

A question's type decides which keys its file entry takes, how its answers are
read from the form and stored, how results count them, and which partials show it.
"""

from course_engine.surveys.models import QuestionType
from course_engine.surveys.types.base import AnswerError, BaseSurveyQuestionType, QuestionSpec
from course_engine.surveys.types.choices import MultipleChoice, SingleChoice
from course_engine.surveys.types.scales import Rating
from course_engine.surveys.types.texts import Text

QUESTION_TYPES: dict[QuestionType, BaseSurveyQuestionType] = {
    question_type.name: question_type
    for question_type in (SingleChoice(), MultipleChoice(), Rating(), Text())
}


def find_type(name: object) -> BaseSurveyQuestionType | None:
    """Return the class that handles questions of this type name, or None if none does."""
    try:
        return QUESTION_TYPES[QuestionType(name)] if isinstance(name, str) else None
    except ValueError:
        return None


def get_type(name: QuestionType) -> BaseSurveyQuestionType:
    """Return the class that handles questions of this stored type."""
    return QUESTION_TYPES[name]


__all__ = [
    "QUESTION_TYPES",
    "AnswerError",
    "BaseSurveyQuestionType",
    "QuestionSpec",
    "find_type",
    "get_type",
]
