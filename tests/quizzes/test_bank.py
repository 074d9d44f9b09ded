"""Importing a GIFT question bank into a quiz from the admin pages, and `quiz gift-check`."""

import io
import json

import pytest
from sqlalchemy import func, select

from course_engine.extensions import db
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
