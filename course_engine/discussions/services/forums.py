"""The forums of a course: one per discussion item, plus general and announcements."""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from course_engine.database import dialect_insert
from course_engine.discussions.models import (
    Forum,
    ForumKind,
    GroupMode,
    Post,
    ReadState,
    Thread,
)
from course_engine.discussions.services.access import ForumReader, thread_clause
from course_engine.errors import NotFound
from course_engine.extensions import db

COURSE_FORUMS = {
    ForumKind.GENERAL: "General discussion",
    ForumKind.ANNOUNCEMENTS: "Announcements",
}


def ensure_course_forums(course_id: int) -> None:
    """Create the course's general and announcements forums if they are missing. Flush only."""
    rows = [
        {
            "course_id": course_id,
            "key": kind.value,
            "kind": kind,
            "title": title,
            "groups": GroupMode.NONE,
            "completion_posts": 0,
            "archived": False,
        }
        for kind, title in COURSE_FORUMS.items()
    ]
    db.session.execute(
        dialect_insert(Forum)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["course_id", "key"])
    )


def forum_for_item(item_id: int) -> Forum:
    """Return the forum of a discussion item, or raise NotFound."""
    forum = db.session.scalar(select(Forum).where(Forum.item_id == item_id))
    if forum is None:
        raise NotFound("This discussion has no forum yet.")
    return forum


@dataclass
class ForumSummary:
    forum: Forum
    threads: int = 0
    unread: int = 0


def overview(viewer: ForumReader) -> list[ForumSummary]:
    """Return the course's forums the viewer may see, with thread and unread counts."""
    query = select(Forum).where(Forum.course_id == viewer.course_id)
    if not viewer.staff:
        query = query.where(~Forum.archived)
    order = case(
        (Forum.kind == ForumKind.ANNOUNCEMENTS, 0), (Forum.kind == ForumKind.GENERAL, 1), else_=2
    )
    summaries = {
        forum.id: ForumSummary(forum)
        for forum in db.session.scalars(query.order_by(order, Forum.id))
    }
    read_upto = func.coalesce(ReadState.last_read_post_id, 0)
    counts = db.session.execute(
        select(
            Thread.forum_id,
            func.count(func.distinct(Thread.id)),
            func.count(Post.id),
        )
        .join(Forum, Forum.id == Thread.forum_id)
        .outerjoin(
            ReadState, and_(ReadState.thread_id == Thread.id, ReadState.user_id == viewer.user_id)
        )
        .outerjoin(Post, and_(Post.thread_id == Thread.id, Post.id > read_upto))
        .where(Thread.course_id == viewer.course_id, thread_clause(viewer))
        .group_by(Thread.forum_id)
    )
    for forum_id, threads, unread in counts:
        if forum_id in summaries:
            summaries[forum_id].threads = threads
            summaries[forum_id].unread = unread
    return list(summaries.values())


def move_targets(course_id: int, exclude_forum_id: int) -> list[Forum]:
    """Return the forums a thread may be moved to."""
    return list(
        db.session.scalars(
            select(Forum)
            .where(Forum.course_id == course_id, ~Forum.archived, Forum.id != exclude_forum_id)
            .order_by(Forum.id)
        )
    )
