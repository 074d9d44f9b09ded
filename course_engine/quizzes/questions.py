"""Parsed quiz questions, the rules every question must meet, and the YAML question format.

This layer is pure Python: parsers return plain dataclasses and a list of
errors, and the pack importer decides what to store.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from course_engine.packs.yaml_source import LineDict, YamlError, load_yaml
from course_engine.quizzes.types import QuestionType, get_type
from course_engine.quizzes.types.base import YamlBody

TEXT_FORMATS = ("markdown", "html", "plain")
LINE_KEY = "__line__"

_COMMON_KEYS = {"id", "type", "text", "points", "feedback"}
_ANSWER_KEYS = {"text", "weight", "feedback"}
_NUMERICAL_ANSWER_KEYS = {"value", "tolerance", "weight", "feedback"}
_PAIR_KEYS = {"prompt", "match"}

# (line, message) pairs collected while validating one question.
_Problems = list[tuple[int, str]]


@dataclass
class ParsedAnswer:
    """One answer: `fraction` of the points it earns (-1 to 1) and its feedback.

    Numerical answers also carry `value` and `tolerance`; other types leave them None.
    """

    text: str
    fraction: float
    feedback: str = ""
    value: float | None = None
    tolerance: float | None = None


@dataclass
class ParsedQuestion:
    """One question as written in a pack, ready to be stored.

    `key` is the import key (unique in its file), `line` the 1-based line where
    the question starts, `text_format` how to render `text` (never trusted as
    HTML), `pairs` the (prompt, match) pairs of a matching question and
    `guidance` what graders of an essay look for.
    """

    key: str
    type: QuestionType
    name: str
    text: str
    line: int
    points: float = 1.0
    general_feedback: str = ""
    answers: list[ParsedAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    category: str | None = None
    text_format: str = "markdown"
    guidance: str = ""


@dataclass
class QuestionError(Exception):
    """A problem at a 1-based line of a question file."""

    line: int
    message: str
    file: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.line, self.message)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
        return f"{where}: {self.message}"


def answer_problem(question: ParsedQuestion) -> str | None:
    """Return why the question's answers cannot be graded, or None if they can."""
    return get_type(question.type).definition_problem(question)


def weight_problem(weight: float) -> str | None:
    """Return why a percentage weight is out of range, or None."""
    if -100 <= weight <= 100:
        return None
    return f"weight {weight:g}% is outside -100% to 100%"


def questions_to_json(questions: list[ParsedQuestion]) -> list[dict[str, Any]]:
    """Return the questions as JSON-ready dicts, as `quiz gift-check` prints them."""
    return [
        {
            "key": q.key,
            "name": q.name,
            "type": q.type,
            "text": q.text,
            "text_format": q.text_format,
            "points": q.points,
            "category": q.category,
            "line": q.line,
            "general_feedback": q.general_feedback,
            "answers": [_answer_to_json(a) for a in q.answers],
            "pairs": [{"prompt": prompt, "match": match} for prompt, match in q.pairs],
        }
        for q in questions
    ]


def _answer_to_json(answer: ParsedAnswer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": answer.text,
        "fraction": answer.fraction,
        "feedback": answer.feedback,
    }
    if answer.value is not None:
        data["value"] = answer.value
        data["tolerance"] = answer.tolerance
    return data


def _line_keyed(data: Any) -> Any:
    """Return loaded YAML as plain dicts that carry their 1-based line under `__line__`."""
    if isinstance(data, LineDict):
        return {**{key: _line_keyed(value) for key, value in data.items()}, LINE_KEY: data.line}
    if isinstance(data, list):
        return [_line_keyed(item) for item in data]
    return data


def load_yaml_questions(
    text: str, filename: str
) -> tuple[list[ParsedQuestion], list[QuestionError]]:
    """Load a YAML question file as packs load theirs and parse it, reporting errors by line.

    Duplicate keys and aliases are refused, as everywhere in a pack.
    """
    try:
        data = load_yaml(text)
    except YamlError as error:
        return [], [QuestionError(error.line, f"invalid YAML: {error.message}", filename)]
    return parse_yaml_questions(_line_keyed(data), filename)


def parse_yaml_questions(
    data: Any, filename: str
) -> tuple[list[ParsedQuestion], list[QuestionError]]:
    """Validate loaded YAML questions; line numbers come from `__line__` keys, else 1."""
    errors: list[QuestionError] = []
    if not isinstance(data, dict):
        return [], [QuestionError(1, "a question file is a mapping with `questions:`", filename)]
    line = data.get(LINE_KEY, 1)
    for key in _unknown(data, {"questions"}):
        errors.append(QuestionError(line, f"unknown key `{key}`", filename))
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        errors.append(QuestionError(line, "`questions` must be a non-empty list", filename))
        return [], errors

    questions: list[ParsedQuestion] = []
    first_line: dict[str, int] = {}
    for item in items:
        problems: _Problems = []
        question = _yaml_question(item, line, problems)
        errors.extend(QuestionError(at, message, filename) for at, message in problems)
        if question is None or problems:
            continue
        if question.key in first_line:
            message = (
                f"duplicate question id `{question.key}` (first at line {first_line[question.key]})"
            )
            errors.append(QuestionError(question.line, message, filename))
            continue
        first_line[question.key] = question.line
        questions.append(question)
    return questions, errors


