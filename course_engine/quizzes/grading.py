"""Grading one response to one question: pure functions of the answers and the response.

Responses are stored as JSON: an answer id (single, truefalse), a list of
answer ids (multiple), text (short, numerical, essay) or a mapping of
prompt answer id to chosen answer id (matching). A question's fraction is
kept between 0 and 1: penalties reduce a question's marks, never the quiz's.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class AnswerLike(Protocol):
    id: int
    text: str
    match: str | None
    fraction: float
    feedback: str
    value: float | None
    tolerance: float | None


@dataclass
class Marking:
    """The fraction earned (None while a person must grade it) and the feedback that applies."""

    fraction: float | None
    feedback: list[str] = field(default_factory=list)


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def parse_number(text: str) -> float | None:
    """Read a number as people write it (`2.5`, `2,5`, ` 1e3 `), or return None."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def normalise_text(text: str) -> str:
    """Fold case and runs of spaces, as short answers compare."""
    return " ".join(text.split()).casefold()


def short_answer_matches(pattern: str, response: str) -> bool:
    """Tell whether a response matches an accepted answer, `*` matching any characters."""
    parts = [re.escape(part) for part in normalise_text(pattern).split("*")]
    return re.fullmatch(".*".join(parts), normalise_text(response), re.DOTALL) is not None


_SHAPES = {
    "single": int,
    "truefalse": int,
    "multiple": list,
    "short": str,
    "numerical": str,
    "essay": str,
    "matching": dict,
}


def fits(question_type: str, response) -> bool:
    """Tell whether a stored response has the shape of the question type (types can change)."""
    shape = _SHAPES[question_type]
    return isinstance(response, shape) and not isinstance(response, bool)


def grade(question_type: str, answers: Sequence[AnswerLike], response) -> Marking:
    """Return the marking of a response; an empty response earns 0."""
    if question_type == "essay":
        return Marking(None)
    if response in (None, "", [], {}) or not fits(question_type, response):
        return Marking(0.0)
    by_id = {answer.id: answer for answer in answers}
    if question_type in ("single", "truefalse"):
        chosen = by_id.get(response)
        return Marking(_clamp(chosen.fraction), [chosen.feedback]) if chosen else Marking(0.0)
    if question_type == "multiple":
        chosen = [by_id[i] for i in response if i in by_id]
        total = sum(answer.fraction for answer in chosen)
        return Marking(_clamp(total), [answer.feedback for answer in chosen])
    if question_type == "short":
        for answer in answers:
            if short_answer_matches(answer.text, response):
                return Marking(_clamp(answer.fraction), [answer.feedback])
        return Marking(0.0)
    if question_type == "numerical":
        number = parse_number(response)
        if number is None:
            return Marking(0.0, ["That is not a number."])
        for answer in answers:
            if answer.value is not None and abs(number - answer.value) <= (
                (answer.tolerance or 0.0) + 1e-9
            ):
                return Marking(_clamp(answer.fraction), [answer.feedback])
        return Marking(0.0)
    if question_type == "matching":
        right = sum(
            1
            for prompt in answers
            if (choice := by_id.get(response.get(str(prompt.id)))) is not None
            and choice.match == prompt.match
        )
        return Marking(right / len(answers) if answers else 0.0)
    raise ValueError(f"unknown question type {question_type!r}")


def right_answers(question_type: str, answers: Sequence[AnswerLike]) -> list[str]:
    """Return the answers to show as right: those worth the most, or every positive one."""
    if question_type == "essay":
        return []
    if question_type == "matching":
        return [f"{answer.text} → {answer.match}" for answer in answers]
    if question_type == "multiple":
        return [answer.text for answer in answers if answer.fraction > 0]
    best = max((answer.fraction for answer in answers), default=0)
    return [answer.text for answer in answers if math.isclose(answer.fraction, best) and best > 0]
