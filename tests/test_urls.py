"""Links that leave the app come from SITE_URL; `next` only ever stays on the site."""

import re

import pytest
from sqlalchemy import select

from course_engine import create_app
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.urls import absolute_url, safe_next
from tests.discussions import factories as discussion_factories
from tests.peer_review import factories as peer_factories

SITE_URL = "http://127.0.0.1:5000"
FORGED = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\/evil.example/",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/x\r\nSet-Cookie: stolen=1",
    "/\x00/evil.example",
    " /evil",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "evil.example",
    "",
]
ON_SITE = ["/courses/x/", "/courses/x/?tab=2#top", "/%2F%2Fevil.example", "/%09/evil.example"]


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_what_leaves_the_site(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ON_SITE)
def test_safe_next_keeps_a_path_on_the_site(target):
    # Percent-encoded forms stay encoded in the Location: a browser reads them as a path.
    assert safe_next(target, "/home") == target


def _sign_in(client, user, target):
    return client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery"},
    )


def _choose_time_zone(client, user, target):
    from tests.conftest import signed_in_client

    client = signed_in_client(client.application, user)
    return client.post("/account/time-zone", data={"timezone": "UTC", "next": target})


ROUTES_WITH_NEXT = {
    "sign-in": (_sign_in, "/"),
    "time-zone": (_choose_time_zone, "/account/time-zone"),
}


# A NUL never reaches a view: the request is refused whole (course_engine.inputs).
REFUSED_BEFORE_THE_VIEW = {target for target in OFF_SITE if "\x00" in target}


@pytest.mark.parametrize("route", ROUTES_WITH_NEXT)
@pytest.mark.parametrize("target", sorted(set(OFF_SITE) - REFUSED_BEFORE_THE_VIEW))
def test_every_next_refuses_off_site_targets(client, make_user, route, target):
    send, fallback = ROUTES_WITH_NEXT[route]
    response = send(client, make_user(), target)
    assert response.status_code == 302
    assert response.headers["Location"] == fallback


@pytest.mark.parametrize("route", ROUTES_WITH_NEXT)
@pytest.mark.parametrize("target", sorted(REFUSED_BEFORE_THE_VIEW))
def test_a_next_with_a_nul_is_refused_and_signs_no_one_in(client, make_user, route, target):
    send, _fallback = ROUTES_WITH_NEXT[route]
    response = send(client, make_user(), target)
    assert response.status_code == 400
    assert "Location" not in response.headers


@pytest.mark.parametrize("route", ROUTES_WITH_NEXT)
def test_every_next_follows_an_on_site_target(client, make_user, route):
    send, _fallback = ROUTES_WITH_NEXT[route]
    assert send(client, make_user(), "/courses/x/").headers["Location"] == "/courses/x/"


def test_absolute_url_uses_site_url_outside_a_request(tmp_path):
    env = {"SITE_URL": "https://courses.example.org/lms/"}
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": env})
    with app.app_context():
        link = absolute_url("auth.reset_password", token="abc")
    assert link == "https://courses.example.org/lms/auth/reset/abc"


def test_absolute_url_ignores_the_requests_host(app):
    with app.test_request_context("/", headers=FORGED):
        assert absolute_url("auth.login") == SITE_URL + "/auth/login"


@pytest.mark.parametrize(
    "value",
    [
        "courses.example.org",
        "ftp://x.example",
        "https://",
        "https://u:p@x.example",
        "https://x.example/?a=1",
    ],
)
def test_a_bad_site_url_is_refused(tmp_path, value):
    from course_engine.config import ConfigError

    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {"SITE_URL": value}})


def _links_in_queued_emails(user_id: int) -> list[str]:
    bodies = db.session.scalars(select(QueuedEmail.body).where(QueuedEmail.user_id == user_id))
    links = [link for body in bodies for link in re.findall(r"https?://\S+", body)]
    assert links, "no email with a link was queued"
    return links


def _client_at_forged_host(client_for, user):
    """Return a signed-in client whose session cookie is also sent to the forged host."""
    client = client_for(user)
    session = client.get_cookie("session").value
    client.set_cookie("session", session, domain=FORGED["Host"])
    return client


def test_discussion_email_links_point_at_site_url_whatever_the_poster_sent(world, client_for):
    thread = discussion_factories.thread(world["learner"], title="Queues")
    response = _client_at_forged_host(client_for, world["peer_reviewer"]).post(
        f"/courses/example-course/discussions/threads/{thread.id}/reply",
        data={"body": "A reply."},
        headers=FORGED,
    )
    assert f"/threads/{thread.id}" in response.headers["Location"]
    links = _links_in_queued_emails(world["learner"].id)
    assert all(link.startswith(SITE_URL + "/") for link in links), links


def test_peer_review_email_links_point_at_site_url_whatever_the_facilitator_sent(
    world, client_for, make_user, enrol
):
    peer_factories.configure({"reviews_per_submission": 1})
    authors = []
    for _ in range(2):
        author = make_user()
        enrol(author, "example-course", "learner")
        peer_factories.submit(author)
        authors.append(author)
    response = _client_at_forged_host(client_for, world["facilitator"]).post(
        "/courses/example-course/peer-review/service-sketch/allocate", headers=FORGED
    )
    assert response.status_code == 302
    links = _links_in_queued_emails(authors[0].id)
    assert all(link.startswith(SITE_URL + "/") for link in links), links
