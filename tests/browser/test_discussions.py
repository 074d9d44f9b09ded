"""Two learners of a peer group talk; another group cannot see it; a facilitator hides a post;
the subscriber's email arrives at a real SMTP server."""

import socket

import pytest

from course_engine.courses.services import get_course, set_group
from course_engine.discussions.models import GroupMode
from course_engine.extensions import db
from course_engine.notifications.services import send_pending
from tests.browser.conftest import sign_in, sign_out
from tests.discussions import factories
from tests.notifications.smtp import SmtpServer

pytestmark = pytest.mark.browser

FORUM_ITEM = "/courses/example-course/items/introductions"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    server = SmtpServer("127.0.0.1", _free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_settings(smtp_server):
    return smtp_server.settings()


def test_a_peer_group_exchanges_posts_privately_and_by_email(
    page, server, world, make_user, enrol, smtp_server
):
    course_id = get_course("example-course").id
    author = world["learner"]
    peer = make_user(name="Peer in Blue", country="Belize")
    stranger = make_user(name="Learner in Green", country="Guyana")
    for user in (peer, stranger):
        enrol(user, "example-course")
    set_group(author.id, course_id, "Blue")
    set_group(peer.id, course_id, "Blue")
    set_group(stranger.id, course_id, "Green")
    factories.forum().groups = GroupMode.SEPARATE
    db.session.commit()

    sign_in(page, server, author.email)
    page.goto(server + FORUM_ITEM)
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill("Licences in Kingston")
    page.get_by_label("Your post").fill(
        "Our licence office needs **three** visits. How many does yours?"
    )
    page.get_by_role("button", name="Start thread").click()
    thread_url = page.url
    sign_out(page)

    sign_in(page, server, peer.email)
    page.goto(server + FORUM_ITEM)
    page.get_by_role("link", name="Licences in Kingston").click()
    page.get_by_label("Your reply").fill("Two in Belmopan, and one could go online.")
    page.get_by_role("button", name="Post reply").click()
    assert page.get_by_text("Two in Belmopan").is_visible()
    sign_out(page)

    sign_in(page, server, stranger.email)
    page.goto(server + FORUM_ITEM)
    assert page.get_by_text("Licences in Kingston").count() == 0
    response = page.goto(thread_url)
    assert response.status == 404
    sign_out(page)

    sign_in(page, server, world["facilitator"].email)
    page.goto(thread_url)
    page.get_by_role("button", name="Hide").last.click()
    sign_out(page)

    sign_in(page, server, author.email)
    page.goto(thread_url)
    assert page.get_by_text("A facilitator hid this post.").is_visible()
    assert page.get_by_text("Two in Belmopan").count() == 0

    sent, _failed = send_pending()
    db.session.commit()
    assert sent >= 1
    emails = smtp_server.to(author.email)
    assert any("Licences in Kingston" in message["Subject"] for message in emails)
