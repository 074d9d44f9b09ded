"""How a request's transaction ends: reads end with COMMIT, anything else is never committed.

The lesson page, the busiest, runs without a transaction at all.
"""

import pytest
from sqlalchemy import event, select, update

from course_engine.auth.models import User
from course_engine.database import end_read_only_transaction
from course_engine.extensions import db

LESSON = "/courses/example-course/items/welcome"
OUTLINE = "/courses/example-course/"


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
    assert client.get(OUTLINE).status_code == 200
    endings.clear()
    assert client.get(OUTLINE).status_code == 200
    assert endings == ["commit"]
    assert not db.session().in_transaction()


@pytest.fixture
def isolation_levels(app):
    """Record the isolation level each statement is sent with (None: the default)."""
    levels = []

    def record(connection, *_args):
        levels.append(connection.get_execution_options().get("isolation_level"))

    event.listen(db.engine, "before_cursor_execute", record)
    yield levels
    event.remove(db.engine, "before_cursor_execute", record)


def test_the_lesson_page_runs_without_a_transaction_and_leaves_none_behind(
    world, client_for, isolation_levels
):
    client = client_for(world["learner"])
    assert client.get(LESSON).status_code == 200  # the first visit records the resume point
    assert isolation_levels and set(isolation_levels) == {"AUTOCOMMIT"}
    db.session.remove()
    isolation_levels.clear()
    assert client.get(OUTLINE).status_code == 200
    assert isolation_levels and set(isolation_levels) == {None}
    assert db.session.connection().get_isolation_level() != "AUTOCOMMIT"


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
