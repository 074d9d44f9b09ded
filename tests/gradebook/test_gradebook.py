"""The gradebook: weighted totals, pages, the learner's own grades and the streamed export."""

import csv
import io
import shutil

import pytest
from sqlalchemy import event, select

from course_engine.courses.models import Item
from course_engine.courses.services import get_course, set_group
from course_engine.extensions import db
from course_engine.gradebook import report
from course_engine.gradebook.models import CategoryWeight, Grade
from course_engine.gradebook.services import record_grade
from tests.conftest import EXAMPLE_PACK

BOOK = "/courses/example-course/gradebook"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def count_queries(app):
    """Return a function that runs a callable and returns how many SQL statements it ran."""

    def run(action):
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return run


def _grade(user, slug, score, maximum=10, released=True, category=None):
    item = db.session.scalar(select(Item).where(Item.slug == slug, Item.course_id == _course_id()))
    category = category or ("quizzes" if item.kind == "quiz" else "deliverables")
    record_grade(user.id, item, score, maximum, category=category, released=released)
    db.session.commit()


def _course_id():
    return get_course("example-course").id


def test_course_total_weighs_categories_and_skips_empty_ones():
    grades = [
        Grade(score=5, max_score=10, category="quizzes"),
        Grade(score=10, max_score=10, category="deliverables"),
    ]
    assert report.course_total(grades, {"quizzes": 1, "deliverables": 1}) == 75.0
    assert report.course_total(grades, {"quizzes": 1, "deliverables": 3}) == 87.5
    assert report.course_total(grades[:1], {"quizzes": 1, "deliverables": 3}) == 50.0
    assert report.course_total([], {"quizzes": 1}) is None


def test_facilitator_sees_grades_filters_and_totals(world, client_for, make_user, enrol):
    other = make_user(country="Belize", name="Bea")
    enrol(other, "example-course")
    set_group(world["learner"].id, _course_id(), "Blue")
    db.session.commit()
    _grade(world["learner"], "check-your-understanding", 5)
    _grade(world["learner"], "service-sketch", 1, 2, released=False)
    client = client_for(world["facilitator"])
    page = client.get(BOOK).text
    assert "5/10" in page and "1/2*" in page and "<td>50.0</td>" in page
    assert "Bea" in page
    assert "Bea" not in client.get(BOOK + "?country=Jamaica").text
    group_id = report.groups(_course_id())[0][0]
    assert "Bea" not in client.get(f"{BOOK}?group={group_id}").text


def test_weights_form_changes_the_total(world, client_for):
    _grade(world["learner"], "check-your-understanding", 0)
    _grade(world["learner"], "service-sketch", 2, 2)
    client = client_for(world["facilitator"])
    names = report.categories(_course_id(), report.graded_items(_course_id()))
    assert names == ["deliverables", "quizzes"]
    response = client.post(BOOK + "/weights", data={"weight_0": "3", "weight_1": "1"})
    assert response.status_code == 302
    assert (
        db.session.scalar(
            select(CategoryWeight.weight).where(CategoryWeight.category == "deliverables")
        )
        == 3
    )
    assert "75.0" in client.get(BOOK).text
    response = client.post(BOOK + "/weights", data={"weight_0": "-1", "weight_1": "1"})
    assert response.status_code == 400 and "Number must be between" in response.text


def test_learner_sees_only_released_grades(world, client_for):
    _grade(world["learner"], "check-your-understanding", 7)
    _grade(world["learner"], "service-sketch", 1, 2, released=False)
    page = client_for(world["learner"]).get("/courses/example-course/grades").text
    assert "7 / 10" in page and "1 / 2" not in page and "70.0%" in page


def test_csv_export_streams_and_neutralises_formulas(world, client_for, make_user, enrol):
    hostile = make_user(name='=HYPERLINK("http://x")', country="+Belize")
    enrol(hostile, "example-course")
    _grade(hostile, "check-your-understanding", 3)
    response = client_for(world["facilitator"]).get(BOOK + ".csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["Name", "Email", "Country", "Group"]
    hostile_row = next(row for row in rows if "HYPERLINK" in row[0])
    assert hostile_row[0].startswith("'=") and hostile_row[2] == "'+Belize"
    assert "3/10" in hostile_row


def _build(tmp_path, import_pack, make_user, enrol, learners: int, extra_items: int):
    """Import the example course with extra deliverables and grade every learner on every item."""
    folder = tmp_path / f"pack-{learners}"
    shutil.copytree(EXAMPLE_PACK, folder)
    manifest = folder / "course.yaml"
    extra = "".join(
        f"          - id: extra-{n}\n            kind: deliverable\n            title: Extra {n}\n"
        f"            instructions: deliverables/service-sketch.md\n"
        for n in range(extra_items)
    )
    text = manifest.read_text()
    manifest.write_text(
        text.replace("          - id: needs-survey\n", extra + "          - id: needs-survey\n")
    )
    import_pack(folder)
    course_id = _course_id()
    items = report.graded_items(course_id)
    for number in range(learners):
        user = make_user(country=["Belize", "Jamaica"][number % 2])
        enrol(user, "example-course")
        for item in items:
            category = "quizzes" if item.kind == "quiz" else "deliverables"
            record_grade(user.id, item, number % 10, 10, category=category, released=True)
    db.session.commit()
    return len(items)


def test_gradebook_page_and_export_run_a_fixed_number_of_queries(
    world, client_for, count_queries, tmp_path, import_pack, make_user, enrol
):
    client = client_for(world["facilitator"])
    counts = []
    for learners, extra in [(2, 0), (70, 6)]:
        _build(tmp_path, import_pack, make_user, enrol, learners, extra)
        page = count_queries(lambda: client.get(BOOK).status_code)
        export = count_queries(lambda: client.get(BOOK + ".csv").get_data())
        counts.append((page, export))
    print("gradebook queries (page, export) small and large:", counts)
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 12 and counts[0][1] <= 9
