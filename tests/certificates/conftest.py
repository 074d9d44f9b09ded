"""Fixtures for certificates: finishing a course and signed-in clients."""

import pytest
from sqlalchemy import select

from course_engine.courses.models import Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.courses.services import get_course
from course_engine.extensions import db


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def finish(app):
    """Return a function that marks done every required item of a course for a user."""

    def run(user, course_slug="example-course", skip=()):
        course = get_course(course_slug)
        items = db.session.scalars(
            select(Item).where(Item.course_id == course.id, Item.required, ~Item.archived)
        )
        for item in items:
            if item.slug not in skip:
                set_status(user.id, item, ProgressStatus.DONE)
        db.session.commit()

    return run
