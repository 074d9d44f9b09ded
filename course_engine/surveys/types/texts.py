"""Survey questions answered in the learner's own words."""

from course_engine.surveys.models import QuestionType, SurveyAnswer, SurveyQuestion
from course_engine.surveys.types.base import AnswerError, BaseSurveyQuestionType

MAX_TEXT_LENGTH = 5000


class Text(BaseSurveyQuestionType):
    """A written answer, which results list rather than count."""

    name = QuestionType.TEXT
    template = "surveys/questions/_text.html"
    results_template = "surveys/results/_texts.html"

    def answers(self, question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
        text = "\n".join(values).strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise AnswerError(question, f"answers are at most {MAX_TEXT_LENGTH} characters.")
        return [SurveyAnswer(question_id=question.id, text=text)] if text else []

    def stored_value(self, answer: SurveyAnswer) -> str | int | None:
        return answer.text
