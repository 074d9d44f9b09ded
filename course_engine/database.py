"""Engine settings that differ between SQLite and PostgreSQL."""

import contextlib
import enum
import functools
import os
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, Enum, Executable, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from course_engine.extensions import db

# Set on a connection's info when its current transaction sends anything but a SELECT.
WROTE = "course_engine.wrote"
AUTOCOMMIT = "AUTOCOMMIT"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and one writer work at once; the busy timeout makes
    # several workers wait for the write lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _create_private_file(path: str):
    """Return a connect hook that first creates the SQLite file readable by its owner only."""

    def create(*_args) -> None:
        # SQLite would create it with the umask's mode, usually world-readable;
        # its -wal and -shm files then take this file's mode.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    return create


def _transaction_begins(connection) -> None:
    connection.info[WROTE] = False


def _statement_sent(connection, _cursor, statement: str, *_args) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[WROTE] = True


def end_read_only_transaction(error: BaseException | None) -> None:
    """End a request's transaction that only read with COMMIT rather than ROLLBACK.

    For a transaction that only read, both end it the same way; but psycopg
    forgets every prepared statement at a rollback, so ending reads with a
    rollback would make PostgreSQL parse and plan each query at every request.
    A transaction that wrote, or has changes not yet sent, is left for the
    session's teardown to roll back; a view run without_transaction began none.
    """
    session = db.session()
    transaction = session.get_transaction()
    if error is not None or transaction is None or not transaction.is_active:
        return
    connection = session.connection()
    if connection.get_execution_options().get("isolation_level") == AUTOCOMMIT:
        return
    if session.new or session.dirty or session.deleted or connection.info.get(WROTE):
        return
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()


def without_transaction(view):
    """Send the view's statements without BEGIN and COMMIT, each a transaction of its own.

    For a busy page that reads, and writes at most single statements (each
    atomic alone): on PostgreSQL a transaction costs two more round trips to
    the database per request. Reads lose nothing: PostgreSQL's read committed
    gives each statement its own snapshot in a transaction too. Put it above
    login_required, which loads the user.
    """

    @functools.wraps(view)
    def run(*args, **kwargs):
        session = db.session()
        # A request starts outside any transaction; a caller already in one keeps it.
        if not session.in_transaction():
            session.connection(execution_options={"isolation_level": AUTOCOMMIT})
        return view(*args, **kwargs)

    return run


def configure_engine(app: Flask) -> None:
    """Apply per-backend settings to the app's engine when it is created."""
    with app.app_context():
        event.listen(db.engine, "begin", _transaction_begins)
        event.listen(db.engine, "before_cursor_execute", _statement_sent)
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
            path = db.engine.url.database
            if path and path != ":memory:" and not path.startswith("file:"):
                event.listen(db.engine, "do_connect", _create_private_file(path))
    app.teardown_request(end_read_only_transaction)


# What migrations create outside the models, for full-text search (SQLite's
# index tables and their shadows, PostgreSQL's expression index): autogenerate
# and the schema test must leave them alone.
UNMODELLED_TABLE_PREFIXES = ("posts_fts",)
UNMODELLED_INDEXES = ("ix_posts_body_search",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic to ignore the tables and indexes that no model describes on purpose."""
    if not reflected:
        return True
    if type_ == "table":
        return not name.startswith(UNMODELLED_TABLE_PREFIXES)
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def rows_changed(statement: Executable) -> int:
    """Run an UPDATE or DELETE in the session; return how many rows it changed."""
    # Statements that change rows answer with a cursor result, which counts them.
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount


def dialect_insert(target):
    """Return an INSERT for the app's database that knows ON CONFLICT (both dialects do)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(target)


def value_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Return a column type that stores an enum's values (not its member names)."""
    return Enum(enum_class, name=name, values_callable=lambda members: [m.value for m in members])
