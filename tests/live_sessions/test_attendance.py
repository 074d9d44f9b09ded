"""Attendance: one by one or by CSV (all or nothing), and completion for required sessions."""

import io

import pytest
from sqlalchemy import func, select

from course_engine.courses.models import ItemProgress, ProgressStatus
from course_engine.courses.outline import find_item
from course_engine.courses.progress import item_status
from course_engine.extensions import db
from course_engine.live_sessions import services
from course_engine.live_sessions.models import Attendance
from tests.support.queries import count_queries

SESSION = "/courses/example-course/sessions/kick-off"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def kick_off(world):
    return find_item("example-course", "kick-off")


@pytest.fixture
def required(kick_off):
    kick_off.required = True
    db.session.commit()
    return kick_off


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance))


def upload(client, text: str):
    return client.post(
        SESSION + "/attendance/upload",
        data={"file": (io.BytesIO(text.encode()), "attendance.csv")},
        content_type="multipart/form-data",
    )


def test_a_facilitator_ticks_who_attended(client, login, world, make_user, enrol, required):
    absent = make_user(name="Absent Learner")
    enrol(absent, "example-course")
    login(world["facilitator"])
    page = client.get(SESSION + "/attendance").text
    assert "Absent Learner" in page and world["learner"].display_name in page
    assert world["other_learner"].display_name not in page
    response = client.post(SESSION + "/attendance", data={"attended": [str(world["learner"].id)]})
    assert response.status_code == 302
    assert services.attendance_of(services.session_of(required)) == {
        world["learner"].id: True,
        absent.id: False,
    }
    assert item_status(world["learner"].id, required.id) == ProgressStatus.DONE
    assert item_status(absent.id, required.id) is None
    assert "checked" in client.get(SESSION + "/attendance").text


def test_a_corrected_attendance_takes_the_completion_back(client, login, world, required):
    login(world["facilitator"])
    client.post(SESSION + "/attendance", data={"attended": [str(world["learner"].id)]})
    assert item_status(world["learner"].id, required.id) == ProgressStatus.DONE
    response = client.post(SESSION + "/attendance", data={"attended": []})
    assert response.status_code == 302
    assert services.attendance_of(services.session_of(required))[world["learner"].id] is False
    assert item_status(world["learner"].id, required.id) == ProgressStatus.IN_PROGRESS


def test_attendance_of_an_optional_session_does_not_complete_it(client, login, world, kick_off):
    login(world["facilitator"])
    client.post(SESSION + "/attendance", data={"attended": [str(world["learner"].id)]})
    assert rows() == 1
    assert item_status(world["learner"].id, kick_off.id) is None


@pytest.mark.parametrize("value", ["other_learner", "facilitator", "not-a-number"])
def test_tampered_attendance_ids_change_nothing(client, login, world, required, value):
    login(world["facilitator"])
    posted = str(world[value].id) if value in world else value
    response = client.post(SESSION + "/attendance", data={"attended": [posted]})
    assert response.status_code == 400
    assert rows() == 0
    assert db.session.scalar(select(func.count()).select_from(ItemProgress)) == 0


def test_attendance_by_csv(client, login, world, make_user, enrol, required):
    second = make_user(email="Second@Example.org")
    enrol(second, "example-course")
    login(world["facilitator"])
    response = upload(
        client, f"email,attended\n{world['learner'].email.upper()},yes\nsecond@example.org,no\n"
    )
    assert response.status_code == 302
    assert services.attendance_of(services.session_of(required)) == {
        world["learner"].id: True,
        second.id: False,
    }
    assert item_status(world["learner"].id, required.id) == ProgressStatus.DONE


def test_a_csv_naming_unknown_learners_changes_nothing(client, login, world, required):
    login(world["facilitator"])
    text = (
        "email,attended\n"
        f"{world['learner'].email},yes\n"
        "stranger@example.org,yes\n"
        f"{world['other_learner'].email},yes\n"
        f"{world['learner'].email},no\n"
        f"{world['facilitator'].email},maybe\n"
    )
    response = upload(client, text)
    assert response.status_code == 400
    page = response.text
    assert "The file has 4 problem(s); no attendance was recorded." in page
    assert "line 3: no learner with the email &#39;stranger@example.org&#39; in this course" in page
    assert f"line 4: no learner with the email &#39;{world['other_learner'].email}&#39;" in page
    assert "line 5: &#39;user1@example.org&#39; is listed twice (first on line 2)" in page
    assert "line 6: no learner with the email" in page
    assert rows() == 0
    assert item_status(world["learner"].id, required.id) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mail,present\nx@example.org,yes\n", "line 1: the first line must be the header"),
        ("email,attended\n", "the file lists no learners"),
        ("email,attended\nuser1@example.org,perhaps\n", "line 2: attended must be yes or no"),
    ],
)
def test_malformed_attendance_files_change_nothing(client, login, world, text, message):
    login(world["facilitator"])
    response = upload(client, text)
    assert response.status_code == 400 and message in response.text
    assert rows() == 0


def test_an_upload_without_a_file_is_refused(client, login, world):
    login(world["facilitator"])
    response = client.post(SESSION + "/attendance/upload", data={})
    assert response.status_code == 400 and "Choose a CSV file to upload." in response.text


def test_a_facilitator_of_another_course_gets_404(client, login, world, make_user, enrol):
    other = make_user()
    enrol(other, "other-course", "facilitator")
    login(other)
    learner = str(world["learner"].id)
    assert client.get(SESSION + "/attendance").status_code == 404
    assert client.post(SESSION + "/attendance", data={"attended": [learner]}).status_code == 404
    assert upload(client, f"email,attended\n{world['learner'].email},yes\n").status_code == 404
    assert (
        client.post(SESSION + "/recording", data={"recording_url": "https://x.org"}).status_code
        == 404
    )
    assert rows() == 0
    assert services.session_of(find_item("example-course", "kick-off")).recording_url == ""


def test_the_attendance_page_sends_the_same_queries_for_few_or_many_learners(
    client, login, world, make_user, enrol, kick_off
):
    login(world["facilitator"])

    def measure() -> int:
        with count_queries() as statements:
            assert client.get(SESSION + "/attendance").status_code == 200
        return len(statements)

    few = measure()
    for _ in range(25):
        enrol(make_user(), "example-course")
    assert measure() == few


@pytest.mark.parametrize(
    "text",
    ["email,attended\nuser1@example.org," + "y" * 140_000 + "\n", "e" * 140_000 + ",attended\n"],
)
def test_a_csv_field_over_the_limit_is_a_problem_line(client, login, world, required, text):
    login(world["facilitator"])
    response = upload(client, text)
    assert response.status_code == 400
    assert "a field is longer than 128 KB" in response.text
    assert rows() == 0
