"""Builders of discussion data, shared by the tests and the route cases."""

from sqlalchemy import select

from course_engine.courses.models import Course
from course_engine.courses.services import get_course
from course_engine.discussions.models import Forum, ForumKind
from course_engine.discussions.services import forums, moderation, posting
from course_engine.discussions.services.access import viewer_for
from course_engine.extensions import db
from course_engine.permissions import can_facilitate

# The smallest valid PNG: 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def viewer(user, course_slug="example-course"):
    """Return the user as a discussions viewer of the course."""
    course = get_course(course_slug)
    return viewer_for(user.id, course.id, staff=can_facilitate(user, course.id))


def forum(course_slug="example-course", kind=ForumKind.ITEM) -> Forum:
    """Return a forum of the course: the introductions item's, general or announcements."""
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    forums.ensure_course_forums(course.id)
    return db.session.scalar(select(Forum).where(Forum.course_id == course.id, Forum.kind == kind))


def thread(user, title="Hello", body="Hi all", course_slug="example-course", upload=None, **kw):
    """Start a thread as the user in a forum of the course, and commit."""
    found = posting.start_thread(
        viewer(user, course_slug),
        kw.pop("in_forum", None) or forum(course_slug),
        title,
        body,
        upload,
    )
    db.session.commit()
    return found


def reply(user, thread, body="A reply", parent_id=None, course_slug="example-course"):
    """Reply as the user and commit."""
    found_forum = db.session.get(Forum, thread.forum_id)
    post = posting.reply(viewer(user, course_slug), found_forum, thread, body, parent_id)
    db.session.commit()
    return post


def report(user, post, reason="Rude"):
    """Report a post as the user and commit."""
    found = moderation.report_post(viewer(user), post, reason)
    db.session.commit()
    return found
