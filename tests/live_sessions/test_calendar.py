"""The course calendar page and the private iCalendar feed."""

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from course_engine.courses.models import Item
from course_engine.courses.outline import find_item
from course_engine.courses.services import enrol, get_course
from course_engine.deliverables.models import Deliverable
from course_engine.deliverables.services import deliverable_for_item
from course_engine.extensions import db
from course_engine.live_sessions import services
from course_engine.live_sessions.calendar import Entry, entries, ics
from course_engine.live_sessions.models import CalendarFeed, LiveSession
from course_engine.roles import Role
from tests.support.queries import count_queries

CALENDAR = "/courses/example-course/calendar"
FEED = CALENDAR + "/feed"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def started(world):
    """Give the example course a start date, so relative due dates are known."""
    get_course("example-course").starts_on = date(2027, 3, 1)
    db.session.commit()
    return world


def feeds() -> int:
    return db.session.scalar(select(func.count()).select_from(CalendarFeed))


def test_the_calendar_lists_sessions_and_due_dates_in_order(client, login, started):
    login(started["learner"])
    page = client.get(CALENDAR).text
    assert "Times are shown in America/Barbados" in page
    session = page.index("Kick-off webinar")
    due = page.index("Due: Sketch one service")
    assert session < due
    assert "Monday 08 March 2027" in page  # 1 March + 7 days


def test_the_calendar_uses_the_viewer_zone(client, login, started):
    services.set_preferred_zone(started["learner"].id, "Asia/Tokyo")
    db.session.commit()
    login(started["learner"])
    page = client.get(CALENDAR).text
    assert "Times are shown in Asia/Tokyo" in page
    assert "Tuesday 02 March 2027, 03:00" in page


def test_without_a_start_date_relative_due_dates_are_left_out(client, login, world):
    login(world["learner"])
    page = client.get(CALENDAR).text
    assert "Kick-off webinar" in page and "Sketch one service" not in page


@pytest.mark.parametrize(
    ("due_at", "day", "start"),
    [
        (datetime(2027, 3, 10, 23, 59, 59), date(2027, 3, 10), None),  # a bare `due` date
        (datetime(2027, 3, 10, 17, 0), None, datetime(2027, 3, 10, 17, 0, tzinfo=UTC)),
    ],
)
def test_a_due_date_at_the_end_of_a_day_is_shown_as_that_day(world, due_at, day, start):
    item = find_item("example-course", "service-sketch")
    deliverable_for_item(item).due_at = due_at
    db.session.commit()
    (due,) = [entry for entry in entries(get_course("example-course")) if entry.kind == "due"]
    assert (due.item.id, due.day, due.start) == (item.id, day, start)


def test_the_feed_has_sessions_and_due_dates(client, login, started):
    login(started["learner"])
    assert "You have no calendar link" in client.get(FEED).text
    assert client.post(FEED).status_code == 302
    token = db.session.scalar(select(CalendarFeed.token))
    assert str(started["learner"].id) != token and len(token) >= 40
    assert f"/calendar/{token}.ics" in client.get(FEED).text
    client.post("/auth/logout")
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/calendar")
    events = {
        str(event["summary"]): event for event in Calendar.from_ical(response.data).walk("VEVENT")
    }
    kick_off = events["Kick-off webinar"]
    assert kick_off.decoded("dtstart").isoformat() == "2027-03-01T18:00:00+00:00"
    assert kick_off.decoded("dtend").isoformat() == "2027-03-01T19:00:00+00:00"
    assert str(kick_off["location"]) == "https://meet.example.org/kick-off"
    assert events["Due: Sketch one service"].decoded("dtstart") == date(2027, 3, 8)


def test_a_regenerated_feed_token_replaces_the_old_one(client, login, world):
    login(world["learner"])
    client.post(FEED)
    old = db.session.scalar(select(CalendarFeed.token))
    client.post(FEED)
    db.session.expire_all()
    new = db.session.scalar(select(CalendarFeed.token))
    assert new != old and feeds() == 1
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_revoked_feed_answers_404(client, login, world):
    login(world["learner"])
    client.post(FEED)
    token = db.session.scalar(select(CalendarFeed.token))
    response = client.post(FEED + "/revoke")
    assert response.status_code == 302
    assert feeds() == 0
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert "You have no calendar link" in client.get(FEED).text


