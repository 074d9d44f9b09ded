from tests.support.routes import COURSE_STAFF, DENY, RouteCase

BASE = "/courses/example-course/reports"
SECTIONS = ("learners", "modules", "quizzes", "deliverables", "surveys")
# Another course's reports: only admins (the example facilitator does not run it).
OTHER_COURSE = {**COURSE_STAFF, "facilitator": DENY}
# An export that does not exist is no page at all, whoever signed in asks.
NOWHERE = {**dict.fromkeys(COURSE_STAFF, DENY), "anonymous": COURSE_STAFF["anonymous"]}

CASES = {
    "reports.dashboard": [
        RouteCase("GET", BASE, COURSE_STAFF),
        RouteCase("GET", BASE + "?country=Jamaica&status=behind&page=1", COURSE_STAFF),
        RouteCase("GET", "/courses/other-course/reports", OTHER_COURSE),
    ],
    "reports.export": [
        *(RouteCase("GET", f"{BASE}/{section}.csv", COURSE_STAFF) for section in SECTIONS),
        RouteCase("GET", BASE + "/secrets.csv", NOWHERE),
        RouteCase("GET", "/courses/other-course/reports/learners.csv", OTHER_COURSE),
    ],
}
