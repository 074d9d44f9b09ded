"""The quiz pages through the client: the learner's path, facilitators' pages and bad input."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.quizzes import services
from course_engine.quizzes.models import Attempt, AttemptAnswer, AttemptState
from tests.quizzes.conftest import many_questions
from tests.quizzes.test_attempts import right_form

QUIZ = "/courses/quiz-course/quizzes/the-quiz"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _responses():
    return db.session.scalars(select(AttemptAnswer.response).order_by(AttemptAnswer.id)).all()


def _start(client):
    response = client.post(QUIZ + "/start")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)/pages/1$", response.headers["Location"])[1])
    return db.session.get(Attempt, attempt_id)


def test_take_a_quiz_end_to_end(client, login, make_quiz, people):
    _item, quiz = make_quiz(per_page=2, pass_percent=50)
    learner = people()["learner"]
    login(learner)
    assert "Start the quiz" in client.get(QUIZ + "/").text
    attempt = _start(client)
    rows = services.load_questions(attempt)
    page = client.get(f"{QUIZ}/attempts/{attempt.id}/pages/1")
    assert page.status_code == 200 and "page 1 of 3" in page.text
    form = {"action": "next", **right_form(rows[:2])}
    saved = client.post(f"{QUIZ}/attempts/{attempt.id}/pages/1", data=form)
    assert saved.headers["Location"].endswith("/pages/2")
    # Losing the page and starting again resumes the same attempt.
    assert _start(client).id == attempt.id
    assert "checked" in client.get(f"{QUIZ}/attempts/{attempt.id}/pages/1").text
    for number, chunk in ((2, rows[2:4]), (3, rows[4:6])):
        data = {"action": "finish" if number == 3 else "next", **right_form(chunk)}
        client.post(f"{QUIZ}/attempts/{attempt.id}/pages/{number}", data=data)
    confirm = client.get(f"{QUIZ}/attempts/{attempt.id}/submit")
    assert "You answered 6 of 6 questions" in confirm.text
    done = client.post(f"{QUIZ}/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "Your attempt was submitted." in done.text
    assert "6 out of 6 (100%)" in done.text and "Bridgetown is on the south-west coast" in done.text
    again = client.post(f"{QUIZ}/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "already been submitted" in again.text
    assert "Your grade for this quiz: 100%" in client.get(QUIZ + "/").text


def test_previous_and_goto_save_and_move(client, login, make_quiz, people):
    make_quiz(many_questions(3))
    login(people()["learner"])
    attempt = _start(client)
    path = f"{QUIZ}/attempts/{attempt.id}/pages/2"
    assert client.post(path, data={"action": "previous"}).headers["Location"].endswith("/pages/1")
    assert client.post(path, data={"goto": "3"}).headers["Location"].endswith("/pages/3")
    assert client.post(path, data={"goto": "99"}).headers["Location"].endswith("/pages/3")


@pytest.mark.parametrize(
    ("feedback", "shown"), [("immediately", True), ("never", False), ("after_close", False)]
)
def test_feedback_timing(client, login, make_quiz, people, feedback, shown):
    _item, quiz = make_quiz(feedback=feedback)
    learner = people()["learner"]
    attempt = services.start_attempt(quiz, learner.id)
    services.submit_attempt(attempt)
    db.session.commit()
    login(learner)
    page = client.get(f"{QUIZ}/attempts/{attempt.id}/review").text
    assert ("Bridgetown is on the south-west coast" in page) is shown
    # Marks per question would tell which answers were right.
    assert ("0 of 1 point" in page) is shown
    assert ("Right answer" in page) is shown
    assert "0 out of 6" in page


def _tampered(rows, kind):
    row = next(r for r in rows if r.question.type == kind)
    return row, f"q{row.question.id}"


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("single", ["999999"], "That is not one of the answers to question"),
        ("single", ["abc"], "That is not one of the answers to question"),
        ("single", ["{a}", "{b}"], "takes one answer"),
        ("multiple", ["999999"], "That is not one of the answers to question"),
        ("numerical", ["twelve"], "needs a number"),
        ("short", ["x" * 501], "longer than 500 characters"),
        ("matching", "bad-match", "That is not one of the answers to question"),
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_saved(
    client, login, make_quiz, people, kind, values, message
):
    make_quiz(per_page=6)
    login(people()["learner"])
    attempt = _start(client)
    rows = services.load_questions(attempt)
    row, name = _tampered(rows, kind)
    # Everything else on the page is valid, and must not be saved either.
    data = right_form(rows)
    if values == "bad-match":
        data[f"{name}-{row.prompts[0].id}"] = [str(rows[0].answers[0].id)]
    else:
        ids = {"{a}": str(row.answers[0].id), "{b}": str(row.answers[-1].id)}
        data[name] = [ids.get(value, value) for value in values]
    response = client.post(f"{QUIZ}/attempts/{attempt.id}/pages/1", data=data)
    assert response.status_code == 400
    assert message in response.text
    db.session.expire_all()
    assert all(response is None for response in _responses())


def test_an_answer_from_another_question_is_refused(client, login, make_quiz, people):
    make_quiz()
    login(people()["learner"])
    attempt = _start(client)
    rows = services.load_questions(attempt)
    other = rows[1].answers[0].id
    response = client.post(
        f"{QUIZ}/attempts/{attempt.id}/pages/1", data={f"q{rows[0].question.id}": str(other)}
    )
    assert response.status_code == 400 and "not one of the answers" in response.text
    db.session.expire_all()
    assert all(response is None for response in _responses())


@pytest.mark.parametrize("suffix", ["/pages/1", "/submit", "/review"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_someone_elses_attempt_is_not_found(client, login, make_quiz, people, suffix, method):
    if suffix == "/review" and method == "POST":
        return
    _item, quiz = make_quiz()
    users = people()
    attempt = services.start_attempt(quiz, users["learner"].id)
    db.session.commit()
    login(users["other"])
    data = {f"q{services.load_questions(attempt)[0].question.id}": "1", "action": "next"}
    response = client.open(f"{QUIZ}/attempts/{attempt.id}{suffix}", method=method, data=data)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    assert all(response is None for response in _responses())


def test_a_save_after_the_time_limit_is_refused_and_the_attempt_closed(
    client, login, make_quiz, people
):
    _item, quiz = make_quiz(time_limit_minutes=5)
    learner = people()["learner"]
    login(learner)
    attempt = _start(client)
    rows = services.load_questions(attempt)
    client.post(f"{QUIZ}/attempts/{attempt.id}/pages/1", data=right_form(rows[:1]))
    attempt.deadline = utcnow() - services.GRACE - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"{QUIZ}/attempts/{attempt.id}/pages/2", data=right_form(rows[1:2]))
    assert response.status_code == 409
    assert "Answers sent after the limit were not counted" in response.text
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.GRADED and attempt.auto_submitted
    assert attempt.score == 1
    assert sum(r is not None for r in _responses()) == 1


def test_a_submit_after_the_time_limit_counts_only_what_was_saved(client, login, make_quiz, people):
    _item, quiz = make_quiz(time_limit_minutes=5)
    login(people()["learner"])
    attempt = _start(client)
    attempt.deadline = utcnow() - services.GRACE - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"{QUIZ}/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "The time for this attempt ran out" in response.text
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 0


def test_starting_after_the_close_date_is_refused(client, login, make_quiz, people):
    make_quiz(closes="2001-01-01T00:00:00+00:00")
    login(people()["learner"])
    response = client.post(QUIZ + "/start")
    assert response.status_code == 403
    assert "This quiz closed on 01 January 2001" in response.text
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_more_attempts_than_allowed_are_refused(client, login, make_quiz, people):
    make_quiz(attempts=1)
    login(people()["learner"])
    attempt = _start(client)
    client.post(f"{QUIZ}/attempts/{attempt.id}/submit")
    response = client.post(QUIZ + "/start")
    assert response.status_code == 403
    assert "You have used all 1 attempt(s)" in response.text
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_facilitator_pages(client, login, make_quiz, people):
    _item, quiz = make_quiz(many_questions(2, essay=True))
    users = people()
    for user in (users["learner"], users["other"]):
        attempt = services.start_attempt(quiz, user.id)
        rows = services.load_questions(attempt)
        services.save_page(attempt, rows, right_form(rows))
        services.submit_attempt(attempt)
    db.session.commit()
    login(users["facilitator"])
    results = client.get(QUIZ + "/results").text
    assert "Ann Learner" in results and "2 essay answers waiting" in results
    queue = client.get(QUIZ + "/essays").text
    answer_id = re.search(r"/essays/(\d+)\"", queue)[1]
    form = client.get(f"{QUIZ}/essays/{answer_id}").text
    assert "An essay." in form
    bad = client.post(f"{QUIZ}/essays/{answer_id}", data={"marks": "3"})
    assert bad.status_code == 400 and "between 0 and 2" in bad.text
    ok = client.post(f"{QUIZ}/essays/{answer_id}", data={"marks": "2", "comment": "Good"})
    assert ok.status_code == 302
    stats = client.get(QUIZ + "/statistics").text
    assert "<svg" in stats and "Facility" in stats and "style=" not in stats
    regrade = client.post(QUIZ + "/regrade", follow_redirects=True)
    assert "2 attempt(s) were graded again." in regrade.text
    csv = client.get(QUIZ + "/export.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith('"name","email","country","attempt"')


def _count_page(client, count_queries, path):
    client.get(path)  # warm caches that are per process, not per page
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def _attempts_of_two_sizes(app, make_quiz, people):
    """Yield (size, signed-in client, attempt started) for a 2- then a 40-question quiz."""
    make_quiz(many_questions(2))
    users = people()
    for size, learner in ((2, users["learner"]), (40, users["other"])):
        make_quiz(many_questions(size), per_page=size)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = learner.session_token
        yield size, client, _start(client)


@pytest.mark.parametrize("page", ["pages", "review"])
def test_quiz_pages_issue_a_fixed_number_of_queries(app, make_quiz, people, count_queries, page):
    counts = []
    for size, client, attempt in _attempts_of_two_sizes(app, make_quiz, people):
        if page == "review":
            rows = services.load_questions(attempt)
            services.save_page(attempt, rows, right_form(rows))
            services.submit_attempt(attempt)
            db.session.commit()
            path = f"{QUIZ}/attempts/{attempt.id}/review"
        else:
            path = f"{QUIZ}/attempts/{attempt.id}/pages/1"
        counts.append(_count_page(client, count_queries, path))
        assert str(size) in client.get(path).text
    assert counts[0] == counts[1], counts
    print(f"{page}: {counts[0]} queries for 2 and for 40 questions")


def test_submitting_issues_a_fixed_number_of_queries(app, make_quiz, people, count_queries):
    """Grading, the gradebook and completion cost the same statements for 2 or 40 questions."""
    counts = []
    for _size, client, attempt in _attempts_of_two_sizes(app, make_quiz, people):
        rows = services.load_questions(attempt)
        services.save_page(attempt, rows, right_form(rows))
        db.session.commit()
        with count_queries() as counter:
            response = client.post(f"{QUIZ}/attempts/{attempt.id}/submit")
        assert response.status_code == 302
        db.session.refresh(attempt)
        assert attempt.state == AttemptState.GRADED and attempt.score == attempt.max_score
        counts.append(len(counter.statements))
    assert counts[0] == counts[1], counts
