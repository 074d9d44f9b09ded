import textwrap

import pytest

from course_engine.quizzes.questions import (
    ParsedAnswer,
    ParsedQuestion,
    QuestionError,
    answer_problem,
    load_yaml_questions,
    parse_yaml_questions,
    questions_to_json,
)

EVERY_TYPE = """\
questions:
  - id: q1
    type: single
    text: Which dimension?
    points: 2
    feedback: General feedback.
    answers:
      - text: Leadership
        weight: 100
        feedback: Right.
      - text: Budget
        weight: 0
        feedback: Not one of the six.
  - id: q2
    type: truefalse
    text: Is it true?
    answer: true
    feedback_true: You said true.
    feedback_false: You said false.
  - id: q3
    type: short
    text: Name it.
    answers:
      - {text: "public value", weight: 100, feedback: Yes.}
      - {text: "value*", weight: 50}
  - id: q4
    type: numerical
    text: How many?
    answers:
      - {value: 5, tolerance: 0.5, weight: 100, feedback: Right.}
      - {value: 4, weight: 50}
  - id: q5
    type: matching
    text: Match each tool to its purpose.
    pairs:
      - {prompt: Stakeholder analysis, match: Who is affected}
      - {prompt: Prototyping, match: Testing an idea cheaply}
  - id: q6
    type: essay
    text: Discuss.
    guidance: What a good answer covers.
  - id: q7
    type: multiple
    text: Pick two.
    answers:
      - {text: a, weight: 50}
      - {text: b, weight: 50}
      - {text: c, weight: -100}
"""


def load(source):
    """Load a YAML question file from an indented snippet."""
    return load_yaml_questions(textwrap.dedent(source), "quiz.yaml")


def test_every_type_parses():
    questions, errors = load(EVERY_TYPE)
    assert errors == []
    assert [(q.key, q.type, q.line) for q in questions] == [
        ("q1", "single", 2),
        ("q2", "truefalse", 14),
        ("q3", "short", 20),
        ("q4", "numerical", 26),
        ("q5", "matching", 32),
        ("q6", "essay", 38),
        ("q7", "multiple", 42),
    ]


def test_single_question_fields():
    questions, _ = load(EVERY_TYPE)
    assert questions[0] == ParsedQuestion(
        key="q1",
        type="single",
        name="q1",
        text="Which dimension?",
        line=2,
        points=2.0,
        general_feedback="General feedback.",
        answers=[
            ParsedAnswer("Leadership", 1.0, "Right."),
            ParsedAnswer("Budget", 0.0, "Not one of the six."),
        ],
    )


@pytest.mark.parametrize(
    ("index", "answers"),
    [
        (1, [("True", 1.0, "You said true."), ("False", 0.0, "You said false.")]),
        (2, [("public value", 1.0, "Yes."), ("value*", 0.5, "")]),
        (6, [("a", 0.5, ""), ("b", 0.5, ""), ("c", -1.0, "")]),
    ],
)
def test_answers_and_fractions(index, answers):
    questions, _ = load(EVERY_TYPE)
    assert [(a.text, a.fraction, a.feedback) for a in questions[index].answers] == answers


def test_truefalse_false_answer():
    questions, errors = load(
        """\
        questions:
          - {id: tf, type: truefalse, text: 'Is it?', answer: false}
        """
    )
    assert errors == []
    assert [(a.text, a.fraction) for a in questions[0].answers] == [("True", 0.0), ("False", 1.0)]


def test_numerical_values_and_default_tolerance():
    questions, _ = load(EVERY_TYPE)
    assert [(a.value, a.tolerance, a.fraction) for a in questions[3].answers] == [
        (5.0, 0.5, 1.0),
        (4.0, 0.0, 0.5),
    ]


