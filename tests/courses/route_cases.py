from tests.support.routes import COURSE_MEMBER, SIGNED_IN, RouteCase

CASES = {
    "courses.dashboard": [RouteCase("GET", "/", SIGNED_IN)],
    "courses.outline": [RouteCase("GET", "/courses/example-course/", COURSE_MEMBER)],
    "courses.item": [RouteCase("GET", "/courses/example-course/items/welcome", COURSE_MEMBER)],
    "courses.mark_done": [
        RouteCase("POST", "/courses/example-course/items/welcome/done", COURSE_MEMBER)
    ],
    "courses.asset": [
        RouteCase(
            "GET", "/courses/example-course/assets/example-course/media/journey.png", COURSE_MEMBER
        )
    ],
}
