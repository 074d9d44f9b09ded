"""Live sessions: the pack kind, the session page, recordings and time zones."""

import shutil
from datetime import datetime

import pytest
from sqlalchemy import select

from course_engine.courses.outline import find_item
from course_engine.extensions import db
from course_engine.live_sessions import services
from course_engine.live_sessions.models import LiveSession, TimeZonePreference
from course_engine.live_sessions.times import session_start
from course_engine.packs.services import import_folder, validate_folder
from tests.conftest import EXAMPLE_PACK

SESSION = "/courses/example-course/sessions/kick-off"
ENTRY = """          - id: kick-off
            kind: live_session
            title: Kick-off webinar
            start: 2027-03-01T14:00:00-04:00
            duration_minutes: 60
            timezone: America/Barbados
            join_url: https://meet.example.org/kick-off
"""


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def pack_with(tmp_path):
    """Return a function that copies the example pack with the kick-off entry edited."""

    def build(old: str, new: str):
        folder = tmp_path / f"pack-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(EXAMPLE_PACK, folder)
        manifest = folder / "course.yaml"
        text = manifest.read_text()
        assert ENTRY in text and old in ENTRY
        manifest.write_text(text.replace(ENTRY, ENTRY.replace(old, new)))
        return folder

    return build


def line_of(text: str) -> int:
    lines = (EXAMPLE_PACK / "course.yaml").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ("America/Barbados", "Mars/Olympus", "timezone:", "unknown time zone 'Mars/Olympus'"),
        ("2027-03-01T14:00:00-04:00", "2027-03-01", "start:", "'start' must be an ISO 8601"),
        ("2027-03-01T14:00:00-04:00", "'next monday'", "start:", "'start' must be an ISO 8601"),
        ("duration_minutes: 60", "duration_minutes: 0", "duration_minutes:", "between 1 and 1440"),
        ("https://meet", "http://meet", "join_url:", "'join_url' must be an https link"),
        ("https://meet", "javascript:alert(1)//meet", "join_url:", "must be an https link"),
    ],
)
def test_bad_sessions_are_reported_with_file_and_line(app, pack_with, old, new, key, message):
    problems = [str(p) for p in validate_folder(pack_with(old, new))]
    expected_line = line_of("kind: live_session") - 1 + ENTRY.split(key)[0].count("\n")
    assert any(p.startswith(f"course.yaml:{expected_line}: ") and message in p for p in problems), (
        problems
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-03-01T14:00:00-04:00", datetime(2027, 3, 1, 18, 0)),
        ("2027-03-01T14:00:00", datetime(2027, 3, 1, 18, 0)),  # naive: in America/Barbados
        (datetime(2027, 7, 1, 14, 0), datetime(2027, 7, 1, 18, 0)),
    ],
)
def test_session_start_is_stored_in_utc(value, expected):
    assert session_start(value, "America/Barbados") == expected


def test_the_example_session_imports(world):
    session = services.session_of(find_item("example-course", "kick-off"))
    assert session.starts_at == datetime(2027, 3, 1, 18, 0)
    assert (session.duration_minutes, session.timezone) == (60, "America/Barbados")
    assert session.join_url == "https://meet.example.org/kick-off"
    assert session.recording_url == ""


def test_reimport_keeps_a_recording_added_on_the_site(world, pack_with):
    item = find_item("example-course", "kick-off")
    services.set_recording(services.session_of(item), "https://video.example.org/1")
    db.session.commit()
    import_folder(pack_with("duration_minutes: 60", "duration_minutes: 90"))
    db.session.commit()
    session = db.session.scalar(select(LiveSession).where(LiveSession.item_id == item.id))
    assert session.duration_minutes == 90
    assert session.recording_url == "https://video.example.org/1"


def test_the_caricad_sessions_import(app):
    from tests.conftest import ROOT

    import_folder(ROOT / "courses" / "caricad_innovation")
    db.session.commit()
    session = services.session_of(find_item("caricad-innovation", "welcome-webinar"))
    assert session.starts_at == datetime(2027, 2, 1, 18, 0)
    assert "<p>Introductions" in session.description_html


def test_the_session_page_shows_the_session_zone_by_default(client, login, world):
    login(world["learner"])
    page = client.get(SESSION).text
    assert "Monday 01 March 2027, 14:00" in page and "15:00" in page
    assert "America/Barbados, UTC-04:00" in page
    assert 'href="https://meet.example.org/kick-off"' in page
    assert "Not available yet." in page
    assert "Record attendance" not in page


def test_the_session_page_follows_the_viewer_zone(client, login, world):
    login(world["learner"])
    response = client.post("/account/time-zone", data={"timezone": "Europe/Paris", "next": SESSION})
    assert response.status_code == 302 and response.headers["Location"] == SESSION
    page = client.get(SESSION).text
    assert "Monday 01 March 2027, 19:00" in page and "Europe/Paris, UTC+01:00" in page
    client.post("/account/time-zone", data={"timezone": ""})
    assert db.session.get(TimeZonePreference, world["learner"].id) is None


@pytest.mark.parametrize("value", ["Mars/Olympus", "../etc/passwd", " UTC"])
def test_an_unknown_time_zone_is_refused(client, login, world, value):
    login(world["learner"])
    response = client.post("/account/time-zone", data={"timezone": value})
    assert response.status_code == 400
    assert "Choose a time zone from the list." in response.text
    assert db.session.scalars(select(TimeZonePreference)).all() == []


def test_an_outside_next_is_ignored(client, login, world):
    login(world["learner"])
    response = client.post(
        "/account/time-zone", data={"timezone": "UTC", "next": "//evil.example.org/"}
    )
    assert response.headers["Location"] == "/account/time-zone"


def test_a_facilitator_adds_the_recording(client, login, world):
    login(world["facilitator"])
    bad = client.post(SESSION + "/recording", data={"recording_url": "http://video.example.org"})
    assert bad.status_code == 400 and "The link must start with https://." in bad.text
    assert services.session_of(find_item("example-course", "kick-off")).recording_url == ""
    nul = client.post(SESSION + "/recording", data={"recording_url": "https://v.example.org/\x00"})
    assert nul.status_code == 400
    good = client.post(
        SESSION + "/recording", data={"recording_url": "https://video.example.org/k"}
    )
    assert good.status_code == 302
    login(world["learner"])
    assert 'href="https://video.example.org/k"' in client.get(SESSION).text