@pytest.mark.parametrize(
    ("token", "status"),
    # A NUL is refused before any route is looked at (course_engine.inputs).
    [("nope", 404), ("x" * 65, 404), ("1", 404), ("%00", 400), ("..%2F..%2Fetc", 404)],
)
def test_a_bad_feed_token_answers_404(client, world, token, status):
    services.new_feed_token(world["learner"].id, get_course("example-course").id)
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == status


def test_a_bad_feed_token_says_so(client, world):
    response = client.get("/calendar/nope.ics")
    assert response.status_code == 404 and "There is no such calendar." in response.text


def test_a_feed_stops_when_its_owner_leaves_the_course(client, world):
    course = get_course("example-course")
    feed = services.new_feed_token(world["learner"].id, course.id)
    db.session.commit()
    from course_engine.courses.models import Enrolment

    db.session.execute(Enrolment.__table__.delete().where(Enrolment.user_id == world["learner"].id))
    db.session.commit()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    world["learner"].active = False
    enrol(world["learner"].id, course.id, Role.LEARNER)
    db.session.commit()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_the_calendar_sends_the_same_queries_for_few_or_many_items(client, login, started):
    login(started["learner"])

    def measure() -> int:
        with count_queries() as statements:
            assert client.get(CALENDAR).status_code == 200
        return len(statements)

    few = measure()
    kick_off = find_item("example-course", "kick-off")
    for number in range(20):
        for kind in ("live_session", "deliverable"):
            item = Item(
                course_id=kick_off.course_id,
                module_id=kick_off.module_id,
                slug=f"{kind.replace('_', '-')}-{number}",
                kind=kind,
                title=f"{kind} {number}",
                pack_key="example-course",
                position=100 + number,
            )
            db.session.add(item)
            db.session.flush()
            if kind == "live_session":
                db.session.add(
                    LiveSession(
                        item_id=item.id,
                        course_id=item.course_id,
                        starts_at=datetime(2027, 4, 1 + number, 12),
                        duration_minutes=30,
                        timezone="Europe/Paris",
                    )
                )
            else:
                db.session.add(
                    Deliverable(item_id=item.id, course_id=item.course_id, due_days=number)
                )
    db.session.commit()
    assert measure() == few
    assert client.get(CALENDAR).text.count("Due: deliverable") == 20


def test_feed_links_come_from_site_url_whatever_the_host(client, login, started):
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    course = get_course("example-course")
    feed = services.new_feed_token(started["learner"].id, course.id)
    db.session.commit()
    login(started["learner"])
    page = client.get(FEED).text
    assert f"http://127.0.0.1:5000/calendar/{feed.token}.ics" in page
    response = client.get(f"/calendar/{feed.token}.ics", headers=forged)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert b"attacker" not in response.data
    (event,) = [
        event
        for event in Calendar.from_ical(response.data).walk("VEVENT")
        if str(event["summary"]) == "Kick-off webinar"
    ]
    assert "http://127.0.0.1:5000/courses/example-course/" in str(event["description"])
    assert str(event["uid"]).endswith("@127.0.0.1")


def test_a_feed_removed_with_its_enrolment_stays_dead_after_re_enrolment(client, world):
    from course_engine.admin.people import unenrol

    course = get_course("example-course")
    feed = services.new_feed_token(world["learner"].id, course.id)
    db.session.commit()
    unenrol(world["facilitator"], course, world["learner"])
    db.session.commit()
    enrol(world["learner"].id, course.id, Role.LEARNER)
    db.session.commit()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert feeds() == 0


def test_a_timed_due_date_is_a_moment_without_an_end(world):
    course = get_course("example-course")
    item = find_item("example-course", "service-sketch")
    due = datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    feed = Calendar.from_ical(ics(course, [Entry("due", item, start=due)], lambda _: "/x", "h"))
    (event,) = feed.walk("VEVENT")
    assert event.decoded("dtstart") == due
    # RFC 5545: a DTEND must come after DTSTART; a due moment has none.
    assert "DTEND" not in event and "DURATION" not in event


def test_an_empty_feed_still_holds_a_component(world):
    feed = Calendar.from_ical(ics(get_course("example-course"), [], lambda _: "/x", "h"))
    assert feed.walk("VEVENT") == []
    assert [component.name for component in feed.subcomponents] == ["VTIMEZONE"]
