"""Survey questions answered with a point on a numbered scale."""

from typing import ClassVar

from course_engine.packs.source import Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.surveys.models import QuestionType, SurveyAnswer, SurveyQuestion
from course_engine.surveys.types.base import AnswerError, BaseSurveyQuestionType, QuestionSpec

SCALE_KEYS = {"min", "max", "min_label", "max_label"}
MAX_LABEL_LENGTH = 120
MAX_SCALE_POINTS = 11


def _whole(value: object) -> int | None:
    """Return the value if YAML read it as a whole number (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class Rating(BaseSurveyQuestionType):
    """A point from min to max, the ends perhaps labelled."""

    name = QuestionType.RATING
    keys: ClassVar[frozenset[str]] = frozenset({"scale"})
    template = "surveys/questions/_rating.html"
    results_template = "surveys/results/_counts.html"

    def read_keys(
        self, question: LineDict, spec: QuestionSpec, path: str, problems: Problems
    ) -> None:
        scale = question.get("scale")
        line = question.line_of("scale")
        if not isinstance(scale, LineDict):
            problems.add(path, line, "'scale' must be a mapping with min and max")
            return
        for key in sorted(set(scale) - SCALE_KEYS, key=str):
            problems.add(path, scale.line_of(key), f"unknown scale key '{key}'")
        low, high = _whole(scale.get("min")), _whole(scale.get("max"))
        if low is None or high is None:
            problems.add(path, line, "the scale needs whole numbers 'min' and 'max'")
            return
        if not low < high or high - low + 1 > MAX_SCALE_POINTS:
            problems.add(
                path,
                line,
                f"the scale must go up from min to max in at most {MAX_SCALE_POINTS} points",
            )
            return
        labels = {key: scale.get(key, "") for key in ("min_label", "max_label")}
        for key, label in labels.items():
            if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
                problems.add(
                    path,
                    scale.line_of(key),
                    f"'{key}' must be text of at most {MAX_LABEL_LENGTH} characters",
                )
                return
        spec.scale_min, spec.scale_max = low, high
        spec.min_label, spec.max_label = labels["min_label"], labels["max_label"]

    def points(self, question: SurveyQuestion) -> range:
        """Return the scale's points (none for a question stored without a scale)."""
        if question.scale_min is None or question.scale_max is None:
            return range(0)
        return range(question.scale_min, question.scale_max + 1)

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        allowed = {str(point): point for point in self.points(question)}
        if len(values) != 1 or values[0] not in allowed:
            raise AnswerError(
                question, f"choose one point from {question.scale_min} to {question.scale_max}."
            )
        return [SurveyAnswer(question_id=question.id, rating=allowed[values[0]])]

    def stored_value(self, answer: SurveyAnswer) -> str | int | None:
        return answer.rating

    def labels(self, question: SurveyQuestion) -> list[str]:
        return [str(point) for point in self.points(question)]

    def mean(self, counts: dict[str, int]) -> float | None:
        total = sum(counts.values())
        if not total:
            return None
        return sum(int(label) * count for label, count in counts.items()) / total
