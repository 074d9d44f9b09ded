"""Importing a GIFT question bank into a quiz from the admin pages, and `quiz gift-check`."""

import io
import json

import pytest
from sqlalchemy import func, select

from course_engine.config import load_config
from course_engine.extensions import db
from course_engine.quizzes import gift
from course_engine.quizzes.cli import gift_check_command
from course_engine.quizzes.models import Answer, Question

GOOD = """$CATEGORY: bank/day-1
::Colon\\: escape::What does \\= mean? {=equals#Right. ~tilde#No.
####General.}

::Essay::Write. {}
"""

BAD = """::ok::Fine. {T}

::broken::Which?
{=a ~b
"""


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _upload(client, quiz_id, text, name="bank.gift"):
    data = {"file": (io.BytesIO(text.encode()), name)}
    return client.post(
        f"/admin/quizzes/{quiz_id}/import", data=data, content_type="multipart/form-data"
    )


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Question)),
        db.session.scalar(select(func.count()).select_from(Answer)),
    )


def test_import_a_gift_bank(client, login, make_quiz, make_user):
    _item, quiz = make_quiz()
    login(make_user(is_admin=True))
    assert "The quiz" in client.get("/admin/quizzes/").text
    response = _upload(client, quiz.id, GOOD)
    assert response.status_code == 302
    added = db.session.scalar(select(Question).where(Question.key == "colon-escape"))
    assert added.source == "bank" and added.category == "bank/day-1"
    assert "What does = mean?" in added.text_html
    # Importing the same bank again updates rather than duplicates.
    before = _counts()
    _upload(client, quiz.id, GOOD)
    assert _counts() == before


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        (BAD, "bank.gift", "bank.gift:4: unterminated `{`"),
        ("::capital::Clash. {T}", "bank.gift", "is already a question of the pack"),
        ("", "bank.gift", "holds no questions"),
        ("x {T}", "bank.exe", "Only .gift and .txt files are accepted."),
    ],
)
def test_a_bad_bank_imports_nothing(client, login, make_quiz, make_user, text, name, message):
    _item, quiz = make_quiz()
    login(make_user(is_admin=True))
    before = _counts()
    response = _upload(client, quiz.id, text, name)
    assert response.status_code == 400
    assert message in response.text
    assert _counts() == before


def _questions(count: int) -> str:
    return "".join(f"::q{n}::Statement {n}. {{T}}\n\n" for n in range(count))


def test_a_bank_of_more_questions_than_the_limit_is_refused(
    app, client, login, make_quiz, make_user
):
    _item, quiz = make_quiz()
    login(make_user(is_admin=True))
    app.config["GIFT_MAX_QUESTIONS"] = 3
    before = _counts()
    response = _upload(client, quiz.id, _questions(4))
    assert response.status_code == 400
    assert "the file holds 4 questions, more than the 3 a file may hold" in response.text
    assert _counts() == before
    assert _upload(client, quiz.id, _questions(3)).status_code == 302


def test_the_question_limit_is_checked_before_any_question_is_parsed(monkeypatch):
    def parse_block(block, ordinal):
        raise AssertionError("a question was parsed")

    monkeypatch.setattr(gift, "_parse_block", parse_block)
    questions, errors = gift.parse_gift(_questions(gift.MAX_QUESTIONS + 1), "big.gift")
    assert questions == []
    assert [str(error) for error in errors] == [
        f"big.gift:1: the file holds {gift.MAX_QUESTIONS + 1} questions, more than the "
        f"{gift.MAX_QUESTIONS} a file may hold; split it into several files"
    ]


def test_the_question_limit_defaults_to_2000_and_is_configurable(tmp_path):
    assert load_config(tmp_path, {})["GIFT_MAX_QUESTIONS"] == 2000 == gift.MAX_QUESTIONS
    assert load_config(tmp_path, {"GIFT_MAX_QUESTIONS": "50"})["GIFT_MAX_QUESTIONS"] == 50


def test_gift_check_prints_json(app, tmp_path):
    path = tmp_path / "ok.gift"
    path.write_text(GOOD)
    result = app.test_cli_runner().invoke(gift_check_command, [str(path)])
    assert result.exit_code == 0
    questions = json.loads(result.output)
    assert [q["name"] for q in questions] == ["Colon: escape", "Essay"]
    assert questions[0]["answers"][0] == {"text": "equals", "fraction": 1.0, "feedback": "Right."}


def test_gift_check_reports_errors_by_line(app, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text(BAD)
    result = app.test_cli_runner().invoke(gift_check_command, [str(path)])
    assert result.exit_code == 1
    assert f"{path}:4: unterminated `{{`" in result.output