def test_matching_and_essay_fields():
    questions, _ = load(EVERY_TYPE)
    assert questions[4].pairs == [
        ("Stakeholder analysis", "Who is affected"),
        ("Prototyping", "Testing an idea cheaply"),
    ]
    assert questions[5].guidance == "What a good answer covers."
    assert questions[5].answers == []


def test_defaults():
    questions, _ = load(EVERY_TYPE)
    essay = questions[5]
    assert (essay.points, essay.general_feedback, essay.category, essay.text_format) == (
        1.0,
        "",
        None,
        "markdown",
    )


@pytest.mark.parametrize(
    ("question", "line", "message"),
    [
        ("{id: q, type: single, text: T, colour: red, answers: [{text: a, weight: 100}]}",
         2, "unknown key `colour`"),
        ("{id: q, type: truefalse, text: T, answer: true, answers: []}",
         2, "unknown key `answers`"),
        ("{id: q, type: essay, text: T, answer: true}", 2, "unknown key `answer`"),
        ("{id: q, type: dropdown, text: T}", 2, "`type` must be one of single, multiple"),
        ("{id: q, text: T}", 2, "`type` must be one of"),
        ("{type: essay, text: T}", 2, "`id` is required"),
        ("{id: 7, type: essay, text: T}", 2, "`id` must be a string"),
        ("{id: q, type: essay}", 2, "`text` is required"),
        ("{id: q, type: essay, text: '  '}", 2, "`text` is required"),
        ("{id: q, type: essay, text: [a, b]}", 2, "`text` must be a string"),
        ("{id: q, type: essay, text: T, points: many}", 2, "`points` must be a number"),
        ("{id: q, type: essay, text: T, points: true}", 2, "`points` must be a number"),
        ("{id: q, type: essay, text: T, points: .nan}", 2, "`points` must be a number"),
        ("{id: q, type: essay, text: T, points: -1}", 2, "`points` may not be negative"),
        ("{id: q, type: essay, text: T, feedback: 3}", 2, "`feedback` must be a string"),
        ("{id: q, type: essay, text: T, guidance: {a: b}}", 2, "`guidance` must be a string"),
        ("{id: q, type: single, text: T}", 2, "`answers` must be a non-empty list"),
        ("{id: q, type: single, text: T, answers: []}", 2, "`answers` must be a non-empty list"),
        ("{id: q, type: single, text: T, answers: [a, b]}",
         2, "each of `answers` must be a mapping"),
        ("{id: q, type: single, text: T, answers: [{weight: 100}]}", 2, "`text` is required"),
        ("{id: q, type: single, text: T, answers: [{text: a, weight: '100'}]}",
         2, "`weight` must be a number"),
        ("{id: q, type: single, text: T, answers: [{text: a, weight: 150}]}",
         2, "weight 150% is outside -100% to 100%"),
        ("{id: q, type: single, text: T, answers: [{text: a, value: 1, weight: 100}]}",
         2, "unknown key `value`"),
        ("{id: q, type: single, text: T, answers: [{text: a}, {text: b}]}", 2, "no correct answer"),
        ("{id: q, type: single, text: T, answers: [{text: a, weight: 50}, {text: b, weight: 50}]}",
         2, "single questions need exactly one answer at 100%, not 0"),
        ("{id: q, type: single, text: T, answers: [{text: a, weight: 100}, "
         "{text: b, weight: 100}]}",
         2, "single questions need exactly one answer at 100%, not 2"),
        ("{id: q, type: multiple, text: T, answers: [{text: a, weight: 50}, "
         "{text: b, weight: 40}]}",
         2, "the positive weights add up to 90%, not 100%"),
        ("{id: q, type: multiple, text: T, answers: [{text: a, weight: -50}, {text: b}]}",
         2, "no correct answer"),
        ("{id: q, type: short, text: T, answers: [{text: a, weight: 50}]}",
         2, "no answer is worth 100%"),
        ("{id: q, type: truefalse, text: T}", 2, "need `answer: true` or `answer: false`"),
        ("{id: q, type: truefalse, text: T, answer: 'yes please'}", 2, "need `answer: true`"),
        ("{id: q, type: numerical, text: T, answers: [{weight: 100}]}", 2, "`value` is required"),
        ("{id: q, type: numerical, text: T, answers: [{value: five, weight: 100}]}",
         2, "`value` must be a number"),
        ("{id: q, type: numerical, text: T, answers: [{value: 5, tolerance: -1, weight: 100}]}",
         2, "`tolerance` may not be negative"),
        ("{id: q, type: numerical, text: T, answers: [{value: 5, text: five, weight: 100}]}",
         2, "unknown key `text`"),
        ("{id: q, type: matching, text: T, pairs: [{prompt: a, match: b}]}",
         2, "matching questions need at least 2 pairs, not 1"),
        ("{id: q, type: matching, text: T}", 2, "`pairs` must be a non-empty list"),
        ("{id: q, type: matching, text: T, pairs: [{prompt: a}, {prompt: b, match: c}]}",
         2, "`match` is required"),
        ("{id: q, type: matching, text: T, pairs: [{prompt: a, match: b, hint: c}, "
         "{prompt: d, match: e}]}",
         2, "unknown key `hint`"),
        # A bare string carries no line of its own, so the file's mapping line is used.
        ("just a string", 1, "each question must be a mapping"),
    ],
)  # fmt: skip
def test_question_errors(question, line, message):
    questions, errors = load(f"questions:\n  - {question}\n")
    assert questions == []
    assert [e.line for e in errors] == [line]
    assert message in errors[0].message


