"""Attempt services: start, resume, save, submit, limits, grading methods and completion."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from course_engine.courses.models import ItemProgress, ProgressStatus
from course_engine.database import utcnow
from course_engine.errors import Conflict, DomainError
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.quizzes import services
from course_engine.quizzes.models import Attempt, AttemptAnswer, AttemptState
from tests.quizzes.conftest import many_questions


def right_form(rows):
    """Return a form answering every question on the rows correctly."""
    form = {}
    for row in rows:
        q = row.question
        name = f"q{q.id}"
        if q.type in ("single", "truefalse"):
            form[name] = [str(max(row.answers, key=lambda a: a.fraction).id)]
        elif q.type == "multiple":
            form[name] = [str(a.id) for a in row.answers if a.fraction > 0]
        elif q.type == "short":
            form[name] = ["Design Thinking"]
        elif q.type == "numerical":
            form[name] = ["14.5"]
        elif q.type == "matching":
            by_match = {a.match: a.id for a in row.match_options}
            for prompt in row.prompts:
                form[f"{name}-{prompt.id}"] = [str(by_match[prompt.match])]
        elif q.type == "essay":
            form[name] = ["An essay."]
    return form


def answer_all(attempt, quiz, form_for=right_form):
    rows = services.load_questions(attempt)
    services.save_page(attempt, rows, form_for(rows))
    db.session.commit()


def test_full_marks_complete_the_item_and_record_the_grade(make_quiz, people):
    item, quiz = make_quiz(pass_percent=50)
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    answer_all(attempt, quiz)
    assert services.submit_attempt(attempt) is True
    db.session.commit()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score == attempt.max_score == 6
    grade = db.session.scalar(select(Grade).where(Grade.user_id == learner.id))
    assert (grade.score, grade.max_score, grade.category, grade.released) == (
        100,
        100,
        "quizzes",
        True,
    )
    progress = db.session.scalar(select(ItemProgress).where(ItemProgress.user_id == learner.id))
    assert progress.status == ProgressStatus.DONE


def test_a_failed_attempt_records_the_grade_but_does_not_complete(make_quiz, people):
    _item, quiz = make_quiz(pass_percent=60)
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    services.submit_attempt(attempt)
    db.session.commit()
    assert attempt.score == 0
    assert db.session.scalar(select(Grade.score).where(Grade.user_id == learner.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(ItemProgress)) == 0


def test_start_twice_resumes_the_same_attempt(make_quiz, people):
    _item, quiz = make_quiz()
    learner = people()["learner"]
    first = services.start_attempt(quiz, learner.id)
    db.session.commit()
    again = services.start_attempt(quiz, learner.id)
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    slots = db.session.scalar(select(func.count()).select_from(AttemptAnswer))
    assert slots == 6


def test_attempts_allowed_are_enforced(make_quiz, people):
    _item, quiz = make_quiz(attempts=1)
    learner = people()["learner"]
    services.submit_attempt(services.start_attempt(quiz, learner.id))
    db.session.commit()
    with pytest.raises(DomainError, match="used all 1 attempt"):
        services.start_attempt(quiz, learner.id)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"opens": "2999-01-01T00:00:00+00:00"}, "This quiz opens on 01 January 2999"),
        ({"closes": "2000-01-01T00:00:00+00:00"}, "This quiz closed on 01 January 2000"),
    ],
)
def test_quiz_dates_are_enforced(make_quiz, people, settings, message):
    _item, quiz = make_quiz(**settings)
    learner = people()["learner"]
    with pytest.raises(DomainError, match=message):
        services.start_attempt(quiz, learner.id)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_answers_after_the_time_limit_and_grace_are_not_counted(make_quiz, people):
    _item, quiz = make_quiz(time_limit_minutes=10, pass_percent=10)
    learner = people()["learner"]
    start = utcnow()
    attempt = services.start_attempt(quiz, learner.id, now=start)
    rows = services.load_questions(attempt)
    first = rows[:1]
    services.save_page(attempt, first, right_form(first), now=start + timedelta(minutes=9))
    # Within the grace period still counts.
    second = rows[1:2]
    services.save_page(attempt, second, right_form(second), now=start + timedelta(minutes=10))
    db.session.commit()
    late = start + timedelta(minutes=10) + services.GRACE + timedelta(seconds=1)
    with pytest.raises(Conflict, match="ran out"):
        services.save_page(attempt, rows[2:], right_form(rows[2:]), now=late)
    db.session.rollback()
    saved = db.session.scalars(
        select(AttemptAnswer.response).where(AttemptAnswer.attempt_id == attempt.id)
    ).all()
    assert sum(response is not None for response in saved) == 2
    assert services.close_if_overdue(attempt, late) is True
    db.session.commit()
    assert attempt.auto_submitted and attempt.state == AttemptState.GRADED
    assert attempt.score == 2


def test_the_deadline_is_the_close_date_when_it_comes_first(make_quiz, people):
    closes = (utcnow() + timedelta(minutes=5)).replace(microsecond=0)
    _item, quiz = make_quiz(time_limit_minutes=60, closes=closes.isoformat() + "+00:00")
    attempt = services.start_attempt(quiz, people()["learner"].id)
    assert attempt.deadline == closes


def test_submitting_twice_grades_once(make_quiz, people, monkeypatch):
    _item, quiz = make_quiz()
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    db.session.commit()
    graded = []
    original = services.attempts.grade_attempt
    monkeypatch.setattr(
        services.attempts, "grade_attempt", lambda a: graded.append(a.id) or original(a)
    )
    assert services.submit_attempt(attempt) is True
    assert services.submit_attempt(attempt) is False
    db.session.commit()
    assert graded == [attempt.id]


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", 100), ("last", 0), ("first", 50), ("average", 50)],
)
def test_grading_methods(make_quiz, people, method, expected):
    _item, quiz = make_quiz(many_questions(2), grading=method)
    learner = people()["learner"]
    for answered in (1, 2, 0):
        attempt = services.start_attempt(quiz, learner.id)
        rows = services.load_questions(attempt)
        services.save_page(attempt, rows[:answered], right_form(rows[:answered]))
        services.submit_attempt(attempt)
        db.session.commit()
    assert db.session.scalar(select(Grade.score).where(Grade.user_id == learner.id)) == expected


def test_shuffles_are_stable_within_an_attempt(make_quiz, people):
    _item, quiz = make_quiz(many_questions(30), shuffle_questions=True, shuffle_answers=True)
    users = people()
    orders = []
    for user in (users["learner"], users["other"]):
        attempt = services.start_attempt(quiz, user.id)
        db.session.commit()
        first = [row.question.key for row in services.load_questions(attempt)]
        assert [row.question.key for row in services.load_questions(attempt)] == first
        orders.append(first)
    assert sorted(orders[0]) == sorted(orders[1])
    assert orders[0] != orders[1]  # 30! orders: the same twice means no shuffle


def test_regrade_applies_a_fixed_answer_key(make_quiz, people, tmp_path, import_pack):
    from tests.quizzes.conftest import write_pack

    _item, quiz = make_quiz(many_questions(2))
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    rows = services.load_questions(attempt)
    no = {f"q{row.question.id}": [str(row.answers[1].id)] for row in rows}
    services.save_page(attempt, rows, no)
    services.submit_attempt(attempt)
    db.session.commit()
    assert attempt.score == 0
    fixed = (
        many_questions(2).replace("weight: 100", "weight: X").replace("weight: 0", "weight: 100")
    )
    write_pack(tmp_path / "quiz-pack", fixed.replace("weight: X", "weight: 0"))
    import_pack(tmp_path / "quiz-pack")
    assert services.regrade_quiz(quiz) == 1
    db.session.commit()
    assert attempt.score == 2
    assert db.session.scalar(select(Grade.score).where(Grade.user_id == learner.id)) == 100


def test_essays_wait_for_a_person_then_count(make_quiz, people):
    questions = "questions:\n  - {id: e, type: essay, text: Discuss., points: 4}\n"
    _item, quiz = make_quiz(questions, pass_percent=50)
    users = people()
    attempt = services.start_attempt(quiz, users["learner"].id)
    answer_all(attempt, quiz)
    services.submit_attempt(attempt)
    db.session.commit()
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0
    [(slot, _attempt, _question)] = services.essay_queue(quiz)
    with pytest.raises(DomainError, match="between 0 and 4"):
        services.grade_essay(quiz, slot.id, 5, "", users["facilitator"].id)
    services.grade_essay(quiz, slot.id, 3, "Good.", users["facilitator"].id)
    db.session.commit()
    assert attempt.state == AttemptState.GRADED and attempt.score == 3
    assert services.essay_queue(quiz) == []
    assert db.session.scalar(select(Grade.score)) == 75


def test_reimport_keeps_attempts_and_retires_removed_questions(
    make_quiz, people, tmp_path, import_pack
):
    from course_engine.quizzes.models import Question
    from tests.quizzes.conftest import write_pack

    _item, quiz = make_quiz(many_questions(3))
    attempt = services.start_attempt(quiz, people()["learner"].id)
    services.submit_attempt(attempt)
    db.session.commit()
    ids = dict(db.session.execute(select(Question.key, Question.id)).all())
    write_pack(tmp_path / "quiz-pack", many_questions(2))
    import_pack(tmp_path / "quiz-pack")
    after = {q.key: (q.id, q.retired) for q in db.session.scalars(select(Question))}
    assert after == {"q1": (ids["q1"], False), "q2": (ids["q2"], False), "q3": (ids["q3"], True)}
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 3
    second = services.start_attempt(quiz, attempt.user_id)
    assert len(services.load_questions(second)) == 2


def test_started_at_is_naive_utc(make_quiz, people):
    _item, quiz = make_quiz()
    attempt = services.start_attempt(quiz, people()["learner"].id)
    assert isinstance(attempt.started_at, datetime) and attempt.started_at.tzinfo is None
