from tests.support.routes import COURSE_MEMBER, COURSE_STAFF, RouteCase

CASES = {
    "gradebook.index": [RouteCase("GET", "/courses/example-course/gradebook", COURSE_STAFF)],
    "gradebook.export": [RouteCase("GET", "/courses/example-course/gradebook.csv", COURSE_STAFF)],
    "gradebook.weights": [
        RouteCase("GET", "/courses/example-course/gradebook/weights", COURSE_STAFF),
        RouteCase(
            "POST",
            "/courses/example-course/gradebook/weights",
            COURSE_STAFF,
            data={"weight_0": "2", "weight_1": "1"},
        ),  # fmt: skip
    ],
    "gradebook.mine": [RouteCase("GET", "/courses/example-course/grades", COURSE_MEMBER)],
}
