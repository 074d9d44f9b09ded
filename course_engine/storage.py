"""Uploaded files, kept behind a small interface: a local folder, or an S3 bucket.

Files are written to a temporary file in the store's folder while being
hashed and counted, then renamed atomically to a random name. The name a
person gave a file is display text only and never reaches the file system.
"""

import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import click
from flask import Response, current_app
from flask.cli import AppGroup

from course_engine.downloads import file_response
from course_engine.errors import DomainError

CHUNK_BYTES = 64 * 1024
HEAD_BYTES = 8192
TEMP_PREFIX = ".tmp-"
_NAME = re.compile(r"^[0-9a-f]{32}$")


class TooLarge(DomainError):
    """The upload went over its size limit while being written."""

    status_code = 413


def is_stored_name(name: str) -> bool:
    """Tell whether a name has the shape the store gives files."""
    return _NAME.fullmatch(name) is not None


@dataclass(frozen=True)
class StoredFile:
    """A file written to the store: its generated name, size, digest and first bytes."""

    name: str
    size: int
    sha256: str
    head: bytes


class Received:
    """What a store has read of an upload so far: size, digest and first bytes, within a limit."""

    def __init__(self, max_bytes: int, too_large: str = ""):
        self.max_bytes, self.too_large = max_bytes, too_large
        self.digest, self.size, self.head = hashlib.sha256(), 0, b""

    def take(self, chunk: bytes) -> bytes:
        """Count a chunk and return it; raise TooLarge once past the limit."""
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(self.too_large or f"The file is over {self.max_bytes} bytes.")
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.digest.update(chunk)
        return chunk

    def stored_as(self, name: str) -> StoredFile:
        return StoredFile(name, self.size, self.digest.hexdigest(), self.head)


class Storage(Protocol):
    """What every file store offers."""

    def save_stream(self, stream: BinaryIO, max_bytes: int, too_large: str = "") -> StoredFile: ...

    def open(self, name: str) -> BinaryIO: ...

    def delete(self, name: str) -> None: ...

    def exists(self, name: str) -> bool: ...

    def iter_names(self) -> Iterator[str]: ...

    def age_seconds(self, name: str) -> float: ...

    def size(self, name: str) -> int: ...

    def within(self, folder: str) -> "Storage": ...

    def is_ready(self) -> bool: ...

    def restore(self, name: str, stream: BinaryIO) -> None: ...


class LocalStorage:
    """Files in one folder, each under a random 32-hex-digit name."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        if not is_stored_name(name):
            raise ValueError(f"not a stored file name: {name!r}")
        return self.root / name

    def save_stream(self, stream: BinaryIO, max_bytes: int, too_large: str = "") -> StoredFile:
        """Copy a stream into the store in chunks; raise TooLarge past max_bytes."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        temp = self.root / f"{TEMP_PREFIX}{name}"
        received = Received(max_bytes, too_large)
        try:
            with open(temp, "xb") as handle:
                while chunk := stream.read(CHUNK_BYTES):
                    handle.write(received.take(chunk))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._path(name))
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return received.stored_as(name)

    def open(self, name: str) -> BinaryIO:
        """Open a stored file for reading."""
        return open(self._path(name), "rb")

    def delete(self, name: str) -> None:
        """Remove a stored file; a missing one is not an error."""
        self._path(name).unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        """Tell whether the store holds the file."""
        return self._path(name).is_file()

    def iter_names(self) -> Iterator[str]:
        """Yield the name of every stored file (temporary files excluded)."""
        if not self.root.is_dir():
            return
        for entry in os.scandir(self.root):
            if entry.is_file() and _NAME.fullmatch(entry.name):
                yield entry.name

    def age_seconds(self, name: str) -> float:
        """Return how long ago the file was written."""
        return time.time() - self._path(name).stat().st_mtime

    def size(self, name: str) -> int:
        """Return the stored file's size in bytes."""
        return self._path(name).stat().st_size

    def within(self, folder: str) -> "LocalStorage":
        """Return the store of a sub-folder (one domain's files)."""
        return LocalStorage(self.root / folder)

    def restore(self, name: str, stream: BinaryIO) -> None:
        """Write a file from a backup under its stored name; refuse a name already taken."""
        path = self._path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f"{TEMP_PREFIX}{name}"
        try:
            with open(temp, "xb") as handle:
                shutil.copyfileobj(stream, handle, CHUNK_BYTES)
                handle.flush()
                os.fsync(handle.fileno())
            if path.exists():
                raise FileExistsError(f"the store already holds {name}")
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def is_ready(self) -> bool:
        """Tell whether files can be written: the folder exists (or can be made) and is writable."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.root, os.W_OK | os.X_OK)


def get_storage() -> Storage:
    """Return the app's file store: the S3 bucket of STORAGE_URL, else the upload folder."""
    url = current_app.config.get("STORAGE_URL")
    if not url:
        return LocalStorage(current_app.config["UPLOAD_FOLDER"])
    # A client is costly to build and safe to share between threads: one per app.
    store = current_app.extensions.get("object_storage")
    if store is None:
        from course_engine.object_storage import S3Storage, client_from_url

        store = current_app.extensions["object_storage"] = S3Storage(*client_from_url(url))
    return store


