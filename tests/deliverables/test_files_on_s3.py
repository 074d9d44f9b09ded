"""Deliverable files kept in a real S3 bucket (STORAGE_URL) work as on the local folder."""

import pytest

from course_engine.backup import backup, restore
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.deliverables import factories
from tests.support.deployments import deployment_app, empty_database, stored_submission_files

URL = "/courses/example-course/deliverables/service-sketch"


@pytest.fixture
def app_settings(s3_server, s3_credentials):
    return {"WTF_CSRF_ENABLED": False, "STORAGE_URL": s3_server.storage_url()}


def test_a_submitted_file_is_stored_in_the_bucket_and_downloads(world, client_for):
    version = factories.submit(world["learner"], files=[("plan.txt", b"road map")])
    file = version.files[0]
    store = get_storage()
    assert type(store).__name__ == "S3Storage"
    assert list(store.iter_names()) == [file.storage_name]
    response = client_for(world["learner"]).get(f"{URL}/files/{file.id}")
    assert response.status_code == 200 and response.data == b"road map"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    response.close()
    assert client_for(world["other_learner"]).get(f"{URL}/files/{file.id}").status_code == 404


def test_a_backup_from_s3_restores_into_another_bucket_prefix(app, world, tmp_path, s3_server):
    factories.submit(world["learner"], files=[("plan.txt", b"first plan")])
    before = stored_submission_files()
    archive = tmp_path / "site.tar"
    assert backup(archive).files == 1
    with empty_database(tmp_path) as url:
        target = deployment_app(url, tmp_path, "restored")
        target.config["STORAGE_URL"] = s3_server.storage_url()
        with target.app_context():
            assert restore(archive).files == 1
            assert stored_submission_files() == before
            db.session.remove()
            db.engine.dispose()
