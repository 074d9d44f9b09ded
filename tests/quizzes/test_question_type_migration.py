"""The question type migration: the CHECK constraint it adds refuses unknown types, and goes."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from course_engine import create_app
from course_engine.extensions import db
from tests.conftest import EXAMPLE_PACK

BEFORE = "5a9c3e7b1f24"
CONSTRAINT = "ck_quiz_questions_quiz_question_type"
RETYPE = text("UPDATE quiz_questions SET type = 'riddle'")


def _checks() -> set[str | None]:
    return {check["name"] for check in inspect(db.engine).get_check_constraints("quiz_questions")}


def test_the_question_type_migration_adds_and_drops_its_check_constraint(tmp_path):
    from course_engine.packs.services import import_folder

    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="heads")
        import_folder(EXAMPLE_PACK)
        db.session.commit()
        assert CONSTRAINT in _checks()
        with pytest.raises(IntegrityError):
            db.session.execute(RETYPE)
        db.session.rollback()
        db.session.close()

        downgrade(revision=BEFORE)
        assert CONSTRAINT not in _checks()
        db.session.execute(RETYPE)
        db.session.rollback()
        db.session.close()

        upgrade(revision="heads")
        assert CONSTRAINT in _checks()
        stored = db.session.scalars(text("SELECT DISTINCT type FROM quiz_questions")).all()
        assert stored and set(stored) <= {
            "single",
            "multiple",
            "truefalse",
            "short",
            "numerical",
            "matching",
            "essay",
        }
        db.session.close()
        db.engine.dispose()
