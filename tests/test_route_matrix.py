"""Every route of the app, requested as every role, answers as the matrix says."""

import pytest

from tests.admin import route_cases as admin_cases
from tests.auth import route_cases as auth_cases
from tests.certificates import route_cases as certificates_cases
from tests.conftest import signed_in_client
from tests.courses import route_cases as courses_cases
from tests.deliverables import route_cases as deliverables_cases
from tests.discussions import route_cases as discussions_cases
from tests.gradebook import route_cases as gradebook_cases
from tests.health import route_cases as health_cases
from tests.live_sessions import route_cases as live_sessions_cases
from tests.packs import route_cases as packs_cases
from tests.peer_review import route_cases as peer_review_cases
from tests.quizzes import route_cases as quizzes_cases
from tests.reports import route_cases as reports_cases
from tests.support.routes import ALLOW, DENY, LOGIN, ROLES
from tests.surveys import route_cases as surveys_cases

# Each domain's cases, listed explicitly.
DOMAIN_CASES = [
    auth_cases,
    courses_cases,
    packs_cases,
    admin_cases,
    surveys_cases,
    discussions_cases,
    quizzes_cases,
    deliverables_cases,
    gradebook_cases,
    live_sessions_cases,
    certificates_cases,
    peer_review_cases,
    reports_cases,
    health_cases,
]
# Routes served by libraries, not by our views.
LIBRARY_ENDPOINTS = {"static", "bootstrap.static"}

ALL_CASES = {endpoint: cases for module in DOMAIN_CASES for endpoint, cases in module.CASES.items()}
PARAMS = [
    pytest.param(case, id=f"{endpoint}:{case.method}:{index}")
    for endpoint, cases in sorted(ALL_CASES.items())
    for index, case in enumerate(cases)
]


@pytest.fixture
def app_settings():
    # The matrix checks who may reach a route; CSRF and rate limits have their own tests.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - LIBRARY_ENDPOINTS
    missing = sorted(endpoints - set(ALL_CASES))
    assert not missing, f"routes without a role-by-route case: {missing}"
    stale = sorted(set(ALL_CASES) - endpoints)
    assert not stale, f"cases for routes that no longer exist: {stale}"


def _outcome(response) -> str:
    if response.status_code in (403, 404):
        return DENY
    if response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]:
        return LOGIN
    assert response.status_code < 500, response.text
    return ALLOW


@pytest.mark.parametrize("case", PARAMS)
def test_route_access_by_role(app, world, case):
    path = case.path.format(**(case.params(world) if case.params else {}))
    for role in ROLES:
        client = app.test_client() if role == "anonymous" else signed_in_client(app, world[role])
        response = client.open(path, method=case.method, data=case.data)
        assert _outcome(response) == case.access[role], (
            f"{role} {case.method} {path}: {response.status_code}"
        )
