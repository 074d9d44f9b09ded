"""Backup and restore: a restored deployment has every submission and its files."""

import io
import tarfile

import pytest

from course_engine.backup import BackupError, backup, restore
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.deliverables.factories import submit
from tests.support.deployments import deployment_app, empty_database, stored_submission_files


def test_a_restored_deployment_has_every_submission_and_its_files(app, world, tmp_path):
    submit(world["learner"], files=(("plan.txt", b"first plan"),))
    submit(world["other_learner"], files=(("plan.txt", b"second plan"),))
    before = stored_submission_files()
    archive = tmp_path / "site.tar"
    summary = backup(archive)
    assert summary.files == 2

    with empty_database(tmp_path) as url:
        target = deployment_app(url, tmp_path, "restored")
        with target.app_context():
            restored = restore(archive)
            assert restored.files == 2
            assert stored_submission_files() == before
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
