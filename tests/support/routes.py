"""The role-by-route matrix: who may reach each route of the app.

Each domain lists its routes in `tests/<domain>/route_cases.py` as CASES;
tests/test_route_matrix.py checks every case for every role, and fails
when the app has a route that no case covers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "learner", "other_learner", "peer_reviewer", "facilitator", "admin")

ALLOW, DENY, LOGIN = "allow", "deny (404)", "sign-in redirect"

PUBLIC = dict.fromkeys(ROLES, ALLOW)
SIGNED_IN = {**dict.fromkeys(ROLES, ALLOW), "anonymous": LOGIN}
COURSE_MEMBER = {**SIGNED_IN, "other_learner": DENY}
COURSE_STAFF = {**COURSE_MEMBER, "learner": DENY, "peer_reviewer": DENY}
ADMIN_ONLY = {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN, "admin": ALLOW}


@dataclass(frozen=True)
class RouteCase:
    """A request to one route and who may make it.

    `path` may hold {names} filled from the world by `params`, a function of
    (world) returning a dict, for routes that need objects made first.
    """

    method: str
    path: str
    access: dict
    params: Callable | None = None
    data: dict = field(default_factory=dict)
