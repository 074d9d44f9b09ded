"""Second deployments for tests: an empty database of the suite's kind, an app over it."""

import secrets
from contextlib import contextmanager

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from course_engine import create_app
from course_engine.deliverables.models import SubmissionFile
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.conftest import TEST_DATABASE_URL


@contextmanager
def empty_database(tmp_path):
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


def deployment_app(url, tmp_path, folder):
    """Return an app over the database at url, with its own instance and upload folders."""
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / folder,
            "ENV_VARS": {"DATABASE_URL": url},
            "SECRET_KEY": "test-secret-key",
            "UPLOAD_FOLDER": str(tmp_path / folder / "uploads"),
        }
    )


def stored_submission_files():
    """Return (name, bytes) of every submitted file, in id order."""
    storage = get_storage()
    rows = db.session.scalars(select(SubmissionFile).order_by(SubmissionFile.id)).all()
    files = []
    for row in rows:
        with storage.open(row.storage_name) as handle:
            files.append((row.display_name, handle.read()))
    return files
