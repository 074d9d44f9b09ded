"""Survey results: tables and charts overall and by country, CSV export, anonymity."""

import csv
import io

import pytest

from course_engine.extensions import db
from course_engine.surveys import results, services
from tests.support.queries import count_queries

BASE = "/courses/example-course/surveys/needs-survey"


@pytest.fixture
def answered(world, make_user, enrol, survey_item):
    """Have three learners from two countries answer the example survey."""
    people = [
        (world["learner"], {"country": ["Jamaica"], "readiness": ["4"], "hopes": ["Open data"]}),
        (
            make_user(name="Ana Belizean", country="Belize"),
            {"country": ["Belize"], "readiness": ["2"]},
        ),
        (make_user(name="Bo Belizean", country="Belize"), {"hopes": ['=HYPERLINK("x")']}),
    ]
    for user, answers in people:
        if user is not world["learner"]:
            enrol(user, "example-course")
        services.submit_response(user.id, survey_item, answers)
    db.session.commit()
    return people


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


def test_results_count_answers_overall_and_by_country(world, answered, survey_item):
    found = results.results(services.survey_of(survey_item))
    assert found.respondents == 3
    assert found.by_country == {"Belize": 2, "Jamaica": 1}
    country, readiness, hopes = found.questions
    assert country.counts == {"Barbados": 0, "Belize": 1, "Jamaica": 1, "Other": 0}
    assert country.by_country["Belize"]["Belize"] == 1
    assert readiness.counts == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert readiness.mean == 3.0 and readiness.answered == 2
    assert hopes.answered == 2
    assert hopes.texts == [
        ("Bo Belizean", "Belize", '=HYPERLINK("x")'),
        (world["learner"].display_name, "Jamaica", "Open data"),
    ]


def test_facilitator_sees_tables_and_svg_charts(client, login, world, answered):
    login(world["facilitator"])
    page = client.get(BASE + "/results").text
    assert "3 responses" in page
    assert page.count("<svg") == 2 and "<rect" in page
    assert '<th scope="col">Belize</th>' in page and '<th scope="row">Jamaica</th>' in page
    assert "style=" not in page and "<script" not in page
    assert "Ana Belizean" not in page  # she gave no text answer
    assert "Open data" in page


def test_results_for_one_country(client, login, world, answered):
    login(world["facilitator"])
    page = client.get(BASE + "/results", query_string={"country": "Belize"}).text
    assert "2 from Belize" in page and 'aria-current="page"' in page
    assert "Answers from Belize to question 1" in page
    assert "Open data" not in page  # the Jamaican learner's text
    unknown = client.get(BASE + "/results", query_string={"country": "Narnia"}).text
    assert "All answers to question 1" in unknown


def test_csv_export_names_people_and_neutralises_formulas(client, login, world, answered):
    login(world["facilitator"])
    response = client.get(BASE + "/results.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "name",
        "email",
        "country",
        "updated_at_utc",
        "country",
        "readiness",
        "hopes",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Ana Belizean"][4:] == ["Belize", "2", ""]
    assert by_name["Bo Belizean"][6] == '\'=HYPERLINK("x")'


def test_anonymous_surveys_never_show_who_answered(client, login, world, answered, survey_item):
    services.survey_of(survey_item).anonymous = True
    db.session.commit()
    login(world["facilitator"])
    page = client.get(BASE + "/results").text
    csv_text = client.get(BASE + "/results.csv").text
    for secret in ("Ana Belizean", "Bo Belizean", world["learner"].display_name, "@example.org"):
        assert secret not in page and secret not in csv_text
    assert "results are shown for everyone together" in page
    assert '<th scope="col">Belize</th>' not in page
    assert csv_text.splitlines()[0] == '"country","readiness","hopes"'
    assert "Open data" in page and "Open data" in csv_text
    found = results.results(services.survey_of(survey_item))
    assert found.countries == [] and all(name == "" for name, _, _ in found.questions[2].texts)
    learner_page = client.get(BASE).text
    assert "This survey is anonymous" in learner_page


def test_facilitator_of_another_course_gets_404(client, login, world, make_user, enrol, answered):
    other = make_user()
    enrol(other, "other-course", "facilitator")
    login(other)
    for path in (BASE, BASE + "/results", BASE + "/results.csv"):
        assert client.get(path).status_code == 404
    assert client.post(BASE, data={"q-country": "Belize"}).status_code == 404


def test_the_results_page_sends_the_same_queries_for_few_or_many_answers(
    client, login, world, make_user, enrol, survey_item
):
    login(world["facilitator"])

    def measure() -> int:
        with count_queries() as statements:
            assert client.get(BASE + "/results").status_code == 200
        return len(statements)

    services.submit_response(world["learner"].id, survey_item, {"country": ["Jamaica"]})
    db.session.commit()
    few = measure()
    for number in range(30):
        user = make_user(country=["Belize", "Jamaica", "Barbados"][number % 3])
        enrol(user, "example-course")
        services.submit_response(
            user.id,
            survey_item,
            {"country": ["Other"], "readiness": ["3"], "hopes": [f"h{number}"]},
        )
    db.session.commit()
    assert measure() == few
