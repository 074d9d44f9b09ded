"""`course-engine users create|import` on the command line."""

import pytest
from sqlalchemy import func, select

from course_engine.admin.cli import users_cli
from course_engine.auth.models import User
from course_engine.courses.models import Enrolment
from course_engine.extensions import db

HEADER = "email,name,country,organisation,job title,course,role\n"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(
        users_cli, list(args), catch_exceptions=False, **kwargs
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_a_user(run):
    result = run("create", "Ana@Example.org", "--name", "Ana", "--password", "long enough password")
    assert result.exit_code == 0
    assert db.session.scalar(select(User.email)) == "ana@example.org"


def test_create_refuses_a_duplicate_email_in_any_case(run, make_user):
    make_user(email="ana@example.org")
    result = run("create", "ANA@example.org", "--name", "Ana", "--password", "long enough password")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_import_creates_users_and_enrolments(run, import_pack, tmp_path):
    import_pack()
    csv = tmp_path / "users.csv"
    csv.write_text(
        HEADER
        + "a@example.org,Ana,Jamaica,Ministry of Finance,Director,example-course,learner\n"
        + "b@example.org,Ben,Belize,,,example-course,facilitator\n"
        + "c@example.org,Cleo,Guyana,,,,\n"
    )
    result = run("import", str(csv))
    assert result.exit_code == 0, result.output
    assert "Created 3 account(s)" in result.output
    assert _count(User) == 3 and _count(Enrolment) == 2
    ana = db.session.scalar(select(User).where(User.email == "a@example.org"))
    assert (ana.country, ana.organisation, ana.job_title) == (
        "Jamaica",
        "Ministry of Finance",
        "Director",
    )


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            "a@example.org,Ana,Jamaica,,,example-course,learner\nnot-an-email,Ben,,,,,\n",
            "line 3: invalid email",
        ),
        (
            "a@example.org,Ana,,,,,\nA@example.org,Ana again,,,,,\n",
            "line 3: duplicate email a@example.org",
        ),
        (
            "a@example.org,Ana,,,,no-such-course,learner\n",
            "line 2: unknown course 'no-such-course'",
        ),
        ("a@example.org,Ana,,,,example-course,dean\n", "line 2: unknown role 'dean'"),
        ("a@example.org,Ana,,,,example-course\n", "line 2: expected 7 columns"),
        ("a@example.org,,,,,,\n", "line 2: the name is empty"),
    ],
)
def test_import_is_all_or_nothing_and_names_the_bad_line(run, import_pack, tmp_path, rows, message):
    import_pack()
    csv = tmp_path / "users.csv"
    csv.write_text(HEADER + rows)
    result = run("import", str(csv))
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was imported" in result.output
    assert _count(User) == 0 and _count(Enrolment) == 0


def test_import_refuses_unknown_columns(run, tmp_path):
    csv = tmp_path / "users.csv"
    csv.write_text("email,name,shoe size\na@example.org,Ana,7\n")
    result = run("import", str(csv))
    assert result.exit_code == 1
    assert "line 1: unknown column(s) shoe_size" in result.output
