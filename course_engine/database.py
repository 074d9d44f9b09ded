"""Engine settings that differ between SQLite and PostgreSQL."""

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import event

from course_engine.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and one writer work at once; the busy timeout makes
    # several workers wait for the write lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def configure_engine(app: Flask) -> None:
    """Apply per-backend settings to the app's engine when it is created."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_pragmas)


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)
