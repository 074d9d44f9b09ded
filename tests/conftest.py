"""Fixtures: an app on a temporary instance folder, a migrated database, and builders."""

import os
import shutil
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from course_engine import create_app
from course_engine.extensions import db

# The S3 server fixture, started only by the tests that ask for it.
pytest_plugins = ["tests.support.s3_server"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "docs" / "example-pack"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _reset_postgres(url: str) -> None:
    from course_engine.config import _database_url

    engine = create_engine(_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Return the test database, migrated once per run with Alembic (not create_all)."""
    if TEST_DATABASE_URL:
        _reset_postgres(TEST_DATABASE_URL)
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(_settings(url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"]


def _settings(url: str, instance: Path, **overrides) -> dict:
    return {
        "INSTANCE_PATH": instance,
        "ENV_VARS": {"DATABASE_URL": url},
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_CHEAP": True,
        **overrides,
    }


def _empty_tables() -> None:
    # Only tables the migrations made: a model without a migration is
    # test_migrations' to report, not every other test's.
    existing = set(inspect(db.engine).get_table_names())
    for table in reversed(db.metadata.sorted_tables):
        if table.name in existing:
            db.session.execute(table.delete())
    db.session.commit()


def _forget_request_state() -> None:
    # Test requests share the test's app context, and so its `g`; in production
    # each request has its own, so per-request caches start empty here too.
    for name in ("_login_user", "course_roles"):
        g.pop(name, None)


@pytest.fixture
def app_settings() -> dict:
    """Return extra settings for the test's app; override in a test module."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_settings):
    """Return an app on a temporary instance folder, over emptied tables."""
    app = create_app(_settings(database_url, tmp_path / "instance", **app_settings))
    app.before_request(_forget_request_state)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def make_user(app):
    """Return a builder of users; each gets the password 'correct horse battery'."""
    from course_engine.auth.services import create_user

    counter = iter(range(1, 10_000))

    def build(email=None, name=None, password="correct horse battery", **profile):
        number = next(counter)
        user = create_user(
            email or f"user{number}@example.org", name or f"User {number}", password, **profile
        )
        db.session.commit()
        return user

    return build


@pytest.fixture
def import_pack(app):
    """Return a function that imports a pack folder and commits."""
    from course_engine.packs.services import import_folder

    def run(folder: Path = EXAMPLE_PACK):
        reports = import_folder(folder)
        db.session.commit()
        return reports

    return run


@pytest.fixture
def pack_copy(tmp_path):
    """Return a function that copies the example pack, optionally editing its manifest."""

    def copy(name: str = "pack", replace: tuple[str, str] | None = None) -> Path:
        folder = tmp_path / name
        shutil.copytree(EXAMPLE_PACK, folder)
        if replace:
            manifest = folder / "course.yaml"
            text = manifest.read_text()
            assert replace[0] in text, replace[0]
            manifest.write_text(text.replace(replace[0], replace[1], 1))
        return folder

    return copy


@pytest.fixture
def enrol(app):
    """Return a function that enrols a user in a course by the course's slug."""
    from course_engine.courses.services import enrol as enrol_user
    from course_engine.courses.services import get_course
    from course_engine.roles import Role

    def run(user, course_slug: str, role: str = "learner"):
        enrolment = enrol_user(user.id, get_course(course_slug).id, Role(role))
        db.session.commit()
        return enrolment

    return run


def signed_in_client(app, user):
    """Return a test client whose session belongs to the user (no form, no rate limit)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


@pytest.fixture
def client_for(app):
    """Return a function giving a test client signed in as a user."""
    return lambda user: signed_in_client(app, user)


@pytest.fixture
def login(client):
    """Return a function that signs a user in through the sign-in form."""

    def run(user, password="correct horse battery"):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return response

    return run


@pytest.fixture
def world(app, make_user, import_pack, enrol, tmp_path):
    """Build a course with one user per role, and a second course with its own learner."""
    import shutil

    import_pack()
    other = tmp_path / "other-pack"
    shutil.copytree(EXAMPLE_PACK, other)
    manifest = other / "course.yaml"
    manifest.write_text(manifest.read_text().replace("id: example-course", "id: other-course", 1))
    import_pack(other)

    users = {
        "learner": make_user(country="Jamaica"),
        "other_learner": make_user(country="Belize"),
        "peer_reviewer": make_user(country="Barbados"),
        "facilitator": make_user(country="Barbados"),
        "admin": make_user(is_admin=True),
    }
    enrol(users["learner"], "example-course", "learner")
    enrol(users["peer_reviewer"], "example-course", "peer_reviewer")
    enrol(users["facilitator"], "example-course", "facilitator")
    enrol(users["other_learner"], "other-course", "learner")
    return users
