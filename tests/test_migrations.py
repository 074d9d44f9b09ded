"""The Alembic migrations build exactly the schema the models describe, and undo it."""

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from course_engine import create_app
from course_engine.database import include_object
from course_engine.extensions import db
from tests.conftest import ROOT, TEST_DATABASE_URL


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_migration_downgrades_and_upgrades_again(tmp_path):
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="heads")
        assert "users" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(revision="heads")
        assert set(inspect(db.engine).get_table_names()) >= {"users", "courses", "grades"}
        db.engine.dispose()


def test_the_reading_order_migration_fills_in_items_already_imported(tmp_path):
    from course_engine.courses.models import Item
    from course_engine.packs.services import import_folder
    from tests.conftest import EXAMPLE_PACK

    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}, "SECRET_KEY": "x"})
    order = select(Item.slug, Item.previous_item_id, Item.next_item_id).order_by(Item.id)
    with app.app_context():
        upgrade(revision="heads")
        import_folder(EXAMPLE_PACK)
        db.session.commit()
        stored = db.session.execute(order).all()
        db.session.close()
        downgrade(revision="b4d2e8f61a37")
        assert "next_item_id" not in {c["name"] for c in inspect(db.engine).get_columns("items")}
        upgrade(revision="heads")
        assert db.session.execute(order).all() == stored
        assert sum(row.next_item_id is None for row in stored) == 1
        db.session.close()
        db.engine.dispose()


def test_the_migrations_have_one_head():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()
    assert len(heads) == 1, f"merge the heads {heads} (course-engine db merge heads)"


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="runs against its own SQLite file")
def test_the_readme_upgrade_command_works_on_a_fresh_checkout_with_a_secret_key(tmp_path):
    instance = tmp_path / "instance"
    env = {**os.environ, "COURSE_ENGINE_INSTANCE": str(instance), "SECRET_KEY": "set"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from course_engine.cli import main; main()"]
    result = subprocess.run(
        [*command, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (instance / "course_engine.db").exists()
    assert instance.stat().st_mode & 0o077 == 0


def test_the_public_assets_migration_closes_question_files_and_forces_a_reimport(tmp_path):
    from course_engine.courses.models import Pack, PackAsset
    from course_engine.packs.services import import_folder
    from tests.conftest import EXAMPLE_PACK

    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="heads")
        import_folder(EXAMPLE_PACK)
        db.session.commit()
        db.session.close()
        downgrade(revision="e1f0a2b3c4d5")
        upgrade(revision="heads")
        public = dict(db.session.execute(select(PackAsset.path, PackAsset.public)).all())
        assert not public["course.yaml"] and not public["quizzes/basics.yaml"]
        assert public["media/journey.png"]
        assert db.session.scalars(select(Pack.checksum)).all() == [""]
        import_folder(EXAMPLE_PACK)
        db.session.commit()
        assert not db.session.scalar(
            select(PackAsset.public).where(PackAsset.path == "lessons/welcome.md")
        )
        db.session.close()
        db.engine.dispose()
