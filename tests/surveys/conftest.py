"""Builders for survey tests: packs with other survey files, and answers."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from course_engine.courses.outline import find_item
from course_engine.extensions import db
from course_engine.surveys.models import SurveyAnswer, SurveyResponse
from tests.conftest import EXAMPLE_PACK


@pytest.fixture
def survey_pack(tmp_path):
    """Return a function that copies the example pack with another survey file (and manifest)."""

    def build(questions: str, manifest_edit: tuple[str, str] | None = None) -> Path:
        folder = tmp_path / f"pack-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(EXAMPLE_PACK, folder)
        (folder / "surveys" / "needs.yaml").write_text(questions)
        if manifest_edit:
            manifest = folder / "course.yaml"
            text = manifest.read_text()
            assert manifest_edit[0] in text
            manifest.write_text(text.replace(*manifest_edit, 1))
        return folder

    return build


@pytest.fixture
def survey_item(world):
    return find_item("example-course", "needs-survey")


def counts() -> tuple[int, int]:
    """Return how many responses and answers the database holds."""
    return (
        db.session.scalar(select(func.count()).select_from(SurveyResponse)),
        db.session.scalar(select(func.count()).select_from(SurveyAnswer)),
    )
