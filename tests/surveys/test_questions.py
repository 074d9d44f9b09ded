"""Survey files: every problem is reported with its file and line; good files import."""

import pytest
from sqlalchemy import select

from course_engine.courses.outline import find_item
from course_engine.extensions import db
from course_engine.packs.importer import PackInvalid
from course_engine.packs.services import import_folder, validate_folder
from course_engine.surveys.models import QuestionType, Survey, SurveyQuestion
from course_engine.surveys.services import questions_of
from tests.conftest import ROOT

RATE = "questions:\n  - id: q\n    type: rating\n    text: Rate\n"
GOOD = """questions:
  - id: country
    type: single
    text: Your country
    options: [Barbados, Belize]
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "    colour: red\n", "surveys/needs.yaml:6: unknown question key 'colour'"),
        (
            GOOD + "  - id: country\n    type: text\n    text: Again\n",
            "surveys/needs.yaml:6: duplicate question id 'country'",
        ),
        (
            "questions:\n  - id: q\n    type: single\n    text: Pick\n",
            "surveys/needs.yaml:2: 'options' must list at least two choices",
        ),
        (
            "questions:\n  - id: q\n    type: multiple\n    text: Pick\n    options: [A]\n",
            "surveys/needs.yaml:5: 'options' must list at least two choices",
        ),
        (
            "questions:\n  - id: q\n    type: single\n    text: Pick\n    options: [yes, no]\n",
            "surveys/needs.yaml:5: option True must be text (quote values like yes, no or 1)",
        ),
        (
            "questions:\n  - id: q\n    type: rating\n    text: Rate\n",
            "surveys/needs.yaml:2: 'scale' must be a mapping with min and max",
        ),
        (
            RATE + "    scale: {min: 5, max: 1}\n",
            "surveys/needs.yaml:5: the scale must go up from min to max in at most 11 points",
        ),
        (
            RATE + "    scale: {min: 1, max: x}\n",
            "surveys/needs.yaml:5: the scale needs whole numbers 'min' and 'max'",
        ),
        (
            RATE + "    scale: {min: 1, max: 5, low: a}\n",
            "surveys/needs.yaml:5: unknown scale key 'low'",
        ),
        (
            "questions:\n  - id: q\n    type: text\n    text: T\n    options: [a, b]\n",
            "surveys/needs.yaml:5: text questions take no 'options'",
        ),
        (
            "questions:\n  - id: q\n    type: essay\n    text: T\n",
            "surveys/needs.yaml:3: unknown question type 'essay' "
            "(known: single, multiple, rating, text)",
        ),
        (GOOD + "title: x\n", "surveys/needs.yaml:6: unknown key 'title'"),
        ("questions: []\n", "surveys/needs.yaml:1: 'questions' must be a non-empty list"),
        (
            "questions:\n  - id: Bad Id\n    type: text\n    text: T\n",
            "surveys/needs.yaml:2: a question needs an 'id' slug (a-z, 0-9, -)",
        ),
        (
            "questions:\n  - id: q\n    type: text\n    text: '[x](javascript:alert(1))'\n",
            "surveys/needs.yaml:1: link 'javascript:alert(1)' uses the scheme 'javascript'; only "
            "http, https and mailto",
        ),
    ],
)
def test_bad_survey_files_are_reported_with_file_and_line(app, survey_pack, text, expected):
    problems = [str(problem) for problem in validate_folder(survey_pack(text))]
    assert expected in problems


def test_bad_closing_date_is_reported_in_the_manifest(app, survey_pack):
    folder = survey_pack(
        GOOD, ("file: surveys/needs.yaml", "file: surveys/needs.yaml\n            closes: soon")
    )
    problems = [str(problem) for problem in validate_folder(folder)]
    assert any(p.endswith("'closes' must be an ISO 8601 date-time") for p in problems), problems


def test_a_bad_survey_file_imports_nothing(app, survey_pack):
    with pytest.raises(PackInvalid) as raised:
        import_folder(survey_pack(GOOD + "  - id: country\n    type: text\n    text: Again\n"))
    assert "duplicate question id 'country'" in str(next(iter(raised.value.problems)))
    db.session.rollback()
    assert db.session.scalars(select(Survey)).all() == []


def test_the_example_survey_imports_with_its_questions(world):
    survey = db.session.scalar(
        select(Survey).where(Survey.item_id == find_item("example-course", "needs-survey").id)
    )
    questions = questions_of(survey)
    assert [q.key for q in questions] == ["country", "readiness", "hopes"]
    assert questions[0].options == ["Barbados", "Belize", "Jamaica", "Other"]
    assert (questions[1].scale_min, questions[1].scale_max, questions[1].max_label) == (
        1,
        5,
        "Leading",
    )
    assert questions[2].type == QuestionType.TEXT
    assert survey.anonymous is False and survey.closes_at is None


def test_the_caricad_surveys_validate_and_import(app):
    folder = ROOT / "courses" / "caricad_innovation"
    assert list(validate_folder(folder)) == []
    import_folder(folder)
    db.session.commit()
    pre = db.session.scalar(
        select(Survey).where(
            Survey.item_id == find_item("caricad-innovation", "pre-course-survey").id
        )
    )
    evaluation = db.session.scalar(
        select(Survey).where(
            Survey.item_id == find_item("caricad-innovation", "course-evaluation").id
        )
    )
    assert len(questions_of(pre)) == 17 and pre.anonymous is False
    assert len(questions_of(evaluation)) == 7 and evaluation.anonymous is True
    leadership = db.session.scalar(
        select(SurveyQuestion).where(
            SurveyQuestion.survey_id == pre.id, SurveyQuestion.key == "pcs-leadership"
        )
    )
    assert "<strong>Leadership.</strong>" in leadership.text_html
    priorities = db.session.scalar(
        select(SurveyQuestion).where(
            SurveyQuestion.survey_id == pre.id, SurveyQuestion.key == "pcs-priorities"
        )
    )
    assert "up to three" in priorities.text and priorities.max_choices == 3
