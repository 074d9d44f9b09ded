"""Builders for quiz tests: a one-quiz pack written to disk and imported, and query counting."""

import textwrap
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event, select

from course_engine.courses.outline import find_item
from course_engine.extensions import db
from course_engine.quizzes.models import Quiz

BASIC_QUESTIONS = textwrap.dedent(
    """\
    questions:
      - id: capital
        type: single
        text: Capital of Barbados?
        feedback: Bridgetown is on the south-west coast.
        answers:
          - {text: Bridgetown, weight: 100, feedback: Right.}
          - {text: Kingston, weight: 0, feedback: That is Jamaica.}
      - id: islands
        type: multiple
        text: Which are islands?
        answers:
          - {text: Barbados, weight: 50}
          - {text: Jamaica, weight: 50}
          - {text: Belize, weight: -50, feedback: Belize is on the mainland.}
      - id: sky
        type: truefalse
        text: The sky is blue.
        answer: true
      - id: term
        type: short
        text: Name the approach.
        answers:
          - {text: "design think*", weight: 100}
          - {text: "*", weight: 0, feedback: It is design thinking.}
      - id: count
        type: numerical
        text: How many member states?
        answers:
          - {value: 15, tolerance: 1, weight: 100}
      - id: pairs
        type: matching
        text: Match them.
        pairs:
          - {prompt: Barbados, match: Bridgetown}
          - {prompt: Jamaica, match: Kingston}
    """
)


def many_questions(count: int, essay: bool = False) -> str:
    """Return a YAML question file of `count` single-choice questions, and an essay if asked."""
    questions = [
        {
            "id": f"q{n}",
            "type": "single",
            "text": f"Question {n}?",
            "answers": [{"text": "yes", "weight": 100}, {"text": "no", "weight": 0}],
        }
        for n in range(1, count + 1)
    ]
    if essay:
        questions.append({"id": "essay", "type": "essay", "text": "Discuss.", "points": 2})
    return yaml.safe_dump({"questions": questions})


def write_pack(folder: Path, questions: str, filename: str = "quiz.yaml", **settings) -> Path:
    """Write a pack whose only item is the quiz `the-quiz` of course `quiz-course`."""
    (folder / "quizzes").mkdir(parents=True, exist_ok=True)
    (folder / "quizzes" / filename).write_text(questions)
    item = {"id": "the-quiz", "kind": "quiz", "title": "The quiz", "file": f"quizzes/{filename}"}
    item.update(settings)
    manifest = {
        "id": "quiz-course",
        "title": "Quiz course",
        "tracks": [
            {
                "id": "main",
                "title": "Main",
                "modules": [{"id": "m", "title": "Module", "items": [item]}],
            }
        ],
    }
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


@pytest.fixture
def make_quiz(app, tmp_path, import_pack):
    """Return a builder: import a one-quiz pack and return (item, quiz)."""

    def build(questions: str = BASIC_QUESTIONS, filename: str = "quiz.yaml", **settings):
        write_pack(tmp_path / "quiz-pack", questions, filename, **settings)
        import_pack(tmp_path / "quiz-pack")
        item = find_item("quiz-course", "the-quiz")
        quiz = db.session.scalar(select(Quiz).where(Quiz.item_id == item.id))
        return item, quiz

    return build


@pytest.fixture
def people(make_user, enrol, make_quiz):
    """Return a function that makes the quiz course's learners and facilitator."""

    def build():
        users = {
            "learner": make_user(name="Ann Learner"),
            "other": make_user(name="Bob Learner"),
            "facilitator": make_user(name="Fay Facilitator"),
        }
        for role, user in users.items():
            enrol(user, "quiz-course", "facilitator" if role == "facilitator" else "learner")
        return users

    return build


@pytest.fixture
def count_queries(app):
    """Return a context manager factory that counts SQL statements run inside it."""

    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        def __enter__(self):
            event.listen(db.engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, _conn, _cursor, statement, *_args):
            self.statements.append(statement)

        @property
        def count(self) -> int:
            return len(self.statements)

    return Counter
