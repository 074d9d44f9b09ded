"""The email about a new post is queued by a job, after the post is committed."""

from sqlalchemy import func, insert, select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment
from course_engine.courses.services import get_course
from course_engine.discussions.jobs import fan_out_post
from course_engine.discussions.models import DigestEntry, DigestMode, ForumSubscription
from course_engine.discussions.services import subscriptions
from course_engine.extensions import db
from course_engine.jobs import run_job
from course_engine.notifications.models import QueuedEmail
from course_engine.roles import Role
from tests.discussions import factories
from tests.support import queries
from tests.support.local_redis import job_queues, needs_redis  # noqa: F401 - a fixture

D = "/courses/example-course/discussions"


def _count(column) -> int:
    return db.session.scalar(select(func.count(column)))


def _subscribe_learners(forum_id: int, how_many: int) -> None:
    """Enrol and subscribe many learners to the forum in a few statements, and commit."""
    if not how_many:
        return
    users = [
        {"email": f"reader{n}@example.org", "display_name": f"Reader {n}", "password_hash": None}
        for n in range(how_many)
    ]
    ids = db.session.scalars(insert(User).returning(User.id), users).all()
    course_id = get_course("example-course").id
    enrolments = [{"user_id": i, "course_id": course_id, "role": Role.LEARNER} for i in ids]
    db.session.execute(insert(Enrolment), enrolments)
    choices = [{"user_id": i, "forum_id": forum_id, "subscribed": True} for i in ids]
    db.session.execute(insert(ForumSubscription), choices)
    db.session.commit()


def test_running_the_job_twice_queues_each_email_and_digest_entry_once(world):
    subscriptions.set_digest_mode(world["peer_reviewer"].id, DigestMode.DAILY)
    forum = factories.forum()
    subscriptions.subscribe_forum(world["peer_reviewer"].id, forum.id, True)
    subscriptions.subscribe_forum(world["facilitator"].id, forum.id, True)
    thread = factories.thread(world["learner"])
    assert (_count(QueuedEmail.id), _count(DigestEntry.id)) == (1, 1)
    for _ in range(2):
        run_job(fan_out_post, thread.last_post_id)
    assert (_count(QueuedEmail.id), _count(DigestEntry.id)) == (1, 1)


@needs_redis
def test_a_post_to_500_subscribers_costs_the_request_what_a_post_to_none_does(
    app,
    world,
    client_for,
    job_queues,  # noqa: F811
):
    from rq import SimpleWorker

    from course_engine.jobs import rq_queue

    queue = rq_queue()
    worker = SimpleWorker([queue], connection=queue.connection)
    thread = factories.thread(world["facilitator"], title="Office hours")
    client = client_for(world["facilitator"])
    counts = []
    for subscribers in (0, 500):
        worker.work(burst=True)
        _subscribe_learners(thread.forum_id, subscribers)
        with queries.count_queries() as statements:
            response = client.post(f"{D}/threads/{thread.id}/reply", data={"body": "Room 4"})
        assert response.status_code == 302
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert _count(QueuedEmail.id) == 0
    assert queue.count == 1
    worker.work(burst=True)
    assert _count(QueuedEmail.id) == 500


@needs_redis
def test_a_post_withdrawn_before_its_job_runs_is_not_emailed(world, job_queues):  # noqa: F811
    from rq import SimpleWorker

    from course_engine.discussions.services import posting
    from course_engine.jobs import rq_queue

    queue = rq_queue()
    worker = SimpleWorker([queue], connection=queue.connection)
    thread = factories.thread(world["learner"])
    worker.work(burst=True)
    post = factories.reply(world["peer_reviewer"], thread)
    posting.withdraw_post(factories.viewer(world["peer_reviewer"]), post)
    db.session.commit()
    worker.work(burst=True)
    assert _count(QueuedEmail.id) == 0
