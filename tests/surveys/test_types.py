"""Survey question types: one class per type, and multiple-choice questions with a limit."""

import pytest
from sqlalchemy import select

from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.packs.services import import_folder, validate_folder
from course_engine.surveys import services
from course_engine.surveys.models import QuestionType, SurveyQuestion
from course_engine.surveys.types import QUESTION_TYPES, AnswerError, find_type, get_type
from tests.surveys.conftest import counts

URL = "/courses/example-course/surveys/needs-survey"
PICK = "questions:\n  - id: pick\n    type: {type}\n    text: Pick\n    options: [A, B, C]\n"
LIMITED = (
    PICK.format(type="multiple")
    + "    max_choices: 2\n"
    + "  - id: hopes\n    type: text\n    text: Your hopes\n"
)


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def limited(world, survey_pack, survey_item):
    """Import the example pack with a survey whose multiple-choice question takes two at most."""
    import_folder(survey_pack(LIMITED))
    db.session.commit()
    return survey_item


def test_every_stored_type_has_its_class():
    assert list(QUESTION_TYPES) == list(QuestionType)
    assert all(get_type(name).name == name for name in QuestionType)


@pytest.mark.parametrize("name", ["essay", "", None, 3])
def test_unknown_type_names_have_no_class(name):
    assert find_type(name) is None


@pytest.mark.parametrize("limit", ["0", "4", "two", "yes", "1.5", "[1]"])
def test_a_bad_limit_is_reported_with_its_line(app, survey_pack, limit):
    folder = survey_pack(PICK.format(type="multiple") + f"    max_choices: {limit}\n")
    expected = (
        "surveys/needs.yaml:6: 'max_choices' must be a whole number from 1 to 3, "
        "the number of options"
    )
    assert expected in [str(problem) for problem in validate_folder(folder)]


@pytest.mark.parametrize("kind", ["single", "text", "rating"])
def test_only_multiple_choice_questions_take_a_limit(app, survey_pack, kind):
    folder = survey_pack(PICK.format(type=kind) + "    max_choices: 2\n")
    problems = [str(problem) for problem in validate_folder(folder)]
    assert f"surveys/needs.yaml:6: {kind} questions take no 'max_choices'" in problems


def test_the_limit_is_stored_and_shown(client, login, world, limited):
    question = db.session.scalar(select(SurveyQuestion).where(SurveyQuestion.key == "pick"))
    assert question.max_choices == 2
    login(world["learner"])
    page = client.get(URL).text
    assert "Choose up to 2." in page and "Choose any that apply." not in page


def test_without_a_limit_any_number_of_options_may_be_chosen(client, login, world, survey_pack):
    import_folder(survey_pack(PICK.format(type="multiple")))
    db.session.commit()
    login(world["learner"])
    assert "Choose any that apply." in client.get(URL).text
    assert client.post(URL, data={"q-pick": ["A", "B", "C"]}).status_code == 302
    assert counts() == (1, 3)


def test_up_to_the_limit_is_saved(world, limited):
    services.submit_response(world["learner"].id, limited, {"pick": ["A", "C"]})
    db.session.commit()
    _, saved = services.response_of(services.survey_of(limited), world["learner"].id)
    assert saved == {"pick": ["A", "C"]}


def test_the_service_refuses_more_than_the_limit(world, limited):
    with pytest.raises(AnswerError) as raised:
        services.submit_response(world["learner"].id, limited, {"pick": ["A", "B", "C"]})
    assert raised.value.message == "Question 1: choose up to 2 options."
    assert raised.value.question_key == "pick"
    assert isinstance(raised.value, DomainError)
    assert counts() == (0, 0)


def test_more_than_the_limit_is_refused_next_to_the_question_keeping_the_answers(
    client, login, world, limited
):
    login(world["learner"])
    response = client.post(URL, data={"q-pick": ["A", "B", "C"], "q-hopes": "Better services"})
    assert response.status_code == 400
    page = response.text
    assert '<div id="q-pick-error" class="invalid-feedback d-block">' in page
    assert 'aria-describedby="q-pick-text q-pick-error"' in page
    # The message shows once, next to its question; the top of the page says where to look.
    assert page.count("Question 1: choose up to 2 options.") == 1
    assert "one of them needs a change, marked below" in page
    assert 'aria-describedby="q-hopes-text"' in page
    assert all(f'value="{option}" checked' in page for option in "ABC")
    assert "Better services</textarea>" in page
    assert counts() == (0, 0)


def test_a_refusal_keeps_an_earlier_response(client, login, world, limited):
    login(world["learner"])
    assert client.post(URL, data={"q-pick": ["A"]}).status_code == 302
    assert client.post(URL, data={"q-pick": ["A", "B", "C"]}).status_code == 400
    _, saved = services.response_of(services.survey_of(limited), world["learner"].id)
    assert saved == {"pick": ["A"]}
