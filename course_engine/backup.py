"""Backup and restore: the database and every stored file in one tar archive.

Uploaded files are named by random ids that only the database maps to
submissions and posts, so the two are only useful together. The database is
copied with SQLite's online backup API or with pg_dump; restoring needs an
empty deployment of the same database kind (no tables, no stored files).
"""

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.storage import (
    Storage,
    get_storage,
    in_folder,
    is_stored_name,
    owner_folders,
    store_of,
)

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
FILES_FOLDER = "files/"


class BackupError(DomainError):
    """The archive or the target deployment is not fit for a restore; nothing was written."""


@dataclass(frozen=True)
class BackupSummary:
    dialect: str
    revision: str | None
    files: int


def _dialect() -> str:
    return db.engine.dialect.name


def _libpq_arguments(url: URL) -> tuple[list[str], dict[str, str]]:
    """Return pg_dump/pg_restore connection options, with the password in the environment."""
    arguments = ["--dbname", url.database or ""]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            arguments += [flag, str(value)]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return arguments, env


def _revision() -> str | None:
    with db.engine.connect() as connection:
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _copy_sqlite(source_path, target_path) -> None:
    # SQLite's online backup API: a consistent copy even while others write.
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _dump_database(folder: Path) -> Path:
    dialect = _dialect()
    target = folder / DATABASE_MEMBERS[dialect]
    if dialect == "sqlite":
        _copy_sqlite(db.engine.url.database, target)
    else:
        arguments, env = _libpq_arguments(db.engine.url)
        command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)]
        subprocess.run([*command, *arguments], env=env, check=True, capture_output=True)
    return target


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _stored_paths(storage: Storage) -> list[tuple[str, str]]:
    """Return (folder, name) of every stored file, in every domain's folder."""
    return [
        (folder, name)
        for folder in owner_folders()
        for name in sorted(store_of(storage, folder).iter_names())
    ]


def _add_stored_file(archive: tarfile.TarFile, storage: Storage, folder: str, name: str) -> None:
    store = store_of(storage, folder)
    info = tarfile.TarInfo(FILES_FOLDER + in_folder(folder, name))
    info.size = store.size(name)
    with store.open(name) as handle:
        archive.addfile(info, handle)


def _member_path(member_name: str) -> tuple[str, str] | None:
    """Return (folder, name) of an archive member that holds a stored file, else None."""
    if not member_name.startswith(FILES_FOLDER):
        return None
    folder, _, name = member_name.removeprefix(FILES_FOLDER).rpartition("/")
    if folder not in owner_folders() or not is_stored_name(name):
        return None
    return folder, name


def backup(out: Path) -> BackupSummary:
    """Write the database and every stored file to a tar archive at `out`."""
    dialect, storage = _dialect(), get_storage()
    if dialect not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")
    paths = _stored_paths(storage)
    summary = BackupSummary(dialect, _revision(), len(paths))
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dialect": dialect,
        "revision": summary.revision,
        "files": summary.files,
    }
    partial = out.with_name(f".{out.name}.partial")
    with tempfile.TemporaryDirectory() as folder:
        dump = _dump_database(Path(folder))
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=dump.name)
            for folder, name in paths:
                _add_stored_file(archive, storage, folder, name)
    os.replace(partial, out)
    return summary


def _member_file(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> BinaryIO:
    """Open a member of the archive, which _read_manifest found to be a plain file."""
    stream = archive.extractfile(member)
    if stream is None:
        raise BackupError(f"The archive's '{member}' is not a plain file.")
    # A tar member opens as a buffered binary reader.
    return cast(BinaryIO, stream)


def _read_manifest(archive: tarfile.TarFile, dialect: str) -> dict[str, Any]:
    members = archive.getmembers()
    allowed = {MANIFEST, DATABASE_MEMBERS[dialect]}
    for member in members:
        if not member.isfile():
            raise BackupError(f"The archive holds '{member.name}', which is not a plain file.")
        if member.name not in allowed and _member_path(member.name) is None:
            raise BackupError(f"The archive holds '{member.name}', which a backup never has.")
    try:
        manifest: dict[str, Any] = json.load(_member_file(archive, MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.json.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's format {manifest.get('format')!r} is not {FORMAT}.")
    if manifest.get("dialect") != dialect:
        raise BackupError(
            f"The archive holds a {manifest.get('dialect')} database; this deployment uses "
            f"{dialect}. Restore into the same kind of database."
        )
    return manifest


def _require_empty_target(storage: Storage) -> None:
    if inspect(db.engine).get_table_names():
        raise BackupError(
            "The database is not empty: restore into a new database, before `db upgrade`."
        )
    if _stored_paths(storage):
        raise BackupError("The file store is not empty: restore into an empty UPLOAD_FOLDER.")


def _restore_database(archive: tarfile.TarFile, dialect: str, folder: Path) -> None:
    dump = folder / DATABASE_MEMBERS[dialect]
    with _member_file(archive, DATABASE_MEMBERS[dialect]) as source, open(dump, "wb") as target:
        while chunk := source.read(1024 * 1024):
            target.write(chunk)
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        _copy_sqlite(dump, db.engine.url.database)
    else:
        arguments, env = _libpq_arguments(db.engine.url)
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        subprocess.run([*command, *arguments, str(dump)], env=env, check=True, capture_output=True)


def restore(source: Path) -> BackupSummary:
    """Restore a backup archive into this empty deployment."""
    dialect, storage = _dialect(), get_storage()
    if dialect not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")
    try:
        with tarfile.open(source, "r:") as archive, tempfile.TemporaryDirectory() as folder:
            manifest = _read_manifest(archive, dialect)
            _require_empty_target(storage)
            _restore_database(archive, dialect, Path(folder))
            files = 0
            for member in archive.getmembers():
                path = _member_path(member.name)
                if path is not None:
                    folder, name = path
                    with _member_file(archive, member) as stream:
                        store_of(storage, folder).restore(name, stream)
                    files += 1
    except tarfile.TarError as error:
        raise BackupError(f"{source} is not a backup archive: {error}") from error
    return BackupSummary(dialect, manifest.get("revision"), files)


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(out: Path) -> None:
    """Write the database and the stored files to one archive."""
    try:
        summary = backup(out)
    except (BackupError, subprocess.CalledProcessError) as error:
        raise click.ClickException(_message(error)) from error
    click.echo(f"Backed up the {summary.dialect} database and {summary.files} file(s) to {out}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(source: Path) -> None:
    """Restore an archive made by `backup` into an empty deployment."""
    try:
        summary = restore(source)
    except (BackupError, subprocess.CalledProcessError, ValueError) as error:
        raise click.ClickException(_message(error)) from error
    click.echo(
        f"Restored the database (revision {summary.revision}) and {summary.files} file(s). "
        "Run `course-engine db upgrade` if this release is newer than the backup."
    )


def _message(error: Exception) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        return f"{error.cmd[0]} failed: {error.stderr.decode(errors='replace').strip()}"
    return str(error)
