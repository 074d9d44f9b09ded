"""Engine settings that differ between SQLite and PostgreSQL."""

import enum
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import Enum, event

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


# Tables that migrations create outside the models (SQLite full-text indexes and
# their shadow tables): autogenerate and the schema test must leave them alone.
UNMODELLED_TABLE_PREFIXES = ("posts_fts",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic to ignore the tables that no model describes on purpose."""
    return not (type_ == "table" and reflected and name.startswith(UNMODELLED_TABLE_PREFIXES))


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def value_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Return a column type that stores an enum's values (not its member names)."""
    return Enum(enum_class, name=name, values_callable=lambda members: [m.value for m in members])
