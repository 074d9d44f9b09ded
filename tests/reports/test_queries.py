"""The dashboard and its exports send the same few queries whatever the cohort and course size."""

from datetime import date, timedelta

import pytest

from course_engine.courses.services import get_course
from course_engine.extensions import db
from tests.support.queries import count_queries

# Sign-in (1), the course (1), the facilitator's role (1), then the report:
# groups, outline, learners, their progress, extensions, modules, quizzes,
# deliverables, surveys (9), and the countries for the page's filter form (1).
DASHBOARD_QUERIES = 13
EXPORT_QUERIES = 12


@pytest.fixture
def two_sizes(world, big_course, cohort, enrol):
    """Return (small, large) course slugs: 3 learners on the example course, and 60
    learners, with extensions and passed due dates, on a course with six modules."""
    cohort("example-course", 3, prefix="small")
    cohort(big_course, 60, prefix="large")
    enrol(world["facilitator"], big_course, "facilitator")
    get_course(big_course).starts_on = date.today() - timedelta(days=60)
    db.session.commit()
    return "example-course", big_course


def _count(client, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
        response.get_data()
    assert response.status_code == 200, response.text
    return len(statements)


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("", DASHBOARD_QUERIES),
        ("?country=Belize&status=behind&page=1", DASHBOARD_QUERIES),
        ("/learners.csv", EXPORT_QUERIES),
        ("/quizzes.csv", EXPORT_QUERIES),
    ],
)
def test_query_count_does_not_grow_with_the_cohort(world, client_for, two_sizes, suffix, expected):
    client = client_for(world["facilitator"])
    small, large = (_count(client, f"/courses/{slug}/reports{suffix}") for slug in two_sizes)
    assert small == large == expected


def test_the_large_cohort_is_really_large(world, client_for, two_sizes):
    page = client_for(world["facilitator"]).get("/courses/big-course/reports").text
    assert "60 learner(s); page 1 of 2" in page
    assert page.count("<svg") == 2 + 5  # progress, modules, and five quizzes
    assert ">Extra module 4</th>" in page
