"""The `quiz` item kind: settings from the manifest, questions from a YAML or GIFT file."""

from datetime import datetime
from typing import Any, cast

from course_engine import dates
from course_engine.courses.models import Item
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.quizzes import bank
from course_engine.quizzes.gift import parse_gift
from course_engine.quizzes.models import FeedbackTiming, GradingMethod
from course_engine.quizzes.questions import ParsedQuestion, QuestionError, load_yaml_questions

NUMBER = (int, float)
QUESTION_SUFFIXES = (".yaml", ".yml", ".gift")


def _question_file(entry: dict[str, Any], source: PackSource) -> str:
    """Return the pack path of the entry's question file."""
    # The manifest checks that every path key resolves before the kind sees the entry.
    return cast(str, source.resolve(entry["file"]))


def parse_questions(text: str, path: str) -> tuple[list[ParsedQuestion], list[QuestionError]]:
    """Parse a question file by its suffix."""
    if path.endswith(".gift"):
        return parse_gift(text, path)
    return load_yaml_questions(text, path)


def settings_problems(entry) -> list[tuple[str, str]]:
    """Return (key, message) for each setting that is out of range."""
    problems = []
    if entry.get("grading", "highest") not in set(GradingMethod):
        problems.append(("grading", f"'grading' must be one of {', '.join(GradingMethod)}"))
    if entry.get("feedback", "immediately") not in set(FeedbackTiming):
        problems.append(("feedback", f"'feedback' must be one of {', '.join(FeedbackTiming)}"))
    if entry.get("attempts", 0) < 0:
        problems.append(("attempts", "'attempts' may not be negative (0 means unlimited)"))
    if "time_limit_minutes" in entry and entry["time_limit_minutes"] <= 0:
        problems.append(("time_limit_minutes", "'time_limit_minutes' must be at least 1"))
    if not 0 <= entry.get("pass_percent", 60) <= 100:
        problems.append(("pass_percent", "'pass_percent' must be between 0 and 100"))
    if entry.get("per_page", 1) < 1:
        problems.append(("per_page", "'per_page' must be at least 1"))
    moments: dict[str, datetime | None] = {}
    for key, parse in (("opens", dates.parse_start), ("closes", dates.parse_end)):
        try:
            moments[key] = parse(entry.get(key))
        except ValueError:
            problems.append((key, f"'{key}' is not an ISO 8601 date-time"))
    opens, closes = moments.get("opens"), moments.get("closes")
    if opens and closes and opens >= closes:
        problems.append(("closes", "'closes' must be after 'opens'"))
    return problems


class QuizKind(ItemKind):
    name = "quiz"
    keys = {
        "file": Key(str, required=True, is_path=True),
        "intro": Key(str),
        "attempts": Key(int),
        "grading": Key(str),
        "time_limit_minutes": Key(int),
        "pass_percent": Key(NUMBER),
        "shuffle_questions": Key(bool),
        "shuffle_answers": Key(bool),
        "feedback": Key(str),
        "opens": Key(dates.WHEN),
        "closes": Key(dates.WHEN),
        "per_page": Key(int),
    }
    endpoint = "quizzes.intro"

    def validate(self, entry, source: PackSource, problems: Problems) -> None:
        for key, message in settings_problems(entry):
            problems.add(MANIFEST, entry.line_of(key), message)
        path = _question_file(entry, source)
        if not path.endswith(QUESTION_SUFFIXES):
            problems.add(MANIFEST, entry.line_of("file"), "quiz files end in .yaml or .gift")
            return
        try:
            text = source.read_text(path)
        except UnicodeDecodeError:
            problems.add(path, 1, "the question file is not UTF-8 text")
            return
        questions, errors = parse_questions(text, path)
        for error in errors:
            problems.add(path, error.line, error.message)
        if not errors and not questions:
            problems.add(path, 1, "the quiz has no questions")

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        path = _question_file(entry, source)
        questions, _ = parse_questions(source.read_text(path), path)
        quiz = bank.upsert_quiz(item, entry)
        bank.sync_pack_questions(quiz, questions)

    def archive(self, item: Item) -> None:
        """Keep the quiz and its attempts: an archived item is hidden, not deleted."""
