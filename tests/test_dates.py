"""Pack dates and date-times: one rule for a bare date, whichever item kind reads it."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from course_engine import dates
from course_engine.courses.outline import find_item
from course_engine.courses.services import get_course
from course_engine.deliverables import services as deliverables
from course_engine.quizzes.services.attempts import availability_problem, quiz_for_item
from course_engine.surveys import services as surveys

BARBADOS = ZoneInfo("America/Barbados")
INDENT = " " * 12  # of an item's keys in the example manifest


@pytest.mark.parametrize("value", ["2027-03-10", date(2027, 3, 10)])
def test_a_bare_date_ends_at_the_last_second_of_that_day(value):
    assert dates.parse_end(value) == datetime(2027, 3, 10, 23, 59, 59)


@pytest.mark.parametrize("value", ["2027-03-10", date(2027, 3, 10)])
def test_a_bare_date_starts_at_midnight(value):
    assert dates.parse_start(value) == datetime(2027, 3, 10, 0, 0)


@pytest.mark.parametrize("parse", [dates.parse_start, dates.parse_end])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-03-10T14:00:00-04:00", datetime(2027, 3, 10, 18, 0)),
        ("2027-03-10T14:00:00Z", datetime(2027, 3, 10, 14, 0)),
        ("2027-03-10 14:00", datetime(2027, 3, 10, 14, 0)),  # naive: UTC
        (datetime(2027, 3, 10, 14, 0), datetime(2027, 3, 10, 14, 0)),
        (
            datetime(2027, 3, 10, 14, 0, tzinfo=timezone(timedelta(hours=2))),
            datetime(2027, 3, 10, 12),
        ),
    ],
)
def test_a_date_time_is_that_moment_whatever_the_edge(parse, value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize("parse", [dates.parse_start, dates.parse_end])
def test_nothing_given_is_no_moment(parse):
    assert parse(None) is None


@pytest.mark.parametrize("value", ["soon", "2027-13-01", "10/03/2027", "", 20270310, True, [2027]])
@pytest.mark.parametrize("parse", [dates.parse_start, dates.parse_end, dates.parse_moment])
def test_unreadable_values_raise_value_error(parse, value):
    with pytest.raises(ValueError):
        parse(value)


def test_a_zone_applies_to_naive_moments_and_bare_dates_only():
    assert dates.parse_end("2027-03-10", BARBADOS) == datetime(2027, 3, 11, 3, 59, 59)
    assert dates.parse_start("2027-03-10", BARBADOS) == datetime(2027, 3, 10, 4, 0)
    assert dates.parse_moment("2027-03-10T14:00", BARBADOS) == datetime(2027, 3, 10, 18, 0)
    assert dates.parse_moment("2027-03-10T14:00Z", BARBADOS) == datetime(2027, 3, 10, 14, 0)


@pytest.mark.parametrize("value", ["2027-03-10", date(2027, 3, 10)])
def test_a_moment_needs_a_time(value):
    with pytest.raises(ValueError):
        dates.parse_moment(value)


def test_read_tells_a_day_from_a_moment():
    assert dates.read("2027-03-10") == date(2027, 3, 10)
    assert dates.read("2027-03-10T00:00") == datetime(2027, 3, 10)
    assert type(dates.read(datetime(2027, 3, 10))) is datetime


def test_the_end_of_a_day_is_recognised():
    assert dates.is_end_of_day(dates.end_of(date(2027, 3, 10)))
    assert not dates.is_end_of_day(datetime(2027, 3, 10, 23, 59))
    assert not dates.is_end_of_day(dates.start_of(date(2027, 3, 11)))


def test_to_utc_reads_naive_moments_in_the_zone():
    assert dates.to_utc(datetime(2027, 7, 1, 14), BARBADOS) == datetime(2027, 7, 1, 18)
    assert dates.to_utc(datetime(2027, 7, 1, 14, tzinfo=UTC), BARBADOS) == datetime(2027, 7, 1, 14)


@pytest.mark.parametrize("written", ["2027-03-10", '"2027-03-10"'])
def test_the_same_bare_date_closes_a_quiz_a_deliverable_and_a_survey_at_once(
    app, pack_copy, import_pack, written
):
    folder = pack_copy()
    manifest = folder / "course.yaml"
    text = manifest.read_text()
    for old, new in (
        ("pass_percent: 50", f"pass_percent: 50\n{INDENT}closes: {written}"),
        ("due_days: 7", f"due: {written}"),
        ("required: false", f"required: false\n{INDENT}closes: {written}"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    manifest.write_text(text)
    import_pack(folder)

    quiz = quiz_for_item(find_item("example-course", "check-your-understanding"))
    deliverable = deliverables.deliverable_for_item(find_item("example-course", "service-sketch"))
    due = deliverables.deadlines(deliverable, get_course("example-course"), None).due
    survey = surveys.survey_of(find_item("example-course", "needs-survey"))
    end_of_day = datetime(2027, 3, 10, 23, 59, 59)
    assert quiz.closes_at == due == survey.closes_at == end_of_day

    last_minute = datetime(2027, 3, 10, 23, 59)
    next_day = datetime(2027, 3, 11)
    assert availability_problem(quiz, last_minute) is None
    assert availability_problem(quiz, next_day) is not None
    assert not surveys.is_closed(survey, last_minute) and surveys.is_closed(survey, next_day)
    assert not last_minute > due and next_day > due
