"""Reading and checking a survey's question file."""

import re
from typing import Any

from course_engine.packs.source import Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.surveys.types import QUESTION_TYPES, QuestionSpec, find_type

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
FILE_KEYS = {"questions"}
COMMON_KEYS = {"id", "type", "text"}
# Every key some question type takes: a question may use only its own type's.
TYPE_KEYS = sorted({key for question_type in QUESTION_TYPES.values() for key in question_type.keys})


def _check_question(
    question: object, path: str, seen: set[str], problems: Problems
) -> QuestionSpec | None:
    if not isinstance(question, LineDict):
        problems.add(path, 1, "each question must be a mapping")
        return None
    before = len(problems.items)
    for key in sorted(set(question) - COMMON_KEYS - set(TYPE_KEYS), key=str):
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
    question_type = find_type(question.get("type"))
    if question_type is None:
        problems.add(
            path,
            question.line_of("type"),
            f"unknown question type {question.get('type')!r} (known: {', '.join(QUESTION_TYPES)})",
        )
        return None
    spec = QuestionSpec(
        key=key if isinstance(key, str) else "",
        type=question_type.name,
        text=text if isinstance(text, str) else "",
    )
    question_type.read_keys(question, spec, path, problems)
    for other in TYPE_KEYS:
        if other in question and other not in question_type.keys:
            problems.add(
                path, question.line_of(other), f"{question_type.name} questions take no '{other}'"
            )
    return spec if len(problems.items) == before else None


def read_questions(data: Any, path: str, problems: Problems) -> list[QuestionSpec]:
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
