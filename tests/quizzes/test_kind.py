"""The quiz item kind in packs: validation with file:line, and the CARICAD quizzes."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from course_engine.extensions import db
from course_engine.packs.services import validate_folder
from course_engine.quizzes.models import Question, Quiz
from tests.quizzes.conftest import write_pack

ROOT = Path(__file__).resolve().parents[2]

NO_RIGHT_ANSWER = """questions:
  - id: fine
    type: truefalse
    text: Fine.
    answer: true
  - id: broken
    type: single
    text: Which?
    answers:
      - {text: a, weight: 0}
      - {text: b, weight: 0}
"""

NO_RIGHT_ANSWER_GIFT = """// a comment
::fine::Fine. {T}

::broken::Which one? {~a ~b}
"""


def _problems(folder: Path) -> list[str]:
    return [str(problem) for problem in validate_folder(folder)]


@pytest.mark.parametrize(
    ("filename", "questions", "expected"),
    [
        ("quiz.yaml", NO_RIGHT_ANSWER, "quizzes/quiz.yaml:6: no correct answer"),
        ("quiz.gift", NO_RIGHT_ANSWER_GIFT, "quizzes/quiz.gift:4: no correct answer"),
        (
            "quiz.yaml",
            "questions: []\n",
            "quizzes/quiz.yaml:1: `questions` must be a non-empty list",
        ),
        ("quiz.txt", NO_RIGHT_ANSWER, "course.yaml:"),
    ],
)
def test_a_question_without_a_right_answer_is_a_validation_error(
    app, tmp_path, filename, questions, expected
):
    problems = _problems(write_pack(tmp_path / "pack", questions, filename))
    assert any(problem.startswith(expected) for problem in problems), problems
    assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"grading": "best"}, "'grading' must be one of highest, last, first, average"),
        ({"feedback": "later"}, "'feedback' must be one of immediately, after_close, never"),
        ({"attempts": -1}, "'attempts' may not be negative"),
        ({"time_limit_minutes": 0}, "'time_limit_minutes' must be at least 1"),
        ({"pass_percent": 101}, "'pass_percent' must be between 0 and 100"),
        ({"per_page": 0}, "'per_page' must be at least 1"),
        ({"opens": "soon"}, "'opens' is not an ISO 8601 date-time"),
        (
            {"opens": "2027-02-01T00:00:00Z", "closes": "2027-01-01T00:00:00Z"},
            "'closes' must be after 'opens'",
        ),
    ],
)
def test_settings_are_checked_with_their_line(app, tmp_path, settings, message):
    problems = _problems(
        write_pack(tmp_path / "pack", NO_RIGHT_ANSWER.split("  - id: broken")[0], **settings)
    )
    assert [p for p in problems if message in p and p.startswith("course.yaml:")], problems


def test_the_caricad_pack_validates_and_imports_its_quizzes(app, import_pack):
    folder = ROOT / "courses" / "caricad_innovation"
    assert _problems(folder) == []
    import_pack(folder)
    assert db.session.scalar(select(func.count()).select_from(Quiz)) == 5
    types = set(db.session.scalars(select(Question.type)))
    assert types == {"single", "multiple", "truefalse", "short", "numerical", "matching", "essay"}