def test_errors_point_at_the_answer_line():
    questions, errors = load(
        """\
        questions:
          - id: q1
            type: single
            text: Which?
            answers:
              - text: Right
                weight: 100
              - text: Wrong
                weight: many
        """
    )
    assert questions == []
    assert [str(e) for e in errors] == ["quiz.yaml:8: `weight` must be a number"]


def test_every_problem_in_a_question_is_reported():
    _, errors = load(
        """\
        questions:
          - id: q1
            type: essay
            text: 5
            colour: red
            points: lots
        """
    )
    assert sorted(e.message for e in errors) == [
        "`points` must be a number",
        "`text` must be a string",
        "unknown key `colour`",
    ]


def test_good_questions_survive_bad_ones():
    questions, errors = load(
        """\
        questions:
          - {id: good, type: essay, text: Fine.}
          - {id: bad, type: essay}
          - {id: also-good, type: truefalse, text: 'Yes?', answer: true}
        """
    )
    assert [q.key for q in questions] == ["good", "also-good"]
    assert [(e.line, e.message) for e in errors] == [(3, "`text` is required")]


def test_duplicate_ids():
    questions, errors = load(
        """\
        questions:
          - {id: q1, type: essay, text: One.}
          - {id: q2, type: essay, text: Two.}
          - {id: q1, type: essay, text: Three.}
        """
    )
    assert [q.text for q in questions] == ["One.", "Two."]
    assert [str(e) for e in errors] == ["quiz.yaml:4: duplicate question id `q1` (first at line 2)"]


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("- {id: q1, type: essay, text: T}\n", 1, "a question file is a mapping with `questions:`"),
        ("", 1, "a question file is a mapping with `questions:`"),
        ("title: Quiz\n", 1, "unknown key `title`"),
        ("questions: []\n", 1, "`questions` must be a non-empty list"),
        ("questions: {id: q1}\n", 1, "`questions` must be a non-empty list"),
        ("questions:\n  - {id: q1, type: essay\n", 3, "invalid YAML"),
        ("questions:\n\t- x\n", 2, "invalid YAML"),
    ],
)
def test_file_errors(source, line, message):
    questions, errors = load_yaml_questions(source, "quiz.yaml")
    assert questions == []
    assert errors[0].line == line
    assert message in errors[0].message


