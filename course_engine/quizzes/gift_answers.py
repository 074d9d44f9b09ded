"""Parse the `{...}` answer block of a GIFT question, and GIFT's escapes."""

import re
from dataclasses import dataclass, field

from course_engine.quizzes.questions import ParsedAnswer, weight_problem
from course_engine.quizzes.types import QuestionType

# Escaped characters become private-use placeholders while parsing, so the
# parser can split on `=`, `~`, `#`, `{`, `}` and `:` without looking back.
_PLACEHOLDERS = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_RESTORE = str.maketrans(
    {placeholder: "\n" if char == "n" else char for char, placeholder in _PLACEHOLDERS.items()}
)

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"({_NUMBER})\s*\.\.\s*({_NUMBER})")
_TOLERANCE = re.compile(rf"({_NUMBER})(?:\s*:\s*({_NUMBER}))?")
_WEIGHT = re.compile(r"\s*%([^%]*)%")
_TRUE = ("T", "TRUE")
_BOOLEANS = ("T", "TRUE", "F", "FALSE")


def protect(text: str) -> str:
    """Replace GIFT escapes with placeholders that no markup character matches."""
    return _ESCAPE.sub(lambda match: _PLACEHOLDERS[match.group(1)], text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for, and trim."""
    return text.strip().translate(_RESTORE)


class AnswerSyntaxError(Exception):
    """An answer block that cannot be read, at `offset` within the block."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(offset, message)
        self.offset = offset
        self.message = message


@dataclass
class AnswerBlock:
    """What an answer block says: the question type, its answers and feedback."""

    type: QuestionType
    answers: list[ParsedAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    general_feedback: str = ""


def parse_answer_block(inner: str) -> AnswerBlock:
    """Parse the protected text between `{` and `}`; raise AnswerSyntaxError."""
    body, _, general = inner.partition("####")
    block = _parse_body(body)
    block.general_feedback = restore(general)
    return block


def _parse_body(body: str) -> AnswerBlock:
    stripped = body.strip()
    if not stripped:
        return AnswerBlock(QuestionType.ESSAY)
    start = body.index(stripped[0])
    if stripped.startswith("#"):
        return AnswerBlock(QuestionType.NUMERICAL, answers=_numerical(body[start + 1 :], start + 1))
    if stripped.split("#", 1)[0].strip().upper() in _BOOLEANS:
        return AnswerBlock(QuestionType.TRUEFALSE, answers=_truefalse(stripped, start))
    tokens = _split(body, 0)
    if any(marker == "~" for _, marker, _ in tokens):
        answers = [_choice(token) for token in tokens]
        full = sum(1 for answer in answers if answer.fraction == 1)
        positive = sum(1 for answer in answers if answer.fraction > 0)
        # One answer at 100% is a single choice even when others earn part marks.
        kind = QuestionType.MULTIPLE if full != 1 and positive > 1 else QuestionType.SINGLE
        return AnswerBlock(kind, answers=answers)
    if any("->" in text for _, _, text in tokens):
        return AnswerBlock(QuestionType.MATCHING, pairs=[_pair(token) for token in tokens])
    return AnswerBlock(QuestionType.SHORT, answers=[_choice(token) for token in tokens])


def _split(body: str, base: int) -> list[tuple[int, str, str]]:
    """Split answers on `=` and `~` into (offset, marker, text) tokens."""
    starts = [i for i, char in enumerate(body) if char in "=~"]
    if not starts or body[: starts[0]].strip():
        raise AnswerSyntaxError(base, "answers must start with `=` or `~`")
    ends = starts[1:] + [len(body)]
    return [(base + s, body[s], body[s + 1 : e]) for s, e in zip(starts, ends, strict=True)]


def _weight(text: str, marker: str, offset: int) -> tuple[float, str]:
    """Read an optional `%weight%` prefix; `=` answers default to 100, `~` to 0."""
    match = _WEIGHT.match(text)
    if not match:
        return (100.0 if marker == "=" else 0.0), text
    if not re.fullmatch(_NUMBER, match.group(1).strip()):
        raise AnswerSyntaxError(offset, f"weight `%{restore(match.group(1))}%` is not a number")
    weight = float(match.group(1))
    if problem := weight_problem(weight):
        raise AnswerSyntaxError(offset, problem)
    return weight, text[match.end() :]


def _choice(token: tuple[int, str, str]) -> ParsedAnswer:
    offset, marker, text = token
    weight, text = _weight(text, marker, offset)
    answer, _, feedback = text.partition("#")
    if not answer.strip():
        raise AnswerSyntaxError(offset, f"empty answer after `{marker}`")
    return ParsedAnswer(restore(answer), weight / 100, restore(feedback))


def _pair(token: tuple[int, str, str]) -> tuple[str, str]:
    offset, marker, text = token
    prompt, arrow, match = text.partition("->")
    if marker != "=" or not arrow or _WEIGHT.match(text) or "#" in text:
        raise AnswerSyntaxError(offset, "matching pairs are written `=prompt -> match`")
    if not prompt.strip() or not match.strip():
        raise AnswerSyntaxError(offset, "a matching pair needs a prompt and a match")
    return restore(prompt), restore(match)


def _truefalse(text: str, offset: int) -> list[ParsedAnswer]:
    """Read `T#feedback if wrong#feedback if right`, GIFT's order for true/false."""
    parts = text.split("#")
    if len(parts) > 3:
        raise AnswerSyntaxError(offset, "true/false takes at most two feedbacks: `{T#wrong#right}`")
    wrong, right = (restore(part) for part in (parts[1:] + ["", ""])[:2])
    is_true = parts[0].strip().upper() in _TRUE
    return [
        ParsedAnswer("True", 1.0 if is_true else 0.0, right if is_true else wrong),
        ParsedAnswer("False", 0.0 if is_true else 1.0, wrong if is_true else right),
    ]


def _numerical(body: str, base: int) -> list[ParsedAnswer]:
    if not any(char in "=~" for char in body):
        spec, _, feedback = body.partition("#")
        return [_number_answer(spec, 100.0, feedback, base)]
    answers = []
    for offset, marker, text in _split(body, base):
        weight, text = _weight(text, marker, offset)
        spec, _, feedback = text.partition("#")
        answers.append(_number_answer(spec, weight, feedback, offset))
    return answers


def _number_answer(spec: str, weight: float, feedback: str, offset: int) -> ParsedAnswer:
    """Read `3.5`, `3.5:0.1` or `1..5` into a value and a tolerance."""
    spec = spec.strip()
    if match := _RANGE.fullmatch(spec):
        low, high = float(match.group(1)), float(match.group(2))
        if high < low:
            raise AnswerSyntaxError(offset, f"numerical range `{spec}` runs backwards")
        value, tolerance = (low + high) / 2, (high - low) / 2
    elif match := _TOLERANCE.fullmatch(spec):
        value, tolerance = float(match.group(1)), float(match.group(2) or 0)
        if tolerance < 0:
            raise AnswerSyntaxError(offset, f"tolerance in `{spec}` may not be negative")
    else:
        message = f"unknown numerical answer `{restore(spec)}`: use 3.5, 3.5:0.1 or 1..5"
        raise AnswerSyntaxError(offset, message)
    return ParsedAnswer(restore(spec), weight / 100, restore(feedback), value, tolerance)
