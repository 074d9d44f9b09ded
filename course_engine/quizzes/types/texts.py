"""Questions answered by writing: a short answer, a number, or an essay a person grades."""

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from course_engine.errors import DomainError
from course_engine.quizzes.grading import (
    AnswerLike,
    Marking,
    clamp,
    normalise_text,
    parse_number,
    short_answer_matches,
)
from course_engine.quizzes.types.base import (
    BaseQuestionType,
    Choice,
    Form,
    QuestionType,
    YamlBody,
    one_value,
    posted,
)

if TYPE_CHECKING:
    from course_engine.quizzes.questions import ParsedQuestion
    from course_engine.quizzes.services.pages import PageQuestion

MAX_SHORT = 500
MAX_ESSAY = 20_000
TOP_RESPONSES = 5


class _Written(BaseQuestionType):
    """What the written types share: the response is the text, trimmed, within a length."""

    response_shape = str
    review_template = "quizzes/questions/review/text.html"
    max_length: ClassVar[int] = MAX_SHORT
    # The keyboard phones show for the answer field, if not the usual one.
    input_mode: ClassVar[str | None] = None

    def read_response(self, row: "PageQuestion", form: Form) -> str | None:
        text = (one_value(posted(row, form), row) or "").strip()
        if len(text) > self.max_length:
            raise DomainError(
                f"The answer to question {row.number} is longer than {self.max_length} characters."
            )
        self.check_text(text, row)
        return text or None

    def check_text(self, text: str, row: "PageQuestion") -> None:
        """Raise DomainError if the text, which may be empty, cannot be an answer."""


class ShortAnswer(_Written):
    """A few words compared with accepted answers, where `*` matches anything."""

    name = QuestionType.SHORT
    yaml_keys = frozenset({"answers"})
    yaml_body: ClassVar[YamlBody] = "answers"
    template = "quizzes/questions/short.html"

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        for answer in answers:
            if short_answer_matches(answer.text, cast(str, response)):
                return Marking(clamp(answer.fraction), [answer.feedback])
        return Marking(0.0)

    def distribution(self, answers: Sequence[AnswerLike], responses: list[object]) -> list[Choice]:
        """Return the most frequent answers, then how many others and blanks there were."""
        given = [r for r in responses if isinstance(r, str) and r.strip()]
        counts = Counter(normalise_text(text) for text in given)
        blank = len(responses) - len(given)
        top = [Choice(text, count) for text, count in counts.most_common(TOP_RESPONSES)]
        others = sum(counts.values()) - sum(choice.count for choice in top)
        return (
            top
            + ([Choice("(other answers)", others)] if others else [])
            + ([Choice("(no answer)", blank)] if blank else [])
        )


class Numerical(ShortAnswer):
    """A number within a tolerance of an accepted value."""

    name = QuestionType.NUMERICAL
    yaml_body = "numbers"
    input_mode = "decimal"

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        number = parse_number(cast(str, response))
        if number is None:
            return Marking(0.0, ["That is not a number."])
        for answer in answers:
            if answer.value is not None and abs(number - answer.value) <= (
                (answer.tolerance or 0.0) + 1e-9
            ):
                return Marking(clamp(answer.fraction), [answer.feedback])
        return Marking(0.0)

    def check_text(self, text: str, row: "PageQuestion") -> None:
        if text and parse_number(text) is None:
            raise DomainError(f"Question {row.number} needs a number, such as 42 or 2.5.")


class Essay(_Written):
    """A written answer that a facilitator grades."""

    name = QuestionType.ESSAY
    yaml_keys = frozenset({"guidance"})
    yaml_body = "guidance"
    template = "quizzes/questions/essay.html"
    max_length = MAX_ESSAY
    graded_by_person = True

    def definition_problem(self, question: "ParsedQuestion") -> str | None:
        return None

    def grade(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        return Marking(None)

    def right_answers(self, answers: Sequence[AnswerLike]) -> list[str]:
        return []
