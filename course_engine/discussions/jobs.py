"""Discussion work done off the request path, as jobs (see course_engine.jobs)."""

from course_engine.discussions.models import Forum, Post, Thread
from course_engine.discussions.services import subscriptions
from course_engine.extensions import db


def fan_out_post(post_id: int) -> None:
    """Queue the email about a new post, or keep it for digests. Flush only; run twice, once.

    Every email and digest entry carries a key unique to the post and its
    recipient, so a job retried after dying half-way queues nothing twice.
    """
    post = db.session.get(Post, post_id)
    if post is None or post.hidden or post.withdrawn:
        return
    thread = db.session.get_one(Thread, post.thread_id)
    forum = db.session.get_one(Forum, thread.forum_id)
    subscriptions.fan_out(forum, thread, post)
