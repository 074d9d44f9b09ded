"""What grading shares across question types: the marking, and reading numbers and text.

Each question type grades its own responses (see `quizzes.types`). A
question's fraction is kept between 0 and 1: penalties reduce a question's
marks, never the quiz's.
"""

import math
import re
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


def clamp(value: float) -> float:
    """Keep a fraction between 0 and 1."""
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
