"""The dashboard page and its CSV exports through the client, and bad requests."""

import csv
import io
import re

import pytest

from course_engine.courses.services import get_course, set_group
from course_engine.extensions import db
from tests.reports.conftest import row_counts

URL = "/courses/example-course/reports"


@pytest.fixture
def staff(world, client_for):
    return client_for(world["facilitator"])


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_outline_links_staff_to_the_reports(world, client_for):
    assert URL in client_for(world["facilitator"]).get("/courses/example-course/").text
    assert URL not in client_for(world["learner"]).get("/courses/example-course/").text


def test_dashboard_shows_every_section(world, cohort, staff):
    cohort("example-course", 12)
    page = staff.get(URL).text
    for heading in (
        "Learners by progress",
        "Completion by module",
        "Quiz scores",
        "Deliverables awaiting grading",
        "Surveys",
    ):
        assert f">{heading}</h2>" in page
    assert "Behind: has completed at least one required item" in page
    assert "/courses/example-course/deliverables/service-sketch/submissions?status=to_grade" in page
    assert "/courses/example-course/surveys/needs-survey/results" in page
    assert "13 learner(s); page 1 of 1" in page  # the world's learner and twelve more


def test_charts_are_accessible_svg_without_style_or_script(world, cohort, staff):
    cohort("example-course", 12)
    page = staff.get(URL).text
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert len(charts) == 3  # progress, modules, one quiz
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby=" in chart
        assert re.search(r"<title id=[^>]+>[^<]+</title>", chart)
        assert "<desc" in chart
    assert "style=" not in page
    assert "<script" not in page


def test_each_chart_has_its_numbers_in_a_table(world, cohort, staff):
    cohort("example-course", 12)
    page = staff.get(URL).text
    assert "<caption>Learners by progress status</caption>" in page
    assert "<caption>Learners who completed every required item of each module</caption>" in page
    assert "<caption>Learners by quiz score band (percent), from the gradebook</caption>" in page
    assert '<th scope="col">90–100</th>' in page


def test_the_learner_table_pages_but_the_summary_counts_everyone(world, cohort, staff):
    cohort("example-course", 60)
    first, second = staff.get(URL).text, staff.get(URL + "?page=2").text
    assert "61 learner(s); page 1 of 2" in first
    assert "61 learner(s); page 2 of 2" in second
    assert first.count('<tr><th scope="row">Learner ') == 50
    assert second.count('<tr><th scope="row">Learner ') == 10
    summary = re.compile(
        r'<tr><th scope="row">(Not started|Behind|On track|Complete)</th><td>(\d+)'
    )
    counts = dict(summary.findall(first))
    assert counts == dict(summary.findall(second))
    assert sum(map(int, counts.values())) == 61
    assert 'href="/courses/example-course/reports?page=2"' in first


def test_filters_apply_to_the_page_and_its_exports(world, cohort, staff):
    cohort("example-course", 10)
    page = staff.get(URL + "?country=Belize&status=not_started").text
    assert "learner(s) not started; page 1 of 1" in page
    assert "/reports/learners.csv?country=Belize&amp;status=not_started" in page
    rows = _rows(staff.get("/courses/example-course/reports/learners.csv?country=Belize"))
    assert rows[0][:4] == ["Name", "Email", "Country", "Group"]
    assert {row[2] for row in rows[1:]} == {"Belize"}
    assert len(rows) == 1 + 2  # learners 1 and 6 of ten


def test_group_filter(world, staff):
    course = get_course("example-course")
    group = set_group(world["learner"].id, course.id, "North")
    db.session.commit()
    page = staff.get(f"{URL}?group={group.id}").text
    assert "1 learner(s); page 1 of 1" in page
    assert f'<option value="{group.id}" selected>North</option>' in page


