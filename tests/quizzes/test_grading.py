"""Grading one response: every question type, partial credit, penalties and wildcards."""

from dataclasses import dataclass

import pytest

from course_engine.quizzes.types import get_type


@dataclass
class A:
    id: int
    text: str
    fraction: float
    feedback: str = ""
    match: str | None = None
    value: float | None = None
    tolerance: float | None = None


CHOICES = [A(1, "a", 1, "yes"), A(2, "b", 0, "no")]
MULTI = [A(1, "a", 0.5), A(2, "b", 0.5), A(3, "c", -1, "penalty")]
SHORT = [A(1, "public value", 1), A(2, "public*", 0.5, "close"), A(3, "*", 0, "no")]
NUMERIC = [A(1, "15", 1, value=15, tolerance=1), A(2, "20", 0.5, value=20, tolerance=0)]
PAIRS = [A(1, "x", 1, match="X"), A(2, "y", 1, match="Y"), A(3, "z", 1, match="X")]


@pytest.mark.parametrize(
    ("kind", "answers", "response", "fraction", "feedback"),
    [
        ("single", CHOICES, 1, 1, ["yes"]),
        ("single", CHOICES, 2, 0, ["no"]),
        ("single", CHOICES, None, 0, []),
        ("single", CHOICES, 99, 0, []),
        ("truefalse", CHOICES, 1, 1, ["yes"]),
        ("multiple", MULTI, [1, 2], 1, ["", ""]),
        ("multiple", MULTI, [1], 0.5, [""]),
        ("multiple", MULTI, [1, 3], 0, ["", "penalty"]),
        ("multiple", MULTI, [1, 2, 3], 0, ["", "", "penalty"]),
        ("short", SHORT, "  Public   VALUE ", 1, [""]),
        ("short", SHORT, "public sector", 0.5, ["close"]),
        ("short", SHORT, "anything", 0, ["no"]),
        ("numerical", NUMERIC, "14", 1, [""]),
        ("numerical", NUMERIC, "16,0", 1, [""]),
        ("numerical", NUMERIC, "20", 0.5, [""]),
        ("numerical", NUMERIC, "17", 0, []),
        ("numerical", NUMERIC, "many", 0, ["That is not a number."]),
        ("matching", PAIRS, {"1": 1, "2": 2, "3": 1}, 1, []),
        ("matching", PAIRS, {"1": 2, "2": 2, "3": 3}, 2 / 3, []),
        ("matching", PAIRS, {}, 0, []),
        # A response stored before a question changed type earns nothing, not an error.
        ("single", CHOICES, [1], 0, []),
        ("short", SHORT, 3, 0, []),
    ],
)
def test_grade(kind, answers, response, fraction, feedback):
    marking = get_type(kind).grade(answers, response)
    assert marking.fraction == pytest.approx(fraction)
    assert marking.feedback == feedback


def test_essays_wait_for_a_person():
    assert get_type("essay").grade([], "text").fraction is None


@pytest.mark.parametrize(
    ("kind", "answers", "right"),
    [
        ("single", CHOICES, ["a"]),
        ("multiple", MULTI, ["a", "b"]),
        ("short", SHORT, ["public value"]),
        ("matching", PAIRS[:2], ["x → X", "y → Y"]),
        ("essay", [], []),
    ],
)
def test_right_answers(kind, answers, right):
    assert get_type(kind).right_answers(answers) == right
