"""Attachment files, kept under the instance folder (never under static) by generated names."""

import os
import secrets
from pathlib import Path

from flask import current_app

FOLDER = "discussions"


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / FOLDER


def path_of(stored_name: str) -> Path:
    """Return the file of a stored name; the name is ours, never the uploader's."""
    if not stored_name.isalnum():
        raise ValueError("not a stored name")
    return _folder() / stored_name


def save(data: bytes) -> str:
    """Write the bytes under a new random name and return the name."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    temporary = folder / f".{name}.part"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(folder / name)
    return name


def delete(stored_name: str) -> None:
    """Remove a stored file if it is there."""
    path_of(stored_name).unlink(missing_ok=True)
