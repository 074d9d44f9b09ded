"""The dashboard's numbers, checked against data built through each domain's own services."""

from datetime import date, datetime, timedelta

import pytest

from course_engine.courses.models import ProgressStatus
from course_engine.courses.outline import find_item
from course_engine.courses.progress import set_status
from course_engine.courses.services import get_course, set_group
from course_engine.database import utcnow
from course_engine.deliverables import grading
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.gradebook.services import record_grade
from course_engine.reports import services
from course_engine.reports.filters import Filters, Status, paginate, parse_filters
from course_engine.surveys.services import submit_response
from tests.deliverables import factories as work

REQUIRED = [
    "welcome",
    "service-design",
    "check-your-understanding",
    "introductions",
    "service-sketch",
]


def _done(user, *slugs):
    for slug in slugs:
        set_status(user.id, find_item("example-course", slug), ProgressStatus.DONE)
    db.session.commit()


def _report(**filters):
    return services.dashboard(get_course("example-course"), Filters(**filters))


def _by_name(report):
    return {row.name: row for row in report.learners}


@pytest.fixture
def cohort4(world, make_user, enrol):
    """Four more learners: one complete, one halfway, one on the quiz only, one idle."""
    learners = {
        "complete": make_user(name="Ada", country="Barbados"),
        "halfway": make_user(name="Ben", country="Belize"),
        "quiz": make_user(name="Cy", country="Belize"),
        "idle": make_user(name="Di", country="Jamaica"),
    }
    for user in learners.values():
        enrol(user, "example-course")
    work.submit(learners["complete"])
    _done(learners["complete"], *REQUIRED)
    _done(learners["halfway"], "welcome", "service-design")
    _done(learners["quiz"], "check-your-understanding")
    quiz = find_item("example-course", "check-your-understanding")
    for user, score in (
        (learners["complete"], 95),
        (learners["quiz"], 42.5),
        (world["learner"], 100),
    ):
        record_grade(user.id, quiz, score, 100, category="quizzes", released=True)
    db.session.commit()
    return learners


def test_learners_progress_and_summary(cohort4, world):
    report = _report()
    rows = _by_name(report)
    assert report.total_required == len(REQUIRED)
    assert (rows["Ada"].done, rows["Ada"].status) == (5, Status.COMPLETE)
    assert (rows["Ben"].done, rows["Ben"].status) == (2, Status.ON_TRACK)
    assert (rows["Cy"].done, rows["Cy"].status) == (1, Status.ON_TRACK)
    assert (rows["Di"].done, rows["Di"].status, rows["Di"].last_activity) == (
        0,
        Status.NOT_STARTED,
        None,
    )
    assert rows["Ada"].last_activity is not None
    # Only learners: the facilitator and peer reviewer are not in the report.
    assert set(rows) == {"Ada", "Ben", "Cy", "Di", world["learner"].display_name}
    assert report.summary == {
        Status.NOT_STARTED: 2,
        Status.BEHIND: 0,
        Status.ON_TRACK: 2,
        Status.COMPLETE: 1,
    }


def test_an_optional_item_does_not_count(cohort4):
    submit_response(
        cohort4["idle"].id, find_item("example-course", "needs-survey"), {"country": ["Other"]}
    )
    db.session.commit()
    row = _by_name(_report())["Di"]
    assert (row.done, row.status) == (0, Status.NOT_STARTED)
    assert row.last_activity is not None


def test_behind_after_a_passed_due_date_and_an_extension_puts_back_on_track(cohort4):
    course = get_course("example-course")
    course.starts_on = date.today() - timedelta(days=30)  # service-sketch was due on day 7
    db.session.commit()
    rows = _by_name(_report())
    assert (rows["Ben"].overdue, rows["Ben"].status) == (1, Status.BEHIND)
    assert (rows["Ada"].overdue, rows["Ada"].status) == (0, Status.COMPLETE)
    assert rows["Di"].status == Status.NOT_STARTED  # not started comes first

    _, _, deliverable = work.deliverable()
    submission = grading.open_for_learner(deliverable, cohort4["halfway"].id)
    grading.grant_extension(submission, utcnow() + timedelta(days=3))
    db.session.commit()
    assert _by_name(_report())["Ben"].status == Status.ON_TRACK


def test_a_deliverable_handed_in_but_not_graded_is_not_overdue(cohort4):
    work.submit(cohort4["halfway"])
    course = get_course("example-course")
    course.starts_on = date.today() - timedelta(days=30)  # service-sketch was due on day 7
    db.session.commit()
    row = _by_name(_report())["Ben"]
    assert (row.done, row.overdue, row.status) == (2, 0, Status.ON_TRACK)


def test_an_extension_that_passed_makes_behind_before_the_course_due_date(cohort4):
    _, _, deliverable = work.deliverable()
    submission = grading.open_for_learner(deliverable, cohort4["quiz"].id)
    grading.grant_extension(submission, utcnow() - timedelta(days=1))
    db.session.commit()
    rows = _by_name(_report())
    assert (rows["Cy"].overdue, rows["Cy"].status) == (1, Status.BEHIND)
    assert rows["Ben"].status == Status.ON_TRACK  # no start date: nothing is due for others


