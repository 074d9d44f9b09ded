from tests.support.routes import COURSE_MEMBER, COURSE_STAFF, PUBLIC, SIGNED_IN, RouteCase

SESSION = "/courses/example-course/sessions/kick-off"


def _feed_token(world) -> dict:
    from course_engine.courses.services import get_course
    from course_engine.extensions import db
    from course_engine.live_sessions.services import new_feed_token

    feed = new_feed_token(world["learner"].id, get_course("example-course").id)
    db.session.commit()
    return {"token": feed.token}


CASES = {
    "live_sessions.show": [RouteCase("GET", SESSION, COURSE_MEMBER)],
    "live_sessions.recording": [
        RouteCase("GET", SESSION + "/recording", COURSE_STAFF),
        RouteCase(
            "POST",
            SESSION + "/recording",
            COURSE_STAFF,
            data={"recording_url": "https://video.example.org/kick-off"},
        ),
    ],
    "live_sessions.attendance": [RouteCase("GET", SESSION + "/attendance", COURSE_STAFF)],
    "live_sessions.record_attendance": [RouteCase("POST", SESSION + "/attendance", COURSE_STAFF)],
    "live_sessions.upload_attendance": [
        RouteCase("POST", SESSION + "/attendance/upload", COURSE_STAFF)
    ],
    "live_sessions.course_calendar": [
        RouteCase("GET", "/courses/example-course/calendar", COURSE_MEMBER)
    ],
    "live_sessions.feed": [
        RouteCase("GET", "/courses/example-course/calendar/feed", COURSE_MEMBER)
    ],
    "live_sessions.new_feed": [
        RouteCase("POST", "/courses/example-course/calendar/feed", COURSE_MEMBER)
    ],
    "live_sessions.revoke_feed": [
        RouteCase("POST", "/courses/example-course/calendar/feed/revoke", COURSE_MEMBER)
    ],
    # The token is the only key: whoever holds a valid one may read the feed.
    "live_sessions.ics": [RouteCase("GET", "/calendar/{token}.ics", PUBLIC, params=_feed_token)],
    "live_sessions.time_zone": [
        RouteCase("GET", "/account/time-zone", SIGNED_IN),
        RouteCase("POST", "/account/time-zone", SIGNED_IN, data={"timezone": "Europe/Paris"}),
    ],
}
