"""Backup and restore: a restored deployment has every submission and its files."""

import io
import tarfile

import pytest
from sqlalchemy import select

from course_engine.backup import BackupError, backup, restore
from course_engine.discussions.models import Attachment
from course_engine.discussions.services.posting import Upload
from course_engine.discussions.storage import read
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.deliverables.factories import submit
from tests.discussions import factories as discussions
from tests.support.deployments import deployment_app, empty_database, stored_submission_files


def _attachments() -> list[bytes]:
    rows = db.session.scalars(select(Attachment).order_by(Attachment.id))
    return [read(row.stored_name) for row in rows]


def test_a_restored_deployment_has_every_submission_post_and_file(app, world, tmp_path):
    submit(world["learner"], files=(("plan.txt", b"first plan"),))
    submit(world["other_learner"], files=(("plan.txt", b"second plan"),))
    discussions.thread(world["learner"], upload=Upload("map.png", discussions.PNG))
    before = stored_submission_files()
    archive = tmp_path / "site.tar"
    summary = backup(archive)
    assert summary.files == 3

    with empty_database(tmp_path) as url:
        target = deployment_app(url, tmp_path, "restored")
        with target.app_context():
            restored = restore(archive)
            assert restored.files == 3
            assert stored_submission_files() == before
            assert _attachments() == [discussions.PNG]
            db.session.remove()
            db.engine.dispose()


def test_a_restore_into_a_used_deployment_changes_nothing(app, world, tmp_path):
    submit(world["learner"])
    archive = tmp_path / "site.tar"
    backup(archive)
    before = stored_submission_files()
    with pytest.raises(BackupError, match="database is not empty"):
        restore(archive)
    assert stored_submission_files() == before


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
    with empty_database(tmp_path) as url:
        target = deployment_app(url, tmp_path, "restored")
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
