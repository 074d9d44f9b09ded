"""Who sees and does what in discussions: the one place that answers it."""

from dataclasses import dataclass

from sqlalchemy import or_, select, true

from course_engine.courses.models import Enrolment
from course_engine.discussions.models import Forum, ForumKind, GroupMode, Post, Thread
from course_engine.errors import NotFound
from course_engine.extensions import db


@dataclass(frozen=True)
class ForumReader:
    """The signed-in user as discussions see them in one course."""

    user_id: int
    course_id: int
    staff: bool
    group_id: int | None


def viewer_for(user_id: int, course_id: int, *, staff: bool) -> ForumReader:
    """Return the viewer, with the peer group of their enrolment."""
    group_id = db.session.scalar(
        select(Enrolment.group_id).where(
            Enrolment.user_id == user_id, Enrolment.course_id == course_id
        )
    )
    return ForumReader(user_id, course_id, staff, group_id)


def thread_clause(viewer: ForumReader):
    """Return the SQL condition for threads the viewer may see (Forum must be joined)."""
    if viewer.staff:
        return true()
    return (
        (Thread.course_id == viewer.course_id)
        & ~Forum.archived
        & or_(
            Forum.groups == GroupMode.NONE,
            Thread.all_groups,
            Thread.group_id.is_not_distinct_from(viewer.group_id),
        )
    )


def can_see_forum(viewer: ForumReader, forum: Forum) -> bool:
    """Tell whether the viewer may open the forum."""
    return forum.course_id == viewer.course_id and (viewer.staff or not forum.archived)


def can_see_thread(viewer: ForumReader, forum: Forum, thread: Thread) -> bool:
    """Tell whether the viewer may read the thread."""
    if thread.course_id != viewer.course_id or not can_see_forum(viewer, forum):
        return False
    if viewer.staff or forum.groups == GroupMode.NONE or thread.all_groups:
        return True
    return thread.group_id == viewer.group_id


def can_start_thread(viewer: ForumReader, forum: Forum) -> bool:
    """Tell whether the viewer may start a thread in the forum."""
    if not can_see_forum(viewer, forum) or forum.archived:
        return False
    return viewer.staff or forum.kind != ForumKind.ANNOUNCEMENTS


def can_reply(viewer: ForumReader, forum: Forum, thread: Thread) -> bool:
    """Tell whether the viewer may reply in the thread, ignoring its lock."""
    return can_see_thread(viewer, forum, thread) and can_start_thread(viewer, forum)


def can_see_post_text(viewer: ForumReader, post: Post) -> bool:
    """Tell whether the viewer may read a post's text (hidden and withdrawn ones are withheld)."""
    return viewer.staff or not (post.hidden or post.withdrawn)


def load_forum(viewer: ForumReader, forum_id: int) -> Forum:
    """Return a forum the viewer may open, or raise NotFound."""
    forum = db.session.get(Forum, forum_id)
    if forum is None or not can_see_forum(viewer, forum):
        raise NotFound("There is no such forum in this course.")
    return forum


def load_thread(viewer: ForumReader, thread_id: int) -> tuple[Thread, Forum]:
    """Return a thread the viewer may read, with its forum, or raise NotFound."""
    row = db.session.execute(
        select(Thread, Forum).join(Forum, Forum.id == Thread.forum_id).where(Thread.id == thread_id)
    ).first()
    if row is None or not can_see_thread(viewer, row.Forum, row.Thread):
        raise NotFound("There is no such thread in this course.")
    return row.Thread, row.Forum


def load_post(viewer: ForumReader, post_id: int) -> tuple[Post, Thread, Forum]:
    """Return a post in a thread the viewer may read, or raise NotFound."""
    row = db.session.execute(
        select(Post, Thread, Forum)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Forum, Forum.id == Thread.forum_id)
        .where(Post.id == post_id)
    ).first()
    if row is None or not can_see_thread(viewer, row.Forum, row.Thread):
        raise NotFound("There is no such post in this course.")
    return row.Post, row.Thread, row.Forum
