"""Backup and restore: a restored deployment has every submission and its files."""

import io
import secrets
import tarfile
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from course_engine import create_app
from course_engine.backup import BackupError, backup, restore
from course_engine.deliverables.models import SubmissionFile
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.conftest import TEST_DATABASE_URL
from tests.deliverables.factories import submit


@contextmanager
def _empty_database(tmp_path):
    """Yield the URL of a new, empty database of the kind the suite runs on."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server = make_url(TEST_DATABASE_URL)
    name = f"restore_{secrets.token_hex(4)}"
    admin = create_engine(server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url, tmp_path, folder):
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / folder,
            "ENV_VARS": {"DATABASE_URL": url},
            "SECRET_KEY": "test-secret-key",
            "UPLOAD_FOLDER": str(tmp_path / folder / "uploads"),
        }
    )


def _files():
    storage = get_storage()
    rows = db.session.scalars(select(SubmissionFile).order_by(SubmissionFile.id)).all()
    files = []
    for row in rows:
        with storage.open(row.storage_name) as handle:
            files.append((row.display_name, handle.read()))
    return files


def test_a_restored_deployment_has_every_submission_and_its_files(app, world, tmp_path):
    submit(world["learner"], files=(("plan.txt", b"first plan"),))
    submit(world["other_learner"], files=(("plan.txt", b"second plan"),))
    before = _files()
    archive = tmp_path / "site.tar"
    summary = backup(archive)
    assert summary.files == 2

    with _empty_database(tmp_path) as url:
        target = _app(url, tmp_path, "restored")
        with target.app_context():
            restored = restore(archive)
            assert restored.files == 2
            assert _files() == before
            db.session.remove()
            db.engine.dispose()


def test_a_restore_into_a_used_deployment_changes_nothing(app, world, tmp_path):
    submit(world["learner"])
    archive = tmp_path / "site.tar"
    backup(archive)
    before = _files()
    with pytest.raises(BackupError, match="database is not empty"):
        restore(archive)
    assert _files() == before


@pytest.mark.parametrize(
    ("member", "problem"),
    [("../evil", "which a backup never has"), ("files/not-a-stored-name", "never has")],
)
def test_an_archive_with_foreign_members_is_refused_before_anything_is_written(
    app, tmp_path, member, problem
):
    archive = tmp_path / "site.tar"
    backup(archive)
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo(member)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with _empty_database(tmp_path) as url:
        target = _app(url, tmp_path, "restored")
        with target.app_context():
            with pytest.raises(BackupError, match=problem):
                restore(archive)
            assert list(get_storage().iter_names()) == []
            db.engine.dispose()


def test_the_cli_backs_up_and_reports(app, world, tmp_path):
    submit(world["learner"])
    archive = tmp_path / "cli.tar"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "and 1 file(s)" in result.output
    refused = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "The database is not empty" in refused.output
