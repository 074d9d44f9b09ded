"""Fixtures for peer review tests: signed-in clients and a peer-reviewed deliverable."""

import pytest

from tests.peer_review import factories


@pytest.fixture
def app_settings():
    # Forms are posted by the test client; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def peer(world, make_user, enrol):
    """Return a builder: set the example deliverable's peer review, add learners who submit."""

    def build(
        settings=None, people=(("Jamaica", "Min A"), ("Belize", "Min B"), ("Barbados", "Min C"))
    ):
        factories.configure(settings or {})
        learners = []
        for country, organisation in people:
            user = make_user(country=country, organisation=organisation)
            enrol(user, "example-course", "learner")
            factories.submit(user)
            learners.append(user)
        return learners

    return build
