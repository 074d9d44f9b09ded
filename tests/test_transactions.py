"""How a request's transaction ends: reads end with COMMIT, anything else is never committed."""

import pytest
from sqlalchemy import event, select, update

from course_engine.auth.models import User
from course_engine.database import end_read_only_transaction
from course_engine.extensions import db

LESSON = "/courses/example-course/items/welcome"


@pytest.fixture
def endings(app):
    """Record every COMMIT and ROLLBACK the app's engine sends."""
    sent = []

    def commit(_connection):
        sent.append("commit")

    def rollback(_connection):
        sent.append("rollback")

    event.listen(db.engine, "commit", commit)
    event.listen(db.engine, "rollback", rollback)
    yield sent
    event.remove(db.engine, "commit", commit)
    event.remove(db.engine, "rollback", rollback)


def _display_name(user_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(User.display_name).where(User.id == user_id))


def test_a_page_that_only_reads_ends_its_transaction_with_commit(world, client_for, endings):
    client = client_for(world["learner"])
    assert client.get(LESSON).status_code == 200  # the first visit records the resume point
    endings.clear()
    assert client.get(LESSON).status_code == 200
    assert endings == ["commit"]
    assert not db.session().in_transaction()


def test_a_transaction_that_wrote_is_not_committed(app, make_user, endings):
    user = make_user(name="Before")
    endings.clear()
    with app.test_request_context():
        db.session.execute(update(User).where(User.id == user.id).values(display_name="After"))
        end_read_only_transaction(None)
        assert "commit" not in endings
    assert _display_name(user.id) == "Before"


def test_changes_not_yet_sent_are_not_committed(app, make_user, endings):
    user = make_user(name="Before")
    endings.clear()
    with app.test_request_context():
        db.session.get(User, user.id).display_name = "After"
        end_read_only_transaction(None)
        assert "commit" not in endings
    assert _display_name(user.id) == "Before"


def test_a_failed_request_is_not_committed(app, make_user, endings):
    user = make_user()
    endings.clear()
    with app.test_request_context():
        db.session.scalar(select(User).where(User.id == user.id))
        end_read_only_transaction(RuntimeError("the view failed"))
        assert "commit" not in endings
