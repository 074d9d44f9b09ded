import json

import pytest

from course_engine.quizzes.gift import parse_gift
from course_engine.quizzes.questions import questions_to_json


def parse_one(source):
    """Parse a GIFT source that must hold exactly one valid question."""
    questions, errors = parse_gift(source)
    assert errors == []
    assert len(questions) == 1
    return questions[0]


def answers_of(question):
    return [(a.text, a.fraction, a.feedback) for a in question.answers]


@pytest.mark.parametrize(
    ("source", "kind", "answers"),
    [
        (
            "Who is buried in Grant's tomb? {~Grant ~Jefferson =no one}",
            "single",
            [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 1, "")],
        ),
        (
            "Pick one {=right ~%50%half ~%-25%wrong}",
            "single",
            [("right", 1, ""), ("half", 0.5, ""), ("wrong", -0.25, "")],
        ),
        (
            "Pick two {~%50%a ~%50%b ~%-100%c}",
            "multiple",
            [("a", 0.5, ""), ("b", 0.5, ""), ("c", -1, "")],
        ),
        (
            "Pick three {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}",
            "multiple",
            [("a", 0.3333333, ""), ("b", 0.3333333, ""), ("c", 0.3333333, ""), ("d", 0, "")],
        ),
        ("Name it {=alpha}", "short", [("alpha", 1, "")]),
        (
            "Name it {=alpha =%50%alfa#close =beta*}",
            "short",
            [("alpha", 1, ""), ("alfa", 0.5, "close"), ("beta*", 1, "")],
        ),
        ("The sky is blue. {T}", "truefalse", [("True", 1, ""), ("False", 0, "")]),
        ("The sky is green. {F}", "truefalse", [("True", 0, ""), ("False", 1, "")]),
        ("The sky is blue. {TRUE}", "truefalse", [("True", 1, ""), ("False", 0, "")]),
        ("The sky is green. {FALSE}", "truefalse", [("True", 0, ""), ("False", 1, "")]),
        ("Two plus two? {#4}", "numerical", [("4", 1, "")]),
        ("Write about it. {}", "essay", []),
    ],
)
def test_question_types(source, kind, answers):
    question = parse_one(source)
    assert question.type == kind
    assert answers_of(question) == [(t, pytest.approx(f), fb) for t, f, fb in answers]


def test_matching_pairs():
    question = parse_one("Match them. {=cat -> meow =dog -> woof\n=cow -> moo}")
    assert question.type == "matching"
    assert question.answers == []
    assert question.pairs == [("cat", "meow"), ("dog", "woof"), ("cow", "moo")]


@pytest.mark.parametrize(
    ("spec", "value", "tolerance"),
    [
        ("3.5", 3.5, 0),
        ("3.5:0.1", 3.5, 0.1),
        ("-2:0.5", -2, 0.5),
        ("1e3:10", 1000, 10),
        ("1..5", 3, 2),
        ("-1..1", 0, 1),
        (" 2 : 1 ", 2, 1),
    ],
)
def test_numerical_value_and_tolerance(spec, value, tolerance):
    (answer,) = parse_one(f"A number. {{#{spec}}}").answers
    assert (answer.value, answer.tolerance) == (pytest.approx(value), pytest.approx(tolerance))


def test_numerical_with_several_answers():
    question = parse_one(
        "When was Ulysses S. Grant born? {#\n=1822:0 #Right\n=%50%1822:2 #Close\n~1900 #No\n}"
    )
    assert [(a.value, a.tolerance, a.fraction, a.feedback) for a in question.answers] == [
        (1822, 0, 1, "Right"),
        (1822, 2, 0.5, "Close"),
        (1900, 0, 0, "No"),
    ]


def test_numerical_single_answer_feedback():
    (answer,) = parse_one("Pi? {#3.14:0.01#Good enough}").answers
    assert answer.feedback == "Good enough"


@pytest.mark.parametrize(
    ("block", "true_feedback", "false_feedback"),
    [
        ("{T}", "", ""),
        ("{T#Wrong.}", "", "Wrong."),
        ("{T#Wrong.#Right.}", "Right.", "Wrong."),
        ("{F#Wrong.#Right.}", "Wrong.", "Right."),
        ("{FALSE#Wrong.#Right.####Overall.}", "Wrong.", "Right."),
    ],
)
def test_truefalse_feedback_goes_to_the_chosen_answer(block, true_feedback, false_feedback):
    question = parse_one(f"A statement. {block}")
    true, false = question.answers
    assert (true.text, true.feedback) == ("True", true_feedback)
    assert (false.text, false.feedback) == ("False", false_feedback)


@pytest.mark.parametrize(
    "source",
    [
        "Q? {=a#Yes ~b#No ####Because.}",
        "Q? {#4 ####Because.}",
        "Q? {T####Because.}",
        "Q? {=x -> y =z -> w ####Because.}",
        "Q? {####Because.}",
    ],
)
def test_general_feedback(source):
    assert parse_one(source).general_feedback == "Because."


def test_per_answer_feedback():
    question = parse_one("Q? {=a#Yes, a. ~b#No, not b. ~c}")
    assert [a.feedback for a in question.answers] == ["Yes, a.", "No, not b.", ""]