def download_response(storage_name: str, display_name: str, content_type: str) -> Response:
    """Stream a stored file as an attachment that browsers never render or sniff."""
    storage = get_storage()

    def chunks() -> Iterator[bytes]:
        # Opened on the first read, so an unread response holds no file open.
        with storage.open(storage_name) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk

    return file_response(chunks(), display_name, content_type, direct_passthrough=True)


@contextmanager
def discard_on_error(storage: Storage) -> Iterator[list[str]]:
    """Collect names of newly stored files; delete them all if the block raises.

    Write the file first, then the row that points at it, and commit inside
    the block: a failed commit then leaves neither a row without a file nor
    a file without a row.
    """
    names: list[str] = []
    try:
        yield names
    except BaseException:
        from course_engine.extensions import db

        db.session.rollback()
        for name in names:
            storage.delete(name)
        raise


# Each domain that keeps files registers a function returning the names it references.
_OWNERS: dict[str, tuple[str, Callable[[], Iterable[str]]]] = {}


def register_owner(
    key: str, referenced_names: Callable[[], Iterable[str]], folder: str = ""
) -> None:
    """Declare a domain's function that returns every stored file name it references.

    `folder` is the domain's sub-folder of the store ("" for the top).
    """
    _OWNERS[key] = (folder, referenced_names)


def owner_folders() -> list[str]:
    """Return every folder of the store that some domain keeps files in."""
    return sorted({folder for folder, _ in _OWNERS.values()} | {""})


def store_of(storage: Storage, folder: str) -> Storage:
    """Return the store of one folder: the store itself for the top."""
    return storage.within(folder) if folder else storage


def in_folder(folder: str, name: str) -> str:
    """Return a stored file's path in the whole store, as reports and archives name it."""
    return f"{folder}/{name}" if folder else name


def check(storage: Storage, grace_seconds: float = 3600) -> tuple[list[str], list[str]]:
    """Return (orphan files nobody references, referenced files that are missing).

    Files are named by their path in the store (`discussions/<name>` below the
    top). Files younger than grace_seconds are never orphans: their row may not
    be committed yet.
    """
    orphans, missing = [], []
    for folder in owner_folders():
        store = store_of(storage, folder)
        stored = set(store.iter_names())
        referenced: set[str] = set()
        for owner_folder, owner in _OWNERS.values():
            if owner_folder == folder:
                referenced.update(owner())
        orphans += [
            in_folder(folder, name)
            for name in sorted(stored - referenced)
            if store.exists(name) and store.age_seconds(name) >= grace_seconds
        ]
        missing += [in_folder(folder, name) for name in sorted(referenced - stored)]
    return orphans, missing


def delete_path(storage: Storage, path: str) -> None:
    """Delete a file named by its path in the store (as check() names it)."""
    folder, _, name = path.rpartition("/")
    store_of(storage, folder).delete(name)


storage_cli = AppGroup("storage", help="Check the store of uploaded files.")


@storage_cli.command("check")
@click.option("--fix", is_flag=True, help="Remove orphan files.")
@click.option(
    "--grace", default=3600, show_default=True, help="Seconds before a file can be orphan."
)
def check_command(fix: bool, grace: int) -> None:
    """Report orphan and missing files; with --fix, remove the orphans."""
    storage = get_storage()
    orphans, missing = check(storage, grace)
    for name in orphans:
        if fix:
            delete_path(storage, name)
        click.echo(f"{'removed' if fix else 'orphan'} {name}")
    for name in missing:
        click.echo(f"missing {name}")
    click.echo(f"{len(orphans)} orphan file(s), {len(missing)} missing file(s)")
    if missing or (orphans and not fix):
        raise SystemExit(1)