def _yaml_question(item: Any, parent_line: int, problems: _Problems) -> ParsedQuestion | None:
    if not isinstance(item, dict):
        problems.append((parent_line, "each question must be a mapping"))
        return None
    line = item.get(LINE_KEY, parent_line)
    kind = item.get("type")
    if kind not in tuple(QuestionType):
        problems.append((line, f"`type` must be one of {', '.join(QuestionType)}"))
        return None
    question_type = get_type(kind)
    problems.extend(
        (line, f"unknown key `{k}`") for k in _unknown(item, _COMMON_KEYS | question_type.yaml_keys)
    )
    key = _string(item, "id", line, problems, required=True)
    text = _string(item, "text", line, problems, required=True)
    points = _number(item, "points", line, problems, default=1.0)
    if points < 0:
        problems.append((line, "`points` may not be negative"))
    question = ParsedQuestion(
        key=key,
        type=question_type.name,
        name=key,
        text=text,
        line=line,
        points=points,
        general_feedback=_string(item, "feedback", line, problems),
    )
    _BODY_READERS[question_type.yaml_body](item, line, problems, question)
    if not problems and (problem := answer_problem(question)):
        problems.append((line, problem))
    return question


def _read_truefalse(
    item: dict[str, Any], line: int, problems: _Problems, question: ParsedQuestion
) -> None:
    right = item.get("answer")
    if not isinstance(right, bool):
        problems.append((line, "truefalse questions need `answer: true` or `answer: false`"))
    true_feedback = _string(item, "feedback_true", line, problems)
    false_feedback = _string(item, "feedback_false", line, problems)
    question.answers = [
        ParsedAnswer("True", float(right is True), true_feedback),
        ParsedAnswer("False", float(right is False), false_feedback),
    ]


def _read_pairs(
    item: dict[str, Any], line: int, problems: _Problems, question: ParsedQuestion
) -> None:
    for entry in _entries(item, "pairs", line, problems):
        at = entry.get(LINE_KEY, line)
        problems.extend((at, f"unknown key `{k}`") for k in _unknown(entry, _PAIR_KEYS))
        prompt = _string(entry, "prompt", at, problems, required=True)
        match = _string(entry, "match", at, problems, required=True)
        question.pairs.append((prompt, match))


def _read_guidance(
    item: dict[str, Any], line: int, problems: _Problems, question: ParsedQuestion
) -> None:
    question.guidance = _string(item, "guidance", line, problems)


def _weighted_answers(
    item: dict[str, Any], line: int, problems: _Problems, allowed: set[str]
) -> list[tuple[dict[str, Any], int, ParsedAnswer]]:
    """Return each answer entry with its line and an answer holding its weight and feedback."""
    answers = []
    for entry in _entries(item, "answers", line, problems):
        at = entry.get(LINE_KEY, line)
        problems.extend((at, f"unknown key `{k}`") for k in _unknown(entry, allowed))
        weight = _number(entry, "weight", at, problems, default=0.0)
        if problem := weight_problem(weight):
            problems.append((at, problem))
        answers.append(
            (entry, at, ParsedAnswer("", weight / 100, _string(entry, "feedback", at, problems)))
        )
    return answers


def _read_answers(
    item: dict[str, Any], line: int, problems: _Problems, question: ParsedQuestion
) -> None:
    for entry, at, answer in _weighted_answers(item, line, problems, _ANSWER_KEYS):
        answer.text = _string(entry, "text", at, problems, required=True)
        question.answers.append(answer)


def _read_numbers(
    item: dict[str, Any], line: int, problems: _Problems, question: ParsedQuestion
) -> None:
    for entry, at, answer in _weighted_answers(item, line, problems, _NUMERICAL_ANSWER_KEYS):
        answer.value = _number(entry, "value", at, problems, required=True)
        answer.tolerance = _number(entry, "tolerance", at, problems, default=0.0)
        if answer.tolerance < 0:
            problems.append((at, "`tolerance` may not be negative"))
        answer.text = f"{answer.value:g}"
        question.answers.append(answer)


_BODY_READERS: dict[YamlBody, Callable[[dict[str, Any], int, _Problems, ParsedQuestion], None]] = {
    "answers": _read_answers,
    "numbers": _read_numbers,
    "truefalse": _read_truefalse,
    "pairs": _read_pairs,
    "guidance": _read_guidance,
}


def _entries(item: dict, key: str, line: int, problems: _Problems) -> list[dict]:
    entries = item.get(key)
    if not isinstance(entries, list) or not entries:
        problems.append((line, f"`{key}` must be a non-empty list"))
        return []
    if not all(isinstance(entry, dict) for entry in entries):
        problems.append((line, f"each of `{key}` must be a mapping"))
        return []
    return entries


def _string(item: dict, key: str, line: int, problems: _Problems, required: bool = False) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            problems.append((line, f"`{key}` is required"))
        return ""
    if not isinstance(value, str):
        problems.append((line, f"`{key}` must be a string"))
        return ""
    if required and not value.strip():
        problems.append((line, f"`{key}` is required"))
    return value.strip()


def _number(
    item: dict,
    key: str,
    line: int,
    problems: _Problems,
    default: float = 0.0,
    required: bool = False,
) -> float:
    value = item.get(key)
    if value is None:
        if required:
            problems.append((line, f"`{key}` is required"))
        return default
    # bool is an int subclass, but `weight: yes` is a mistake, not 1%.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append((line, f"`{key}` must be a number"))
        return default
    return float(value)


def _unknown(mapping: dict, allowed: set[str]) -> list[str]:
    return [str(key) for key in mapping if key != LINE_KEY and key not in allowed]
