"""Survey questions answered by choosing options: one, or several (perhaps up to a limit)."""

from typing import ClassVar

from course_engine.packs.source import Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.surveys.models import QuestionType, SurveyAnswer, SurveyQuestion
from course_engine.surveys.types.base import AnswerError, BaseSurveyQuestionType, QuestionSpec

MAX_OPTION_LENGTH = 300


def _check_options(question: LineDict, path: str, problems: Problems) -> list[str]:
    options = question.get("options")
    line = question.line_of("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.add(path, line, "'options' must list at least two choices")
        return []
    good: list[str] = []
    for option in options:
        if not isinstance(option, str) or not option.strip():
            problems.add(
                path, line, f"option {option!r} must be text (quote values like yes, no or 1)"
            )
        elif len(option) > MAX_OPTION_LENGTH:
            problems.add(path, line, f"options are at most {MAX_OPTION_LENGTH} characters")
        elif option in good:
            problems.add(path, line, f"duplicate option '{option}'")
        else:
            good.append(option)
    return good


class _Choosing(BaseSurveyQuestionType):
    """What the choice types share: answers are options, stored one row each."""

    keys: ClassVar[frozenset[str]] = frozenset({"options"})
    template = "surveys/questions/_choices.html"
    results_template = "surveys/results/_counts.html"
    # The input each option is chosen with.
    input_type: ClassVar[str]

    def read_keys(
        self, question: LineDict, spec: QuestionSpec, path: str, problems: Problems
    ) -> None:
        spec.options = _check_options(question, path, problems)

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        if any(value not in question.options for value in values):
            raise AnswerError(question, "that answer is not one of the options.")
        return [
            SurveyAnswer(question_id=question.id, choice=value) for value in dict.fromkeys(values)
        ]

    def labels(self, question: SurveyQuestion) -> list[str]:
        return list(question.options)

    def hint(self, question: SurveyQuestion) -> str:
        """Return what the page says about how many options to choose, or ""."""
        return ""


class SingleChoice(_Choosing):
    """One option among several."""

    name = QuestionType.SINGLE
    input_type = "radio"

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        if len(values) != 1:
            raise AnswerError(question, "choose only one option.")
        return super().answers(question, values)


class MultipleChoice(_Choosing):
    """Any number of options, or up to the question's max_choices."""

    name = QuestionType.MULTIPLE
    keys = frozenset({"options", "max_choices"})
    input_type = "checkbox"
    several_answers = True

    def read_keys(
        self, question: LineDict, spec: QuestionSpec, path: str, problems: Problems
    ) -> None:
        super().read_keys(question, spec, path, problems)
        if "max_choices" not in question:
            return
        limit, count = question["max_choices"], len(spec.options)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= count:
            problems.add(
                path,
                question.line_of("max_choices"),
                f"'max_choices' must be a whole number from 1 to {count}, the number of options",
            )
            return
        spec.max_choices = limit

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        chosen = super().answers(question, values)
        if question.max_choices is not None and len(chosen) > question.max_choices:
            raise AnswerError(question, f"choose up to {question.max_choices} options.")
        return chosen

    def hint(self, question: SurveyQuestion) -> str:
        if question.max_choices is not None:
            return f"Choose up to {question.max_choices}."
        return "Choose any that apply."