@pytest.mark.parametrize(
    ("section", "header"),
    [
        ("learners", "Name,Email,Country,Group,Required items done,Required items,"),
        ("modules", "Module,Required items,Learners who completed it,Learners,Percent"),
        ("quizzes", "Quiz,0-9%,10-19%,"),
        ("deliverables", "Deliverable,Submitted,To grade,Graded not released,Released"),
        ("surveys", "Survey,Responses,Learners"),
    ],
)
def test_exports_stream_csv(world, cohort, staff, section, header):
    cohort("example-course", 6)
    response = staff.get(f"{URL}/{section}.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="example-course-{section}.csv"; filename*='
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_data(as_text=True).replace('"', "").replace(", ", " ").startswith(header)


def test_export_numbers_match_the_page(world, cohort, staff):
    cohort("example-course", 18)
    (_, row) = _rows(staff.get(URL + "/deliverables.csv"))
    assert row[0] == "Sketch one service"
    # Learners 5, 11 and 17 reach the deliverable (item 5 of 5): ungraded, draft, released.
    assert row[1:] == ["3", "1", "1", "1"]
    quiz = _rows(staff.get(URL + "/quizzes.csv"))[1]
    assert quiz[0] == "Check your understanding" and quiz[-1] == str(sum(map(int, quiz[1:-1])))


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rReturn"]
)
def test_exports_never_start_a_cell_with_a_formula(world, make_user, enrol, staff, hostile):
    user = make_user()
    # Set directly: the account forms trim spaces, but imported data may not.
    user.display_name = user.country = hostile
    db.session.commit()
    enrol(user, "example-course")
    rows = _rows(staff.get(URL + "/learners.csv"))
    mine = next(row for row in rows if row[1] == user.email)
    assert mine[0] == "'" + hostile and mine[2] == "'" + hostile


def _deny(client, path):
    before = row_counts()
    response = client.get(path)
    assert response.status_code == 404
    assert "There is nothing here, or you do not have access to it." in response.text
    assert row_counts() == before


def test_a_facilitator_of_another_course_gets_404(world, make_user, enrol, client_for):
    other = make_user()
    enrol(other, "other-course", "facilitator")
    client = client_for(other)
    _deny(client, URL)
    _deny(client, URL + "/learners.csv")
    assert client.get("/courses/other-course/reports").status_code == 200


@pytest.mark.parametrize("role", ["learner", "peer_reviewer", "other_learner"])
def test_learners_and_reviewers_get_404(world, client_for, role):
    _deny(client_for(world[role]), URL)
    _deny(client_for(world[role]), URL + "/modules.csv")


def test_an_unknown_export_is_404(world, staff):
    _deny(staff, URL + "/passwords.csv")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?group=abc", 400, "There is no such group in this course."),
        ("?group=999999", 400, "There is no such group in this course."),
        ("?status=late", 400, "Unknown progress status &#39;late&#39;: choose one of"),
        ("?page=0", 400, "The page must be a whole number from 1."),
        ("?page=-3", 400, "The page must be a whole number from 1."),
        ("?page=two", 400, "The page must be a whole number from 1."),
        ("?page=3", 404, "There is no page 3: the list has 1 page(s)."),
        ("?page=99999999999999999999", 404, "There is no page 99999999999999999999"),
    ],
)
def test_bad_filters_and_pages(world, staff, query, status, message):
    before = row_counts()
    response = staff.get(URL + query)
    assert response.status_code == status
    assert message in response.text
    assert row_counts() == before


def test_another_courses_group_is_unknown_here(world, staff):
    other = get_course("other-course")
    group = set_group(world["other_learner"].id, other.id, "Elsewhere")
    db.session.commit()
    response = staff.get(f"{URL}?group={group.id}")
    assert response.status_code == 400
    assert "There is no such group in this course." in response.text
    response = staff.get(f"{URL}/learners.csv?group={group.id}")
    assert response.status_code == 400


def test_an_unknown_country_matches_no_one(world, staff):
    page = staff.get(URL + "?country=Atlantis").text
    assert "0 learner(s); page 1 of 1" in page
    assert "No learner matches." in page
    assert _rows(staff.get(URL + "/learners.csv?country=Atlantis"))[1:] == []


def test_a_course_without_learners(world, client_for):
    page = client_for(world["admin"]).get("/courses/other-course/reports")
    assert page.status_code == 200
