"""Facilitators' reports: statistics and the CSV export."""

import csv
import io

from course_engine.extensions import db
from course_engine.quizzes import services
from tests.quizzes.conftest import many_questions
from tests.quizzes.test_attempts import right_form


def test_export_escapes_hostile_names(app, make_quiz, make_user, enrol):
    _item, quiz = make_quiz(many_questions(2))
    learner = make_user(name="=cmd|' /C calc'!A0", country="@Belize")
    enrol(learner, "quiz-course")
    services.submit_attempt(services.start_attempt(quiz, learner.id))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(services.export_csv(quiz))))
    assert rows[0][:4] == ["name", "email", "country", "attempt"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][2] == "'@Belize"
    assert rows[1][-2:] == ["0", "0"]


def test_statistics(app, make_quiz, make_user, enrol):
    _item, quiz = make_quiz(many_questions(2))
    # q1 is right in the strong attempts only; q2 is right for everyone.
    for right in (0, 1, 2, 2):
        user = make_user()
        enrol(user, "quiz-course")
        attempt = services.start_attempt(quiz, user.id)
        rows = sorted(services.load_questions(attempt), key=lambda row: row.question.key)
        chosen = {0: [], 1: [rows[1]], 2: rows}[right]
        services.save_page(attempt, chosen, right_form(chosen))
        services.submit_attempt(attempt)
        db.session.commit()
    first, second = services.statistics(quiz)
    assert first.responses == 4 and first.facility == 50
    assert second.facility == 75
    assert first.discrimination is not None and first.discrimination > 30
    yes = next(choice for choice in first.distribution if choice.label == "yes")
    assert (yes.count, yes.correct) == (2, True)
