"""Two requests at once on one attempt: one start, one submit, one grade.

Runs on PostgreSQL when TEST_DATABASE_URL is set (row locks decide), and on
SQLite (the busy timeout serialises the writers).
"""

import threading

from sqlalchemy import func, select

from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.quizzes import services
from course_engine.quizzes.models import Attempt, AttemptState


def _together(app, users_session_token, path, count=2):
    """POST to path from `count` clients at the same moment; return their statuses."""
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def run():
        try:
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = users_session_token
                session["_fresh"] = True
            barrier.wait()
            statuses.append(client.post(path).status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return statuses


def test_two_starts_at_once_make_one_attempt(app, make_quiz, people):
    app.config["WTF_CSRF_ENABLED"] = False
    _item, quiz = make_quiz()
    learner = people()["learner"]
    statuses = _together(app, learner.session_token, "/courses/quiz-course/quizzes/the-quiz/start")
    assert statuses == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_two_submits_at_once_grade_once(app, make_quiz, people, monkeypatch):
    app.config["WTF_CSRF_ENABLED"] = False
    _item, quiz = make_quiz()
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    db.session.commit()
    graded, lock = [], threading.Lock()
    original = services.attempts.grade_attempt

    def counting(attempt):
        with lock:
            graded.append(attempt.id)
        original(attempt)

    monkeypatch.setattr(services.attempts, "grade_attempt", counting)
    path = f"/courses/quiz-course/quizzes/the-quiz/attempts/{attempt.id}/submit"
    statuses = _together(app, learner.session_token, path)
    assert statuses == [302, 302]
    assert graded == [attempt.id]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.GRADED
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 1


def test_a_start_that_missed_the_attempt_in_progress_still_makes_no_second_one(
    make_quiz, people, monkeypatch
):
    # The interleaving SQLite allows: the check for an attempt in progress ran
    # before the other start committed, the count of attempts after it.
    _item, quiz = make_quiz()
    learner = people()["learner"]
    first = services.start_attempt(quiz, learner.id)
    db.session.commit()
    real = services.attempts._in_progress
    calls = []

    def missing_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(services.attempts, "_in_progress", missing_once)
    again = services.start_attempt(quiz, learner.id)
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
