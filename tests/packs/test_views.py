"""The admin's pack upload, preview, import and export pages."""

import io
import re

import pytest
from sqlalchemy import func, select

from course_engine.courses.models import Course, Item
from course_engine.extensions import db
from tests.conftest import EXAMPLE_PACK
from tests.packs.conftest import zip_folder


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def admin(make_user, login):
    user = make_user(is_admin=True)
    login(user)
    return user


def _upload(client, data: bytes, name: str = "pack.zip"):
    return client.post(
        "/admin/packs/",
        data={"archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _items() -> int:
    return db.session.scalar(select(func.count()).select_from(Item))


def test_upload_previews_then_imports(client, admin, tmp_path):
    archive = zip_folder(EXAMPLE_PACK, tmp_path / "pack.zip").read_bytes()
    preview = _upload(client, archive)
    assert "Added (7)" in preview.text
    assert _items() == 0
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', preview.text).group(1)
    response = client.post("/admin/packs/import", data={"upload": token})
    assert response.status_code == 302
    assert _items() == 7
    assert "example-course: 7 added" in client.get("/admin/packs/").text
    again = client.post("/admin/packs/import", data={"upload": token})
    assert again.status_code == 400
    assert "This upload has expired" in again.text


def test_a_pack_with_problems_is_shown_and_nothing_imported(client, admin, tmp_path):
    folder = tmp_path / "broken"
    import shutil

    shutil.copytree(EXAMPLE_PACK, folder)
    (folder / "lessons" / "welcome.md").unlink()
    response = _upload(client, zip_folder(folder, tmp_path / "broken.zip").read_bytes())
    assert "nothing was imported" in response.text
    assert "course.yaml:18: missing file &#39;lessons/welcome.md&#39;" in response.text
    assert "Import now" not in response.text
    assert _items() == 0


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"not a zip at all", "pack.zip", "not a zip file"),
        (b"PK\x03\x04", "pack.exe", "Only .zip files are accepted."),
    ],
)
def test_bad_uploads_get_a_clear_message(client, admin, data, name, message):
    response = _upload(client, data, name)
    assert message in response.text
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_export_downloads_the_course_as_a_zip(client, admin, import_pack):
    import_pack()
    response = client.get("/admin/packs/export/example-course.zip")
    assert response.status_code == 200
    assert response.content_type == "application/zip"
    assert response.data[:2] == b"PK"


def test_export_of_an_unknown_course_is_404(client, admin):
    assert client.get("/admin/packs/export/nowhere.zip").status_code == 404
