"""Counting the SQL statements a block of code sends."""

from contextlib import contextmanager

from sqlalchemy import event

from course_engine.extensions import db


@contextmanager
def count_queries():
    """Yield a list that collects every SQL statement sent inside the block.

    Tests share the app's session: it is emptied first, so that the block
    starts as a request does, not with whatever the test happened to load.
    """
    db.session.expunge_all()
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