def test_unknown_top_level_key_next_to_questions():
    questions, errors = load("extra: 1\nquestions:\n  - {id: q, type: essay, text: T}\n")
    assert [q.key for q in questions] == ["q"]
    assert [str(e) for e in errors] == ["quiz.yaml:1: unknown key `extra`"]


def test_parse_without_line_numbers_reports_line_one():
    data = {"questions": [{"id": "q", "type": "essay"}]}
    assert parse_yaml_questions(data, "quiz.yaml") == (
        [],
        [QuestionError(1, "`text` is required", "quiz.yaml")],
    )


def test_parse_plain_data():
    data = {"questions": [{"id": "q", "type": "truefalse", "text": "T", "answer": False}]}
    questions, errors = parse_yaml_questions(data, "quiz.yaml")
    assert errors == []
    assert questions[0].answers[1] == ParsedAnswer("False", 1.0, "")


def test_questions_keep_the_line_they_start_on():
    questions, errors = load("questions:\n  - {id: a, type: essay, text: T}\n\n  - id: b\n"
                             "    type: essay\n    text: T\n")  # fmt: skip
    assert errors == [] and [q.line for q in questions] == [2, 4]


def test_a_duplicate_key_is_refused_with_file_and_line():
    source = "questions:\n  - id: q1\n    type: essay\n    text: T\n    text: U\n"
    questions, errors = load_yaml_questions(source, "quiz.yaml")
    assert questions == []
    assert [str(e) for e in errors] == ["quiz.yaml:5: invalid YAML: duplicate key 'text'"]


@pytest.mark.parametrize(
    "source",
    [
        "!!python/object/apply:os.system [echo]\n",
        "questions:\n  - &q {id: q1, type: essay, text: T}\n  - *q\n",
    ],
    ids=["python tag", "alias"],
)
def test_only_safe_yaml_is_loaded(source):
    questions, errors = load_yaml_questions(source, "quiz.yaml")
    assert questions == [] and errors[0].message.startswith("invalid YAML")


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (QuestionError(3, "bad", "quiz.gift"), "quiz.gift:3: bad"),
        (QuestionError(3, "bad"), "line 3: bad"),
    ],
)
def test_question_error_text(error, text):
    assert str(error) == text
    with pytest.raises(QuestionError, match="bad"):
        raise error


@pytest.mark.parametrize(
    ("kind", "fractions", "problem"),
    [
        ("essay", [], None),
        ("single", [1, 0, -0.5], None),
        ("single", [1, 0.5], None),
        ("multiple", [0.3333, 0.3333, 0.3333, -1], None),
        ("multiple", [0.5, 0.6], "the positive weights add up to 110%, not 100%"),
        ("truefalse", [0, 1], None),
        ("numerical", [0.5], "no answer is worth 100%"),
        ("short", [], "no correct answer"),
    ],
)
def test_answer_problem(kind, fractions, problem):
    question = ParsedQuestion(
        key="q",
        type=kind,
        name="q",
        text="T",
        line=1,
        answers=[ParsedAnswer(str(f), f) for f in fractions],
    )
    assert answer_problem(question) == problem


def test_questions_to_json():
    questions, _ = load(EVERY_TYPE)
    data = questions_to_json(questions)
    assert data[1]["answers"] == [
        {"text": "True", "fraction": 1.0, "feedback": "You said true."},
        {"text": "False", "fraction": 0.0, "feedback": "You said false."},
    ]
    assert data[3]["answers"][0] == {
        "text": "5",
        "fraction": 1.0,
        "feedback": "Right.",
        "value": 5.0,
        "tolerance": 0.5,
    }
    assert data[4]["pairs"][0] == {"prompt": "Stakeholder analysis", "match": "Who is affected"}
    assert {key for item in data for key in item} == {
        "key", "name", "type", "text", "text_format", "points", "category", "line",
        "general_feedback", "answers", "pairs",
    }  # fmt: skip
