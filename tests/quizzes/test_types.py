"""Each question type class on its own: definitions, reading the form, grading, distributions."""

from pathlib import Path

import pytest

from course_engine.errors import DomainError
from course_engine.quizzes.models import Answer, AttemptAnswer, Question
from course_engine.quizzes.questions import ParsedAnswer, ParsedQuestion
from course_engine.quizzes.services.pages import PageQuestion
from course_engine.quizzes.types import (
    QUESTION_TYPES,
    Choice,
    QuestionType,
    UnknownQuestionType,
    get_type,
)
from course_engine.quizzes.types.choices import MultipleChoice, SingleChoice, TrueFalse
from course_engine.quizzes.types.matching import Matching
from course_engine.quizzes.types.texts import Essay, Numerical, ShortAnswer

TEMPLATES = Path(__file__).parents[2] / "course_engine" / "quizzes" / "templates"
QUESTION_ID = 7


def _answer(answer_id: int, text: str, fraction: float = 0.0, **fields) -> Answer:
    return Answer(id=answer_id, position=answer_id, text=text, fraction=fraction, **fields)


CHOICES = [_answer(1, "a", 1, feedback="yes"), _answer(2, "b", 0, feedback="no")]
MULTI = [_answer(1, "a", 0.5), _answer(2, "b", 0.5), _answer(3, "c", -1)]
PAIRS = [
    _answer(1, "x", 1, match="X"),
    _answer(2, "y", 1, match="Y"),
    _answer(3, "z", 1, match="X"),
]


def _row(kind: str, answers: list[Answer]) -> PageQuestion:
    question = Question(id=QUESTION_ID, type=QuestionType(kind), points=1.0)
    return PageQuestion(AttemptAnswer(position=2, answer_order=[]), question, list(answers))


def _parsed(kind: str, fractions=(), pairs=()) -> ParsedQuestion:
    return ParsedQuestion(
        key="q",
        type=QuestionType(kind),
        name="q",
        text="T",
        line=1,
        answers=[ParsedAnswer(f"{f:g}", f, "why") for f in fractions],
        pairs=list(pairs),
    )


def test_every_stored_type_has_its_class():
    assert list(QUESTION_TYPES) == list(QuestionType)
    for name, question_type in QUESTION_TYPES.items():
        assert question_type.name == name
        assert get_type(name.value) is question_type
        assert get_type(name) is question_type


def test_an_unknown_type_is_a_clear_error():
    with pytest.raises(UnknownQuestionType, match="unknown question type 'riddle'; the types are"):
        get_type("riddle")


@pytest.mark.parametrize("question_type", QUESTION_TYPES.values(), ids=str)
def test_every_type_has_its_partials(question_type):
    assert (TEMPLATES / question_type.template).is_file()
    assert (TEMPLATES / question_type.review_template).is_file()


def test_only_essays_wait_for_a_person_and_only_matching_always_shuffles():
    assert {t.name for t in QUESTION_TYPES.values() if t.graded_by_person} == {"essay"}
    assert {t.name for t in QUESTION_TYPES.values() if t.always_shuffled} == {"matching"}
    assert {t.name for t in QUESTION_TYPES.values() if t.shuffled_on_request} == {
        "single",
        "multiple",
    }


@pytest.mark.parametrize(
    ("question_type", "question", "problem"),
    [
        (SingleChoice(), _parsed("single", [1, 0, -0.5]), None),
        (
            SingleChoice(),
            _parsed("single", [1, 1]),
            "single questions need exactly one answer at 100%, not 2",
        ),
        (SingleChoice(), _parsed("single", [0, -1]), "no correct answer"),
        (MultipleChoice(), _parsed("multiple", [0.3333, 0.3333, 0.3333]), None),
        (
            MultipleChoice(),
            _parsed("multiple", [0.5, 0.6]),
            "the positive weights add up to 110%, not 100%",
        ),
        (TrueFalse(), _parsed("truefalse", [0, 1]), None),
        (ShortAnswer(), _parsed("short", [0.5]), "no answer is worth 100%"),
        (Numerical(), _parsed("numerical", []), "no correct answer"),
        (
            Matching(),
            _parsed("matching", pairs=[("x", "X")]),
            "matching questions need at least 2 pairs, not 1",
        ),
        (Matching(), _parsed("matching", pairs=[("x", "X"), ("y", "Y")]), None),
        (Essay(), _parsed("essay"), None),
    ],
)
def test_definition_problem(question_type, question, problem):
    assert question_type.definition_problem(question) == problem


def test_matching_stores_its_pairs_as_answers_worth_the_same():
    rows = Matching().answer_rows(_parsed("matching", pairs=[("x", "X"), ("y", "Y")]))
    assert rows == [
        {"text": "x", "match": "X", "fraction": 1.0, "feedback": ""},
        {"text": "y", "match": "Y", "fraction": 1.0, "feedback": ""},
    ]


def test_other_types_store_their_answers():
    rows = SingleChoice().answer_rows(_parsed("single", [1, 0]))
    assert [(row["text"], row["fraction"], row["feedback"], row["match"]) for row in rows] == [
        ("1", 1, "why", None),
        ("0", 0, "why", None),
    ]


