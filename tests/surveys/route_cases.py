from tests.support.routes import COURSE_MEMBER, COURSE_STAFF, DENY, LOGIN, ROLES, RouteCase

LEARNER_ONLY = {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN, "learner": "allow"}
SURVEY = "/courses/example-course/surveys/needs-survey"

CASES = {
    "surveys.show": [RouteCase("GET", SURVEY, COURSE_MEMBER)],
    "surveys.answer": [RouteCase("POST", SURVEY, LEARNER_ONLY, data={"q-country": "Belize"})],
    "surveys.results": [RouteCase("GET", SURVEY + "/results", COURSE_STAFF)],
    "surveys.export": [RouteCase("GET", SURVEY + "/results.csv", COURSE_STAFF)],
}
