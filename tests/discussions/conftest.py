"""Fixtures for discussions: signed-in clients per user, a query counter, a real SMTP server."""

import socket

import pytest
from sqlalchemy import event

from course_engine.extensions import db
from tests.notifications.smtp import SmtpServer


@pytest.fixture
def count_queries(app):
    """Return a function that runs a callable and returns how many SQL statements it made."""

    def run(action):
        statements = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            result = action()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements), result

    return run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Run a real SMTP server in the test process and yield what it received."""
    server = SmtpServer("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_settings():
    # Forms are posted without tokens here; CSRF has its own test in test_email.py.
    return {"WTF_CSRF_ENABLED": False}
