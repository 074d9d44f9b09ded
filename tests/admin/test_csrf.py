"""Admin forms refuse posts without a CSRF token."""

import pytest
from sqlalchemy import func, select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment
from course_engine.extensions import db


@pytest.fixture
def app_settings():
    return {}  # CSRF protection on, as in production


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/users/new", {"email": "x@example.org", "display_name": "X", "language": "en"}),
        ("/admin/users/{learner}/deactivate", {}),
        ("/courses/example-course/people/enrol", {"email": "x@example.org", "role": "learner"}),
        ("/courses/example-course/people/{learner}/remove", {}),
    ],
)
def test_admin_post_without_csrf_token_is_refused(app, world, path, data):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world["admin"].session_token
    response = client.post(path.format(learner=world["learner"].id), data=data)
    assert response.status_code == 400
    assert "The form expired or was not sent from this site." in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 5
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 4
    db.session.refresh(world["learner"])
    assert world["learner"].active
