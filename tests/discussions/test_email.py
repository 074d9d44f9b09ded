"""Subscriptions and notification email, delivered to a real SMTP server in the test process."""

import re

import pytest
from sqlalchemy import func, select

from course_engine.courses.services import get_course, set_group
from course_engine.discussions.models import (
    DigestEntry,
    ForumKind,
    GroupMode,
    Post,
    ThreadSubscription,
)
from course_engine.discussions.services import subscriptions
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.notifications.models import EmailStatus, QueuedEmail
from tests.discussions import factories
from tests.support.local_redis import job_queues, needs_redis  # noqa: F401 - a fixture

D = "/courses/example-course/discussions"


@pytest.fixture
def app_settings(smtp_server):
    return {"WTF_CSRF_ENABLED": False, **smtp_server.settings()}


def _send(app) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def _link(message, label: str) -> str:
    return re.search(label + r": (http://\S+)", message.get_content()).group(1)


def test_thread_author_is_emailed_a_reply_and_can_unsubscribe_without_signing_in(
    app, world, client_for, smtp_server
):
    thread = factories.thread(world["learner"], title="Queues at the counter")
    response = client_for(world["peer_reviewer"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": "We fixed ours with *appointments*."}
    )
    assert response.status_code == 302
    assert smtp_server.messages == []  # nothing is sent inside the web request
    assert _send(app) == "1 sent, 0 not sent\n"
    (message,) = smtp_server.to(world["learner"].email)
    assert message["Subject"] == "[Example course] Queues at the counter"
    assert "We fixed ours with *appointments*." in message.get_content()
    assert f"/discussions/threads/{thread.id}" in _link(message, "Read and reply")
    unsubscribe = _link(message, "Stop these emails").removeprefix("http://127.0.0.1:5000")
    visitor = app.test_client()
    question = visitor.get(unsubscribe)
    assert question.status_code == 200
    assert "Stop email about the thread “Queues at the counter”?" in question.text
    # Opening the link (as mail scanners do) changes nothing; the button does.
    assert subscriptions.thread_subscribed(world["learner"].id, thread.id)
    assert f'action="{unsubscribe}"' in question.text
    page = visitor.post(unsubscribe)
    assert page.status_code == 200
    assert "You will get no more email about the thread “Queues at the counter”" in page.text
    factories.reply(world["peer_reviewer"], thread, body="Another idea")
    assert _send(app) == "0 sent, 0 not sent\n"
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJ1IjoxLCJ0IjoxLCJmIjpudWxsfQ.forged", "A" * 43, "%3Cscript%3E", "x" * 200],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_unsubscribe_token_is_refused(world, client_for, token, method):
    thread = factories.thread(world["learner"])
    response = client_for(world["peer_reviewer"]).open(
        f"/discussions/unsubscribe/{token}", method=method
    )
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.text
    assert subscriptions.thread_subscribed(world["learner"].id, thread.id)


def test_a_user_can_cancel_the_unsubscribe_links_already_sent(world, client_for):
    thread = factories.thread(world["learner"])
    learner_id = world["learner"].id
    sent = subscriptions.unsubscribe_token(learner_id, thread_id=thread.id)
    db.session.commit()
    learner = client_for(world["learner"])
    assert "Cancel the links in emails sent so far" in learner.get("/discussions/settings").text
    response = learner.post("/discussions/settings/unsubscribe-links", follow_redirects=True)
    assert "no longer work" in response.text
    visitor = client_for(world["other_learner"])
    for method in ("GET", "POST"):
        refused = visitor.open(f"/discussions/unsubscribe/{sent}", method=method)
        assert refused.status_code == 400 and "cancelled" in refused.text
    assert subscriptions.thread_subscribed(learner_id, thread.id)
    fresh = subscriptions.unsubscribe_token(learner_id, thread_id=thread.id)
    db.session.commit()
    assert fresh != sent
    assert visitor.post(f"/discussions/unsubscribe/{fresh}").status_code == 200
    assert not subscriptions.thread_subscribed(learner_id, thread.id)


def test_unsubscribe_tokens_are_random_kept_per_thread_and_name_no_ids(world):
    learner_id = world["learner"].id
    first, second = factories.thread(world["learner"]), factories.thread(world["learner"])
    token = subscriptions.unsubscribe_token(learner_id, thread_id=first.id)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    # Every email about the thread carries the same link; another thread gets its own.
    assert subscriptions.unsubscribe_token(learner_id, thread_id=first.id) == token
    other = subscriptions.unsubscribe_token(learner_id, thread_id=second.id)
    assert other != token
    # Nothing in a token leads to another: one changed letter is an unknown link.
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(DomainError, match="not valid"):
        subscriptions.unsubscribe_with_token(changed)
    assert subscriptions.unsubscribe_with_token(other) == f"the thread “{second.title}”"
    assert subscriptions.thread_subscribed(learner_id, first.id)


def test_announcements_reach_everyone_enrolled(app, world, smtp_server):
    forum = factories.forum(kind=ForumKind.ANNOUNCEMENTS)
    factories.thread(world["facilitator"], title="Welcome week", in_forum=forum)
    _send(app)
    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == sorted([world["learner"].email, world["peer_reviewer"].email])


def test_forum_subscribers_of_another_group_get_no_email(app, world, make_user, enrol):
    course_id = get_course("example-course").id
    stranger = make_user()
    enrol(stranger, "example-course")
    set_group(world["learner"].id, course_id, "Blue")
    set_group(stranger.id, course_id, "Green")
    forum = factories.forum()
    forum.groups = GroupMode.SEPARATE
    subscriptions.subscribe_forum(stranger.id, forum.id, True)
    subscriptions.subscribe_forum(world["facilitator"].id, forum.id, True)
    db.session.commit()
    factories.thread(world["learner"], title="Blue only")
    users = db.session.scalars(select(QueuedEmail.user_id)).all()
    assert users == [world["facilitator"].id]


def test_daily_digest_gathers_posts_into_one_email(app, world, client_for, smtp_server):
    client = client_for(world["learner"])
    assert client.post("/discussions/settings", data={"digest": "daily"}).status_code == 302
    thread = factories.thread(world["learner"])
    factories.reply(world["peer_reviewer"], thread, body="First answer")
    factories.reply(world["peer_reviewer"], thread, body="Second answer")
    assert db.session.scalar(select(func.count(QueuedEmail.id))) == 0
    assert db.session.scalar(select(func.count(DigestEntry.id))) == 2
    result = app.test_cli_runner().invoke(args=["discussions", "digest"])
    assert result.output == "1 digest(s) queued\n"
    assert db.session.scalar(select(func.count(DigestEntry.id))) == 0
    _send(app)
    (message,) = smtp_server.messages
    assert message["Subject"] == "Discussion digest: 2 new post(s)"
    assert "First answer" in message.get_content() and "Second answer" in message.get_content()


def test_subscribe_buttons_change_subscriptions(world, client_for):
    thread = factories.thread(world["learner"])
    forum_id = thread.forum_id
    client = client_for(world["peer_reviewer"])
    client.post(f"{D}/threads/{thread.id}/subscription", data={"subscribe": "1"})
    assert subscriptions.thread_subscribed(world["peer_reviewer"].id, thread.id)
    client.post(f"{D}/threads/{thread.id}/subscription", data={"subscribe": "0"})
    assert not subscriptions.thread_subscribed(world["peer_reviewer"].id, thread.id)
    client.post(f"{D}/forums/{forum_id}/subscription", data={"subscribe": "1"})
    factories.thread(world["learner"], title="Second")
    assert db.session.scalar(select(QueuedEmail.user_id)) == world["peer_reviewer"].id


def test_the_same_post_is_never_queued_twice(world):
    thread = factories.thread(world["learner"])
    post = factories.reply(world["peer_reviewer"], thread)
    forum = factories.forum()
    subscriptions.fan_out(forum, thread, post)
    db.session.commit()
    assert db.session.scalar(select(func.count(QueuedEmail.id))) == 1


def test_a_reply_without_a_csrf_token_is_refused(app, world, client_for):
    thread = factories.thread(world["learner"])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client_for(world["peer_reviewer"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": "x"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Post.id))) == 1
    assert db.session.scalar(select(func.count(ThreadSubscription.id))) == 1


@needs_redis
def test_with_redis_the_email_goes_through_rq_jobs(app, world, smtp_server, job_queues):  # noqa: F811
    from rq import SimpleWorker

    from course_engine.jobs import rq_queue as jobs_queue
    from course_engine.notifications.services import rq_queue as email_queue

    thread = factories.thread(world["learner"])
    factories.reply(world["peer_reviewer"], thread, body="Via the job queue")
    queues = [jobs_queue(), email_queue()]
    assert [queue.count for queue in queues] == [2, 0]
    SimpleWorker(queues, connection=queues[0].connection).work(burst=True)
    (message,) = smtp_server.messages
    assert "Via the job queue" in message.get_content()
    assert db.session.scalar(select(QueuedEmail.status)) == EmailStatus.SENT
    assert _send(app) == "0 sent, 0 not sent\n"
