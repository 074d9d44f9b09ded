"""Fixtures for report tests: signed-in clients, a bigger course, and cohorts."""

import pytest
from sqlalchemy import func, inspect, select

from course_engine.extensions import db
from tests.conftest import EXAMPLE_PACK
from tests.reports.factories import build_cohort, write_big_pack


@pytest.fixture
def cohort(world):
    """Return build_cohort(course_slug, learners): learners with varied progress and work."""
    return build_cohort


@pytest.fixture
def big_course(world, import_pack, tmp_path):
    """Import a copy of the example course with four more modules; return its slug."""
    import_pack(write_big_pack(tmp_path / "big-pack", EXAMPLE_PACK))
    return "big-course"


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table, to assert that nothing changed."""
    existing = set(inspect(db.engine).get_table_names())
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name in existing
    }
