"""The roles a person can hold in a course, and the sets of them that checks ask for.

No Flask here: models and services import roles without the request machinery.
"""

import enum


class Role(enum.StrEnum):
    LEARNER = "learner"
    PEER_REVIEWER = "peer_reviewer"
    FACILITATOR = "facilitator"


STAFF: frozenset[Role] = frozenset({Role.FACILITATOR})
ALL_ROLES: frozenset[Role] = frozenset(Role)
