"""Reading and checking a survey's question file."""

import re
from dataclasses import dataclass, field

from course_engine.packs.source import Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.surveys.models import QuestionType

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
FILE_KEYS = {"questions"}
QUESTION_KEYS = {"id", "type", "text", "options", "scale"}
SCALE_KEYS = {"min", "max", "min_label", "max_label"}
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
MAX_OPTION_LENGTH = 300
MAX_LABEL_LENGTH = 120
MAX_SCALE_POINTS = 11


@dataclass
class QuestionSpec:
    key: str
    type: QuestionType
    text: str
    options: list[str] = field(default_factory=list)
    scale_min: int | None = None
    scale_max: int | None = None
    min_label: str = ""
    max_label: str = ""


def _check_options(question: LineDict, path: str, problems: Problems) -> list[str]:
    options = question.get("options")
    line = question.line_of("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.add(path, line, "'options' must list at least two choices")
        return []
    good = []
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


def _check_scale(question: LineDict, path: str, problems: Problems) -> dict:
    scale = question.get("scale")
    line = question.line_of("scale")
    if not isinstance(scale, LineDict):
        problems.add(path, line, "'scale' must be a mapping with min and max")
        return {}
    for key in sorted(set(scale) - SCALE_KEYS, key=str):
        problems.add(path, scale.line_of(key), f"unknown scale key '{key}'")
    low, high = scale.get("min"), scale.get("max")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        problems.add(path, line, "the scale needs whole numbers 'min' and 'max'")
        return {}
    if not low < high or high - low + 1 > MAX_SCALE_POINTS:
        problems.add(
            path, line, f"the scale must go up from min to max in at most {MAX_SCALE_POINTS} points"
        )
        return {}
    for key in ("min_label", "max_label"):
        label = scale.get(key, "")
        if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
            problems.add(
                path, scale.line_of(key), f"'{key}' must be text of at most 120 characters"
            )
            return {}
    return {
        "scale_min": low,
        "scale_max": high,
        "min_label": scale.get("min_label", ""),
        "max_label": scale.get("max_label", ""),
    }


def _check_question(question, path: str, seen: set[str], problems: Problems) -> QuestionSpec | None:
    if not isinstance(question, LineDict):
        problems.add(path, 1, "each question must be a mapping")
        return None
    before = len(problems.items)
    for key in sorted(set(question) - QUESTION_KEYS, key=str):
        problems.add(path, question.line_of(key), f"unknown question key '{key}'")
    key = question.get("id")
    if not isinstance(key, str) or not ID_PATTERN.match(key):
        problems.add(path, question.line_of("id"), "a question needs an 'id' slug (a-z, 0-9, -)")
    elif key in seen:
        problems.add(path, question.line_of("id"), f"duplicate question id '{key}'")
    else:
        seen.add(key)
    text = question.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.add(path, question.line_of("text"), "a question needs a 'text'")
    try:
        kind = QuestionType(question.get("type"))
    except ValueError:
        types = ", ".join(t.value for t in QuestionType)
        problems.add(
            path,
            question.line_of("type"),
            f"unknown question type {question.get('type')!r} (known: {types})",
        )
        return None
    extra: dict = {}
    if kind in CHOICE_TYPES:
        extra["options"] = _check_options(question, path, problems)
    elif "options" in question:
        problems.add(path, question.line_of("options"), f"{kind} questions take no 'options'")
    if kind == QuestionType.RATING:
        extra.update(_check_scale(question, path, problems))
    elif "scale" in question:
        problems.add(path, question.line_of("scale"), f"{kind} questions take no 'scale'")
    if len(problems.items) != before:
        return None
    return QuestionSpec(key=key, type=kind, text=text, **extra)


def read_questions(data, path: str, problems: Problems) -> list[QuestionSpec]:
    """Return the questions of a loaded survey file, reporting every problem with its line."""
    if not isinstance(data, LineDict):
        problems.add(path, 1, "a survey file must be a mapping with 'questions'")
        return []
    for key in sorted(set(data) - FILE_KEYS, key=str):
        problems.add(path, data.line_of(key), f"unknown key '{key}'")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.add(path, data.line_of("questions"), "'questions' must be a non-empty list")
        return []
    seen: set[str] = set()
    specs = [_check_question(question, path, seen, problems) for question in questions]
    return [spec for spec in specs if spec is not None]