def test_module_completion(cohort4):
    modules = {row.title: row for row in _report().modules}
    # Getting started: welcome, service-design, the quiz. Working together: discussion, deliverable.
    assert (modules["Getting started"].required, modules["Getting started"].completed) == (3, 1)
    assert (modules["Working together"].required, modules["Working together"].completed) == (2, 1)
    assert modules["Getting started"].learners == 5
    assert modules["Getting started"].percent == 20.0


def test_quiz_bins_count_learners_only(cohort4, world):
    quiz = find_item("example-course", "check-your-understanding")
    record_grade(world["facilitator"].id, quiz, 10, 100, category="quizzes", released=True)
    db.session.commit()
    (row,) = _report().quizzes
    assert row.bins == [0, 0, 0, 0, 1, 0, 0, 0, 0, 2]  # 42.5; 95 and 100 share the last bin
    assert row.graded == 3


def test_grading_counts_follow_the_queue(cohort4, world, make_user, enrol):
    released, draft = make_user(), make_user()
    for user in (released, draft):
        enrol(user, "example-course")
    work.graded(released, release=True)
    work.graded(draft, release=False)
    (row,) = _report().deliverables
    # Ada submitted and is not graded; then one released and one draft.
    assert (row.submitted, row.to_grade, row.draft, row.released) == (3, 1, 1, 1)
    # A new version after a release is to grade again.
    work.submit(released)
    (row,) = _report().deliverables
    assert (row.to_grade, row.draft, row.released) == (2, 1, 0)


def test_survey_counts_learners_responses(cohort4, world):
    survey = find_item("example-course", "needs-survey")
    for user in (cohort4["idle"], cohort4["halfway"], world["facilitator"]):
        submit_response(user.id, survey, {"country": ["Other"]})
    db.session.commit()
    (row,) = _report().surveys
    assert (row.item.slug, row.responses, row.learners) == ("needs-survey", 2, 5)


def test_filters_by_group_and_country(cohort4):
    course = get_course("example-course")
    group = set_group(cohort4["halfway"].id, course.id, "North")
    set_group(cohort4["complete"].id, course.id, "South")
    db.session.commit()
    report = _report(group_id=group.id)
    assert [row.name for row in report.learners] == ["Ben"]
    assert report.modules[0].learners == 1
    assert [row.name for row in _report(country="Belize").learners] == ["Ben", "Cy"]
    assert _report(country="Atlantis").learners == []
    assert _report(country="Belize").quizzes[0].graded == 1


def test_listed_by_status(cohort4):
    report = _report()
    assert [row.name for row in report.listed(Status.NOT_STARTED)] == sorted(
        row.name for row in report.learners if row.done == 0
    )


@pytest.mark.parametrize(
    ("group", "country", "status", "message"),
    [
        ("abc", None, None, "There is no such group in this course."),
        ("999", None, None, "There is no such group in this course."),
        ("-1", None, None, "There is no such group in this course."),
        (None, None, "late", "Unknown progress status 'late'"),
        (None, None, "NOT_STARTED", "Unknown progress status"),
    ],
)
def test_bad_filters(group, country, status, message):
    with pytest.raises(DomainError, match=message) as raised:
        parse_filters([(1, "North")], group=group, country=country, status=status)
    assert raised.value.status_code == 400


def test_good_filters():
    assert parse_filters([(7, "North")], group="7", country=" Belize ", status="behind") == Filters(
        7, "Belize", Status.BEHIND
    )
    assert parse_filters([], group="", country="", status="") == Filters()


@pytest.mark.parametrize("number", ["0", "-1", "x", "1.5", "²", " 1"])
def test_bad_page_numbers(number):
    with pytest.raises(DomainError, match="The page must be a whole number from 1.") as raised:
        paginate(list(range(10)), number)
    assert raised.value.status_code == 400


def test_pages():
    rows = list(range(120))
    assert paginate(rows, None).items == list(range(50))
    last = paginate(rows, "3")
    assert (last.items, last.page, last.pages, last.total) == (list(range(100, 120)), 3, 3, 120)
    assert paginate([], "1").pages == 1
    with pytest.raises(NotFound, match="There is no page 4: the list has 3 page"):
        paginate(rows, "4")


def test_due_dates_use_the_deliverables_rule(cohort4):
    course = get_course("example-course")
    course.starts_on = date(2030, 1, 1)
    db.session.commit()
    assert (
        _by_name(services.dashboard(course, Filters(), now=datetime(2030, 1, 8, 23, 58)))[
            "Ben"
        ].status
        == Status.ON_TRACK
    )
    assert (
        _by_name(services.dashboard(course, Filters(), now=datetime(2030, 1, 9)))["Ben"].status
        == Status.BEHIND
    )
