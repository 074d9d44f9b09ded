"""Answering a survey: once per learner, editable until it closes, and nothing else."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from course_engine.courses.models import ProgressStatus
from course_engine.courses.progress import item_status
from course_engine.database import utcnow
from course_engine.errors import Conflict, DomainError
from course_engine.extensions import db
from course_engine.packs.services import import_folder
from course_engine.surveys import services
from course_engine.surveys.models import SurveyAnswer, SurveyQuestion
from tests.surveys.conftest import counts

URL = "/courses/example-course/surveys/needs-survey"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


def test_answering_saves_one_response_and_completes_the_item(world, survey_item):
    learner = world["learner"]
    services.submit_response(
        learner.id, survey_item, {"country": ["Jamaica"], "readiness": ["4"], "hopes": ["Ideas"]}
    )
    db.session.commit()
    _, saved = services.response_of(services.survey_of(survey_item), learner.id)
    assert saved == {"country": ["Jamaica"], "readiness": [4], "hopes": ["Ideas"]}
    assert item_status(learner.id, survey_item.id) == ProgressStatus.DONE


def test_answering_twice_edits_the_same_response(world, survey_item):
    learner = world["learner"]
    first = services.submit_response(learner.id, survey_item, {"country": ["Jamaica"]})
    db.session.commit()
    second = services.submit_response(
        learner.id, survey_item, {"country": ["Belize"], "readiness": ["2"]}
    )
    db.session.commit()
    assert first.id == second.id
    assert counts() == (1, 2)
    _, saved = services.response_of(services.survey_of(survey_item), learner.id)
    assert saved == {"country": ["Belize"], "readiness": [2]}


def test_answering_twice_through_the_browser_keeps_one_row(client, login, world):
    login(world["learner"])
    assert client.post(URL, data={"q-country": "Jamaica"}).status_code == 302
    response = client.post(URL, data={"q-country": "Other", "q-hopes": "More"})
    assert response.status_code == 302
    page = client.get(URL).text
    assert "Your answers are saved" in page
    assert "Update my answers" in page
    assert 'value="Other" checked' in page and "More</textarea>" in page
    assert counts() == (1, 2)


def test_answering_after_closing_changes_nothing(client, login, world, survey_item):
    login(world["learner"])
    client.post(URL, data={"q-country": "Jamaica"})
    survey = services.survey_of(survey_item)
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(URL, data={"q-country": "Belize"})
    assert response.status_code == 409
    assert "This survey is closed: answers can no longer be given or changed." in response.text
    db.session.expire_all()
    _, saved = services.response_of(survey, world["learner"].id)
    assert saved == {"country": ["Jamaica"]}
    assert counts() == (1, 1)
    assert "Send my answers" not in client.get(URL).text


def test_the_service_refuses_answers_after_closing(world, survey_item):
    services.survey_of(survey_item).closes_at = utcnow()
    with pytest.raises(Conflict):
        services.submit_response(world["learner"].id, survey_item, {"country": ["Jamaica"]})
    assert counts() == (0, 0)
    assert item_status(world["learner"].id, survey_item.id) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q-country": "Narnia"}, "Question 1: that answer is not one of the options."),
        ({"q-country": ["Jamaica", "Belize"]}, "Question 1: choose only one option."),
        ({"q-readiness": "9"}, "Question 2: choose one point from 1 to 5."),
        ({"q-readiness": ["1", "2"]}, "Question 2: choose one point from 1 to 5."),
        ({"q-readiness": "4.5"}, "Question 2: choose one point from 1 to 5."),
        ({"q-secret": "x"}, "Unknown question &#39;secret&#39;."),
        ({"q-hopes": "x" * 5001}, "Question 3: answers are at most 5000 characters."),
        ({}, "Answer at least one question before sending the survey."),
    ],
)
def test_tampered_or_empty_answers_change_nothing(client, login, world, survey_item, data, message):
    login(world["learner"])
    response = client.post(URL, data=data)
    assert response.status_code == 400
    assert message in response.text
    assert counts() == (0, 0)
    assert item_status(world["learner"].id, survey_item.id) is None


def test_nul_characters_are_dropped_from_text_answers(world, survey_item):
    services.submit_response(world["learner"].id, survey_item, {"hopes": ["a\x00b"]})
    assert db.session.scalars(select(SurveyAnswer.text)).all() == ["ab"]


def test_a_tampered_answer_does_not_change_an_earlier_response(client, login, world):
    login(world["learner"])
    client.post(URL, data={"q-country": "Jamaica"})
    assert client.post(URL, data={"q-country": "=1+1"}).status_code == 400
    assert db.session.scalars(select(SurveyAnswer.choice)).all() == ["Jamaica"]


def test_only_learners_answer(client, login, world):
    login(world["facilitator"])
    assert client.post(URL, data={"q-country": "Jamaica"}).status_code == 404
    page = client.get(URL).text
    assert "See the results" in page and "Send my answers" not in page
    assert counts() == (0, 0)


def test_reimport_keeps_responses_when_questions_change(world, survey_item, survey_pack):
    learner = world["learner"]
    services.submit_response(
        learner.id, survey_item, {"country": ["Jamaica"], "hopes": ["Ideas"], "readiness": ["3"]}
    )
    db.session.commit()
    folder = survey_pack(
        "questions:\n"
        "  - id: hopes\n    type: text\n    text: What do you **really** hope to learn?\n"
        "  - id: country\n    type: single\n    text: Country\n    options: [Jamaica, Other]\n"
        "  - id: role\n    type: text\n    text: Your role\n"
    )
    import_folder(folder)
    db.session.commit()
    survey = services.survey_of(survey_item)
    questions = {
        q.key: q
        for q in db.session.scalars(
            select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
        )
    }
    assert questions["readiness"].archived and not questions["hopes"].archived
    assert [q.key for q in services.questions_of(services.survey_of(survey_item))] == [
        "hopes",
        "country",
        "role",
    ]
    assert "<strong>really</strong>" in questions["hopes"].text_html
    assert counts() == (1, 3)
    _, saved = services.response_of(services.survey_of(survey_item), learner.id)
    assert saved["readiness"] == [3]


def test_a_survey_cannot_be_made_named_after_anonymous_answers(world, survey_item, survey_pack):
    services.survey_of(survey_item).anonymous = True
    services.submit_response(world["learner"].id, survey_item, {"country": ["Jamaica"]})
    db.session.commit()
    folder = survey_pack("questions:\n  - id: hopes\n    type: text\n    text: Changed\n")
    import_folder(folder)
    db.session.commit()
    assert services.survey_of(survey_item).anonymous is True


def test_answering_an_archived_survey_is_refused(world, survey_item):
    survey_item.archived = True
    with pytest.raises(DomainError):
        services.submit_response(world["learner"].id, survey_item, {"country": ["Jamaica"]})
