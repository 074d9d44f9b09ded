"""Matching questions: each prompt is paired with one of the matches on offer."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from course_engine.errors import DomainError
from course_engine.quizzes.grading import AnswerLike, Marking
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

MIN_PAIRS = 2


def _matched(answers: Sequence[AnswerLike], response: object, prompt: AnswerLike) -> bool:
    """Tell whether the response pairs the prompt with an answer of the same match."""
    if not isinstance(response, dict):
        return False
    chosen = next((a for a in answers if a.id == response.get(str(prompt.id))), None)
    return chosen is not None and chosen.match == prompt.match


class Matching(BaseQuestionType):
    """Pairs of a prompt and its match; every answer row is a pair worth the same.

    A response maps each prompt's answer id (as text) to the id of the answer
    whose match was chosen; two prompts may share a match.
    """

    name = QuestionType.MATCHING
    yaml_keys = frozenset({"pairs"})
    yaml_body = "pairs"
    response_shape = dict
    template = "quizzes/questions/matching.html"
    review_template = "quizzes/questions/review/matching.html"
    # Unshuffled, the matches would line up with their prompts.
    always_shuffled = True

    def definition_problem(self, question: "ParsedQuestion") -> str | None:
        if len(question.pairs) < MIN_PAIRS:
            return f"matching questions need at least {MIN_PAIRS} pairs, not {len(question.pairs)}"
        return None

    def answer_rows(self, question: "ParsedQuestion") -> list[dict[str, object]]:
        return [
            {"text": prompt, "match": match, "fraction": 1.0, "feedback": ""}
            for prompt, match in question.pairs
        ]

    def mark(self, answers: Sequence[AnswerLike], response: object) -> Marking:
        right = sum(1 for prompt in answers if _matched(answers, response, prompt))
        return Marking(right / len(answers) if answers else 0.0)

    def right_answers(self, answers: Sequence[AnswerLike]) -> list[str]:
        return [f"{answer.text} → {answer.match}" for answer in answers]

    def read_response(self, row: "PageQuestion", form: Form) -> dict[str, int]:
        options = {answer.id for answer in row.match_options}
        response = {}
        for prompt in row.prompts:
            picked = posted(row, form, f"-{prompt.id}")
            if len(picked) > 1:
                raise DomainError(f"Question {row.number} takes one match per item.")
            if picked:
                response[str(prompt.id)] = answer_id(picked[0], options, row)
        return response

    def distribution(self, answers: Sequence[AnswerLike], responses: list[object]) -> list[Choice]:
        """Return, for each pair, how many responses matched it rightly."""
        return [
            Choice(
                f"{prompt.text} → {prompt.match}",
                sum(1 for response in responses if _matched(answers, response, prompt)),
                True,
            )
            for prompt in answers
        ]
