"""Fixtures for deliverable tests: signed-in clients and a course start date."""

from datetime import date

import pytest
from sqlalchemy import func, select

from course_engine.courses.services import get_course
from course_engine.extensions import db


@pytest.fixture
def app_settings():
    # Forms are posted by the test client; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def starts_on(world):
    """Set the example course's start date; return a setter for other dates."""

    def set_start(value: date | None):
        get_course("example-course").starts_on = value
        db.session.commit()

    return set_start


def count_rows(*models) -> tuple[int, ...]:
    """Return the number of rows of each model, to assert nothing changed."""
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)
