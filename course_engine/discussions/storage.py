"""Attachment files: the discussions folder of the one file store (a folder or an S3 bucket)."""

import io

from sqlalchemy import select

from course_engine.discussions.models import Attachment
from course_engine.extensions import db
from course_engine.storage import Storage, get_storage

FOLDER = "discussions"


def attachments() -> Storage:
    """Return the store of discussion attachments."""
    return get_storage().within(FOLDER)


def save(data: bytes) -> str:
    """Store the bytes under a new random name and return the name."""
    return attachments().save_stream(io.BytesIO(data), max_bytes=len(data)).name


def read(stored_name: str) -> bytes | None:
    """Return a stored attachment's bytes, or None when the file is missing."""
    store = attachments()
    if not store.exists(stored_name):
        return None
    with store.open(stored_name) as handle:
        return handle.read()


def delete(stored_name: str) -> None:
    """Remove a stored file if it is there."""
    attachments().delete(stored_name)


def stored_names() -> set[str]:
    """Return the stored name of every attachment the database refers to."""
    return set(db.session.scalars(select(Attachment.stored_name)))