@pytest.mark.parametrize(
    ("escaped", "literal"),
    [
        (r"\~", "~"),
        (r"\=", "="),
        (r"\#", "#"),
        (r"\{", "{"),
        (r"\}", "}"),
        (r"\:", ":"),
        (r"\n", "\n"),
        ("\\\\", "\\"),
    ],
)
def test_escapes_in_text_title_answers_and_feedback(escaped, literal):
    question = parse_one(f"::T{escaped}::Q{escaped}? {{=A{escaped}#F{escaped} ~B}}")
    assert question.name == f"T{literal}"
    assert question.text == f"Q{literal}?"
    assert answers_of(question)[0] == (f"A{literal}", 1, f"F{literal}")


def test_escaped_backslash_before_n_is_not_a_newline():
    assert parse_one(r"Path C:\\new {}").text == "Path C:\\new"


def test_unknown_escape_is_kept():
    assert parse_one(r"Use \d+ {}").text == r"Use \d+"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("Grant is {~buried =entombed} in Grant's tomb.", "Grant is _____ in Grant's tomb."),
        ("{=Paris ~Rome} is the capital of France.", "_____ is the capital of France."),
        ("The capital of France is {=Paris ~Rome}.", "The capital of France is _____."),
        ("The capital of France is? {=Paris ~Rome}   ", "The capital of France is?"),
    ],
)
def test_missing_word(source, text):
    assert parse_one(source).text == text


@pytest.mark.parametrize(
    ("source", "name", "key"),
    [
        ("::Grant's tomb::Who? {=no one ~Grant}", "Grant's tomb", "grant-s-tomb"),
        (":: Spaced title :: Who? {=a ~b}", "Spaced title", "spaced-title"),
        ("Who is buried in Grant's tomb? {=no one ~Grant}", "Who is buried in Grant's tomb?", "q1"),
        (
            "A question whose text is far longer than any name should be. {}",
            "A question whose text is far longer tha…",
            "q1",
        ),
    ],
)
def test_name_and_key(source, name, key):
    question = parse_one(source)
    assert (question.name, question.key) == (name, key)


def test_untitled_keys_count_questions():
    questions, errors = parse_gift("One? {}\n\n::Two::Two? {}\n\nThree? {}")
    assert errors == []
    assert [q.key for q in questions] == ["q1", "two", "q3"]


@pytest.mark.parametrize(
    ("tag", "text_format"),
    [("", "markdown"), ("[markdown]", "markdown"), ("[html]", "html"), ("[plain]", "plain")],
)
def test_format_tag(tag, text_format):
    question = parse_one(f"::T::{tag}<b>Bold</b> **bold** {{}}")
    assert question.text_format == text_format
    assert question.text == "<b>Bold</b> **bold**"


def test_comments_and_blank_lines_are_skipped():
    source = (
        "// heading comment\n\n\n// about Q1\n::Q1:: One? {}\n// trailing\n\n\n::Q2:: Two? {}\n"
    )
    questions, errors = parse_gift(source)
    assert errors == []
    assert [(q.key, q.line) for q in questions] == [("q1", 5), ("q2", 9)]


def test_comment_inside_a_multi_line_question():
    question = parse_one("::Q:: Which?\n// reviewer note\n{\n=a\n// b is wrong\n~b\n}")
    assert answers_of(question) == [("a", 1, ""), ("b", 0, "")]


def test_multi_line_question():
    source = "::Q::[markdown]\nFirst line,\nsecond line.\n{\n  =right # yes\n  ~wrong # no\n}\n"
    question = parse_one(source)
    assert question.text == "First line,\nsecond line."
    assert answers_of(question) == [("right", 1, "yes"), ("wrong", 0, "no")]
    assert question.line == 1


def test_categories_apply_to_the_questions_that_follow():
    source = (
        "Before? {}\n\n$CATEGORY: $course$/Day 1\n\nOne? {}\n\nTwo? {}\n"
        "$CATEGORY: Day 2/Tools\nThree? {}\n"
    )
    questions, errors = parse_gift(source)
    assert errors == []
    assert [q.category for q in questions] == [
        None,
        "$course$/Day 1",
        "$course$/Day 1",
        "Day 2/Tools",
    ]


def test_empty_category_is_an_error():
    questions, errors = parse_gift("$CATEGORY: Day 1\n\n$CATEGORY:\n\nQ? {}")
    assert [(e.line, e.message) for e in errors] == [(3, "`$CATEGORY:` needs a category path")]
    assert [q.category for q in questions] == [None]


def test_points_and_line_numbers():
    questions, _ = parse_gift("\n\n::A:: a {}\n\n\n::B::\nb\n{}")
    assert [(q.points, q.line) for q in questions] == [(1.0, 3), (1.0, 6)]


def test_byte_order_mark_and_windows_line_endings():
    questions, errors = parse_gift("\ufeff::A:: a {=x ~y}\r\n\r\n::B:: b {}\r\n")
    assert errors == []
    assert [q.key for q in questions] == ["a", "b"]


