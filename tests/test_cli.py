"""`course-engine demo`: what `make run` does before it serves."""

import re

from sqlalchemy import select

from course_engine.cli import demo_command
from course_engine.courses.models import Track
from course_engine.extensions import db


def test_demo_imports_the_packs_and_prints_working_accounts(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    result = app.test_cli_runner().invoke(demo_command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "caricad-innovation" in result.output
    accounts = dict(re.findall(r"^\s+\w+\s+(\S+@example\.org)\s+(\S+)$", result.output, re.M))
    assert len(accounts) == 6
    assert {track.slug for track in db.session.scalars(select(Track))} >= {
        "five-day-course",
        "leadership-development",
    }

    response = client.post(
        "/auth/login",
        data={"email": "learner1@example.org", "password": accounts["learner1@example.org"]},
    )
    assert response.status_code == 302
    outline = client.get("/courses/caricad-innovation/").text
    assert "Leadership Development Programme" in outline
    assert "Five-day course" in outline

    again = app.test_cli_runner().invoke(demo_command, catch_exceptions=False)
    assert again.exit_code == 0
    assert "unchanged" in again.output