@pytest.mark.parametrize(
    ("question_type", "answers", "form", "response"),
    [
        (SingleChoice(), CHOICES, {"q7": ["2"]}, 2),
        (SingleChoice(), CHOICES, {"q7": [""]}, None),
        (TrueFalse(), CHOICES, {"q7": ["1"]}, 1),
        (MultipleChoice(), MULTI, {"q7": ["3", "1", "3"]}, [1, 3]),
        (MultipleChoice(), MULTI, {}, []),
        (ShortAnswer(), [], {"q7": ["  public value "]}, "public value"),
        (ShortAnswer(), [], {"q7": ["   "]}, None),
        (Numerical(), [], {"q7": ["2,5"]}, "2,5"),
        (Essay(), [], {"q7": ["x" * 20_000]}, "x" * 20_000),
        (Matching(), PAIRS, {"q7-1": ["2"], "q7-2": ["1"], "q7-3": [""]}, {"1": 2, "2": 1}),
    ],
)
def test_read_response(question_type, answers, form, response):
    assert question_type.read_response(_row(question_type.name, answers), form) == response


@pytest.mark.parametrize(
    ("question_type", "answers", "form", "message"),
    [
        (SingleChoice(), CHOICES, {"q7": ["1", "2"]}, "Question 3 takes one answer."),
        (SingleChoice(), CHOICES, {"q7": ["99"]}, "not one of the answers to question 3"),
        (TrueFalse(), CHOICES, {"q7": ["yes"]}, "not one of the answers to question 3"),
        (MultipleChoice(), MULTI, {"q7": ["1", "99"]}, "not one of the answers to question 3"),
        (ShortAnswer(), [], {"q7": ["a", "b"]}, "Question 3 takes one answer."),
        (ShortAnswer(), [], {"q7": ["x" * 501]}, "longer than 500 characters"),
        (Numerical(), [], {"q7": ["twelve"]}, "needs a number, such as 42 or 2.5"),
        (Essay(), [], {"q7": ["x" * 20_001]}, "longer than 20000 characters"),
        (Matching(), PAIRS, {"q7-1": ["1", "2"]}, "takes one match per item"),
        # Two prompts share the match X, so only the first answer with X is on offer.
        (Matching(), PAIRS, {"q7-1": ["3"]}, "not one of the answers to question 3"),
        (Matching(), PAIRS, {"q7-1": ["99"]}, "not one of the answers to question 3"),
    ],
)
def test_read_response_refuses_what_the_form_cannot_send(question_type, answers, form, message):
    with pytest.raises(DomainError, match=message):
        question_type.read_response(_row(question_type.name, answers), form)


@pytest.mark.parametrize(
    ("question_type", "response", "fits"),
    [
        (SingleChoice(), 1, True),
        (SingleChoice(), True, False),
        (SingleChoice(), [1], False),
        (MultipleChoice(), [1], True),
        (ShortAnswer(), "text", True),
        (Numerical(), 3, False),
        (Matching(), {"1": 2}, True),
        (Matching(), [], False),
        (Essay(), "text", True),
    ],
)
def test_fits(question_type, response, fits):
    assert question_type.fits(response) is fits


@pytest.mark.parametrize(
    ("question_type", "answers", "responses", "distribution"),
    [
        (
            SingleChoice(),
            CHOICES,
            [1, 1, 2, None, "stale"],
            [Choice("a", 2, True), Choice("b", 1, False)],
        ),
        (
            MultipleChoice(),
            MULTI,
            [[1, 2], [1, 3], None],
            [Choice("a", 2, True), Choice("b", 1, True), Choice("c", 1, False)],
        ),
        (
            ShortAnswer(),
            [],
            ["Yes", " yes ", "no", "", None, *"abcdef"],
            [
                Choice("yes", 2),
                Choice("no", 1),
                Choice("a", 1),
                Choice("b", 1),
                Choice("c", 1),
                Choice("(other answers)", 3),
                Choice("(no answer)", 2),
            ],
        ),
        (Numerical(), [], ["4", "4", None], [Choice("4", 2), Choice("(no answer)", 1)]),
        (
            Matching(),
            PAIRS,
            [{"1": 1, "2": 2, "3": 1}, {"1": 2}, "stale"],
            [Choice("x → X", 1, True), Choice("y → Y", 1, True), Choice("z → X", 1, True)],
        ),
        (Essay(), [], ["Long text."], []),
    ],
)
def test_distribution(question_type, answers, responses, distribution):
    assert question_type.distribution(answers, responses) == distribution


@pytest.mark.parametrize(
    ("question_type", "answers", "response", "fraction"),
    [
        (SingleChoice(), CHOICES, 1, 1),
        (TrueFalse(), CHOICES, 2, 0),
        (MultipleChoice(), MULTI, [1, 2], 1),
        (ShortAnswer(), [_answer(1, "public*", 1)], "Public value", 1),
        (Numerical(), [_answer(1, "4", 1, value=4.0, tolerance=0.5)], "4,4", 1),
        (Matching(), PAIRS, {"1": 3, "2": 2}, 2 / 3),
        (Essay(), [], "Long text.", None),
        # A response stored before the question changed type earns nothing.
        (SingleChoice(), CHOICES, [1], 0),
        (Matching(), PAIRS, [1], 0),
        (ShortAnswer(), [_answer(1, "*", 1)], 3, 0),
    ],
)
def test_grade(question_type, answers, response, fraction):
    assert question_type.grade(answers, response).fraction == pytest.approx(fraction)