def test_empty_file():
    assert parse_gift("// only a comment\n\n") == ([], [])


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Q? {=a ~b", 1, "unterminated `{`"),
        ("::Q::\nWhich\none?\n{=a\n~b", 4, "unterminated `{`"),
        ("::Q:: no answers at all", 1, "no answers"),
        ("::Q Who? {=a ~b}", 1, "unterminated `::title::`"),
        ("::Q:: {=a ~b}", 1, "the question has no text"),
        ("Q } oops {=a ~b}", 1, "`}` without `{`"),
        ("Q?\n{=a\n{ ~b}", 3, "`{` inside answers"),
        ("Q {=a ~b} and {=c ~d}", 1, "one answer block only"),
        ("Q? {abc}", 1, "answers must start with `=` or `~`"),
        ("Q? {~a ~b}", 1, "no correct answer"),
        ("Q? {~%50%a ~b}", 1, "exactly one answer at 100%, not 0"),
        ("Q? {=a =b ~c}", 1, "the positive weights add up to 200%, not 100%"),
        ("Q? {~%50%a ~%40%b ~c}", 1, "the positive weights add up to 90%, not 100%"),
        ("Q? {=a ~%150%b}", 1, "weight 150% is outside -100% to 100%"),
        ("Q?\n{\n=a\n~%-101%b\n}", 4, "weight -101% is outside -100% to 100%"),
        ("Q? {=a ~%half%b}", 1, "weight `%half%` is not a number"),
        ("Q? {=a ~}", 1, "empty answer after `~`"),
        ("Q? {=%50%a}", 1, "no answer is worth 100%"),
        ("Q? {#abc}", 1, "unknown numerical answer `abc`"),
        ("Q? {#1..2..3}", 1, "unknown numerical answer"),
        ("Q?\n{#\n=1\n=%50%x:1\n}", 4, "unknown numerical answer `x:1`"),
        ("Q? {#5..1}", 1, "numerical range `5..1` runs backwards"),
        ("Q? {#5:-1}", 1, "tolerance in `5:-1` may not be negative"),
        ("Q? {#=%50%5}", 1, "no answer is worth 100%"),
        ("Q? {#}", 1, "unknown numerical answer ``"),
        ("Q? {T#a#b#c}", 1, "true/false takes at most two feedbacks"),
        ("Q? {=a -> b}", 1, "matching questions need at least 2 pairs, not 1"),
        ("Q? {=a -> b =c}", 1, "matching pairs are written `=prompt -> match`"),
        ("Q? {=a -> b =c -> d#nice}", 1, "matching pairs are written"),
        ("Q? {=a -> b = -> d}", 1, "a matching pair needs a prompt and a match"),
    ],
)
def test_errors(source, line, message):
    questions, errors = parse_gift(source)
    assert questions == []
    assert len(errors) == 1
    assert errors[0].line == line
    assert message in errors[0].message


def test_errors_carry_lines_across_a_file_and_keep_the_good_questions():
    source = (
        "// file header\n"  # 1
        "::Good::Fine? {=a ~b}\n"  # 2
        "\n"  # 3
        "::Broken::Open\n"  # 4
        "{=a ~b\n"  # 5
        "\n"  # 6
        "// next\n"  # 7
        "::Wrong:: {~a ~b}\n"  # 8
        "\n"  # 9
        "::Wrong too:: Nothing right {~a ~b}\n"  # 10
        "\n"  # 11
        "::Good::Again? {}\n"  # 12
    )
    questions, errors = parse_gift(source, "day1.gift")
    assert [q.key for q in questions] == ["good"]
    assert [str(e) for e in errors] == [
        "day1.gift:5: unterminated `{`",
        "day1.gift:8: the question has no text",
        "day1.gift:10: no correct answer",
        "day1.gift:12: duplicate question key `good` (first at line 2); "
        "give the question a different title",
    ]


def test_error_without_filename_names_the_line():
    _, (error,) = parse_gift("\n\nQ? {~a}")
    assert str(error) == "line 3: no correct answer"


def test_questions_to_json():
    questions, _ = parse_gift(
        "$CATEGORY: Day 1\n::Pi::Pi? {#3.14:0.01#Close}\n\n::M:: Match {=a -> 1 =b -> 2 ####G}"
    )
    data = questions_to_json(questions)
    assert json.loads(json.dumps(data)) == data
    assert data == [
        {
            "key": "pi",
            "name": "Pi",
            "type": "numerical",
            "text": "Pi?",
            "text_format": "markdown",
            "points": 1.0,
            "category": "Day 1",
            "line": 2,
            "general_feedback": "",
            "answers": [
                {
                    "text": "3.14:0.01",
                    "fraction": 1.0,
                    "feedback": "Close",
                    "value": 3.14,
                    "tolerance": 0.01,
                }
            ],
            "pairs": [],
        },
        {
            "key": "m",
            "name": "M",
            "type": "matching",
            "text": "Match",
            "text_format": "markdown",
            "points": 1.0,
            "category": "Day 1",
            "line": 4,
            "general_feedback": "G",
            "answers": [],
            "pairs": [{"prompt": "a", "match": "1"}, {"prompt": "b", "match": "2"}],
        },
    ]
